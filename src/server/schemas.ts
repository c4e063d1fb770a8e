/**
 * The answers the routes share, as TypeBox schemas: Fastify validates requests and serialises
 * responses with them, the handlers' types come from them (the TypeBox type provider), and
 * @fastify/swagger turns them into /api/v1/openapi.json — where each shared one is a named
 * component (Case, CaseSummary, Error, …), so a generated client gets named types.
 *
 * A shared schema is registered once (`addSchema`, by its `$id`) and routes point at it with
 * `refTo(X)`: a `{$ref: 'X#'}` for JSON Schema whose static type is X's. Schemas of one route live
 * beside it in its route file. The Case and its inputs come from the domain (domain/case/schema.ts).
 */
import { type Static, type TSchema, Type } from 'typebox';
import { CaseIdSchema, CaseSchema, nullable, stringEnum, text } from '../domain/case/schema.js';
import { STEP_STATUSES } from '../domain/case/schema.js';
import { SLUG_MAX } from '../domain/case/limits.js';

export { nullable, stringEnum, text };

/** A shared schema with the name it has in the OpenAPI document. */
type Component<T extends TSchema = TSchema> = T & { $id: string };
const component = <T extends TSchema>(id: string, schema: T): Component<T> => ({ ...schema, $id: id });

/** Points at a shared schema by name; statically it is that schema's type. */
export const refTo = <T extends TSchema>(schema: Component<T>) => Type.Unsafe<Static<T>>({ $ref: `${schema.$id}#` });

export const ErrorSchema = component(
  'Error',
  Type.Object({
    error: Type.Object({
      code: Type.String({ description: 'A stable machine id, e.g. invalid_input, not_found, gate_failed' }),
      message: Type.String({ description: 'One sentence for a person' }),
      details: Type.Unsafe<Record<string, unknown>>({ type: 'object', additionalProperties: true }),
    }),
  }),
);

export const CaseComponent = component('Case', CaseSchema);

/** Lists show what a team needs to pick a case, not its embargoed details. */
export const CaseSummarySchema = component(
  'CaseSummary',
  Type.Object({
    id: Type.String(),
    title: Type.String(),
    codename: Type.String(),
    project: Type.String(),
    playbook: Type.String(),
    status: Type.String(),
    embargo: CaseSchema.properties.embargo,
    updatedAt: Type.String(),
    createdAt: Type.String(),
  }),
);

export const UserSchema = component(
  'User',
  Type.Object({
    id: Type.String(),
    username: Type.String(),
    displayName: Type.String(),
    role: stringEnum(['admin', 'member'] as const),
    createdAt: Type.String(),
    disabledAt: nullable(Type.String({ description: 'Set while the account is disabled: no sign-in, its sessions and tokens refused' })),
    githubLogin: Type.Optional(nullable(Type.String({ description: 'Their GitHub login, when on record (in user lists)' }))),
    projects: Type.Optional(
      Type.Array(Type.Object({ project: Type.String(), role: stringEnum(['admin', 'member'] as const) }), {
        description: 'The projects the user belongs to, with their role in each (in user lists)',
      }),
    ),
  }),
);

export const StepViewSchema = component(
  'StepView',
  Type.Object({
    id: Type.String(),
    number: Type.Integer(),
    title: Type.String(),
    phase: Type.String(),
    status: stringEnum(STEP_STATUSES),
    by: nullable(Type.String()),
    at: nullable(Type.String()),
    reason: nullable(Type.String()),
    guidance: Type.Array(Type.String()),
    skippable: Type.Boolean(),
    confirmations: Type.Array(Type.Object({ id: Type.String(), text: Type.String() })),
    confirmed: Type.Array(Type.String(), { description: 'Attestations given when the step was completed' }),
    unmet: Type.Array(Type.String(), { description: 'What still stands between an open step and done; empty for done or skipped steps' }),
  }),
);

export const EventSchema = component(
  'Event',
  Type.Object({
    seq: Type.Integer(),
    id: Type.String(),
    at: Type.String(),
    actor: Type.String(),
    action: Type.String(),
    caseId: nullable(Type.String()),
    details: Type.Unsafe<Record<string, unknown>>({ type: 'object', additionalProperties: true }),
    hash: Type.String(),
  }),
);

/** What a change answers to a token without the read scope (docs/security.md): which case, at which revision. */
export const CaseReceiptSchema = component(
  'CaseReceipt',
  Type.Object(
    {
      receipt: Type.Literal(true),
      id: Type.String({ description: 'The case changed' }),
      revision: Type.Integer({ description: 'Its revision after the change' }),
    },
    { description: "The answer of a change to a token that may not read the case: the case's details are withheld" },
  ),
);

/** A change's answer: the details for a caller that may read the case, else the receipt. */
export const orReceipt = <T extends TSchema>(schema: T) => Type.Union([schema, refTo(CaseReceiptSchema)]);

export const sharedSchemas: Component[] = [
  ErrorSchema,
  CaseComponent,
  CaseSummarySchema,
  UserSchema,
  StepViewSchema,
  EventSchema,
  CaseReceiptSchema,
];

export const caseIdParam = Type.Object({ caseId: CaseIdSchema });

/** Standard error responses, so the OpenAPI document lists them for every route. */
export const errorResponses = {
  400: refTo(ErrorSchema),
  401: refTo(ErrorSchema),
  403: refTo(ErrorSchema),
  404: refTo(ErrorSchema),
  409: refTo(ErrorSchema),
};

/** 204: no body (`null` for JSON Schema; statically nothing, so the handler sends none). */
export const noContent = { 204: Type.Unsafe<undefined>(Type.Null()), ...errorResponses };

/** A project id as a parameter, body or query field; the app answers an unknown one with the command that creates it. */
export const projectSlug = Type.String({ minLength: 1, maxLength: SLUG_MAX, description: 'A project id, e.g. contour' });
