import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import * as access from '../../app/access.js';
import type { App } from '../../app/app.js';
import { requireActor } from '../auth.js';
import { mapAnswer } from '../../app/unit-of-work.js';
import { caseIdParam, errorResponses, orReceipt } from '../schemas.js';

/** The need-to-know list; the display name stays out (the list shows accounts, not people). */
const accessEntries = Type.Object({
  access: Type.Array(Type.Object({ userId: Type.String(), username: Type.String(), grantedBy: Type.String(), grantedAt: Type.String() })),
});
const accessList = { 200: accessEntries, ...errorResponses };
const accessChange = { 200: orReceipt(accessEntries), ...errorResponses };

const userParams = Type.Object({ caseId: caseIdParam.properties.caseId, username: Type.String({ minLength: 1, maxLength: 64 }) });

export function accessRoutes(fastify: FastifyInstance, app: App): void {
  const server = fastify.withTypeProvider<TypeBoxTypeProvider>();

  server.get(
    '/api/v1/cases/:caseId/access',
    { schema: { summary: "Who is on the case's need-to-know list", tags: ['access'], params: caseIdParam, response: accessList } },
    async (request) => ({ access: await access.caseAccess(app, requireActor(request), request.params.caseId) }),
  );

  server.put(
    '/api/v1/cases/:caseId/access/:username',
    { schema: { summary: 'Add a user to the case (admins)', tags: ['access'], params: userParams, response: accessChange } },
    async (request) =>
      mapAnswer(await access.grantCaseAccess(app, requireActor(request), request.params.caseId, request.params.username), (entries) => ({
        access: entries,
      })),
  );

  server.delete(
    '/api/v1/cases/:caseId/access/:username',
    { schema: { summary: 'Remove a user from the case (admins)', tags: ['access'], params: userParams, response: accessChange } },
    async (request) =>
      mapAnswer(await access.revokeCaseAccess(app, requireActor(request), request.params.caseId, request.params.username), (entries) => ({
        access: entries,
      })),
  );
}
