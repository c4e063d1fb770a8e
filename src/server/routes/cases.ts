import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { Type } from 'typebox';
import type { App } from '../../app/app.js';
import * as cases from '../../app/cases.js';
import { REASON_MAX, TAG_MAX, VERSION_MAX } from '../../domain/case/limits.js';
import {
  CaseEditSchema,
  EmbargoInputSchema,
  NewCaseSchema,
  ReleaseInputSchema,
  ReleasePlanInputSchema,
  ResolutionInputSchema,
} from '../../domain/case/schema.js';
import { requireActor } from '../auth.js';
import { ifMatch, ifMatchHeaders, withETag } from '../revision.js';
import {
  CaseComponent,
  CaseSummarySchema,
  caseIdParam,
  EventSchema,
  errorResponses,
  orReceipt,
  projectSlug,
  refTo,
  text,
} from '../schemas.js';

const caseResponse = { 200: refTo(CaseComponent), ...errorResponses };
/** A change's answer: the case, or the receipt for a token that may not read it. */
const changeResponse = { 200: orReceipt(refTo(CaseComponent)), ...errorResponses };

/** Sends JSON text as the answer as it is: a string with a JSON type skips the response serialiser. */
function sendJsonText(reply: FastifyReply, text: string): FastifyReply {
  return reply.type('application/json; charset=utf-8').send(text);
}

export function caseRoutes(fastify: FastifyInstance, app: App): void {
  const server = fastify.withTypeProvider<TypeBoxTypeProvider>();

  server.get(
    '/api/v1/cases',
    {
      schema: {
        summary: 'Cases you may see (admins: all; members: those on whose access list they are)',
        tags: ['cases'],
        querystring: Type.Object(
          {
            q: Type.Optional(text(200, 0)),
            project: Type.Optional(projectSlug),
            status: Type.Optional(text(64)),
            limit: Type.Optional(Type.String({ pattern: '^[0-9]{1,3}$' })),
            offset: Type.Optional(Type.String({ pattern: '^[0-9]{1,7}$' })),
            cursor: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_-]{1,400}$' })),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({ cases: Type.Array(refTo(CaseSummarySchema)), nextCursor: Type.Union([Type.String(), Type.Null()]) }),
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      const { q, project, status, limit, offset, cursor } = request.query;
      const page = await cases.listCasePage(app, requireActor(request), {
        q,
        project,
        status,
        limit: limit === undefined ? undefined : Math.min(Math.max(Number(limit), 1), cases.CASE_PAGE_MAX),
        offset: offset === undefined ? undefined : Number(offset),
        cursor,
      });
      // Each summary is already the JSON of a CaseSummary (the type this answer's schema is checked
      // against in test/server/schema-types.test.ts): written out as it is, not parsed and serialised again.
      return sendJsonText(reply, `{"cases":[${page.cases.join(',')}],"nextCursor":${JSON.stringify(page.nextCursor)}}`);
    },
  );

  server.post(
    '/api/v1/cases',
    {
      schema: {
        summary: 'Open a case for a newly reported vulnerability',
        tags: ['cases'],
        body: NewCaseSchema,
        response: { 201: orReceipt(refTo(CaseComponent)), ...errorResponses },
      },
    },
    async (request, reply) => {
      const created = await cases.createCase(app, requireActor(request), request.body);
      return reply.status(201).send(created);
    },
  );

  server.get(
    '/api/v1/cases/:caseId',
    {
      schema: {
        summary: 'A case with its embargoed details (the read is audited)',
        tags: ['cases'],
        params: caseIdParam,
        response: caseResponse,
      },
    },
    async (request, reply) => withETag(reply, await cases.showCase(app, requireActor(request), request.params.caseId)),
  );

  server.patch(
    '/api/v1/cases/:caseId',
    {
      schema: {
        summary:
          'Edit triage and advisory details: title, reporter and credit preference, GHSA/CVE ids, CVSS vectors, CWE ids, affected ranges, description, package, workarounds, references, credits, publication time',
        tags: ['cases'],
        params: caseIdParam,
        headers: ifMatchHeaders,
        body: CaseEditSchema,
        response: changeResponse,
      },
    },
    async (request, reply) =>
      withETag(reply, await cases.editCase(app, requireActor(request), request.params.caseId, request.body, ifMatch(request))),
  );

  server.put(
    '/api/v1/cases/:caseId/embargo',
    {
      schema: {
        summary: 'Set the agreed end of the embargo, in the time zone it was agreed in',
        tags: ['cases'],
        params: caseIdParam,
        headers: ifMatchHeaders,
        body: EmbargoInputSchema,
        response: changeResponse,
      },
    },
    async (request, reply) =>
      withETag(reply, await cases.setEmbargo(app, requireActor(request), request.params.caseId, request.body, ifMatch(request))),
  );

  server.post(
    '/api/v1/cases/:caseId/resolution',
    {
      schema: {
        summary:
          'Close a report without an advisory: rejected (not a vulnerability, out of scope, cannot reproduce), a duplicate of another case, or withdrawn by the reporter',
        tags: ['cases'],
        params: caseIdParam,
        headers: ifMatchHeaders,
        body: ResolutionInputSchema,
        response: changeResponse,
      },
    },
    async (request, reply) =>
      withETag(reply, await cases.resolveCase(app, requireActor(request), request.params.caseId, request.body, ifMatch(request))),
  );

  server.post(
    '/api/v1/cases/:caseId/reopen',
    {
      schema: {
        summary: "Reopen a report closed without an advisory (the project's admins); its steps are as they were",
        tags: ['cases'],
        params: caseIdParam,
        headers: ifMatchHeaders,
        body: Type.Object({ reason: text(REASON_MAX) }, { additionalProperties: false }),
        response: changeResponse,
      },
    },
    async (request, reply) =>
      withETag(reply, await cases.reopenCase(app, requireActor(request), request.params.caseId, request.body.reason, ifMatch(request))),
  );

  server.put(
    '/api/v1/cases/:caseId/release-plan',
    {
      schema: {
        summary: 'Set the supported lines that get a patch and the version of each',
        tags: ['releases'],
        params: caseIdParam,
        headers: ifMatchHeaders,
        body: ReleasePlanInputSchema,
        response: changeResponse,
      },
    },
    async (request, reply) =>
      withETag(reply, await cases.planRelease(app, requireActor(request), request.params.caseId, request.body.lines, ifMatch(request))),
  );

  server.post(
    '/api/v1/cases/:caseId/releases',
    {
      schema: {
        summary: "Record that a line's patch is released",
        tags: ['releases'],
        params: caseIdParam,
        headers: ifMatchHeaders,
        body: ReleaseInputSchema,
        response: changeResponse,
      },
    },
    async (request, reply) =>
      withETag(reply, await cases.recordRelease(app, requireActor(request), request.params.caseId, request.body, ifMatch(request))),
  );

  const lineParams = Type.Object({ caseId: caseIdParam.properties.caseId, line: Type.String({ pattern: '^\\d+\\.\\d+$', maxLength: 32 }) });

  server.post(
    '/api/v1/cases/:caseId/releases/:line/correction',
    {
      schema: {
        summary: "Correct a recorded release: the tag, or the version that really shipped; resets the line's verification",
        tags: ['releases'],
        params: lineParams,
        headers: ifMatchHeaders,
        body: Type.Object(
          {
            tag: Type.Optional(text(TAG_MAX)),
            version: Type.Optional(text(VERSION_MAX)),
            reason: text(REASON_MAX),
          },
          { additionalProperties: false },
        ),
        response: changeResponse,
      },
    },
    async (request, reply) =>
      withETag(
        reply,
        await cases.correctRelease(
          app,
          requireActor(request),
          request.params.caseId,
          { line: request.params.line, ...request.body },
          ifMatch(request),
        ),
      ),
  );

  server.post(
    '/api/v1/cases/:caseId/releases/:line/undo',
    {
      schema: {
        summary: 'Undo a recorded release (not released yet again), with the reason',
        tags: ['releases'],
        params: lineParams,
        headers: ifMatchHeaders,
        body: Type.Object({ reason: text(REASON_MAX) }, { additionalProperties: false }),
        response: changeResponse,
      },
    },
    async (request, reply) =>
      withETag(
        reply,
        await cases.undoRelease(
          app,
          requireActor(request),
          request.params.caseId,
          { line: request.params.line, reason: request.body.reason },
          ifMatch(request),
        ),
      ),
  );

  server.get(
    '/api/v1/cases/:caseId/events',
    {
      schema: {
        summary: "The case's audit trail (the read is audited)",
        tags: ['audit'],
        params: caseIdParam,
        querystring: Type.Object({ after: Type.Optional(Type.String({ pattern: '^[0-9]{1,12}$' })) }, { additionalProperties: false }),
        response: { 200: Type.Object({ events: Type.Array(refTo(EventSchema)) }), ...errorResponses },
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
