/**
 * The reporter portal over HTTP. The team issues and revokes a case's link and reads the replies
 * (signed in, need-to-know as for the case). The reporter's routes are public: the secret travels
 * in the `x-portal-token` header, never in an API URL, and is checked in src/app/portal.ts. The page
 * itself lives at /portal/<secret> (that is the link), so request logs rewrite such URLs.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { App } from '../../app/app.js';
import * as portal from '../../app/portal.js';
import { CREDIT_PREFERENCES } from '../../domain/case/types.js';
import { DomainError } from '../../domain/errors.js';
import { requireActor } from '../auth.js';
import { caseIdParam, errorResponses, nullable, text } from '../schemas.js';

export const PORTAL_TOKEN_HEADER = 'x-portal-token';

/** Any portal secret in a URL, for log lines: `/portal/rpt_…` becomes `/portal/rpt_[redacted]`. */
export function redactPortalSecrets(url: string): string {
  return url.replace(/rpt_[A-Za-z0-9_%-]*/g, 'rpt_[redacted]');
}

type CaseParams = { caseId: string };

const portalHeaders = {
  type: 'object',
  properties: { [PORTAL_TOKEN_HEADER]: { type: 'string', maxLength: 200, description: 'The secret part of the portal link (rpt_…)' } },
} as const;

const reply = {
  type: 'object',
  properties: { id: { type: 'string' }, body: { type: 'string' }, at: { type: 'string' } },
} as const;

const reporterView = {
  type: 'object',
  properties: { name: { type: 'string' }, company: nullable({ type: 'string' }), credit: { type: 'string' } },
} as const;

const portalViewSchema = {
  type: 'object',
  properties: {
    case: {
      type: 'object',
      properties: {
        reference: { type: 'string' },
        title: { type: 'string' },
        description: { type: 'string' },
        phase: { type: 'string' },
        status: { type: 'string' },
        published: { type: 'boolean' },
      },
    },
    disclosure: nullable({
      type: 'object',
      properties: {
        at: { type: 'string' },
        timeZone: { type: 'string' },
        local: { type: 'string' },
        agreed: { type: 'boolean', description: 'false: proposed, not agreed yet' },
      },
    }),
    reporter: reporterView,
    creditChoices: { type: 'array', items: { type: 'object', properties: { value: { type: 'string' }, label: { type: 'string' } } } },
    messages: {
      type: 'array',
      items: {
        type: 'object',
        properties: { subject: { type: 'string' }, body: { type: 'string' }, sentAt: nullable({ type: 'string' }) },
      },
    },
    replies: { type: 'array', items: reply },
    link: { type: 'object', properties: { expiresAt: nullable({ type: 'string' }) } },
    limits: { type: 'object', properties: { replyCharacters: { type: 'integer' } } },
  },
} as const;

const issuedLink = {
  type: 'object',
  properties: {
    caseId: { type: 'string' },
    url: { type: 'string', description: 'The whole link; shown in this response only' },
    createdAt: { type: 'string' },
    expiresAt: nullable({ type: 'string' }),
    replaced: { type: 'integer' },
  },
} as const;

const tokenOf = (request: FastifyRequest): unknown => request.headers[PORTAL_TOKEN_HEADER];

/** What the reporter sees is theirs alone: no shared cache keeps it. */
const private_ = (reply: FastifyReply) => reply.header('cache-control', 'no-store');

export function portalRoutes(server: FastifyInstance, app: App, options: { portalPerMinute: number }): void {
  const limited = { max: options.portalPerMinute, timeWindow: 60_000 };

  // --- The team's side ---

  server.post<{ Params: CaseParams; Body: { expiresInDays?: number | null } }>(
    '/api/v1/cases/:caseId/portal-link',
    {
      schema: {
        summary: "Issue the reporter's portal link (the previous one stops working); the URL is in this response only",
        tags: ['portal'],
        params: caseIdParam,
        body: {
          type: 'object',
          additionalProperties: false,
          properties: { expiresInDays: nullable({ type: 'integer', minimum: 1, maximum: portal.MAX_LINK_DAYS }) },
        },
        response: { 201: issuedLink, ...errorResponses },
      },
    },
    async (request, reply) => {
      const issued = await portal.createPortalLink(app, requireActor(request), request.params.caseId, {
        expiresInDays: request.body?.expiresInDays ?? null,
      });
      return private_(reply).status(201).send(issued);
    },
  );

  server.delete<{ Params: CaseParams }>(
    '/api/v1/cases/:caseId/portal-link',
    {
      schema: {
        summary: "Revoke the reporter's portal link",
        tags: ['portal'],
        params: caseIdParam,
        response: { 200: { type: 'object', properties: { caseId: { type: 'string' }, revoked: { type: 'boolean' } } }, ...errorResponses },
      },
    },
    async (request) => portal.revokePortalLink(app, requireActor(request), request.params.caseId),
  );

  server.get<{ Params: CaseParams }>(
    '/api/v1/cases/:caseId/replies',
    {
      schema: {
        summary: 'What the reporter wrote through the portal (the read is audited)',
        tags: ['portal'],
        params: caseIdParam,
        response: { 200: { type: 'object', properties: { replies: { type: 'array', items: reply } } }, ...errorResponses },
      },
    },
    async (request) => ({ replies: await portal.caseReplies(app, requireActor(request), request.params.caseId) }),
  );

  // --- The reporter's side (public; the secret is the credential) ---

  server.get(
    '/api/v1/portal',
    {
      config: { auth: 'public', rateLimit: limited },
      schema: {
        summary: "The reporter's view of their case: status, disclosure date, messages to them, their replies (the read is audited)",
        tags: ['portal'],
        headers: portalHeaders,
        security: [],
        response: { 200: portalViewSchema, ...errorResponses },
      },
    },
    async (request, reply) => private_(reply).send(await portal.portalView(app, tokenOf(request))),
  );

  server.post<{ Body: { body: string } }>(
    '/api/v1/portal/replies',
    {
      config: { auth: 'public', rateLimit: limited },
      bodyLimit: 64 * 1024,
      schema: {
        summary: 'The reporter writes to the security team',
        tags: ['portal'],
        headers: portalHeaders,
        security: [],
        body: { type: 'object', additionalProperties: false, required: ['body'], properties: { body: text(portal.REPLY_MAX) } },
        response: { 201: reply, ...errorResponses },
      },
    },
    async (request, reply) =>
      private_(reply)
        .status(201)
        .send(await portal.portalReply(app, tokenOf(request), request.body.body)),
  );

  server.put<{ Body: { credit: string } }>(
    '/api/v1/portal/credit',
    {
      config: { auth: 'public', rateLimit: limited },
      schema: {
        summary: 'The reporter chooses how they are credited in the advisory',
        tags: ['portal'],
        headers: portalHeaders,
        security: [],
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['credit'],
          properties: { credit: { type: 'string', enum: [...CREDIT_PREFERENCES] } },
        },
        response: { 200: reporterView, ...errorResponses },
      },
    },
    async (request, reply) => private_(reply).send(await portal.portalSetCredit(app, tokenOf(request), request.body.credit)),
  );

  // The page the link opens. It shows nothing by itself: its script reads the secret from the
  // address and asks /api/v1/portal with it in a header, where the read is audited.
  let page: Promise<string> | undefined;
  server.get<{ Params: { secret: string } }>(
    '/portal/:secret',
    {
      config: { auth: 'public', rateLimit: limited },
      schema: { hide: true, params: { type: 'object', properties: { secret: { type: 'string', maxLength: 100 } }, required: ['secret'] } },
    },
    async (request, reply) => {
      page ??= readFile(fileURLToPath(new URL('../../../web/portal.html', import.meta.url)), 'utf8');
      const active = await portal.portalLinkIsActive(app, request.params.secret);
      private_(reply);
      if (active) return reply.type('text/html; charset=utf-8').send(await page);
      // A browser gets the page (its script shows the sentence); anything else the JSON error.
      if ((request.headers.accept ?? '').includes('text/html'))
        return reply
          .status(404)
          .type('text/html; charset=utf-8')
          .send(await page);
      throw new DomainError('not_found', portal.PORTAL_NOT_FOUND);
    },
  );
}
