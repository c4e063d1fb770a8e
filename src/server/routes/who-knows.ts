/**
 * Who knows: the distributors list's members (admins manage them; anyone signed in may read the
 * list), and per case the who-knows register, disclosures, leaks, the members' answers on the
 * disclosure date and the agreed date. Case routes are need-to-know like every other case route.
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { type TSchema, Type } from 'typebox';
import type { App } from '../../app/app.js';
import * as register from '../../app/who-knows.js';
import { CONTACT_MAX, NAME_MAX, TIME_INPUT_MAX } from '../../domain/case/limits.js';
import { EmbargoSchema } from '../../domain/case/schema.js';
import { DISCLOSURE_CHANNELS, LEAK_STATUSES } from '../../domain/disclosure/types.js';
import { requireActor } from '../auth.js';
import { caseIdParam, errorResponses, nullable, orReceipt, projectSlug, stringEnum, text } from '../schemas.js';

const str = Type.String();
const strList = Type.Array(Type.String());
const instant = text(TIME_INPUT_MAX, 1, { description: 'An instant with its zone, e.g. 2026-11-25T14:00:00Z' });
const channel = stringEnum(DISCLOSURE_CHANNELS);
const leakStatus = stringEnum(LEAK_STATUSES);
const answerKind = stringEnum(['ack', 'objection'] as const);
// Limits of the texts a person records (checked again by domain/disclosure/validate.ts).
const WHAT_MAX = 2000;
const LEAKED_TO_MAX = 500;
const FOLLOW_UP_MAX = 5000;

const distributor = Type.Object({
  id: str,
  project: Type.String({ description: 'The project whose distributors list this is' }),
  organisation: str,
  contact: str,
  criteria: strList,
  vouchedBy: nullable(str),
  termsAcceptedAt: nullable(str),
  addedAt: str,
  addedBy: str,
  removedAt: nullable(str),
  removedBy: nullable(str),
});

const disclosure = Type.Object({
  id: str,
  caseId: str,
  recipient: str,
  channel,
  what: str,
  at: str,
  acceptedTerms: Type.Boolean(),
  recordedBy: str,
  recordedAt: str,
});

const registerEntry = Type.Object({
  at: str,
  who: str,
  address: nullable(str),
  distributorId: nullable(str),
  source: stringEnum(['distributors-list', 'direct', 'disclosure'] as const),
  messageId: nullable(str),
  messageKind: nullable(str),
  disclosureId: nullable(str),
  channel: nullable(channel),
  what: str,
  acceptedTerms: nullable(Type.Boolean()),
});

const leak = Type.Object({
  id: str,
  caseId: str,
  what: str,
  leakedTo: str,
  reportedBy: str,
  reportedAt: str,
  followUp: str,
  status: leakStatus,
  recordedBy: str,
  recordedAt: str,
  updatedAt: str,
  closedAt: nullable(str),
});

const agreement = Type.Object({
  id: str,
  caseId: str,
  endsAt: str,
  timeZone: str,
  agreedBy: str,
  agreedAt: str,
  objected: strList,
  notAnswered: strList,
});

/** The distributors' answers on a case's date; the case overview carries them too. */
export const acks = Type.Object({
  caseId: str,
  embargo: nullable(EmbargoSchema),
  agreement: nullable(agreement),
  members: Type.Array(
    Type.Object({
      distributorId: str,
      organisation: str,
      contact: str,
      state: stringEnum(['ack', 'objection', 'stale', 'no-answer'] as const),
      answer: nullable(answerKind),
      reason: nullable(str),
      aboutEndsAt: nullable(str),
      aboutTimeZone: nullable(str),
      recordedBy: nullable(str),
      recordedAt: nullable(str),
    }),
  ),
  notAnswered: strList,
  objected: Type.Array(Type.Object({ organisation: str, reason: str })),
  acknowledged: strList,
});

const uuid = Type.String({ format: 'uuid' });
const distributorParams = Type.Object({ distributorId: uuid });
const caseDistributorParams = Type.Object({ caseId: caseIdParam.properties.caseId, distributorId: uuid });
const leakParams = Type.Object({ caseId: caseIdParam.properties.caseId, leakId: uuid });

const criteria = Type.Array(text(NAME_MAX), { maxItems: 20 });
const closed = <P extends Record<string, TSchema>>(properties: P, options: { minProperties?: number } = {}) =>
  Type.Object(properties, { additionalProperties: false, ...options });

export function whoKnowsRoutes(fastify: FastifyInstance, app: App): void {
  const server = fastify.withTypeProvider<TypeBoxTypeProvider>();

  server.get(
    '/api/v1/distributors',
    {
      schema: {
        summary: "A project's distributors list (all=true: removed members too; project: the only one when omitted)",
        tags: ['distributors'],
        querystring: closed({ all: Type.Optional(stringEnum(['true', 'false'] as const)), project: Type.Optional(projectSlug) }),
        response: { 200: Type.Object({ distributors: Type.Array(distributor) }), ...errorResponses },
      },
    },
    async (request) => ({
      distributors: await register.listDistributors(app, requireActor(request), {
        all: request.query.all === 'true',
        project: request.query.project,
      }),
    }),
  );

  server.post(
    '/api/v1/distributors',
    {
      schema: {
        summary: "Add a member to a project's distributors list (the project's admins)",
        tags: ['distributors'],
        body: closed({
          project: Type.Optional(projectSlug),
          organisation: text(NAME_MAX),
          contact: text(CONTACT_MAX),
          criteria: Type.Optional(criteria),
          vouchedBy: Type.Optional(nullable(text(NAME_MAX))),
          termsAcceptedAt: Type.Optional(nullable(instant)),
        }),
        response: { 201: distributor, ...errorResponses },
      },
    },
    async (request, reply) => reply.status(201).send(await register.addDistributor(app, requireActor(request), request.body)),
  );

  server.patch(
    '/api/v1/distributors/:distributorId',
    {
      schema: {
        summary: "Change a member's criteria, who vouched for them, or when they accepted the embargo terms (the project's admins)",
        tags: ['distributors'],
        params: distributorParams,
        body: closed(
          {
            criteria: Type.Optional(criteria),
            vouchedBy: Type.Optional(nullable(text(NAME_MAX))),
            termsAcceptedAt: Type.Optional(nullable(instant)),
          },
          { minProperties: 1 },
        ),
        response: { 200: distributor, ...errorResponses },
      },
    },
    async (request) => register.editDistributor(app, requireActor(request), request.params.distributorId, request.body),
  );

  server.delete(
    '/api/v1/distributors/:distributorId',
    {
      schema: {
        summary: "Remove a member from the list; the register keeps them for earlier notices (the project's admins)",
        tags: ['distributors'],
        params: distributorParams,
        response: { 200: distributor, ...errorResponses },
      },
    },
    async (request) => register.removeDistributor(app, requireActor(request), request.params.distributorId),
  );

  server.get(
    '/api/v1/cases/:caseId/register',
    {
      schema: {
        summary: 'Who knows: everyone who received embargoed information of the case, when, how, and on which terms (the read is audited)',
        tags: ['register'],
        params: caseIdParam,
        response: {
          200: Type.Object({
            caseId: str,
            listAddresses: Type.Array(str, {
              description: 'The distributors list address(es) a mail must go to for the members to count as told',
            }),
            entries: Type.Array(registerEntry),
            people: Type.Array(
              Type.Object({
                who: str,
                distributorId: nullable(str),
                firstAt: str,
                receipts: Type.Integer(),
                withoutTerms: Type.Integer(),
              }),
            ),
            unconfirmed: Type.Array(Type.Object({ messageId: str, kind: str, status: str, to: strList })),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => register.caseRegister(app, requireActor(request), request.params.caseId),
  );

  server.post(
    '/api/v1/cases/:caseId/disclosures',
    {
      schema: {
        summary: 'Record that you told someone about the case outside the outbox (phone, chat, meeting, …)',
        tags: ['register'],
        params: caseIdParam,
        body: closed({
          recipient: text(NAME_MAX),
          what: text(WHAT_MAX),
          channel: Type.Optional(channel),
          at: Type.Optional(instant),
          acceptedTerms: Type.Optional(Type.Boolean()),
        }),
        response: { 201: orReceipt(disclosure), ...errorResponses },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await register.recordDisclosure(app, requireActor(request), request.params.caseId, request.body)),
  );

  server.get(
    '/api/v1/cases/:caseId/leaks',
    {
      schema: {
        summary: "The case's leak incidents (the read is audited)",
        tags: ['register'],
        params: caseIdParam,
        response: { 200: Type.Object({ leaks: Type.Array(leak) }), ...errorResponses },
      },
    },
    async (request) => ({ leaks: await register.caseLeaks(app, requireActor(request), request.params.caseId) }),
  );

  server.post(
    '/api/v1/cases/:caseId/leaks',
    {
      schema: {
        summary: 'Record a leak: what leaked, to whom, who reported it and when',
        tags: ['register'],
        params: caseIdParam,
        body: closed({
          what: text(WHAT_MAX),
          leakedTo: text(LEAKED_TO_MAX),
          reportedBy: text(NAME_MAX),
          reportedAt: Type.Optional(instant),
          followUp: Type.Optional(text(FOLLOW_UP_MAX, 0)),
        }),
        response: { 201: orReceipt(leak), ...errorResponses },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await register.reportLeak(app, requireActor(request), request.params.caseId, request.body)),
  );

  server.patch(
    '/api/v1/cases/:caseId/leaks/:leakId',
    {
      schema: {
        summary: "Update a leak's follow-up, correct it, close or reopen it",
        tags: ['register'],
        params: leakParams,
        body: closed(
          {
            what: Type.Optional(text(WHAT_MAX)),
            leakedTo: Type.Optional(text(LEAKED_TO_MAX)),
            followUp: Type.Optional(text(FOLLOW_UP_MAX, 0)),
            status: Type.Optional(leakStatus),
          },
          { minProperties: 1 },
        ),
        response: { 200: orReceipt(leak), ...errorResponses },
      },
    },
    async (request) => register.updateLeak(app, requireActor(request), request.params.caseId, request.params.leakId, request.body),
  );

  server.get(
    '/api/v1/cases/:caseId/acks',
    {
      schema: {
        summary: "Each member's answer on the proposed disclosure date, and who has not answered (the read is audited)",
        tags: ['register'],
        params: caseIdParam,
        response: { 200: acks, ...errorResponses },
      },
    },
    async (request) => register.caseAcks(app, requireActor(request), request.params.caseId),
  );

  server.put(
    '/api/v1/cases/:caseId/acks/:distributorId',
    {
      schema: {
        summary: "Record a member's ack or objection (with a reason) on the case's current embargo date",
        tags: ['register'],
        params: caseDistributorParams,
        body: closed({ answer: answerKind, reason: Type.Optional(text(WHAT_MAX, 0)) }),
        response: { 200: orReceipt(acks), ...errorResponses },
      },
    },
    async (request) => register.recordAnswer(app, requireActor(request), request.params.caseId, request.params.distributorId, request.body),
  );

  server.delete(
    '/api/v1/cases/:caseId/acks/:distributorId',
    {
      schema: {
        summary: "Clear a member's answer (back to no answer)",
        tags: ['register'],
        params: caseDistributorParams,
        response: { 200: orReceipt(acks), ...errorResponses },
      },
    },
    async (request) => register.clearAnswer(app, requireActor(request), request.params.caseId, request.params.distributorId),
  );

  server.post(
    '/api/v1/cases/:caseId/embargo/agree',
    {
      schema: {
        summary: "Mark the case's current embargo time as the agreed disclosure time; objections and missing answers come back as warnings",
        tags: ['register'],
        params: caseIdParam,
        response: {
          200: orReceipt(
            Type.Object({
              agreement,
              local: Type.String({ description: 'The date as agreed, e.g. "2026-12-01 17:00 Europe/Berlin"' }),
              warnings: Type.Array(str, { description: 'Objections and missing answers, as sentences; the agreement is recorded anyway' }),
              objected: strList,
              notAnswered: strList,
              alreadyAgreed: Type.Boolean({ description: 'The current date was agreed before; nothing new was recorded' }),
            }),
          ),
          ...errorResponses,
        },
      },
    },
    async (request) => register.agreeEmbargo(app, requireActor(request), request.params.caseId),
  );
}
