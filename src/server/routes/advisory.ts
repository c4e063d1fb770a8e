/**
 * The case's GitHub advisory over the API: push (with dry run), CVE request, private fork, publish
 * (gated; admins may override with a reason), sync, import of private vulnerability reports, and the
 * record of verified release tags. Without a GitHub connection every action answers in manual mode:
 * the fields to paste and what to record afterwards.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { App } from '../../app/app.js';
import { advisoryStatus, createFork, pushAdvisory, requestCve, syncAdvisory } from '../../app/github-advisory.js';
import { GitHubFailure } from '../../app/github-errors.js';
import { importReports } from '../../app/github-import.js';
import { publicationCheck, publishAdvisory } from '../../app/github-publish.js';
import { recordVerifiedReleases } from '../../app/github-releases.js';
import { requireActor } from '../auth.js';
import { errorBody } from '../errors.js';
import { caseIdParam, errorResponses, nullable, ref, text } from '../schemas.js';

type CaseParams = { caseId: string };

/** GitHub's failures: 422 for a rejected body, 429 with the wait, 502 for everything else GitHub refused or dropped. */
export const githubErrorResponses = { ...errorResponses, 422: ref('Error'), 429: ref('Error'), 502: ref('Error') };

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

const manualSchema = {
  type: 'object',
  properties: {
    mode: { type: 'string' },
    action: { type: 'string' },
    where: { type: 'string' },
    fields: { type: 'array', items: { type: 'object', properties: { label: { type: 'string' }, value: { type: 'string' } } } },
    then: { type: 'array', items: { type: 'string' } },
    body: { type: 'object', additionalProperties: true },
    markdown: { type: 'string' },
  },
} as const;

const anyJson = { type: 'object', additionalProperties: true } as const;
const diffSchema = { type: 'array', items: { type: 'object', properties: { field: { type: 'string' }, from: {}, to: {} } } } as const;
const emptyBody = { type: 'object', additionalProperties: false, properties: {} } as const;

const advisoryParams = caseIdParam;
const nullableString = nullable({ type: 'string' });

/** A case's advisory action: its answer says in which mode it ran, and GitHub's failures are its errors. */
const actionSchema = (summary: string, properties: Record<string, unknown>, body: Record<string, unknown> = emptyBody) => ({
  summary,
  tags: ['advisory'],
  params: advisoryParams,
  body,
  response: { 200: { type: 'object', properties: { mode: { type: 'string' }, ...properties } }, ...githubErrorResponses },
});

export function advisoryRoutes(server: FastifyInstance, app: App): void {
  server.get<{ Params: CaseParams }>(
    '/api/v1/cases/:caseId/advisory',
    {
      schema: {
        summary:
          "Where the case's advisory stands (without asking GitHub): ids, state last seen, whether the case changed since the last push, CVE, fork",
        tags: ['advisory'],
        params: advisoryParams,
        response: {
          200: {
            type: 'object',
            properties: {
              mode: { type: 'string' },
              repository: nullableString,
              ghsaId: nullableString,
              remoteState: nullableString,
              lastPushedAt: nullableString,
              lastSyncedAt: nullableString,
              upToDate: nullable({ type: 'boolean' }),
              note: nullableString,
              cveId: nullableString,
              cveRequestedAt: nullableString,
              forkUrl: nullableString,
              publishedAt: nullableString,
            },
          },
          ...errorResponses,
        },
      },
    },
    async (request) => advisoryStatus(app, requireActor(request), request.params.caseId),
  );

  server.get<{ Params: CaseParams }>(
    '/api/v1/cases/:caseId/advisory/publication',
    {
      schema: {
        summary: 'Whether the advisory may be published now, and every condition that blocks it',
        tags: ['advisory'],
        params: advisoryParams,
        response: {
          200: {
            type: 'object',
            properties: { allowed: { type: 'boolean' }, blockers: { type: 'array', items: { type: 'string' } }, step: nullableString },
          },
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const { blockers, step } = await publicationCheck(app, requireActor(request), request.params.caseId);
      return { allowed: blockers.length === 0, blockers, step };
    },
  );

  server.post<{ Params: CaseParams; Body: { dryRun?: boolean } }>(
    '/api/v1/cases/:caseId/advisory/push',
    {
      // A dry run only reads; the push itself asks for the write scope (src/app/github-advisory.ts).
      config: { scope: 'read' },
      schema: actionSchema(
        'Create the GitHub advisory draft from the case, or update it; dryRun shows the body and the difference without sending',
        {
          dryRun: { type: 'boolean' },
          action: { type: 'string' },
          ghsaId: nullableString,
          body: anyJson,
          diff: diffSchema,
          case: ref('Case'),
          manual: manualSchema,
        },
        { type: 'object', additionalProperties: false, properties: { dryRun: { type: 'boolean' } } },
      ),
    },
    async (request, reply) =>
      viaGitHub(reply, () => pushAdvisory(app, requireActor(request), request.params.caseId, { dryRun: request.body?.dryRun === true })),
  );

  server.post<{ Params: CaseParams }>(
    '/api/v1/cases/:caseId/advisory/cve',
    {
      schema: actionSchema("Request a CVE id for the case's advisory and wait a little for GitHub to assign it", {
        status: { type: 'string' },
        cveId: nullableString,
        case: ref('Case'),
        manual: manualSchema,
      }),
    },
    async (request, reply) => viaGitHub(reply, () => requestCve(app, requireActor(request), request.params.caseId)),
  );

  server.post<{ Params: CaseParams }>(
    '/api/v1/cases/:caseId/advisory/fork',
    {
      schema: actionSchema("Create the advisory's temporary private fork and make the case's access list its collaborators", {
        fork: nullable({ type: 'object', properties: { fullName: nullableString, url: nullableString, ready: { type: 'boolean' } } }),
        collaborators: { type: 'array', items: { type: 'string' } },
        withoutLogin: { type: 'array', items: { type: 'string' } },
        case: ref('Case'),
        manual: manualSchema,
      }),
    },
    async (request, reply) => viaGitHub(reply, () => createFork(app, requireActor(request), request.params.caseId)),
  );

  server.post<{ Params: CaseParams; Body: { override?: boolean; reason?: string } }>(
    '/api/v1/cases/:caseId/advisory/publish',
    {
      schema: actionSchema(
        'Publish the advisory once every line is released and verified and the embargo is over; admins may override with a reason',
        {
          published: { type: 'boolean' },
          overridden: { type: 'boolean' },
          unmet: { type: 'array', items: { type: 'string' } },
          case: ref('Case'),
          manual: manualSchema,
        },
        { type: 'object', additionalProperties: false, properties: { override: { type: 'boolean' }, reason: text(2000, 0) } },
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

  server.post<{ Params: CaseParams }>(
    '/api/v1/cases/:caseId/advisory/sync',
    {
      schema: actionSchema('Read the advisory from GitHub (conditional on its ETag) and record what changed there: CVE id, publication', {
        notModified: { type: 'boolean' },
        changed: { type: 'array', items: { type: 'string' } },
        remoteState: nullableString,
        note: nullableString,
        case: ref('Case'),
      }),
    },
    async (request, reply) => viaGitHub(reply, () => syncAdvisory(app, requireActor(request), request.params.caseId)),
  );

  server.post<{ Body: { project: string } }>(
    '/api/v1/github/imports',
    {
      config: { auth: 'admin' },
      schema: {
        summary:
          "Import the project's private vulnerability reports (advisories in triage) as new cases; already imported ones are skipped",
        tags: ['advisory'],
        body: { type: 'object', additionalProperties: false, required: ['project'], properties: { project: text(64) } },
        response: {
          200: {
            type: 'object',
            properties: {
              imported: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: { ghsaId: { type: 'string' }, caseId: { type: 'string' }, title: { type: 'string' } },
                },
              },
              skipped: { type: 'array', items: { type: 'object', properties: { ghsaId: { type: 'string' }, caseId: { type: 'string' } } } },
              notModified: { type: 'boolean' },
            },
          },
          ...githubErrorResponses,
        },
      },
    },
    async (request, reply) => viaGitHub(reply, () => importReports(app, requireActor(request), request.body.project)),
  );

  server.post<{ Params: CaseParams; Body: { fixCommit: string; checks: { tag: string; contains: boolean }[] } }>(
    '/api/v1/cases/:caseId/release-verifications',
    {
      schema: {
        summary:
          'Record that release tags were checked to contain the fix (embargo plan verify --case); publication needs every line verified',
        tags: ['releases'],
        params: advisoryParams,
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['fixCommit', 'checks'],
          properties: {
            fixCommit: text(64),
            checks: {
              type: 'array',
              minItems: 1,
              maxItems: 32,
              items: {
                type: 'object',
                additionalProperties: false,
                required: ['tag', 'contains'],
                properties: { tag: text(128), contains: { type: 'boolean' } },
              },
            },
          },
        },
        response: { 200: ref('Case'), ...errorResponses },
      },
    },
    async (request) => recordVerifiedReleases(app, requireActor(request), request.params.caseId, request.body),
  );
}
