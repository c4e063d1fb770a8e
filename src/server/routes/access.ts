import type { FastifyInstance } from 'fastify';
import * as access from '../../app/access.js';
import type { App } from '../../app/app.js';
import { requireActor } from '../auth.js';
import { caseIdParam, errorResponses } from '../schemas.js';

const accessList = {
  200: {
    type: 'object',
    properties: {
      access: {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            userId: { type: 'string' },
            username: { type: 'string' },
            grantedBy: { type: 'string' },
            grantedAt: { type: 'string' },
          },
        },
      },
    },
  },
  ...errorResponses,
};

const userParams = {
  type: 'object',
  properties: { ...caseIdParam.properties, username: { type: 'string', minLength: 1, maxLength: 64 } },
  required: ['caseId', 'username'],
} as const;

export function accessRoutes(server: FastifyInstance, app: App): void {
  server.get<{ Params: { caseId: string } }>(
    '/api/v1/cases/:caseId/access',
    { schema: { summary: "Who is on the case's need-to-know list", tags: ['access'], params: caseIdParam, response: accessList } },
    async (request) => ({ access: await access.caseAccess(app, requireActor(request), request.params.caseId) }),
  );

  server.put<{ Params: { caseId: string; username: string } }>(
    '/api/v1/cases/:caseId/access/:username',
    { schema: { summary: 'Add a user to the case (admins)', tags: ['access'], params: userParams, response: accessList } },
    async (request) => ({
      access: await access.grantCaseAccess(app, requireActor(request), request.params.caseId, request.params.username),
    }),
  );

  server.delete<{ Params: { caseId: string; username: string } }>(
    '/api/v1/cases/:caseId/access/:username',
    { schema: { summary: 'Remove a user from the case (admins)', tags: ['access'], params: userParams, response: accessList } },
    async (request) => ({
      access: await access.revokeCaseAccess(app, requireActor(request), request.params.caseId, request.params.username),
    }),
  );
}
