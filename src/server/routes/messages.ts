import type { FastifyInstance } from 'fastify';
import type { App } from '../../app/app.js';
import * as outbox from '../../app/outbox.js';
import { requireActor } from '../auth.js';
import { caseIdParam, errorResponses, nullable } from '../schemas.js';

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

const messageList = { 200: { type: 'object', properties: { messages: { type: 'array', items: message } } }, ...errorResponses };
const messageParams = {
  type: 'object',
  properties: { messageId: { type: 'string', format: 'uuid' } },
  required: ['messageId'],
} as const;
type MessageParams = { messageId: string };

/** The outbox as people see it: what was sent, what failed, and the copy / mark-as-sent path. */
export function messageRoutes(server: FastifyInstance, app: App): void {
  server.get<{ Params: { caseId: string } }>(
    '/api/v1/cases/:caseId/messages',
    { schema: { summary: "A case's messages and their delivery state (the read is audited)", tags: ['messages'], params: caseIdParam, response: messageList } },
    async (request) => ({ messages: await outbox.caseMessages(app, requireActor(request), request.params.caseId) }),
  );

  server.get(
    '/api/v1/messages/attention',
    { config: { auth: 'admin' }, schema: { summary: 'Failed messages and messages that may have been sent (admins)', tags: ['messages'], response: messageList } },
    async (request) => ({ messages: await outbox.messagesNeedingAttention(app, requireActor(request)) }),
  );

  server.post<{ Params: MessageParams }>(
    '/api/v1/messages/:messageId/retry',
    { schema: { summary: 'Queue a failed or unknown message again', tags: ['messages'], params: messageParams, response: { 200: message, ...errorResponses } } },
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
