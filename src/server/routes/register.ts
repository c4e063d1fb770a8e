/**
 * Who knows: the distributors list's members (admins manage them; anyone signed in may read the
 * list), and per case the who-knows register, disclosures, leaks, the members' answers on the
 * disclosure date and the agreed date. Case routes are need-to-know like every other case route.
 */
import type { FastifyInstance } from 'fastify';
import type { App } from '../../app/app.js';
import * as register from '../../app/register.js';
import { DISCLOSURE_CHANNELS, LEAK_STATUSES } from '../../domain/disclosure/types.js';
import type { DisclosureInput, DistributorInput, LeakInput } from '../../domain/disclosure/validate.js';
import { requireActor } from '../auth.js';
import { caseIdParam, errorResponses, nullable, text } from '../schemas.js';

const str = { type: 'string' } as const;
const strList = { type: 'array', items: str } as const;
const instant = text(64);

const distributor = {
  type: 'object',
  properties: {
    id: str,
    organisation: str,
    contact: str,
    criteria: strList,
    vouchedBy: nullable(str),
    termsAcceptedAt: nullable(str),
    addedAt: str,
    addedBy: str,
    removedAt: nullable(str),
    removedBy: nullable(str),
  },
} as const;

const disclosure = {
  type: 'object',
  properties: {
    id: str,
    caseId: str,
    recipient: str,
    channel: str,
    what: str,
    at: str,
    acceptedTerms: { type: 'boolean' },
    recordedBy: str,
    recordedAt: str,
  },
} as const;

const registerEntry = {
  type: 'object',
  properties: {
    at: str,
    who: str,
    address: nullable(str),
    distributorId: nullable(str),
    source: { type: 'string', enum: ['distributors-list', 'direct', 'disclosure'] },
    messageId: nullable(str),
    messageKind: nullable(str),
    disclosureId: nullable(str),
    channel: nullable(str),
    what: str,
    acceptedTerms: nullable({ type: 'boolean' }),
  },
} as const;

const leak = {
  type: 'object',
  properties: {
    id: str,
    caseId: str,
    what: str,
    leakedTo: str,
    reportedBy: str,
    reportedAt: str,
    followUp: str,
    status: str,
    recordedBy: str,
    recordedAt: str,
    updatedAt: str,
    closedAt: nullable(str),
  },
} as const;

const embargo = nullable({ type: 'object', properties: { endsAt: str, timeZone: str } });

const agreement = {
  type: 'object',
  properties: { id: str, caseId: str, endsAt: str, timeZone: str, agreedBy: str, agreedAt: str, objected: strList, notAnswered: strList },
} as const;

const acks = {
  type: 'object',
  properties: {
    caseId: str,
    embargo,
    agreement: nullable(agreement),
    members: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          distributorId: str,
          organisation: str,
          contact: str,
          state: { type: 'string', enum: ['ack', 'objection', 'stale', 'no-answer'] },
          answer: nullable(str),
          reason: nullable(str),
          aboutEndsAt: nullable(str),
          aboutTimeZone: nullable(str),
          recordedBy: nullable(str),
          recordedAt: nullable(str),
        },
      },
    },
    notAnswered: strList,
    objected: { type: 'array', items: { type: 'object', properties: { organisation: str, reason: str } } },
    acknowledged: strList,
  },
} as const;

const distributorParams = {
  type: 'object',
  properties: { distributorId: { type: 'string', format: 'uuid' } },
  required: ['distributorId'],
} as const;
const caseDistributorParams = {
  type: 'object',
  properties: { ...caseIdParam.properties, distributorId: { type: 'string', format: 'uuid' } },
  required: ['caseId', 'distributorId'],
} as const;
const leakParams = {
  type: 'object',
  properties: { ...caseIdParam.properties, leakId: { type: 'string', format: 'uuid' } },
  required: ['caseId', 'leakId'],
} as const;

const criteria = { type: 'array', maxItems: 20, items: text(200) } as const;

type CaseParams = { caseId: string };

export function registerRoutes(server: FastifyInstance, app: App): void {
  server.get<{ Querystring: { all?: 'true' | 'false' } }>(
    '/api/v1/distributors',
    {
      schema: {
        summary: "The distributors list's members (all=true: removed members too)",
        tags: ['distributors'],
        querystring: { type: 'object', additionalProperties: false, properties: { all: { type: 'string', enum: ['true', 'false'] } } },
        response: { 200: { type: 'object', properties: { distributors: { type: 'array', items: distributor } } }, ...errorResponses },
      },
    },
    async (request) => ({
      distributors: await register.listDistributors(app, requireActor(request), { all: request.query.all === 'true' }),
    }),
  );

  server.post<{ Body: DistributorInput }>(
    '/api/v1/distributors',
    {
      config: { auth: 'admin' },
      schema: {
        summary: 'Add a member to the distributors list (admins)',
        tags: ['distributors'],
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['organisation', 'contact'],
          properties: {
            organisation: text(200),
            contact: text(320),
            criteria,
            vouchedBy: nullable(text(200)),
            termsAcceptedAt: nullable(instant),
          },
        },
        response: { 201: distributor, ...errorResponses },
      },
    },
    async (request, reply) => reply.status(201).send(await register.addDistributor(app, requireActor(request), request.body)),
  );

  server.patch<{ Params: { distributorId: string }; Body: DistributorInput }>(
    '/api/v1/distributors/:distributorId',
    {
      config: { auth: 'admin' },
      schema: {
        summary: "Change a member's criteria, who vouched for them, or when they accepted the embargo terms (admins)",
        tags: ['distributors'],
        params: distributorParams,
        body: {
          type: 'object',
          additionalProperties: false,
          minProperties: 1,
          properties: { criteria, vouchedBy: nullable(text(200)), termsAcceptedAt: nullable(instant) },
        },
        response: { 200: distributor, ...errorResponses },
      },
    },
    async (request) => register.editDistributor(app, requireActor(request), request.params.distributorId, request.body),
  );

  server.delete<{ Params: { distributorId: string } }>(
    '/api/v1/distributors/:distributorId',
    {
      config: { auth: 'admin' },
      schema: {
        summary: 'Remove a member from the list; the register keeps them for earlier notices (admins)',
        tags: ['distributors'],
        params: distributorParams,
        response: { 200: distributor, ...errorResponses },
      },
    },
    async (request) => register.removeDistributor(app, requireActor(request), request.params.distributorId),
  );

  server.get<{ Params: CaseParams }>(
    '/api/v1/cases/:caseId/register',
    {
      schema: {
        summary: 'Who knows: everyone who received embargoed information of the case, when, how, and on which terms (the read is audited)',
        tags: ['register'],
        params: caseIdParam,
        response: {
          200: {
            type: 'object',
            properties: {
              caseId: str,
              listAddresses: strList,
              entries: { type: 'array', items: registerEntry },
              people: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: {
                    who: str,
                    distributorId: nullable(str),
                    firstAt: str,
                    receipts: { type: 'integer' },
                    withoutTerms: { type: 'integer' },
                  },
                },
              },
              unconfirmed: {
                type: 'array',
                items: { type: 'object', properties: { messageId: str, kind: str, status: str, to: strList } },
              },
            },
          },
          ...errorResponses,
        },
      },
    },
    async (request) => register.caseRegister(app, requireActor(request), request.params.caseId),
  );

  server.post<{ Params: CaseParams; Body: DisclosureInput }>(
    '/api/v1/cases/:caseId/disclosures',
    {
      schema: {
        summary: 'Record that you told someone about the case outside the outbox (phone, chat, meeting, …)',
        tags: ['register'],
        params: caseIdParam,
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['recipient', 'what'],
          properties: {
            recipient: text(200),
            what: text(2000),
            channel: { type: 'string', enum: [...DISCLOSURE_CHANNELS] },
            at: instant,
            acceptedTerms: { type: 'boolean' },
          },
        },
        response: { 201: disclosure, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await register.recordDisclosure(app, requireActor(request), request.params.caseId, request.body)),
  );

  server.get<{ Params: CaseParams }>(
    '/api/v1/cases/:caseId/leaks',
    {
      schema: {
        summary: "The case's leak incidents (the read is audited)",
        tags: ['register'],
        params: caseIdParam,
        response: { 200: { type: 'object', properties: { leaks: { type: 'array', items: leak } } }, ...errorResponses },
      },
    },
    async (request) => ({ leaks: await register.caseLeaks(app, requireActor(request), request.params.caseId) }),
  );

  server.post<{ Params: CaseParams; Body: LeakInput }>(
    '/api/v1/cases/:caseId/leaks',
    {
      schema: {
        summary: 'Record a leak: what leaked, to whom, who reported it and when',
        tags: ['register'],
        params: caseIdParam,
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['what', 'leakedTo', 'reportedBy'],
          properties: { what: text(2000), leakedTo: text(500), reportedBy: text(200), reportedAt: instant, followUp: text(5000, 0) },
        },
        response: { 201: leak, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await register.reportLeak(app, requireActor(request), request.params.caseId, request.body)),
  );

  server.patch<{ Params: CaseParams & { leakId: string }; Body: LeakInput }>(
    '/api/v1/cases/:caseId/leaks/:leakId',
    {
      schema: {
        summary: "Update a leak's follow-up, correct it, close or reopen it",
        tags: ['register'],
        params: leakParams,
        body: {
          type: 'object',
          additionalProperties: false,
          minProperties: 1,
          properties: {
            what: text(2000),
            leakedTo: text(500),
            followUp: text(5000, 0),
            status: { type: 'string', enum: [...LEAK_STATUSES] },
          },
        },
        response: { 200: leak, ...errorResponses },
      },
    },
    async (request) => register.updateLeak(app, requireActor(request), request.params.caseId, request.params.leakId, request.body),
  );

  server.get<{ Params: CaseParams }>(
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

  server.put<{ Params: CaseParams & { distributorId: string }; Body: { answer: 'ack' | 'objection'; reason?: string } }>(
    '/api/v1/cases/:caseId/acks/:distributorId',
    {
      schema: {
        summary: "Record a member's ack or objection (with a reason) on the case's current embargo date",
        tags: ['register'],
        params: caseDistributorParams,
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['answer'],
          properties: { answer: { type: 'string', enum: ['ack', 'objection'] }, reason: text(2000, 0) },
        },
        response: { 200: acks, ...errorResponses },
      },
    },
    async (request) => register.recordAnswer(app, requireActor(request), request.params.caseId, request.params.distributorId, request.body),
  );

  server.delete<{ Params: CaseParams & { distributorId: string } }>(
    '/api/v1/cases/:caseId/acks/:distributorId',
    {
      schema: {
        summary: "Clear a member's answer (back to no answer)",
        tags: ['register'],
        params: caseDistributorParams,
        response: { 200: acks, ...errorResponses },
      },
    },
    async (request) => register.clearAnswer(app, requireActor(request), request.params.caseId, request.params.distributorId),
  );

  server.post<{ Params: CaseParams }>(
    '/api/v1/cases/:caseId/embargo/agree',
    {
      schema: {
        summary: "Mark the case's current embargo time as the agreed disclosure time; objections and missing answers come back as warnings",
        tags: ['register'],
        params: caseIdParam,
        response: {
          200: {
            type: 'object',
            properties: {
              agreement,
              local: str,
              warnings: strList,
              objected: strList,
              notAnswered: strList,
              alreadyAgreed: { type: 'boolean' },
            },
          },
          ...errorResponses,
        },
      },
    },
    async (request) => register.agreeEmbargo(app, requireActor(request), request.params.caseId),
  );
}
