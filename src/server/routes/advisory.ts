/**
 * The case's GitHub advisory over the API: push (with dry run), CVE request, private fork, publish
 * (gated; admins may override with a reason), sync, import of private vulnerability reports, and the
 * record of verified release tags. Without a GitHub connection every action answers in manual mode:
 * the fields to paste and what to record afterwards.
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { type TSchema, Type } from 'typebox';
import type { App } from '../../app/app.js';
import { advisoryStatus, createFork, pushAdvisory, requestCve, syncAdvisory } from '../../app/github/advisory.js';
import { GitHubFailure } from '../../app/github/errors.js';
import { importReports } from '../../app/github/import.js';
import { publicationCheck, publishAdvisory } from '../../app/github/publish.js';
import { recordVerifiedReleases } from '../../app/github/releases.js';
import { requireActor } from '../auth.js';
import { errorBody } from '../errors.js';
import { MAX_OVERRIDE_REASON } from '../../domain/case/index.js';
import { COMMIT_MAX, SLUG_MAX, TAG_MAX, VERIFIED_TAGS_MAX } from '../../domain/case/limits.js';
import { CaseComponent, caseIdParam, ErrorSchema, errorResponses, nullable, orReceipt, refTo, stringEnum, text } from '../schemas.js';

/** GitHub's failures: 422 for a rejected body, 429 with the wait, 502 for everything else GitHub refused or dropped. */
export const githubErrorResponses = { ...errorResponses, 422: refTo(ErrorSchema), 429: refTo(ErrorSchema), 502: refTo(ErrorSchema) };

/** Answers a GitHubFailure with its status and sentence; anything else goes to the usual error handler. */
export async function viaGitHub<T>(reply: FastifyReply, run: () => Promise<T>): Promise<T | FastifyReply> {
  try {
    return await run();
  } catch (err) {
    if (!(err instanceof GitHubFailure)) throw err;
    if (err.retryAfterSeconds !== null) void reply.header('retry-after', String(err.retryAfterSeconds));
    return reply.status(err.httpStatus).send(errorBody(err.code, err.message, err.details));
  }
}

const MODES = ['github', 'manual'] as const;
const mode = stringEnum(MODES, { description: 'github: done through the API; manual: no connection, the answer says what to do by hand' });

/** GitHub's advisory request body (the GHSA export); its shape is GitHub's, documented there. */
const ghsaBody = Type.Unsafe<object>({
  type: 'object',
  additionalProperties: true,
  description: "GitHub's create/update repository advisory body",
});

/** Without a GitHub connection: the fields to paste into GitHub's form and what to record afterwards. */
const manualSchema = Type.Object({
  mode: Type.Literal('manual'),
  action: stringEnum(['push', 'request-cve', 'fork', 'publish'] as const),
  where: Type.String({ description: 'The GitHub page to open' }),
  fields: Type.Array(Type.Object({ label: Type.String(), value: Type.String() })),
  then: Type.Array(Type.String(), { description: 'What to record in Embargo afterwards' }),
  body: Type.Optional(ghsaBody),
  markdown: Type.Optional(Type.String()),
});

// from/to are any JSON value, and absent when the field is missing on that side.
const diffSchema = Type.Array(
  Type.Object({ field: Type.String(), from: Type.Optional(Type.Unknown()), to: Type.Optional(Type.Unknown()) }),
);
const emptyBody = Type.Object({}, { additionalProperties: false });

const advisoryParams = caseIdParam;
const nullableString = nullable(Type.String());

/** A case's advisory action: its answer says in which mode it ran, and GitHub's failures are its errors. */
const actionSchema = <P extends Record<string, TSchema>, B extends TSchema = typeof emptyBody>(
  summary: string,
  properties: P,
  body?: B,
) => ({
  summary,
  tags: ['advisory'],
  params: advisoryParams,
  body: (body ?? emptyBody) as B,
  response: { 200: Type.Object({ mode, ...properties }), ...githubErrorResponses },
});

export function advisoryRoutes(fastify: FastifyInstance, app: App): void {
  const server = fastify.withTypeProvider<TypeBoxTypeProvider>();

  server.get(
    '/api/v1/cases/:caseId/advisory',
    {
      schema: {
        summary:
          "Where the case's advisory stands (without asking GitHub): ids, state last seen, whether the case changed since the last push, CVE, fork",
        tags: ['advisory'],
        params: advisoryParams,
        response: {
          200: Type.Object({
            mode,
            repository: nullableString,
            ghsaId: nullableString,
            remoteState: nullableString,
            lastPushedAt: nullableString,
            lastSyncedAt: nullableString,
            upToDate: nullable(Type.Boolean({ description: 'Whether the case changed since the last push; null before one' })),
            note: nullableString,
            cveId: nullableString,
            cveRequestedAt: nullableString,
            forkUrl: nullableString,
            publishedAt: nullableString,
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => advisoryStatus(app, requireActor(request), request.params.caseId),
  );

  server.get(
    '/api/v1/cases/:caseId/advisory/publication',
    {
      schema: {
        summary: 'Whether the advisory may be published now, and every condition that blocks it',
        tags: ['advisory'],
        params: advisoryParams,
        response: {
          200: Type.Object({ allowed: Type.Boolean(), blockers: Type.Array(Type.String()), step: nullableString }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const { blockers, step } = await publicationCheck(app, requireActor(request), request.params.caseId);
      return { allowed: blockers.length === 0, blockers, step };
    },
  );

  server.post(
    '/api/v1/cases/:caseId/advisory/push',
    {
      // A dry run only reads; the push itself asks for the write scope (src/app/github/advisory.ts).
      config: { scope: 'read' },
      schema: actionSchema(
        'Create the GitHub advisory draft from the case, or update it; dryRun shows the body and the difference without sending',
        {
          dryRun: Type.Boolean(),
          action: stringEnum(['create', 'update', 'none'] as const),
          ghsaId: nullableString,
          body: ghsaBody,
          diff: diffSchema,
          case: refTo(CaseComponent),
          manual: Type.Optional(manualSchema),
          cvss: nullable(
            Type.Object(
              { vector: Type.String(), version: Type.String(), why: Type.String() },
              { description: 'The CVSS vector sent as cvss_vector_string (the version the playbook prefers), and why; null without one' },
            ),
          ),
        },
        Type.Object({ dryRun: Type.Optional(Type.Boolean()) }, { additionalProperties: false }),
      ),
    },
    async (request, reply) =>
      viaGitHub(reply, () => pushAdvisory(app, requireActor(request), request.params.caseId, { dryRun: request.body?.dryRun === true })),
  );

  server.post(
    '/api/v1/cases/:caseId/advisory/cve',
    {
      schema: actionSchema("Request a CVE id for the case's advisory and wait a little for GitHub to assign it", {
        status: stringEnum(['assigned', 'requested'] as const),
        cveId: nullableString,
        case: refTo(CaseComponent),
        manual: Type.Optional(manualSchema),
      }),
    },
    async (request, reply) => viaGitHub(reply, () => requestCve(app, requireActor(request), request.params.caseId)),
  );

  server.post(
    '/api/v1/cases/:caseId/advisory/fork',
    {
      schema: actionSchema("Create the advisory's temporary private fork and make the case's access list its collaborators", {
        fork: nullable(Type.Object({ fullName: nullableString, url: nullableString, ready: Type.Boolean() })),
        collaborators: Type.Array(Type.String()),
        withoutLogin: Type.Array(Type.String(), { description: 'People on the access list without a GitHub login' }),
        case: refTo(CaseComponent),
        manual: Type.Optional(manualSchema),
      }),
    },
    async (request, reply) => viaGitHub(reply, () => createFork(app, requireActor(request), request.params.caseId)),
  );

  server.post(
    '/api/v1/cases/:caseId/advisory/publish',
    {
      schema: actionSchema(
        'Publish the advisory once every line is released and verified and the embargo is over; admins may override with a reason',
        {
          published: Type.Boolean(),
          overridden: Type.Boolean(),
          unmet: Type.Array(Type.String()),
          case: refTo(CaseComponent),
          manual: Type.Optional(manualSchema),
        },
        Type.Object(
          { override: Type.Optional(Type.Boolean()), reason: Type.Optional(text(MAX_OVERRIDE_REASON, 0)) },
          { additionalProperties: false },
        ),
      ),
    },
    async (request, reply) =>
      viaGitHub(reply, () =>
        publishAdvisory(app, requireActor(request), request.params.caseId, {
          override: request.body?.override,
          reason: request.body?.reason,
        }),
      ),
  );

  server.post(
    '/api/v1/cases/:caseId/advisory/sync',
    {
      schema: actionSchema('Read the advisory from GitHub (conditional on its ETag) and record what changed there: CVE id, publication', {
        notModified: Type.Boolean(),
        changed: Type.Array(Type.String()),
        remoteState: nullableString,
        note: nullableString,
        case: refTo(CaseComponent),
      }),
    },
    async (request, reply) => viaGitHub(reply, () => syncAdvisory(app, requireActor(request), request.params.caseId)),
  );

  server.post(
    '/api/v1/github/imports',
    {
      schema: {
        summary:
          "Import the project's private vulnerability reports (advisories in triage) as new cases; already imported ones are skipped",
        tags: ['advisory'],
        body: Type.Object(
          { project: Type.Optional(text(SLUG_MAX, 1, { description: 'The project; default: the only one the caller belongs to' })) },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            imported: Type.Array(Type.Object({ ghsaId: Type.String(), caseId: Type.String(), title: Type.String() })),
            skipped: Type.Array(Type.Object({ ghsaId: Type.String(), caseId: Type.String() })),
            notModified: Type.Boolean(),
          }),
          ...githubErrorResponses,
        },
      },
    },
    async (request, reply) => viaGitHub(reply, () => importReports(app, requireActor(request), request.body.project)),
  );

  server.post(
    '/api/v1/cases/:caseId/release-verifications',
    {
      schema: {
        summary:
          'Record that release tags were checked to contain the fix (embargo plan verify --case); publication needs every line verified',
        tags: ['releases'],
        params: advisoryParams,
        body: Type.Object(
          {
            fixCommit: text(COMMIT_MAX),
            checks: Type.Array(Type.Object({ tag: text(TAG_MAX), contains: Type.Boolean() }, { additionalProperties: false }), {
              minItems: 1,
              maxItems: VERIFIED_TAGS_MAX,
            }),
          },
          { additionalProperties: false },
        ),
        response: { 200: orReceipt(refTo(CaseComponent)), ...errorResponses },
      },
    },
    async (request) => recordVerifiedReleases(app, requireActor(request), request.params.caseId, request.body),
  );
}
