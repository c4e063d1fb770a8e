/**
 * A project as JSON Schemas (TypeBox): the record a foundation keeps per open-source project (which
 * playbook it follows, and the settings that override the playbook's defaults), and the inputs that
 * change it. The domain's types are `Static<>` of these; the API's validation and OpenAPI document
 * are built from them, the same way as for cases (../case/schema.ts).
 */
import { type Static, Type } from 'typebox';
import { nullable, stringEnum, text } from '../case/schema.js';
import * as limits from '../case/limits.js';

export const PROJECT_SLUG_SOURCE = '^[a-z0-9][a-z0-9._-]*$';
export const PROJECT_ROLES = ['admin', 'member'] as const;
export type ProjectRole = (typeof PROJECT_ROLES)[number];

const address = (description: string) => text(limits.CONTACT_MAX, 3, { description });

export const ReleasePolicySchema = Type.Object(
  {
    supportedLines: Type.Integer({ minimum: 1, maximum: 32, description: 'How many of the most recent minor lines get patches' }),
    tagPrefix: Type.String({ maxLength: 64, description: 'What release tags start with: "v" for v1.33.3, "" for 1.33.3' }),
  },
  { additionalProperties: false },
);

/** Each setting's schema, once; the settings and their edit (where null clears a key) are built from it. */
const settingSchemas = {
  securityContact: address('Where reporters write, and the team signs with; e.g. security@example.org'),
  distributorsList: address('The private distributors list address'),
  usersList: address('The public users/announce list address'),
  embargoNote: text(limits.EMBARGO_NOTE_MAX, 1, { description: 'Put at the bottom of the embargoed distributors mail' }),
  securityTag: text(64, 1, { description: 'The tag the distributors mail subject carries, e.g. #security' }),
  releasePolicy: ReleasePolicySchema,
  timeZone: text(64, 1, { description: 'IANA time zone the project keeps its clocks in, e.g. America/Toronto' }),
  holidays: Type.Array(Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' }), {
    maxItems: limits.HOLIDAYS_MAX,
    description: 'Days (YYYY-MM-DD) that are not business days',
  }),
  mailFrom: address("The From address of the project's mail (else EMBARGO_MAIL_FROM, else the security contact)"),
};

/**
 * What a project sets for itself. Every key is optional: an absent key takes the playbook's value
 * (or none), so `effectivePlaybook` can lay the project's settings over the playbook's.
 */
export const ProjectSettingsSchema = Type.Object(
  {
    securityContact: Type.Optional(settingSchemas.securityContact),
    distributorsList: Type.Optional(settingSchemas.distributorsList),
    usersList: Type.Optional(settingSchemas.usersList),
    embargoNote: Type.Optional(settingSchemas.embargoNote),
    securityTag: Type.Optional(settingSchemas.securityTag),
    releasePolicy: Type.Optional(settingSchemas.releasePolicy),
    timeZone: Type.Optional(settingSchemas.timeZone),
    holidays: Type.Optional(settingSchemas.holidays),
    mailFrom: Type.Optional(settingSchemas.mailFrom),
  },
  { additionalProperties: false },
);
export type ProjectSettings = Static<typeof ProjectSettingsSchema>;
export const PROJECT_SETTING_KEYS = Object.keys(settingSchemas) as (keyof ProjectSettings)[];

/** A change to the settings: a key set to null goes back to the playbook's value. */
export const ProjectSettingsEditSchema = Type.Object(
  {
    securityContact: Type.Optional(nullable(settingSchemas.securityContact)),
    distributorsList: Type.Optional(nullable(settingSchemas.distributorsList)),
    usersList: Type.Optional(nullable(settingSchemas.usersList)),
    embargoNote: Type.Optional(nullable(settingSchemas.embargoNote)),
    securityTag: Type.Optional(nullable(settingSchemas.securityTag)),
    releasePolicy: Type.Optional(nullable(settingSchemas.releasePolicy)),
    timeZone: Type.Optional(nullable(settingSchemas.timeZone)),
    holidays: Type.Optional(nullable(settingSchemas.holidays)),
    mailFrom: Type.Optional(nullable(settingSchemas.mailFrom)),
  },
  { additionalProperties: false },
);
export type ProjectSettingsEdit = Static<typeof ProjectSettingsEditSchema>;

export const ProjectSchema = Type.Object({
  id: Type.String({ description: 'The slug, e.g. contour' }),
  name: Type.String({ description: 'As people write it, e.g. Contour' }),
  repository: nullable(Type.String({ description: 'The GitHub repository, owner/name' })),
  playbook: Type.String({ description: 'The playbook its cases follow' }),
  settings: ProjectSettingsSchema,
  createdAt: Type.String(),
  createdBy: Type.String(),
  updatedAt: Type.String(),
  revision: Type.Integer(),
  archivedAt: nullable(Type.String({ description: 'Set once archived: no new cases, settings kept' })),
});
export type Project = Static<typeof ProjectSchema>;

/** What adding a project and editing one both may give. */
const projectFields = {
  name: Type.Optional(text(limits.NAME_MAX)),
  repository: Type.Optional(nullable(text(limits.REPOSITORY_MAX, 3))),
  playbook: Type.Optional(text(limits.SLUG_MAX)),
};

export const ProjectInputSchema = Type.Object(
  {
    id: text(limits.SLUG_MAX, 1, { description: 'The slug: lower-case letters, digits, dots, dashes, underscores' }),
    ...projectFields,
    settings: Type.Optional(ProjectSettingsSchema),
  },
  { additionalProperties: false },
);
export type ProjectInput = Static<typeof ProjectInputSchema>;

export const ProjectEditSchema = Type.Object(
  {
    ...projectFields,
    settings: Type.Optional(ProjectSettingsEditSchema),
  },
  { additionalProperties: false },
);
export type ProjectEdit = Static<typeof ProjectEditSchema>;

export const ProjectMemberSchema = Type.Object({
  username: Type.String(),
  displayName: Type.String(),
  role: stringEnum(PROJECT_ROLES, { description: "admin: manages the project's settings, members, distributors and GitHub connection" }),
  addedBy: Type.String(),
  addedAt: Type.String(),
});
export type ProjectMember = Static<typeof ProjectMemberSchema>;
