/**
 * JSON Schemas shared by the routes: Fastify validates requests with them, serialises responses
 * with them, and @fastify/swagger turns them into /api/v1/openapi.json.
 */
const text = (maxLength: number, minLength = 1) => ({ type: 'string', minLength, maxLength }) as const;
const nullable = (schema: Record<string, unknown>) => ({ anyOf: [schema, { type: 'null' }] });

export const errorSchema = {
  $id: 'Error',
  type: 'object',
  properties: {
    error: {
      type: 'object',
      properties: {
        code: { type: 'string' },
        message: { type: 'string' },
        details: { type: 'object', additionalProperties: true },
      },
      required: ['code', 'message', 'details'],
    },
  },
  required: ['error'],
} as const;

const reporter = {
  type: 'object',
  additionalProperties: false,
  properties: {
    name: text(200),
    contact: text(320),
    company: nullable(text(200, 0)),
    credit: { type: 'string', enum: ['named', 'anonymous', 'name-without-company'] },
  },
  required: ['name', 'contact'],
} as const;

export const reporterInput = nullable(reporter);

/** A credit beyond the reporter: named (name, optional GitHub login) or anonymous. */
export const creditSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    name: text(200),
    login: text(39),
    anonymous: { type: 'boolean' },
    type: {
      type: 'string',
      enum: [
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
      ],
    },
  },
  required: ['type'],
} as const;

/** The affected package as OSV names it. */
export const packageInput = nullable({
  type: 'object',
  additionalProperties: false,
  required: ['ecosystem', 'name'],
  properties: { ecosystem: text(64), name: text(512), repository: nullable(text(2048)) },
});

const stepState = {
  type: 'object',
  properties: {
    status: { type: 'string' },
    by: nullable({ type: 'string' }),
    at: nullable({ type: 'string' }),
    reason: nullable({ type: 'string' }),
    confirmed: { type: 'array', items: { type: 'string' } },
  },
} as const;

export const caseSchema = {
  $id: 'Case',
  type: 'object',
  properties: {
    id: { type: 'string' },
    title: { type: 'string' },
    codename: { type: 'string' },
    project: { type: 'string' },
    playbook: { type: 'string' },
    status: { type: 'string' },
    reporter: nullable({ type: 'object', properties: reporter.properties }),
    severity: {
      type: 'object',
      properties: { cvss: { type: 'array', items: { type: 'string' } }, cwe: { type: 'array', items: { type: 'string' } } },
    },
    embargo: nullable({ type: 'object', properties: { endsAt: { type: 'string' }, timeZone: { type: 'string' } } }),
    releasePlan: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          line: { type: 'string' },
          version: { type: 'string' },
          releasedAt: nullable({ type: 'string' }),
          tag: nullable({ type: 'string' }),
          verifiedAt: { type: 'string', description: 'When the tag was checked to contain the fix' },
          fixCommit: { type: 'string' },
        },
      },
    },
    affected: {
      type: 'array',
      items: { type: 'object', properties: { introduced: { type: 'string' }, fixed: nullable({ type: 'string' }) } },
    },
    ghsaId: nullable({ type: 'string' }),
    cveId: nullable({ type: 'string' }),
    description: { type: 'string', description: 'The advisory text (markdown)' },
    package: nullable({
      type: 'object',
      properties: { ecosystem: { type: 'string' }, name: { type: 'string' }, repository: { type: 'string' } },
    }),
    workarounds: { type: 'string', description: 'Markdown' },
    references: { type: 'array', items: { type: 'string' } },
    credits: { type: 'array', items: creditSchema },
    publishedAt: nullable({ type: 'string' }),
    forkUrl: nullable({ type: 'string', description: "The advisory's temporary private fork" }),
    cveRequestedAt: nullable({ type: 'string' }),
    steps: { type: 'object', additionalProperties: stepState },
    messages: {
      type: 'array',
      description: "The checklist's mails queued for the case (their text is in the outbox)",
      items: {
        type: 'object',
        properties: {
          kind: { type: 'string' },
          outboxId: { type: 'string' },
          at: { type: 'string' },
          by: { type: 'string' },
          status: { type: 'string' },
        },
      },
    },
    createdAt: { type: 'string' },
    updatedAt: { type: 'string' },
    revision: { type: 'integer' },
  },
} as const;

/** Lists show what a team needs to pick a case, not its embargoed details. */
export const caseSummarySchema = {
  $id: 'CaseSummary',
  type: 'object',
  properties: {
    id: { type: 'string' },
    title: { type: 'string' },
    codename: { type: 'string' },
    project: { type: 'string' },
    playbook: { type: 'string' },
    status: { type: 'string' },
    embargo: caseSchema.properties.embargo,
    updatedAt: { type: 'string' },
  },
} as const;

export const userSchema = {
  $id: 'User',
  type: 'object',
  properties: {
    id: { type: 'string' },
    username: { type: 'string' },
    displayName: { type: 'string' },
    role: { type: 'string', enum: ['admin', 'member'] },
    createdAt: { type: 'string' },
  },
} as const;

export const stepViewSchema = {
  $id: 'StepView',
  type: 'object',
  properties: {
    id: { type: 'string' },
    number: { type: 'integer' },
    title: { type: 'string' },
    phase: { type: 'string' },
    status: { type: 'string' },
    by: nullable({ type: 'string' }),
    at: nullable({ type: 'string' }),
    reason: nullable({ type: 'string' }),
    guidance: { type: 'array', items: { type: 'string' } },
    skippable: { type: 'boolean' },
    confirmations: { type: 'array', items: { type: 'object', properties: { id: { type: 'string' }, text: { type: 'string' } } } },
    confirmed: { type: 'array', items: { type: 'string' } },
    unmet: { type: 'array', items: { type: 'string' } },
  },
} as const;

export const eventSchema = {
  $id: 'Event',
  type: 'object',
  properties: {
    seq: { type: 'integer' },
    id: { type: 'string' },
    at: { type: 'string' },
    actor: { type: 'string' },
    action: { type: 'string' },
    caseId: nullable({ type: 'string' }),
    details: { type: 'object', additionalProperties: true },
    hash: { type: 'string' },
  },
} as const;

export const caseIdParam = {
  type: 'object',
  properties: { caseId: { type: 'string', pattern: '^EMB-\\d{4}-\\d{4,8}$', maxLength: 20 } },
  required: ['caseId'],
} as const;

export const sharedSchemas = [errorSchema, caseSchema, caseSummarySchema, userSchema, stepViewSchema, eventSchema];

export const ref = (id: string) => ({ $ref: `${id}#` });

/** Standard error responses, so the OpenAPI document lists them for every route. */
export const errorResponses = Object.fromEntries([400, 401, 403, 404, 409].map((s) => [s, ref('Error')]));

export { text, nullable };
