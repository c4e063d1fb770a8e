/** GET /api/v1/dashboard: the cases the viewer may see, each with its severity, next step and what blocks it (one audited read). */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { dashboard } from '../../app/dashboard.js';
import type { App } from '../../app/app.js';
import { CaseSchema } from '../../domain/case/schema.js';
import { requireActor } from '../auth.js';
import { errorResponses, nullable, stringEnum } from '../schemas.js';

const DashboardCase = Type.Object({
  id: Type.String(),
  title: Type.String(),
  codename: Type.String(),
  project: Type.String(),
  status: Type.String(),
  embargo: CaseSchema.properties.embargo,
  updatedAt: Type.String(),
  createdAt: Type.String(),
  cveId: nullable(Type.String()),
  ghsaId: nullable(Type.String()),
  severity: nullable(
    Type.Object({
      score: Type.Number(),
      rating: Type.String({ description: 'NONE, LOW, MEDIUM, HIGH or CRITICAL' }),
      vector: Type.String(),
    }),
  ),
  next: nullable(
    Type.Object({
      id: Type.String(),
      number: Type.Integer(),
      title: Type.String(),
      unmet: Type.Array(Type.String(), { description: 'What blocks the step, in plain words; empty when it can be done now' }),
    }),
  ),
  mailProblems: Type.Integer({ description: "The case's mails whose delivery failed or is unknown" }),
  newReplies: Type.Integer({ description: "The reporter's portal replies since the team's last mail to them" }),
  unansweredDistributors: Type.Array(Type.String(), {
    description: 'Distributors list members without an answer on the current date (after the notice, before publication)',
  }),
  newReport: nullable(Type.String({ description: 'How a report still at its first step came in: form, mail or GitHub' })),
  clocks: Type.Array(
    Type.Object({
      id: Type.String(),
      title: Type.String(),
      status: stringEnum(['at-risk', 'overdue'] as const),
      dueAt: Type.String(),
      dueLocal: Type.String({ description: "The deadline in the project's zone" }),
    }),
    { description: "The case's clocks at risk or overdue (open cases only); the case page shows them all" },
  ),
});

export function dashboardRoutes(server: FastifyInstance, app: App): void {
  server.withTypeProvider<TypeBoxTypeProvider>().get(
    '/api/v1/dashboard',
    {
      schema: {
        summary: 'The cases you may see with severity, the next step and what blocks it (one audited read)',
        tags: ['cases'],
        response: {
          200: Type.Object({
            cases: Type.Array(DashboardCase),
            truncated: Type.Boolean({ description: 'More cases exist than one dashboard shows' }),
            now: Type.String({ description: "The server's time, for countdowns" }),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => ({ ...(await dashboard(app, requireActor(request))), now: app.clock().toISOString() }),
  );
}
