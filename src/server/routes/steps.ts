import type { FastifyInstance } from 'fastify';
import type { App } from '../../app/app.js';
import * as cases from '../../app/cases.js';
import type { Case } from '../../domain/case/index.js';
import { stepViews } from '../../domain/playbook/index.js';
import { requireActor } from '../auth.js';
import { caseIdParam, errorResponses, ref, text } from '../schemas.js';

const stepParams = {
  type: 'object',
  properties: { ...caseIdParam.properties, stepId: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{0,63}$' } },
  required: ['caseId', 'stepId'],
} as const;

type StepParams = { caseId: string; stepId: string };

const stepResponse = {
  200: { type: 'object', properties: { case: ref('Case'), steps: { type: 'array', items: ref('StepView') } } },
  ...errorResponses,
};

export function stepRoutes(server: FastifyInstance, app: App): void {
  // The changed case came back from the command: present it without a second (audited) read.
  const withSteps = (c: Case) => ({ case: c, steps: stepViews(app.playbooks.get(c.playbook), c, app.clock()) });

  server.get<{ Params: { caseId: string } }>(
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

  server.post<{ Params: StepParams; Body: { confirm?: string[] } }>(
    '/api/v1/cases/:caseId/steps/:stepId/done',
    {
      schema: {
        summary: 'Complete a step; refused with every unmet condition listed when its gates fail',
        tags: ['steps'],
        params: stepParams,
        body: {
          type: 'object',
          additionalProperties: false,
          properties: { confirm: { type: 'array', maxItems: 32, items: text(64) } },
        },
        response: stepResponse,
      },
    },
    async (request) => {
      const actor = requireActor(request);
      return withSteps(await cases.completeStep(app, actor, request.params.caseId, request.params.stepId, request.body?.confirm ?? []));
    },
  );

  for (const action of ['skip', 'reopen'] as const) {
    server.post<{ Params: StepParams; Body: { reason: string } }>(
      `/api/v1/cases/:caseId/steps/:stepId/${action}`,
      {
        schema: {
          summary: action === 'skip' ? 'Skip a step, with the reason' : 'Reopen a done or skipped step, with the reason',
          tags: ['steps'],
          params: stepParams,
          body: { type: 'object', additionalProperties: false, required: ['reason'], properties: { reason: text(2000) } },
          response: stepResponse,
        },
      },
      async (request) => {
        const actor = requireActor(request);
        const run = action === 'skip' ? cases.skipStep : cases.reopenStep;
        return withSteps(await run(app, actor, request.params.caseId, request.params.stepId, request.body.reason));
      },
    );
  }
}
