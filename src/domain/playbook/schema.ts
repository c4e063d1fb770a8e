/**
 * JSON Schema for a playbook file after YAML parsing. Structure only: rules that need to look across
 * steps (unique ids, stepsDone pointing at earlier steps) are checked in parse.ts, where the message
 * can name the steps involved.
 */
import { MESSAGE_KIND_IDS } from '../messages/types.js';
import { WEEKDAYS } from './policies.js';
import { CASE_FIELDS, RECORDED_FACTS } from './types.js';

/** kebab-case: how step ids, confirm ids and playbook ids are written. */
export const KEBAB_CASE = '^[a-z0-9]+(-[a-z0-9]+)*$';

const text = { type: 'string', minLength: 1 } as const;
const kebab = { type: 'string', pattern: KEBAB_CASE } as const;

const gateSchema = {
  type: 'object',
  properties: {
    field: { enum: [...CASE_FIELDS] },
    message: text,
    stepsDone: { type: 'array', items: kebab, minItems: 1 },
    releasesOut: { const: true },
    embargoOver: { const: true },
    leaksClosed: { const: true },
    retrospectiveWritten: { const: true },
    policies: { const: true },
    confirm: {
      type: 'object',
      properties: { id: kebab, text, metBy: { enum: [...RECORDED_FACTS] } },
      required: ['id', 'text'],
      additionalProperties: false,
    },
  },
  additionalProperties: false,
  // Exactly one kind per gate. `message` beside `field` is the field gate's sentence; alone it is a
  // message gate, and then it must name a mail of the checklist.
  oneOf: [
    { required: ['field'] },
    { required: ['stepsDone'] },
    { required: ['releasesOut'] },
    { required: ['embargoOver'] },
    { required: ['leaksClosed'] },
    { required: ['retrospectiveWritten'] },
    { required: ['policies'] },
    { required: ['confirm'] },
    { required: ['message'], not: { required: ['field'] } },
  ],
  if: { required: ['message'], not: { required: ['field'] } },
  then: { properties: { message: { enum: [...MESSAGE_KIND_IDS] } } },
} as const;

const mailDays = {
  type: 'object',
  properties: { mail: { enum: [...MESSAGE_KIND_IDS] }, days: { type: 'integer', minimum: 1, maximum: 365 } },
  required: ['mail', 'days'],
  additionalProperties: false,
} as const;

/** A policy rule across lists (policies.ts): its id, its text, and exactly one kind. */
const policySchema = {
  type: 'object',
  properties: {
    id: kebab,
    text,
    noticeBeforeDisclosure: mailDays,
    embargoWithinDaysOfNotice: mailDays,
    disclosureNotOn: {
      type: 'object',
      properties: {
        weekdays: { type: 'array', items: { enum: [...WEEKDAYS] }, uniqueItems: true },
        dayBeforeHoliday: { type: 'boolean' },
        holidays: { type: 'boolean' },
      },
      additionalProperties: false,
      minProperties: 1,
    },
  },
  required: ['id', 'text'],
  additionalProperties: false,
  oneOf: [{ required: ['noticeBeforeDisclosure'] }, { required: ['embargoWithinDaysOfNotice'] }, { required: ['disclosureNotOn'] }],
} as const;

/** A project's own wording for one mail: both parts, as `{{placeholder}}` text. */
const templateSchema = {
  type: 'object',
  properties: { subject: text, body: text },
  required: ['subject', 'body'],
  additionalProperties: false,
} as const;

const positive = { type: 'integer', minimum: 1, maximum: 365 } as const;
const one = (key: string, value: object) =>
  ({ type: 'object', properties: { [key]: value }, required: [key], additionalProperties: false }) as const;

/** A clock: when it starts, how long it runs, what stops it (docs/clocks.md). */
const clockSchema = {
  type: 'object',
  properties: {
    id: kebab,
    title: text,
    from: {
      oneOf: [{ enum: ['reported', 'embargo-set'] }, one('step', kebab), one('message', { enum: [...MESSAGE_KIND_IDS] })],
    },
    due: {
      oneOf: [
        one('businessDays', positive),
        one('days', positive),
        one('hours', { type: 'integer', minimum: 1, maximum: 8760 }),
        one('embargoEnd', { const: true }),
      ],
    },
    metBy: {
      oneOf: [
        one('message', { enum: [...MESSAGE_KIND_IDS] }),
        one('audience', { enum: ['reporter', 'distributors', 'users'] }),
        one('step', kebab),
        one('published', { const: true }),
        one('distributorsAnswered', { const: true }),
      ],
    },
    repeats: { type: 'boolean' },
    atRisk: { oneOf: [one('businessDays', positive), one('hours', { type: 'integer', minimum: 1, maximum: 8760 })] },
    minSeverity: { enum: ['low', 'medium', 'high', 'critical'] },
  },
  required: ['id', 'title', 'due', 'metBy'],
  additionalProperties: false,
} as const;

const stepSchema = {
  type: 'object',
  properties: {
    id: kebab,
    // Optional in the file (position gives it); when written it must match the position.
    number: { type: 'integer', minimum: 1 },
    title: text,
    phase: kebab,
    guidance: { type: 'array', items: text },
    skippable: { type: 'boolean' },
    publishes: { type: 'boolean' },
    gates: { type: 'array', items: gateSchema },
  },
  required: ['id', 'title', 'phase'],
  additionalProperties: false,
} as const;

export const PLAYBOOK_SCHEMA = {
  type: 'object',
  properties: {
    id: kebab,
    name: text,
    description: text,
    source: text,
    sequential: { type: 'boolean' },
    settings: {
      type: 'object',
      properties: {
        embargoedMailCarriesCve: { type: 'boolean' },
        distributorsList: text,
        usersList: text,
        securityContact: text,
        embargoNote: text,
        securityTag: text,
        releasePolicy: {
          type: 'object',
          properties: {
            supportedLines: { type: 'integer', minimum: 1, maximum: 32 },
            // "" for tags named 1.33.3; no whitespace or characters git refuses in tag names.
            tagPrefix: { type: 'string', maxLength: 64, pattern: '^[^\\s~^:?*\\[\\\\]*$' },
          },
          required: ['supportedLines', 'tagPrefix'],
          additionalProperties: false,
        },
        timeZone: text,
        holidays: { type: 'array', items: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' }, maxItems: 400 },
        mailFrom: text,
        reporterMailIds: { type: 'array', items: { enum: ['ghsa', 'cve'] }, uniqueItems: true, maxItems: 2 },
        githubCvss: { enum: ['3.1', '4.0'] },
      },
      required: ['embargoedMailCarriesCve'],
      additionalProperties: false,
    },
    steps: { type: 'array', items: stepSchema, minItems: 1 },
    clocks: { type: 'array', items: clockSchema, maxItems: 32 },
    // Keys are message kinds; parse.ts names an unknown one with its line.
    templates: { type: 'object', additionalProperties: templateSchema },
    policies: { type: 'array', items: policySchema },
  },
  required: ['id', 'name', 'description', 'sequential', 'settings', 'steps'],
  additionalProperties: false,
} as const;
