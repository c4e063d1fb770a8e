/**
 * The reporter portal over HTTP. The team issues and revokes a case's link and reads the replies
 * (signed in, need-to-know as for the case). The reporter's routes are public: the secret travels
 * in the `x-portal-token` header, never in an API URL, and is checked in src/app/portal.ts. The page
 * itself lives at /portal/<secret> (that is the link), so request logs rewrite such URLs.
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { App } from '../../app/app.js';
import * as portal from '../../app/portal.js';
import { Type } from 'typebox';
import { CreditPreferenceSchema } from '../../domain/case/schema.js';
import { DomainError } from '../../domain/errors.js';
import { requireActor } from '../auth.js';
import { caseIdParam, errorResponses, nullable, orReceipt, text } from '../schemas.js';

export const PORTAL_TOKEN_HEADER = 'x-portal-token';

/** Any portal secret in a URL, for log lines: `/portal/rpt_…` becomes `/portal/rpt_[redacted]`. */
export function redactPortalSecrets(url: string): string {
  return url.replace(/rpt_[A-Za-z0-9_%-]*/g, 'rpt_[redacted]');
}

const portalHeaders = Type.Object({
  [PORTAL_TOKEN_HEADER]: Type.Optional(Type.String({ maxLength: 200, description: 'The secret part of the portal link (rpt_…)' })),
});

const reply = Type.Object({ id: Type.String(), body: Type.String(), at: Type.String() });

const reporterView = Type.Object({ name: Type.String(), company: nullable(Type.String()), credit: CreditPreferenceSchema });

const portalViewSchema = Type.Object({
  case: Type.Object({
    reference: Type.String({ description: 'The case id: the reference the reporter quotes' }),
    title: Type.String({ description: "The report's title as the reporter gave it" }),
    description: Type.String({ description: 'The text of the report as the reporter sent it ("" when the team opened the case by hand)' }),
    phase: Type.String(),
    status: Type.String({ description: 'The phase in a sentence' }),
    published: Type.Boolean(),
  }),
  disclosure: nullable(
    Type.Object(
      {
        at: Type.String(),
        timeZone: Type.String(),
        local: Type.String(),
        agreed: Type.Boolean({ description: 'false: proposed, not agreed yet' }),
      },
      { description: 'The disclosure date with the time zone it was set in; null until the team proposes one' },
    ),
  ),
  reporter: reporterView,
  creditChoices: Type.Array(Type.Object({ value: CreditPreferenceSchema, label: Type.String() })),
  messages: Type.Array(Type.Object({ subject: Type.String(), body: Type.String(), sentAt: nullable(Type.String()) })),
  replies: Type.Array(reply),
  link: Type.Object({ expiresAt: nullable(Type.String()) }),
  limits: Type.Object({ replyCharacters: Type.Integer() }),
});

const issuedLink = Type.Object({
  caseId: Type.String(),
  url: Type.String({ description: 'The whole link; shown in this response only' }),
  createdAt: Type.String(),
  expiresAt: nullable(Type.String()),
  replaced: Type.Integer({ description: 'How many earlier links this one replaced (they no longer work)' }),
});

const tokenOf = (request: FastifyRequest): unknown => request.headers[PORTAL_TOKEN_HEADER];

/** What the reporter sees is theirs alone: no shared cache keeps it. */

export function portalRoutes(fastify: FastifyInstance, app: App, options: { portalPerMinute: number }): void {
  const server = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const limited = { max: options.portalPerMinute, timeWindow: 60_000 };

  // --- The team's side ---

  server.post(
    '/api/v1/cases/:caseId/portal-link',
    {
      schema: {
        summary: "Issue the reporter's portal link (the previous one stops working); the URL is in this response only",
        tags: ['portal'],
        params: caseIdParam,
        body: Type.Object(
          { expiresInDays: Type.Optional(nullable(Type.Integer({ minimum: 1, maximum: portal.MAX_LINK_DAYS }))) },
          { additionalProperties: false },
        ),
        response: { 201: orReceipt(issuedLink), ...errorResponses },
      },
    },
    async (request, reply) => {
      const issued = await portal.createPortalLink(app, requireActor(request), request.params.caseId, {
        expiresInDays: request.body?.expiresInDays ?? null,
      });
      return reply.status(201).send(issued);
    },
  );

  server.delete(
    '/api/v1/cases/:caseId/portal-link',
    {
      schema: {
        summary: "Revoke the reporter's portal link",
        tags: ['portal'],
        params: caseIdParam,
        response: { 200: orReceipt(Type.Object({ caseId: Type.String(), revoked: Type.Boolean() })), ...errorResponses },
      },
    },
    async (request) => portal.revokePortalLink(app, requireActor(request), request.params.caseId),
  );

  server.get(
    '/api/v1/cases/:caseId/replies',
    {
      schema: {
        summary: 'What the reporter wrote through the portal (the read is audited)',
        tags: ['portal'],
        params: caseIdParam,
        response: { 200: Type.Object({ replies: Type.Array(reply) }), ...errorResponses },
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
    async (request, reply) => reply.send(await portal.portalView(app, tokenOf(request))),
  );

  server.post(
    '/api/v1/portal/replies',
    {
      config: { auth: 'public', rateLimit: limited },
      bodyLimit: 64 * 1024,
      schema: {
        summary: 'The reporter writes to the security team',
        tags: ['portal'],
        headers: portalHeaders,
        security: [],
        body: Type.Object({ body: text(portal.REPLY_MAX) }, { additionalProperties: false }),
        response: { 201: reply, ...errorResponses },
      },
    },
    async (request, reply) => reply.status(201).send(await portal.portalReply(app, tokenOf(request), request.body.body)),
  );

  server.put(
    '/api/v1/portal/credit',
    {
      config: { auth: 'public', rateLimit: limited },
      schema: {
        summary: 'The reporter chooses how they are credited in the advisory',
        tags: ['portal'],
        headers: portalHeaders,
        security: [],
        body: Type.Object({ credit: CreditPreferenceSchema }, { additionalProperties: false }),
        response: { 200: reporterView, ...errorResponses },
      },
    },
    async (request, reply) => reply.send(await portal.portalSetCredit(app, tokenOf(request), request.body.credit)),
  );

  // The page the link opens. It shows nothing by itself: its script reads the secret from the
  // address and asks /api/v1/portal with it in a header, where the read is audited.
  let page: Promise<string> | undefined;
  server.get(
    '/portal/:secret',
    {
      config: { auth: 'public', rateLimit: limited },
      schema: { hide: true, params: Type.Object({ secret: Type.String({ maxLength: 100 }) }) },
    },
    async (request, reply) => {
      page ??= readFile(fileURLToPath(new URL('../../../web/portal.html', import.meta.url)), 'utf8');
      const active = await portal.portalLinkIsActive(app, request.params.secret);
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
