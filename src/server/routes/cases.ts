import type { FastifyInstance } from 'fastify';
import type { App } from '../../app/app.js';
import type { CaseEdit } from '../../domain/case/index.js';
import * as cases from '../../app/cases.js';
import { requireActor } from '../auth.js';
import { caseIdParam, creditSchema, errorResponses, nullable, packageInput, ref, reporterInput, text } from '../schemas.js';
import { presentCaseSummary } from '../presenters.js';
import { ifMatch, withETag } from '../revision.js';

type CaseParams = { caseId: string };

export function caseRoutes(server: FastifyInstance, app: App): void {
  server.get<{ Querystring: { q?: string; status?: string; limit?: string; offset?: string; cursor?: string } }>(
    '/api/v1/cases',
    {
      schema: {
        summary: 'Cases you may see (admins: all; members: those on whose access list they are)',
        tags: ['cases'],
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            q: text(200, 0),
            status: text(64),
            limit: { type: 'string', pattern: '^[0-9]{1,3}$' },
            offset: { type: 'string', pattern: '^[0-9]{1,7}$' },
            cursor: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,400}$' },
          },
        },
        response: {
          200: {
            type: 'object',
            properties: { cases: { type: 'array', items: ref('CaseSummary') }, nextCursor: nullable({ type: 'string' }) },
          },
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const { q, status, limit, offset, cursor } = request.query;
      const page = await cases.listCasePage(app, requireActor(request), {
        q,
        status,
        limit: limit === undefined ? undefined : Math.min(Math.max(Number(limit), 1), cases.CASE_PAGE_MAX),
        offset: offset === undefined ? undefined : Number(offset),
        cursor,
      });
      return { cases: page.cases.map(presentCaseSummary), nextCursor: page.nextCursor };
    },
  );

  server.post<{ Body: { title: string; project?: string; playbook?: string; reporter?: unknown } }>(
    '/api/v1/cases',
    {
      schema: {
        summary: 'Open a case for a newly reported vulnerability',
        tags: ['cases'],
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['title'],
          properties: { title: text(200), project: text(64), playbook: text(64), reporter: reporterInput },
        },
        response: { 201: ref('Case'), ...errorResponses },
      },
    },
    async (request, reply) => {
      const created = await cases.createCase(app, requireActor(request), request.body);
      return reply.status(201).send(created);
    },
  );

  server.get<{ Params: CaseParams }>(
    '/api/v1/cases/:caseId',
    {
      schema: {
        summary: 'A case with its embargoed details (the read is audited)',
        tags: ['cases'],
        params: caseIdParam,
        response: { 200: ref('Case'), ...errorResponses },
      },
    },
    async (request, reply) => withETag(reply, await cases.showCase(app, requireActor(request), request.params.caseId)),
  );

  server.patch<{ Params: CaseParams; Body: CaseEdit }>(
    '/api/v1/cases/:caseId',
    {
      schema: {
        summary:
          'Edit triage and advisory details: title, reporter and credit preference, GHSA/CVE ids, CVSS vectors, CWE ids, affected ranges, description, package, workarounds, references, credits, publication time',
        tags: ['cases'],
        params: caseIdParam,
        body: {
          type: 'object',
          additionalProperties: false,
          minProperties: 1,
          properties: {
            title: text(200),
            reporter: reporterInput,
            ghsaId: nullable(text(64)),
            cveId: nullable(text(64)),
            cvss: nullable({ type: 'array', maxItems: 8, items: text(256) }),
            cwe: nullable({ type: 'array', maxItems: 8, items: text(16) }),
            affected: nullable({
              type: 'array',
              maxItems: 32,
              items: {
                type: 'object',
                additionalProperties: false,
                required: ['introduced'],
                properties: { introduced: text(64), fixed: nullable(text(64)) },
              },
            }),
            description: nullable(text(20_000, 0)),
            package: packageInput,
            workarounds: nullable(text(10_000, 0)),
            references: nullable({ type: 'array', maxItems: 64, items: text(2048) }),
            credits: nullable({ type: 'array', maxItems: 32, items: creditSchema }),
            publishedAt: nullable(text(64)),
            forkUrl: nullable(text(2048, 0)),
          },
        },
        response: { 200: ref('Case'), ...errorResponses },
      },
    },
    async (request, reply) =>
      withETag(reply, await cases.editCase(app, requireActor(request), request.params.caseId, request.body, ifMatch(request))),
  );

  server.put<{ Params: CaseParams; Body: { endsAt: string; timeZone: string } }>(
    '/api/v1/cases/:caseId/embargo',
    {
      schema: {
        summary: 'Set the agreed end of the embargo, in the time zone it was agreed in',
        tags: ['cases'],
        params: caseIdParam,
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['endsAt', 'timeZone'],
          properties: { endsAt: text(64), timeZone: text(64) },
        },
        response: { 200: ref('Case'), ...errorResponses },
      },
    },
    async (request, reply) =>
      withETag(reply, await cases.setEmbargo(app, requireActor(request), request.params.caseId, request.body, ifMatch(request))),
  );

  server.put<{ Params: CaseParams; Body: { lines: { line: string; version: string }[] } }>(
    '/api/v1/cases/:caseId/release-plan',
    {
      schema: {
        summary: 'Set the supported lines that get a patch and the version of each',
        tags: ['releases'],
        params: caseIdParam,
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['lines'],
          properties: {
            lines: {
              type: 'array',
              minItems: 1,
              maxItems: 32,
              items: {
                type: 'object',
                additionalProperties: false,
                required: ['line', 'version'],
                properties: { line: text(32), version: text(64) },
              },
            },
          },
        },
        response: { 200: ref('Case'), ...errorResponses },
      },
    },
    async (request, reply) =>
      withETag(reply, await cases.planRelease(app, requireActor(request), request.params.caseId, request.body.lines, ifMatch(request))),
  );

  server.post<{ Params: CaseParams; Body: { line: string; tag?: string } }>(
    '/api/v1/cases/:caseId/releases',
    {
      schema: {
        summary: "Record that a line's patch is released",
        tags: ['releases'],
        params: caseIdParam,
        body: { type: 'object', additionalProperties: false, required: ['line'], properties: { line: text(32), tag: text(128) } },
        response: { 200: ref('Case'), ...errorResponses },
      },
    },
    async (request, reply) =>
      withETag(reply, await cases.recordRelease(app, requireActor(request), request.params.caseId, request.body, ifMatch(request))),
  );

  server.get<{ Params: CaseParams; Querystring: { after?: string } }>(
    '/api/v1/cases/:caseId/events',
    {
      schema: {
        summary: "The case's audit trail (the read is audited)",
        tags: ['audit'],
        params: caseIdParam,
        querystring: { type: 'object', additionalProperties: false, properties: { after: { type: 'string', pattern: '^[0-9]{1,12}$' } } },
        response: { 200: { type: 'object', properties: { events: { type: 'array', items: ref('Event') } } }, ...errorResponses },
      },
    },
    async (request) => ({
      events: await cases.caseEvents(
        app,
        requireActor(request),
        request.params.caseId,
        request.query.after === undefined ? undefined : Number(request.query.after),
      ),
    }),
  );
}
