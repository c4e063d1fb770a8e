/**
 * The retrospective (issue 15, item 5): a case's timeline, durations, clocks, notes and action
 * items; the open action items across cases; the metrics. Every read is an audited case read.
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { App } from '../../app/app.js';
import { addActionItem, caseMetrics, caseRetrospective, completeActionItem, openActionItems, writeRetrospective } from '../../app/retro.js';
import { ACTION_MAX, NOTES_MAX } from '../../domain/retro/index.js';
import { requireActor } from '../auth.js';
import { caseIdParam, errorResponses, nullable, orReceipt, stringEnum, text } from '../schemas.js';

const millis = (description: string) => nullable(Type.Number({ description: `${description}, in milliseconds; null when not reached` }));

const Durations = Type.Object({
  toAcknowledge: millis('Report to the acknowledgement'),
  toTriage: millis('Report to triage done'),
  toCve: millis('Report to the CVE id'),
  toFix: millis('Report to the last planned line released'),
  toNotice: millis("Report to the distributors' notice"),
  toDisclose: millis('Report to publication'),
  toAnnounce: millis('Report to the announcement'),
});

const Milestone = Type.Object({
  kind: stringEnum(['reported', 'acknowledged', 'triaged', 'cve', 'released', 'notice', 'published', 'announced'] as const),
  label: Type.String(),
  at: Type.String(),
  line: Type.Optional(Type.String()),
  state: Type.Optional(stringEnum(['sent', 'queued'] as const, { description: 'For a mail: sent, or only queued' })),
  sincePrevious: nullable(Type.Number()),
  sinceReport: Type.Number(),
});

const ActionItem = Type.Object({
  id: Type.String(),
  caseId: Type.String(),
  text: Type.String(),
  owner: nullable(Type.String()),
  createdBy: Type.String(),
  createdAt: Type.String(),
  doneBy: nullable(Type.String()),
  doneAt: nullable(Type.String()),
});

const Clock = Type.Object({
  id: Type.String(),
  label: Type.String(),
  dueAt: Type.String(),
  metAt: nullable(Type.String()),
  outcome: stringEnum(['met', 'missed', 'running'] as const),
});

const Retrospective = Type.Object({
  caseId: Type.String(),
  codename: Type.String(),
  title: Type.String(),
  status: Type.String(),
  timeline: Type.Array(Milestone),
  durations: Durations,
  /** Which clocks were met or missed; null when not known. */
  clocks: nullable(Type.Array(Clock)),
  written: nullable(Type.Object({ notes: Type.String(), writtenBy: Type.String(), writtenAt: Type.String() })),
  actions: Type.Array(ActionItem),
});

const Summary = {
  cases: Type.Integer(),
  toAcknowledge: millis('Median time to acknowledge'),
  toFix: millis('Median time to fix'),
  toDisclose: millis('Median time to disclose'),
  clocksMissed: nullable(Type.Integer({ description: 'Clocks missed; null when no case has known clocks' })),
};

export function retroRoutes(fastify: FastifyInstance, app: App): void {
  const server = fastify.withTypeProvider<TypeBoxTypeProvider>();

  server.get(
    '/api/v1/cases/:caseId/retrospective',
    {
      schema: {
        summary: "The case's retrospective: timeline, durations, clocks, notes, action items (the read is audited)",
        tags: ['retrospective'],
        params: caseIdParam,
        response: { 200: Retrospective, ...errorResponses },
      },
    },
    async (request) => caseRetrospective(app, requireActor(request), request.params.caseId),
  );

  server.put(
    '/api/v1/cases/:caseId/retrospective',
    {
      schema: {
        summary: "Write the retrospective's notes (what the retrospective step waits for)",
        tags: ['retrospective'],
        params: caseIdParam,
        body: Type.Object({ notes: text(NOTES_MAX) }, { additionalProperties: false }),
        response: {
          200: orReceipt(Type.Object({ caseId: Type.String(), writtenAt: Type.String(), characters: Type.Integer() })),
          ...errorResponses,
        },
      },
    },
    async (request) => writeRetrospective(app, requireActor(request), request.params.caseId, request.body),
  );

  server.post(
    '/api/v1/cases/:caseId/retrospective/actions',
    {
      schema: {
        summary: 'Add an action item; it stays on the open list until done',
        tags: ['retrospective'],
        params: caseIdParam,
        body: Type.Object({ text: text(ACTION_MAX), owner: Type.Optional(text(100)) }, { additionalProperties: false }),
        response: { 201: orReceipt(ActionItem), ...errorResponses },
      },
    },
    async (request, reply) => reply.status(201).send(await addActionItem(app, requireActor(request), request.params.caseId, request.body)),
  );

  server.get(
    '/api/v1/retrospective/actions',
    {
      schema: {
        summary: 'Open action items of the cases you may see (the read is audited)',
        tags: ['retrospective'],
        response: {
          200: Type.Object({ actions: Type.Array(Type.Object({ ...ActionItem.properties, codename: Type.String() })) }),
          ...errorResponses,
        },
      },
    },
    async (request) => ({ actions: await openActionItems(app, requireActor(request)) }),
  );

  server.post(
    '/api/v1/retrospective/actions/:actionId/done',
    {
      schema: {
        summary: 'Mark an action item done (by its id or its first 8 characters)',
        tags: ['retrospective'],
        params: Type.Object({ actionId: Type.String({ pattern: '^[0-9a-f-]{8,36}$' }) }),
        response: { 200: Type.Object({ id: Type.String(), caseId: Type.String(), doneAt: Type.String() }), ...errorResponses },
      },
    },
    async (request) => completeActionItem(app, requireActor(request), request.params.actionId),
  );

  server.get(
    '/api/v1/metrics',
    {
      schema: {
        summary:
          'Time to acknowledge, fix and disclose across the cases you may see: medians, trend by month, each case (the read is audited)',
        tags: ['retrospective'],
        querystring: Type.Object(
          { since: Type.Optional(Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'Cases reported on or after this date' })) },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            overall: Type.Object(Summary),
            trend: Type.Array(Type.Object({ month: Type.String(), ...Summary })),
            cases: Type.Array(
              Type.Object({
                caseId: Type.String(),
                project: Type.String(),
                reportedAt: Type.String(),
                durations: Durations,
                clocksMissed: nullable(Type.Integer()),
              }),
            ),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => caseMetrics(app, requireActor(request), request.query),
  );
}
