import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { App } from '../../app/app.js';
import * as cases from '../../app/cases.js';
import type { Case } from '../../domain/case/index.js';
import { requireActor } from '../auth.js';
import { MAX_REASON_LENGTH } from '../../domain/playbook/index.js';
import { stepViewsOf } from '../../app/gate-facts.js';
import { mapAnswer } from '../../app/unit-of-work.js';
import { CaseComponent, caseIdParam, errorResponses, orReceipt, refTo, StepViewSchema, text } from '../schemas.js';

const stepParams = Type.Object({ caseId: caseIdParam.properties.caseId, stepId: Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,63}$' }) });

const caseWithSteps = Type.Object({ case: refTo(CaseComponent), steps: Type.Array(refTo(StepViewSchema)) });
const stepResponse = { 200: caseWithSteps, ...errorResponses };
const stepChange = { 200: orReceipt(caseWithSteps), ...errorResponses };

export function stepRoutes(fastify: FastifyInstance, app: App): void {
  const server = fastify.withTypeProvider<TypeBoxTypeProvider>();
  // The changed case came back from the command: present it without a second (audited) read.
  const withSteps = async (c: Case) => ({ case: c, steps: await stepViewsOf(app, app.playbooks.get(c.playbook), c, app.clock()) });

  server.get(
    '/api/v1/cases/:caseId/steps',
    {
      schema: {
        summary: "The playbook's steps for this case, each with its state, guidance and unmet conditions",
        tags: ['steps'],
        params: caseIdParam,
        response: stepResponse,
      },
    },
    async (request) => {
      const { case: c, steps } = await cases.caseSteps(app, requireActor(request), request.params.caseId);
      return { case: c, steps };
    },
  );

  server.post(
    '/api/v1/cases/:caseId/steps/:stepId/done',
    {
      schema: {
        summary: 'Complete a step; refused with every unmet condition listed when its gates fail',
        tags: ['steps'],
        params: stepParams,
        body: Type.Object(
          { confirm: Type.Optional(Type.Array(text(64), { maxItems: 32, description: "Ids of the step's confirm gates being attested" })) },
          { additionalProperties: false },
        ),
        response: stepChange,
      },
    },
    async (request) => {
      const actor = requireActor(request);
      return mapAnswer(
        await cases.completeStep(app, actor, request.params.caseId, request.params.stepId, request.body?.confirm ?? []),
        withSteps,
      );
    },
  );

  for (const action of ['skip', 'reopen'] as const) {
    server.post(
      `/api/v1/cases/:caseId/steps/:stepId/${action}`,
      {
        schema: {
          summary: action === 'skip' ? 'Skip a step, with the reason' : 'Reopen a done or skipped step, with the reason',
          tags: ['steps'],
          params: stepParams,
          body: Type.Object({ reason: text(MAX_REASON_LENGTH) }, { additionalProperties: false }),
          response: stepChange,
        },
      },
      async (request) => {
        const actor = requireActor(request);
        const run = action === 'skip' ? cases.skipStep : cases.reopenStep;
        return mapAnswer(await run(app, actor, request.params.caseId, request.params.stepId, request.body.reason), withSteps);
      },
    );
  }
}
