import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { App } from '../../app/app.js';
import * as messages from '../../app/messages.js';
import * as outbox from '../../app/outbox.js';
import { CASE_MESSAGE_STATUSES } from '../../domain/case/schema.js';
import { CONTACT_MAX } from '../../domain/case/limits.js';
import { DomainError } from '../../domain/errors.js';
import { MESSAGE_KIND_IDS } from '../../domain/messages/types.js';
import { requireActor } from '../auth.js';
import { errorBody } from '../errors.js';
import { isReceipt } from '../../app/unit-of-work.js';
import { caseIdParam, ErrorSchema, errorResponses, nullable, orReceipt, refTo, stringEnum, text } from '../schemas.js';

const kind = stringEnum(MESSAGE_KIND_IDS);

/** A message as the outbox holds it; its headers, idempotency key and worker claim stay inside. */
const message = Type.Object({
  id: Type.String(),
  caseId: nullable(Type.String()),
  kind: Type.String(),
  from: Type.String(),
  to: Type.Array(Type.String()),
  cc: Type.Array(Type.String()),
  subject: Type.String(),
  body: Type.String(),
  messageId: Type.String({ description: 'The Message-ID header' }),
  status: stringEnum(CASE_MESSAGE_STATUSES),
  attempts: Type.Integer(),
  nextAttemptAt: Type.String(),
  lastError: nullable(Type.String()),
  smtpResponse: nullable(Type.String()),
  createdAt: Type.String(),
  createdBy: Type.String(),
  sentAt: nullable(Type.String()),
  sentBy: nullable(Type.String()),
});

const finding = Type.Object({
  rule: Type.String({ description: 'Stable rule id, e.g. embargoed-id, embargo-note-edited, recipient-lookalike' }),
  severity: stringEnum(['error', 'warning'] as const),
  message: Type.String(),
  part: stringEnum(['subject', 'body', 'recipients'] as const),
  line: Type.Integer({ description: '1-based line within the part (the subject is line 1); 0 for recipients' }),
  column: Type.Integer({ description: '1-based column (UTF-16 code units); 0 for recipients' }),
});

// 998: the longest line RFC 5322 allows (a subject is one line).
const sendBody = Type.Object(
  {
    kind,
    subject: Type.Optional(text(998, 1, { description: 'Your edited subject; the rendered template when absent' })),
    body: Type.Optional(text(100_000)),
    to: Type.Optional(Type.Array(text(CONTACT_MAX), { maxItems: 20 })),
    via: Type.Optional(
      stringEnum(['smtp', 'copy'] as const, {
        description: "smtp (default): the worker sends it; copy: for a list's web interface, then mark it as sent",
      }),
    ),
  },
  { additionalProperties: false },
);

const sent = Type.Object({
  message,
  created: Type.Boolean({ description: 'False when the same request had queued it already: nothing new was queued' }),
  findings: Type.Array(finding, { description: 'Warnings the lint raised (errors refuse the send)' }),
});

const messageList = { 200: Type.Object({ messages: Type.Array(message) }), ...errorResponses };
const messageParams = Type.Object({ messageId: Type.String({ format: 'uuid' }) });

/** The outbox as people see it: what was sent, what failed, and the copy / mark-as-sent path. */
export function messageRoutes(fastify: FastifyInstance, app: App): void {
  const server = fastify.withTypeProvider<TypeBoxTypeProvider>();

  server.get(
    '/api/v1/cases/:caseId/messages/draft',
    {
      schema: {
        summary:
          "A mail of the checklist rendered from the playbook's template for this case, with its lint findings (the read is audited)",
        tags: ['messages'],
        params: caseIdParam,
        querystring: Type.Object(
          {
            kind: Type.Optional(
              text(64, 1, { description: `one of ${MESSAGE_KIND_IDS.join(', ')}; default: the mail the checklist waits for next` }),
            ),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            message: Type.Object({
              kind,
              audience: Type.String({ description: 'reporter, distributors or users' }),
              from: nullable(Type.String()),
              to: Type.Array(Type.String()),
              subject: Type.String(),
              body: Type.String(),
            }),
            findings: Type.Array(finding),
            ok: Type.Boolean({ description: 'No error finding: it may be sent as it is' }),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => messages.draftMessage(app, requireActor(request), request.params.caseId, request.query.kind),
  );

  server.post(
    '/api/v1/cases/:caseId/messages',
    {
      schema: {
        summary:
          'Lint and queue a mail of the checklist (the rendered template, or your edited text); 422 with the findings when the lint finds an error',
        tags: ['messages'],
        params: caseIdParam,
        body: sendBody,
        response: {
          200: orReceipt(sent),
          201: orReceipt(sent),
          422: refTo(ErrorSchema),
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      const { kind, ...input } = request.body;
      try {
        const sent = await messages.sendMessage(app, requireActor(request), request.params.caseId, kind, input);
        // 201 for a new message; 200 when the same request had queued it already.
        return reply.status(isReceipt(sent) || sent.created ? 201 : 200).send(sent);
      } catch (err) {
        // The lint refused the text: the request was understood, its content is not sendable.
        if (err instanceof DomainError && err.code === 'gate_failed')
          return reply.status(422).send(errorBody(err.code, err.message, err.details));
        throw err;
      }
    },
  );

  server.get(
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

  server.get(
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

  server.post(
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

  server.post(
    '/api/v1/messages/:messageId/copy',
    {
      schema: {
        summary: "The exact text and addresses, for posting through a list's web interface; the worker will not send it",
        tags: ['messages'],
        params: messageParams,
        response: {
          200: Type.Object({
            id: Type.String(),
            from: Type.String(),
            to: Type.Array(Type.String(), { description: 'Exactly the addresses to post to: paste them, do not retype them' }),
            cc: Type.Array(Type.String()),
            subject: Type.String(),
            body: Type.String({ description: 'Exactly the text to post' }),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => outbox.copyMessage(app, requireActor(request), request.params.messageId),
  );

  server.post(
    '/api/v1/messages/:messageId/mark-sent',
    {
      schema: {
        summary: 'Record that you sent a copied message (or confirmed an unknown one): who and when',
        tags: ['messages'],
        params: messageParams,
        body: Type.Object({ at: Type.Optional(Type.String({ format: 'date-time', maxLength: 40 })) }, { additionalProperties: false }),
        response: { 200: message, ...errorResponses },
      },
    },
    async (request) =>
      outbox.markSent(app, requireActor(request), request.params.messageId, request.body?.at ? { at: new Date(request.body.at) } : {}),
  );
}
