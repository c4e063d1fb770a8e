/**
 * GET /api/v1/cases/:caseId/overview: what `case show` presents (the case, its steps, the
 * distributors' answers) in one request, one transaction and one audited read. The answer's parts
 * have the shapes of GET /cases/:caseId/steps and GET /cases/:caseId/acks (the same schemas).
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { caseOverview } from '../../app/case-overview.js';
import type { App } from '../../app/app.js';
import { requireActor } from '../auth.js';
import { CaseComponent, caseIdParam, errorResponses, refTo, StepViewSchema } from '../schemas.js';
import { CaseClocksSchema } from './clocks.js';
import { acks } from './who-knows.js';

const Overview = Type.Object({
  case: refTo(CaseComponent),
  steps: Type.Array(refTo(StepViewSchema)),
  acks,
  clocks: CaseClocksSchema,
});

export function caseOverviewRoutes(server: FastifyInstance, app: App): void {
  server.withTypeProvider<TypeBoxTypeProvider>().get(
    '/api/v1/cases/:caseId/overview',
    {
      schema: {
        summary: "A case with its playbook steps and the distributors' answers, in one audited read (what `case show` shows)",
        tags: ['cases'],
        params: caseIdParam,
        response: { 200: Overview, ...errorResponses },
      },
    },
    async (request) => caseOverview(app, requireActor(request), request.params.caseId),
  );
}
