import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { App } from '../../app/app.js';
import { auditLog, createAuditCheckpoint, verifyAudit, verifyAuditCheckpoint } from '../../app/audit.js';
import { rotateSecrets } from '../../app/secret-rotation.js';
import { requireActor } from '../auth.js';
import { EventSchema, errorResponses, nullable, refTo } from '../schemas.js';

/** A signed audit checkpoint (docs/security.md): keep it outside the server. */
const Checkpoint = Type.Object(
  {
    format: Type.Literal('embargo-audit-checkpoint/1'),
    seq: Type.Integer({ minimum: 1, description: 'The event signed' }),
    hash: Type.String({ pattern: '^[0-9a-f]{64}$', description: 'Its chain hash' }),
    signedAt: Type.String({ maxLength: 40 }),
    publicKey: Type.String({ maxLength: 44, description: 'The Ed25519 public key, base64' }),
    signature: Type.String({ maxLength: 88, description: 'Ed25519 signature, base64' }),
  },
  { additionalProperties: false },
);

const open = (description: string) => Type.Unsafe<object>({ type: 'object', additionalProperties: true, description });

/**
 * A playbook as the server parsed it (docs/playbooks.md). The top level is listed; steps, settings
 * and templates are passed through whole (their shape is the playbook format's, documented there).
 */
const PlaybookSchema = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    description: Type.String(),
    source: Type.Optional(Type.String({ description: "Where the process comes from (URL of the project's checklist)" })),
    sequential: Type.Boolean({ description: 'Each step implicitly requires every earlier step to be done or skipped' }),
    settings: open('Release policy, mail addresses and other settings'),
    steps: Type.Array(open('A step: id, title, phase, guidance, gates, actions')),
    templates: Type.Optional(open("The project's own wording for some mails")),
  },
  { additionalProperties: true },
);

export function systemRoutes(fastify: FastifyInstance, app: App): void {
  const server = fastify.withTypeProvider<TypeBoxTypeProvider>();

  server.get(
    '/api/v1/health',
    {
      config: { auth: 'public' },
      schema: {
        summary: 'Liveness and database reachability',
        tags: ['system'],
        response: { 200: Type.Object({ ok: Type.Boolean(), database: Type.String({ description: 'sqlite or postgres' }) }) },
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
          200: Type.Object({ defaultPlaybook: Type.String(), playbooks: Type.Array(PlaybookSchema) }),
          ...errorResponses,
        },
      },
    },
    async () => ({ defaultPlaybook: app.config.defaultPlaybook, playbooks: app.playbooks.list() }),
  );

  server.get(
    '/api/v1/playbooks/:playbookId',
    {
      schema: {
        summary: 'One playbook: steps, guidance, gates and settings',
        tags: ['playbooks'],
        params: Type.Object({ playbookId: Type.String({ pattern: '^[a-z0-9][a-z0-9._-]{0,63}$' }) }),
        response: { 200: PlaybookSchema, ...errorResponses },
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
          200: Type.Object({
            ok: Type.Boolean(),
            checked: Type.Integer({ description: 'Events verified as intact (up to, not including, the first broken one)' }),
            firstBroken: nullable(Type.Object({ seq: Type.Integer(), reason: Type.String() })),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => verifyAudit(app, requireActor(request)),
  );

  server.get(
    '/api/v1/audit/events',
    {
      config: { auth: 'admin' },
      schema: {
        summary: 'The whole audit log, oldest first (admins)',
        tags: ['audit'],
        querystring: Type.Object(
          {
            after: Type.Optional(Type.String({ pattern: '^[0-9]{1,12}$' })),
            limit: Type.Optional(Type.String({ pattern: '^[0-9]{1,4}$' })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ events: Type.Array(refTo(EventSchema)) }), ...errorResponses },
      },
    },
    async (request) => ({
      events: await auditLog(app, requireActor(request), {
        afterSeq: request.query.after === undefined ? undefined : Number(request.query.after),
        limit: request.query.limit === undefined ? 500 : Math.min(Number(request.query.limit), 1000),
      }),
    }),
  );

  server.post(
    '/api/v1/audit/checkpoints',
    {
      config: { auth: 'admin' },
      schema: {
        summary: "Sign the audit log's head with the audit key (admins): keep the checkpoint outside the server",
        tags: ['audit'],
        response: { 201: Checkpoint, ...errorResponses },
      },
    },
    async (request, reply) => reply.status(201).send(await createAuditCheckpoint(app, requireActor(request))),
  );

  server.post(
    '/api/v1/audit/checkpoints/verify',
    {
      config: { auth: 'admin', scope: 'read' },
      schema: {
        summary: 'Prove that the audit log still holds a checkpoint unchanged, and that its chain is intact (admins)',
        tags: ['audit'],
        body: Checkpoint,
        response: {
          200: Type.Object({
            ok: Type.Boolean(),
            checked: Type.Integer({ description: 'Events verified as intact in the whole log' }),
            checkpoint: Type.Object({ seq: Type.Integer(), hash: Type.String(), signedAt: Type.String() }),
            problem: nullable(Type.String({ description: 'Why the log does not hold the checkpoint; null when it does' })),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => verifyAuditCheckpoint(app, requireActor(request), request.body),
  );

  server.post(
    '/api/v1/secrets/rotate',
    {
      config: { auth: 'admin' },
      schema: {
        summary: 'Seal every stored secret (GitHub tokens) again under a new key, in one transaction (admins)',
        tags: ['system'],
        body: Type.Object(
          {
            newKey: Type.Optional(
              Type.String({
                maxLength: 100,
                description:
                  'The new key (32 bytes, hex or base64) when EMBARGO_SECRET_KEY holds the key; without it a key file gets a random one',
              }),
            ),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            rotated: Type.Integer({ description: 'How many stored secrets were sealed again' }),
            keySource: Type.String({ description: 'Where the new key is (never the key)' }),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => rotateSecrets(app, requireActor(request), request.body ?? {}),
  );
}
