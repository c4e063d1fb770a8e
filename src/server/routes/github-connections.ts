/**
 * Projects' GitHub connections (admins connect, check and remove them; anyone signed in sees which
 * repository a project uses) and users' GitHub logins. No answer ever carries a token.
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { App } from '../../app/app.js';
import { checkGitHubConnection, connectGitHub, disconnectGitHub, listGitHubConnections } from '../../app/github/connection.js';
import { gitHubLoginOf, setGitHubLogin } from '../../app/github/logins.js';
import { URL_MAX } from '../../domain/case/limits.js';
import { requireActor } from '../auth.js';
import { errorResponses, noContent, nullable, text } from '../schemas.js';
import { githubErrorResponses, viaGitHub } from './advisory.js';

const projectParams = Type.Object({ project: Type.String({ minLength: 1, maxLength: 64 }) });

const connectionSchema = Type.Object({
  project: Type.String(),
  repository: Type.String({ description: 'owner/name' }),
  apiUrl: Type.String(),
  tokenSet: Type.Literal(true),
  login: nullable(Type.String({ description: "The token's GitHub login, as the last check found it" })),
  createdBy: Type.String(),
  createdAt: Type.String(),
  checkedBy: nullable(Type.String()),
  checkedAt: nullable(Type.String()),
  checkOk: Type.Boolean(),
  checkResult: Type.String(),
  status: Type.String({ description: 'One line, e.g. "token set, checked 2026-11-25T10:00:00.000Z: ok"' }),
});

const loginSchema = Type.Object({ username: Type.String(), githubLogin: nullable(Type.String()) });

const userParams = Type.Object({ username: Type.String({ minLength: 1, maxLength: 64 }) });

export function githubConnectionRoutes(fastify: FastifyInstance, app: App): void {
  const server = fastify.withTypeProvider<TypeBoxTypeProvider>();

  server.get(
    '/api/v1/github/connections',
    {
      schema: {
        summary: "Each project's GitHub repository and whether its token passed the last check (never the token)",
        tags: ['github'],
        response: { 200: Type.Object({ connections: Type.Array(connectionSchema) }), ...errorResponses },
      },
    },
    async (request) => ({ connections: await listGitHubConnections(app, requireActor(request)) }),
  );

  server.put(
    '/api/v1/github/connections/:project',
    {
      schema: {
        summary: 'Connect a project to its GitHub repository (the project admins); the token is checked, then stored encrypted',
        tags: ['github'],
        params: projectParams,
        body: Type.Object(
          {
            repository: text(140, 1, { description: 'owner/name' }),
            token: text(400, 1, { description: 'Checked, then stored encrypted; never returned' }),
            apiUrl: Type.Optional(text(URL_MAX, 1, { description: 'GitHub Enterprise API URL; default https://api.github.com' })),
          },
          { additionalProperties: false },
        ),
        response: { 200: connectionSchema, ...githubErrorResponses },
      },
    },
    async (request, reply) =>
      viaGitHub(reply, () =>
        connectGitHub(app, requireActor(request), {
          project: request.params.project,
          repository: request.body.repository,
          token: request.body.token,
          apiUrl: request.body.apiUrl,
        }),
      ),
  );

  server.post(
    '/api/v1/github/connections/:project/check',
    {
      schema: {
        summary: "Check a project's stored token again (the project admins)",
        tags: ['github'],
        params: projectParams,
        response: { 200: connectionSchema, ...githubErrorResponses },
      },
    },
    async (request, reply) => viaGitHub(reply, () => checkGitHubConnection(app, requireActor(request), request.params.project)),
  );

  server.delete(
    '/api/v1/github/connections/:project',
    {
      schema: {
        summary: "Remove a project's GitHub connection and its token (the project admins); the project goes back to manual mode",
        tags: ['github'],
        params: projectParams,
        response: noContent,
      },
    },
    async (request, reply) => {
      await disconnectGitHub(app, requireActor(request), request.params.project);
      return reply.status(204).send();
    },
  );

  server.get(
    '/api/v1/users/:username/github-login',
    {
      schema: {
        summary: "A user's GitHub login (admins: anyone's; members: their own)",
        tags: ['users'],
        params: userParams,
        response: { 200: loginSchema, ...errorResponses },
      },
    },
    async (request) => gitHubLoginOf(app, requireActor(request), request.params.username),
  );

  server.put(
    '/api/v1/users/:username/github-login',
    {
      schema: {
        summary: "Set a user's GitHub login, used for the advisory's collaborators (admins: anyone's; members: their own)",
        tags: ['users'],
        params: userParams,
        body: Type.Object({ login: nullable(text(40, 0, { description: 'null or "" clears it' })) }, { additionalProperties: false }),
        response: { 200: loginSchema, ...errorResponses },
      },
    },
    async (request) => setGitHubLogin(app, requireActor(request), request.params.username, request.body.login),
  );
}
