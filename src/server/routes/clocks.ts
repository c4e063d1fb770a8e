/**
 * GET /api/v1/cases/:caseId/clocks: the case's clocks (acknowledge, update the reporter, disclosure
 * target, embargo end, step deadlines) as the playbook declares them, read now. An audited read.
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { caseClocksFor } from '../../app/clocks.js';
import type { App } from '../../app/app.js';
import { requireActor } from '../auth.js';
import { caseIdParam, errorResponses, nullable, stringEnum } from '../schemas.js';
import { CLOCK_STATUSES } from '../../domain/clock/index.js';

const instant = (description: string) => nullable(Type.String({ description }));

export const ClockViewSchema = Type.Object({
  id: Type.String({ description: "The clock's id in the playbook, e.g. acknowledge" }),
  title: Type.String(),
  status: stringEnum(CLOCK_STATUSES),
  repeats: Type.Boolean({ description: 'Starts again each time it is met (update the reporter every N days)' }),
  startedAt: instant('When it started (the last time, for a recurring clock)'),
  dueAt: instant('The deadline'),
  atRiskAt: instant('When it turns at risk'),
  metAt: instant('When it was met'),
  late: Type.Boolean({ description: 'Met after its deadline' }),
  dueLocal: instant("The deadline in the project's time zone"),
  note: instant('Why it is stopped or not started'),
});

export const CaseClocksSchema = Type.Object({
  caseId: Type.String(),
  timeZone: Type.String({ description: "The project's time zone, in which business days are counted" }),
  clocks: Type.Array(ClockViewSchema),
});

export function clockRoutes(server: FastifyInstance, app: App): void {
  server.withTypeProvider<TypeBoxTypeProvider>().get(
    '/api/v1/cases/:caseId/clocks',
    {
      schema: {
        summary: "A case's clocks: due, at risk, overdue or met, and when (business days in the project's zone)",
        tags: ['cases'],
        params: caseIdParam,
        response: { 200: CaseClocksSchema, ...errorResponses },
      },
    },
    async (request) => caseClocksFor(app, requireActor(request), request.params.caseId),
  );
}
