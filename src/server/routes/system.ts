import type { FastifyInstance } from 'fastify';
import type { App } from '../../app/app.js';
import { verifyAudit, auditLog } from '../../app/audit.js';
import { requireActor } from '../auth.js';
import { errorResponses, ref } from '../schemas.js';

export function systemRoutes(server: FastifyInstance, app: App): void {
  server.get(
    '/api/v1/health',
    {
      config: { auth: 'public' },
      schema: {
        summary: 'Liveness and database reachability',
        tags: ['system'],
        response: { 200: { type: 'object', properties: { ok: { type: 'boolean' }, database: { type: 'string' } } } },
      },
    },
    async () => {
      await app.store.read((db) => db.selectFrom('chain_head').select('id').executeTakeFirst());
      return { ok: true, database: app.store.dialect };
    },
  );

  server.get(
    '/api/v1/playbooks',
    {
      schema: {
        summary: 'The playbooks this server knows',
        tags: ['playbooks'],
        response: {
          200: {
            type: 'object',
            properties: {
              defaultPlaybook: { type: 'string' },
              playbooks: { type: 'array', items: { type: 'object', additionalProperties: true } },
            },
          },
          ...errorResponses,
        },
      },
    },
    async () => ({ defaultPlaybook: app.config.defaultPlaybook, playbooks: app.playbooks.list() }),
  );

  server.get<{ Params: { playbookId: string } }>(
    '/api/v1/playbooks/:playbookId',
    {
      schema: {
        summary: 'One playbook: steps, guidance, gates and settings',
        tags: ['playbooks'],
        params: {
          type: 'object',
          properties: { playbookId: { type: 'string', pattern: '^[a-z0-9][a-z0-9._-]{0,63}$' } },
          required: ['playbookId'],
        },
        response: { 200: { type: 'object', additionalProperties: true }, ...errorResponses },
      },
    },
    async (request) => app.playbooks.get(request.params.playbookId),
  );

  server.get(
    '/api/v1/audit/verify',
    {
      config: { auth: 'admin' },
      schema: {
        summary: 'Check the hash chain of the whole audit log (admins)',
        tags: ['audit'],
        response: {
          200: {
            type: 'object',
            properties: {
              ok: { type: 'boolean' },
              checked: { type: 'integer' },
              firstBroken: {
                anyOf: [{ type: 'null' }, { type: 'object', properties: { seq: { type: 'integer' }, reason: { type: 'string' } } }],
              },
            },
          },
          ...errorResponses,
        },
      },
    },
    async (request) => verifyAudit(app, requireActor(request)),
  );

  server.get<{ Querystring: { after?: string; limit?: string } }>(
    '/api/v1/audit/events',
    {
      config: { auth: 'admin' },
      schema: {
        summary: 'The whole audit log, oldest first (admins)',
        tags: ['audit'],
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { after: { type: 'string', pattern: '^[0-9]{1,12}$' }, limit: { type: 'string', pattern: '^[0-9]{1,4}$' } },
        },
        response: { 200: { type: 'object', properties: { events: { type: 'array', items: ref('Event') } } }, ...errorResponses },
      },
    },
    async (request) => ({
      events: await auditLog(app, requireActor(request), {
        afterSeq: request.query.after === undefined ? undefined : Number(request.query.after),
        limit: request.query.limit === undefined ? 500 : Math.min(Number(request.query.limit), 1000),
      }),
    }),
  );
}
