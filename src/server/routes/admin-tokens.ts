/**
 * API tokens of any user, for admins: issue one for a named user and list everyone's. The local
 * CLI needs these (it has no account of its own), and through them an admin token can do the same
 * over HTTP. Schemas in TypeBox: validation, the handler's types and the OpenAPI document from one place.
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import * as accounts from '../../app/accounts.js';
import { SCOPES } from '../../app/actor.js';
import type { App } from '../../app/app.js';
import { requireActor } from '../auth.js';
import { errorResponses } from '../schemas.js';

const Username = Type.String({ minLength: 1, maxLength: 39 });
// Spelled out: SCOPES.map would lose the literal types. Keep in step with SCOPES in app/actor.ts.
const Scope = Type.Union([Type.Literal('read'), Type.Literal('write'), Type.Literal('guard')]);
const Scopes = Type.Array(Scope);

/** A token without its secret, and whose it is. */
const OwnedToken = Type.Object({
  id: Type.String(),
  name: Type.String(),
  scopes: Scopes,
  createdAt: Type.String(),
  lastUsedAt: Type.Union([Type.String(), Type.Null()]),
  revokedAt: Type.Union([Type.String(), Type.Null()]),
  username: Type.String(),
});

const IssuedToken = Type.Object({ id: Type.String(), name: Type.String(), scopes: Scopes, token: Type.String() });

export function adminTokenRoutes(server: FastifyInstance, app: App): void {
  const typed = server.withTypeProvider<TypeBoxTypeProvider>();

  typed.get(
    '/api/v1/admin/tokens',
    {
      config: { auth: 'admin' },
      schema: {
        summary: "Every user's API tokens, or one user's (admins; never the secrets)",
        tags: ['tokens'],
        querystring: Type.Object({ username: Type.Optional(Username) }, { additionalProperties: false }),
        response: { 200: Type.Object({ tokens: Type.Array(OwnedToken) }), ...errorResponses },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      const { username } = request.query;
      const owners = username !== undefined ? [username] : (await accounts.listUsers(app, actor)).map((u) => u.username);
      const tokens = [];
      for (const owner of owners) {
        tokens.push(...(await accounts.listApiTokens(app, actor, owner)).map((t) => ({ ...t, username: owner })));
      }
      return { tokens };
    },
  );

  typed.post(
    '/api/v1/admin/tokens',
    {
      config: { auth: 'admin' },
      schema: {
        summary: 'Create an API token for a named user (admins); the secret is in this response only',
        tags: ['tokens'],
        body: Type.Object(
          {
            name: Type.String({ minLength: 1, maxLength: 100 }),
            username: Username,
            scopes: Type.Optional(Type.Array(Scope, { minItems: 1, maxItems: SCOPES.length })),
          },
          { additionalProperties: false },
        ),
        response: { 201: IssuedToken, ...errorResponses },
      },
    },
    async (request, reply) => reply.status(201).send(await accounts.createApiToken(app, requireActor(request), request.body)),
  );
}
