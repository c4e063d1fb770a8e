/**
 * The Case and the inputs that change it, as JSON Schemas (TypeBox): the single definition the
 * domain's types are derived from (types.ts: `Static<typeof …>`) and the API's validation,
 * serialisation and OpenAPI document are built from (src/server/schemas.ts). TypeBox is pure data
 * and types, like `yaml`: no I/O, so the domain may use it.
 *
 * The domain still checks every input itself (fields.ts, advisory-fields.ts): case files, the CLI's
 * local mode and imports reach it without going through Fastify, and rules such as "a known CWE id"
 * or "an http(s) URL" are not JSON Schema's to say. The schemas say the shape and the sizes; the
 * sizes come from limits.ts, which the checks read too.
 */
import { type Static, type TSchema, Type } from 'typebox';
import { CASE_ID_SOURCE } from './case-id.js';
import * as limits from './limits.js';

/** Text of 1 (or minLength) to maxLength characters. */
export const text = (maxLength: number, minLength = 1, options: { description?: string } = {}) =>
  Type.String({ minLength, maxLength, ...options });
/** The schema or null. */
export const nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
/** A string enum that says it is a string (clients and the bad-input probes read `type`). */
export const stringEnum = <const T extends readonly string[]>(values: T, options: { description?: string } = {}) =>
  Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...options });

export const CaseIdSchema = Type.String({
  pattern: CASE_ID_SOURCE,
  maxLength: 20,
  description: 'A case id: EMB-<year>-<number of 4 to 8 digits>',
});

export const CREDIT_PREFERENCES = ['named', 'anonymous', 'name-without-company'] as const;
export const CreditPreferenceSchema = stringEnum(CREDIT_PREFERENCES, { description: 'How the reporter wants to be credited' });

export const ReporterSchema = Type.Object({
  name: Type.String(),
  contact: Type.String({ description: 'E-mail address or other private contact; never published' }),
  company: nullable(Type.String()),
  credit: CreditPreferenceSchema,
  githubLogin: Type.Optional(
    nullable(Type.String({ description: "The reporter's GitHub login: credited on the advisory and added as a collaborator on push" })),
  ),
});

/** The reporter as a person types it: company and credit may be left out (credit: named). */
export const ReporterInputSchema = Type.Object(
  {
    name: text(limits.NAME_MAX),
    contact: text(limits.CONTACT_MAX),
    company: Type.Optional(nullable(text(limits.NAME_MAX, 0))),
    credit: Type.Optional(CreditPreferenceSchema),
    githubLogin: Type.Optional(
      nullable(text(limits.GITHUB_LOGIN_MAX, 0, { description: 'The reporter\'s GitHub login ("" or null: none)' })),
    ),
  },
  { additionalProperties: false },
);

export const EmbargoSchema = Type.Object(
  {
    endsAt: Type.String({ description: 'ISO 8601 instant in UTC, e.g. 2026-12-01T16:00:00.000Z' }),
    timeZone: Type.String({ description: 'The IANA zone it was agreed in, e.g. Europe/Berlin' }),
  },
  { description: 'The agreed end of the embargo' },
);

export const SeveritySchema = Type.Object({
  cvss: Type.Array(Type.String(), { description: 'CVSS vectors as the team wrote them (3.x and/or 4.0)' }),
  cwe: Type.Array(Type.String(), { description: 'CWE ids, e.g. CWE-94' }),
});

export const ReleaseLineSchema = Type.Object({
  line: Type.String({ description: 'Minor line, e.g. 1.33' }),
  version: Type.String({ description: 'The patch version planned for this line, e.g. 1.33.4' }),
  latest: Type.Optional(
    Type.String({ description: "The line's latest release before this patch, e.g. v1.33.3, when the plan came from the repository" }),
  ),
  plannedAt: Type.Optional(Type.String({ description: 'When the patch for this line is planned to ship (for the team calendar)' })),
  releasedAt: nullable(Type.String({ description: 'Set once the patch for this line is released' })),
  tag: nullable(Type.String({ description: 'The git tag of the release, when known' })),
  verifiedAt: Type.Optional(
    Type.String({
      description: 'When the release tag was checked to contain the fix; absent until then, and removed by a check that finds it missing',
    }),
  ),
  fixCommit: Type.Optional(Type.String({ description: 'The fix commit the tag was checked against' })),
});

export const AffectedRangeSchema = Type.Object({
  introduced: Type.String(),
  fixed: nullable(Type.String({ description: 'The version that fixes it; null: affected, no fix planned' })),
});

export const CasePackageSchema = Type.Object({
  ecosystem: Type.String({ description: 'OSV ecosystem name, e.g. Go, npm, PyPI, Maven, crates.io' }),
  name: Type.String({ description: "The package's name in its ecosystem, e.g. github.com/projectcontour/contour" }),
  repository: Type.Optional(Type.String({ description: 'Source repository URL' })),
});

/** Roles a credit can have; the same list as OSV's and GitHub's credit types (lower case). */
export const CREDIT_TYPES = [
  'finder',
  'reporter',
  'analyst',
  'coordinator',
  'remediation_developer',
  'remediation_reviewer',
  'remediation_verifier',
  'tool',
  'sponsor',
  'other',
] as const;

/**
 * Someone credited in the advisory besides the reporter: named (name, optionally a GitHub login,
 * which GitHub's advisory credits need) or anonymous (then neither name nor login).
 */
export const CreditSchema = Type.Object(
  {
    name: Type.Optional(text(limits.NAME_MAX)),
    anonymous: Type.Optional(Type.Boolean()),
    login: Type.Optional(
      text(limits.GITHUB_LOGIN_MAX, 1, { description: 'GitHub login; only credits with one appear in the GHSA export' }),
    ),
    type: stringEnum(CREDIT_TYPES),
  },
  { additionalProperties: false },
);

export const STEP_STATUSES = ['open', 'done', 'skipped'] as const;

export const StepStateSchema = Type.Object({
  status: stringEnum(STEP_STATUSES),
  by: nullable(Type.String({ description: 'Who last changed the step' })),
  at: nullable(Type.String()),
  reason: nullable(Type.String({ description: 'Why it was skipped or reopened' })),
  confirmed: Type.Array(Type.String(), { description: "Attestations given when completing (ids of the step's confirm gates)" }),
});

/** Where a case's mail stands in the outbox (the outbox row's status, as last seen by the case). */
export const CASE_MESSAGE_STATUSES = ['queued', 'sending', 'sent', 'failed', 'unknown', 'copied'] as const;

export const CaseMessageSchema = Type.Object({
  kind: Type.String({ description: 'A message kind, e.g. distributors-notice' }),
  outboxId: Type.String(),
  at: Type.String(),
  by: Type.String(),
  status: stringEnum(CASE_MESSAGE_STATUSES),
  embargo: Type.Optional(
    nullable({
      ...EmbargoSchema,
      description: 'The disclosure date the case had when the mail was queued (absent on mails queued before it was recorded)',
    }),
  ),
});

/** Step id -> state; steps missing here are open. (A map, not patternProperties, for OpenAPI clients.) */
const StepsSchema = Type.Unsafe<Record<string, Static<typeof StepStateSchema>>>({
  type: 'object',
  additionalProperties: StepStateSchema,
  description: 'Step id -> state; steps missing here are open',
});

/** How a report ended without an advisory: rejected (and why), a duplicate of another case, or withdrawn by the reporter. */
export const RESOLUTION_OUTCOMES = ['rejected', 'duplicate', 'withdrawn'] as const;
export const REJECTION_CATEGORIES = ['not-a-vulnerability', 'out-of-scope', 'cannot-reproduce'] as const;

export const ResolutionSchema = Type.Object({
  outcome: stringEnum(RESOLUTION_OUTCOMES),
  category: nullable(stringEnum(REJECTION_CATEGORIES, { description: 'Why it was rejected; null for the other outcomes' })),
  duplicateOf: nullable(Type.String({ description: 'The case it duplicates (outcome duplicate)' })),
  reason: Type.String({ description: 'In the words of the person who closed it' }),
  by: Type.String(),
  at: Type.String(),
});

export const ResolutionInputSchema = Type.Object(
  {
    outcome: stringEnum(RESOLUTION_OUTCOMES),
    reason: text(limits.REASON_MAX),
    category: Type.Optional(stringEnum(REJECTION_CATEGORIES, { description: 'For outcome rejected (default not-a-vulnerability)' })),
    duplicateOf: Type.Optional(CaseIdSchema),
  },
  { additionalProperties: false },
);

/** Where a report came from: the public form or a mail the team imported. */
export const REPORT_SOURCES = ['form', 'mail'] as const;

/**
 * The report as the reporter sent it, kept apart from the advisory's description and never edited:
 * the team writes the advisory; the reporter's words (which may greet, credit-request or carry a
 * proof of concept) stay here.
 */
export const OriginalReportSchema = Type.Object({
  source: stringEnum(REPORT_SOURCES),
  title: Type.String({ description: "The report's subject (the mail's Subject, the form's title)" }),
  text: Type.String({ description: 'The text as the reporter wrote it' }),
  sender: nullable(
    Type.Object({ name: nullable(Type.String()), address: Type.String({ description: "The sender's address; never published" }) }),
  ),
  sentAt: nullable(Type.String({ description: "When the reporter sent it: the mail's Date, or when the form was submitted" })),
  messageId: nullable(Type.String({ description: "The mail's Message-ID: replies to the reporter thread under it" })),
  attachments: Type.Array(Type.String(), { description: 'Names of the attachments left in the original mail' }),
});

export const CaseSchema = Type.Object({
  id: Type.String({ description: 'The case id: EMB-<year>-<number>' }),
  title: Type.String(),
  codename: Type.String({ description: 'Random two-word name for branch names and chats; reveals nothing' }),
  project: Type.String({ description: 'The project the case belongs to, e.g. contour' }),
  playbook: Type.String({ description: 'Id of the playbook the case follows' }),
  status: Type.String({ description: "Derived from the playbook's steps (a phase name)" }),
  reporter: nullable(ReporterSchema),
  severity: SeveritySchema,
  embargo: nullable(EmbargoSchema),
  releasePlan: Type.Array(ReleaseLineSchema),
  affected: Type.Array(AffectedRangeSchema),
  ghsaId: nullable(Type.String()),
  cveId: nullable(Type.String()),
  description: Type.String({ description: 'What the advisory says: markdown ("" until written)' }),
  package: nullable(CasePackageSchema),
  workarounds: Type.String({ description: 'How to mitigate without upgrading: markdown ("" when there is none)' }),
  references: Type.Array(Type.String(), { description: "Public URLs for the advisory's references" }),
  credits: Type.Array(CreditSchema, { description: 'Credits beyond the reporter' }),
  publishedAt: nullable(Type.String({ description: 'When the advisory was published; null while embargoed' })),
  forkUrl: Type.Optional(nullable(Type.String({ description: "The advisory's temporary private fork; absent or null until created" }))),
  cveRequestedAt: Type.Optional(nullable(Type.String({ description: 'When a CVE id was requested from GitHub' }))),
  reporterCollaborator: Type.Optional(
    nullable(Type.String({ description: "The reporter's GitHub login as GitHub last accepted it among the advisory's collaborators" })),
  ),
  report: Type.Optional(
    nullable({
      ...OriginalReportSchema,
      description: 'The original report, immutable; absent or null when the team opened the case by hand',
    }),
  ),
  resolution: Type.Optional(
    nullable({ ...ResolutionSchema, description: 'Set when the report was closed without an advisory (rejected, duplicate, withdrawn)' }),
  ),
  steps: StepsSchema,
  messages: Type.Array(CaseMessageSchema, { description: "The checklist's mails queued for the case, oldest first" }),
  createdAt: Type.String(),
  updatedAt: Type.String(),
  revision: Type.Integer({ description: 'Incremented by every command; used for optimistic concurrency' }),
});

/** The package as typed: repository may be null (none). */
export const CasePackageInputSchema = Type.Object(
  {
    ecosystem: text(limits.ECOSYSTEM_MAX),
    name: text(limits.PACKAGE_NAME_MAX),
    repository: Type.Optional(nullable(text(limits.URL_MAX))),
  },
  { additionalProperties: false },
);

export const AffectedRangeInputSchema = Type.Object(
  { introduced: text(limits.VERSION_MAX), fixed: Type.Optional(nullable(text(limits.VERSION_MAX))) },
  { additionalProperties: false },
);

/** The case details a person edits during triage; every key is optional, null clears a value. */
export const CaseEditSchema = Type.Object(
  {
    title: Type.Optional(text(limits.TITLE_MAX)),
    reporter: Type.Optional(nullable(ReporterInputSchema)),
    ghsaId: Type.Optional(nullable(text(limits.ADVISORY_ID_MAX))),
    cveId: Type.Optional(nullable(text(limits.ADVISORY_ID_MAX))),
    cvss: Type.Optional(nullable(Type.Array(text(limits.CVSS_INPUT_MAX), { maxItems: limits.SEVERITY_LIST_MAX }))),
    cwe: Type.Optional(nullable(Type.Array(text(limits.CWE_ID_MAX), { maxItems: limits.SEVERITY_LIST_MAX }))),
    affected: Type.Optional(
      nullable(
        Type.Array(AffectedRangeInputSchema, {
          maxItems: limits.AFFECTED_MAX,
          description: 'Affected ranges, one per release line: [{introduced: "1.19.0", fixed: "1.31.6" | null}]',
        }),
      ),
    ),
    description: Type.Optional(
      nullable(text(limits.DESCRIPTION_MAX, 0, { description: 'The advisory text (markdown); null or "" clears it' })),
    ),
    package: Type.Optional(nullable(CasePackageInputSchema)),
    workarounds: Type.Optional(nullable(text(limits.WORKAROUNDS_MAX, 0))),
    references: Type.Optional(
      nullable(Type.Array(text(limits.URL_MAX), { maxItems: limits.REFERENCES_MAX, description: 'URLs; replaces the list' })),
    ),
    credits: Type.Optional(nullable(Type.Array(CreditSchema, { maxItems: limits.CREDITS_MAX, description: 'Replaces the list' }))),
    publishedAt: Type.Optional(nullable(text(limits.TIME_INPUT_MAX, 1, { description: 'An instant with an offset' }))),
    forkUrl: Type.Optional(nullable(text(limits.URL_MAX, 0))),
  },
  { additionalProperties: false, minProperties: 1 },
);

/** A newly reported vulnerability. */
export const NewCaseSchema = Type.Object(
  {
    title: text(limits.TITLE_MAX, 1, { description: 'Short internal title; it stays private until publication' }),
    project: Type.Optional(text(limits.SLUG_MAX, 1, { description: 'Project slug, e.g. contour' })),
    playbook: Type.Optional(text(limits.SLUG_MAX)),
    reporter: Type.Optional(nullable(ReporterInputSchema)),
  },
  { additionalProperties: false },
);

export const EmbargoInputSchema = Type.Object(
  {
    endsAt: text(limits.TIME_INPUT_MAX, 1, { description: 'A local time (2026-12-01 17:00) or an instant with an offset' }),
    timeZone: text(limits.TIME_INPUT_MAX, 1, { description: 'IANA zone, e.g. Europe/Berlin' }),
    allowPast: Type.Optional(
      text(limits.REASON_MAX, 1, {
        description: 'Why a time already past is right (replaying an old case); without it such a time is refused',
      }),
    ),
  },
  { additionalProperties: false },
);

export const ReleasePlanInputSchema = Type.Object(
  {
    lines: Type.Array(
      Type.Object(
        {
          line: text(limits.LINE_MAX),
          version: text(limits.VERSION_MAX),
          latest: Type.Optional(
            text(limits.TAG_MAX, 1, { description: "The line's latest release, e.g. v1.33.3 (embargo plan --case sends it)" }),
          ),
          plannedAt: Type.Optional(
            text(limits.TIME_INPUT_MAX, 1, { description: 'When it is planned to ship: a day (2026-12-10) or an instant with its offset' }),
          ),
        },
        { additionalProperties: false },
      ),
      {
        minItems: 1,
        maxItems: limits.RELEASE_LINES_MAX,
      },
    ),
  },
  { additionalProperties: false },
);

export const ReleaseInputSchema = Type.Object(
  { line: text(limits.LINE_MAX), tag: Type.Optional(text(limits.TAG_MAX)) },
  { additionalProperties: false },
);
