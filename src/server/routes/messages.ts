import type { FastifyInstance } from 'fastify';
import type { App } from '../../app/app.js';
import * as messages from '../../app/messages.js';
import * as outbox from '../../app/outbox.js';
import { DomainError } from '../../domain/errors.js';
import { MESSAGE_KIND_IDS } from '../../domain/messages/types.js';
import { requireActor } from '../auth.js';
import { errorBody } from '../errors.js';
import { caseIdParam, errorResponses, nullable, ref, text } from '../schemas.js';

const message = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    caseId: nullable({ type: 'string' }),
    kind: { type: 'string' },
    from: { type: 'string' },
    to: { type: 'array', items: { type: 'string' } },
    cc: { type: 'array', items: { type: 'string' } },
    subject: { type: 'string' },
    body: { type: 'string' },
    messageId: { type: 'string' },
    status: { type: 'string' },
    attempts: { type: 'integer' },
    nextAttemptAt: { type: 'string' },
    lastError: nullable({ type: 'string' }),
    smtpResponse: nullable({ type: 'string' }),
    createdAt: { type: 'string' },
    createdBy: { type: 'string' },
    sentAt: nullable({ type: 'string' }),
    sentBy: nullable({ type: 'string' }),
  },
} as const;

const finding = {
  type: 'object',
  properties: {
    rule: { type: 'string' },
    severity: { type: 'string', enum: ['error', 'warning'] },
    message: { type: 'string' },
    part: { type: 'string', enum: ['subject', 'body', 'recipients'] },
    line: { type: 'integer' },
    column: { type: 'integer' },
  },
} as const;

const sendBody = {
  type: 'object',
  additionalProperties: false,
  required: ['kind'],
  properties: {
    kind: { type: 'string', enum: [...MESSAGE_KIND_IDS] },
    subject: text(998),
    body: text(100_000),
    to: { type: 'array', maxItems: 20, items: text(320) },
    via: {
      type: 'string',
      enum: ['smtp', 'copy'],
      description: "smtp (default): the worker sends it; copy: for a list's web interface, then mark it as sent",
    },
  },
} as const;
type SendBody = { kind: string; subject?: string; body?: string; to?: string[]; via?: 'smtp' | 'copy' };

const messageList = { 200: { type: 'object', properties: { messages: { type: 'array', items: message } } }, ...errorResponses };
const messageParams = {
  type: 'object',
  properties: { messageId: { type: 'string', format: 'uuid' } },
  required: ['messageId'],
} as const;
type MessageParams = { messageId: string };

/** The outbox as people see it: what was sent, what failed, and the copy / mark-as-sent path. */
export function messageRoutes(server: FastifyInstance, app: App): void {
  server.get<{ Params: { caseId: string }; Querystring: { kind?: string } }>(
    '/api/v1/cases/:caseId/messages/draft',
    {
      schema: {
        summary:
          "A mail of the checklist rendered from the playbook's template for this case, with its lint findings (the read is audited)",
        tags: ['messages'],
        params: caseIdParam,
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            kind: { ...text(64), description: `one of ${MESSAGE_KIND_IDS.join(', ')}; default: the mail the checklist waits for next` },
          },
        },
        response: {
          200: {
            type: 'object',
            properties: {
              message: {
                type: 'object',
                properties: {
                  kind: { type: 'string' },
                  audience: { type: 'string' },
                  from: nullable({ type: 'string' }),
                  to: { type: 'array', items: { type: 'string' } },
                  subject: { type: 'string' },
                  body: { type: 'string' },
                },
              },
              findings: { type: 'array', items: finding },
              ok: { type: 'boolean' },
            },
          },
          ...errorResponses,
        },
      },
    },
    async (request) => messages.draftMessage(app, requireActor(request), request.params.caseId, request.query.kind),
  );

  server.post<{ Params: { caseId: string }; Body: SendBody }>(
    '/api/v1/cases/:caseId/messages',
    {
      schema: {
        summary:
          'Lint and queue a mail of the checklist (the rendered template, or your edited text); 422 with the findings when the lint finds an error',
        tags: ['messages'],
        params: caseIdParam,
        body: sendBody,
        response: {
          200: { type: 'object', properties: { message, created: { type: 'boolean' }, findings: { type: 'array', items: finding } } },
          201: { type: 'object', properties: { message, created: { type: 'boolean' }, findings: { type: 'array', items: finding } } },
          422: ref('Error'),
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      const { kind, ...input } = request.body;
      try {
        const sent = await messages.sendMessage(app, requireActor(request), request.params.caseId, kind, input);
        // 201 for a new message; 200 when the same request had queued it already.
        return reply.status(sent.created ? 201 : 200).send(sent);
      } catch (err) {
        // The lint refused the text: the request was understood, its content is not sendable.
        if (err instanceof DomainError && err.code === 'gate_failed')
          return reply.status(422).send(errorBody(err.code, err.message, err.details));
        throw err;
      }
    },
  );

  server.get<{ Params: MessageParams }>(
    '/api/v1/messages/:messageId',
    {
      schema: {
        summary: 'One message with its text and delivery state (the read is audited)',
        tags: ['messages'],
        params: messageParams,
        response: { 200: message, ...errorResponses },
      },
    },
    async (request) => messages.showMessage(app, requireActor(request), request.params.messageId),
  );

  server.get<{ Params: { caseId: string } }>(
    '/api/v1/cases/:caseId/messages',
    {
      schema: {
        summary: "A case's messages and their delivery state (the read is audited)",
        tags: ['messages'],
        params: caseIdParam,
        response: messageList,
      },
    },
    async (request) => ({ messages: await outbox.caseMessages(app, requireActor(request), request.params.caseId) }),
  );

  server.get(
    '/api/v1/messages/attention',
    {
      config: { auth: 'admin' },
      schema: { summary: 'Failed messages and messages that may have been sent (admins)', tags: ['messages'], response: messageList },
    },
    async (request) => ({ messages: await outbox.messagesNeedingAttention(app, requireActor(request)) }),
  );

  server.post<{ Params: MessageParams }>(
    '/api/v1/messages/:messageId/retry',
    {
      schema: {
        summary: 'Queue a failed or unknown message again',
        tags: ['messages'],
        params: messageParams,
        response: { 200: message, ...errorResponses },
      },
    },
    async (request) => outbox.retryMessage(app, requireActor(request), request.params.messageId),
  );

  server.post<{ Params: MessageParams }>(
    '/api/v1/messages/:messageId/copy',
    {
      schema: {
        summary: "The exact text and addresses, for posting through a list's web interface; the worker will not send it",
        tags: ['messages'],
        params: messageParams,
        response: {
          200: {
            type: 'object',
            properties: {
              id: { type: 'string' },
              from: { type: 'string' },
              to: { type: 'array', items: { type: 'string' } },
              cc: { type: 'array', items: { type: 'string' } },
              subject: { type: 'string' },
              body: { type: 'string' },
            },
          },
          ...errorResponses,
        },
      },
    },
    async (request) => outbox.copyMessage(app, requireActor(request), request.params.messageId),
  );

  server.post<{ Params: MessageParams; Body: { at?: string } }>(
    '/api/v1/messages/:messageId/mark-sent',
    {
      schema: {
        summary: 'Record that you sent a copied message (or confirmed an unknown one): who and when',
        tags: ['messages'],
        params: messageParams,
        body: { type: 'object', additionalProperties: false, properties: { at: { type: 'string', format: 'date-time', maxLength: 40 } } },
        response: { 200: message, ...errorResponses },
      },
    },
    async (request) =>
      outbox.markSent(app, requireActor(request), request.params.messageId, request.body?.at ? { at: new Date(request.body.at) } : {}),
  );
}
