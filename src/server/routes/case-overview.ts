/**
 * GET /api/v1/cases/:caseId/overview: what `case show` presents (the case, its steps, the
 * distributors' answers) in one request, one transaction and one audited read. The answer's parts
 * have the shapes of GET /cases/:caseId/steps and GET /cases/:caseId/acks.
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { type Static, Type } from 'typebox';
import { caseOverview } from '../../app/case-overview.js';
import type { App } from '../../app/app.js';
import { requireActor } from '../auth.js';
import { caseIdParam, errorResponses } from '../schemas.js';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const Str = Type.String();
const StrList = Type.Array(Str);
const Embargo = Type.Object({ endsAt: Str, timeZone: Str });

const Agreement = Type.Object({
  id: Str,
  caseId: Str,
  endsAt: Str,
  timeZone: Str,
  agreedBy: Str,
  agreedAt: Str,
  objected: StrList,
  notAnswered: StrList,
});

const MemberAnswer = Type.Object({
  distributorId: Str,
  organisation: Str,
  contact: Str,
  state: Type.Union([Type.Literal('ack'), Type.Literal('objection'), Type.Literal('stale'), Type.Literal('no-answer')]),
  answer: Nullable(Str),
  reason: Nullable(Str),
  aboutEndsAt: Nullable(Str),
  aboutTimeZone: Nullable(Str),
  recordedBy: Nullable(Str),
  recordedAt: Nullable(Str),
});

/** The shape of GET /cases/:caseId/acks. */
const Acks = Type.Object({
  caseId: Str,
  embargo: Nullable(Embargo),
  agreement: Nullable(Agreement),
  members: Type.Array(MemberAnswer),
  notAnswered: StrList,
  objected: Type.Array(Type.Object({ organisation: Str, reason: Str })),
  acknowledged: StrList,
});

/** The case and its steps as GET /cases/:caseId/steps answers them (shared schemas), and the acks. */
const Overview = Type.Object({
  case: Type.Ref('Case#'),
  steps: Type.Array(Type.Ref('StepView#')),
  acks: Acks,
});

export type CaseOverviewAnswer = Static<typeof Overview>;

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
