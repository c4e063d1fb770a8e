/**
 * Projects' GitHub connections (admins connect, check and remove them; anyone signed in sees which
 * repository a project uses) and users' GitHub logins. No answer ever carries a token.
 */
import type { FastifyInstance } from 'fastify';
import type { App } from '../../app/app.js';
import { checkGitHubConnection, connectGitHub, disconnectGitHub, listGitHubConnections } from '../../app/github-connection.js';
import { gitHubLoginOf, setGitHubLogin } from '../../app/github-logins.js';
import { requireActor } from '../auth.js';
import { errorResponses, nullable, text } from '../schemas.js';
import { githubErrorResponses, viaGitHub } from './advisory.js';

const projectParams = {
  type: 'object',
  properties: { project: { type: 'string', minLength: 1, maxLength: 64 } },
  required: ['project'],
} as const;

const connectionSchema = {
  type: 'object',
  properties: {
    project: { type: 'string' },
    repository: { type: 'string' },
    apiUrl: { type: 'string' },
    tokenSet: { type: 'boolean' },
    login: nullable({ type: 'string' }),
    createdBy: { type: 'string' },
    createdAt: { type: 'string' },
    checkedBy: nullable({ type: 'string' }),
    checkedAt: nullable({ type: 'string' }),
    checkOk: { type: 'boolean' },
    checkResult: { type: 'string' },
    status: { type: 'string' },
  },
} as const;

const loginSchema = { type: 'object', properties: { username: { type: 'string' }, githubLogin: nullable({ type: 'string' }) } } as const;

const userParams = {
  type: 'object',
  properties: { username: { type: 'string', minLength: 1, maxLength: 64 } },
  required: ['username'],
} as const;

export function githubConnectionRoutes(server: FastifyInstance, app: App): void {
  server.get(
    '/api/v1/github/connections',
    {
      schema: {
        summary: "Each project's GitHub repository and whether its token passed the last check (never the token)",
        tags: ['github'],
        response: { 200: { type: 'object', properties: { connections: { type: 'array', items: connectionSchema } } }, ...errorResponses },
      },
    },
    async (request) => ({ connections: await listGitHubConnections(app, requireActor(request)) }),
  );

  server.put<{ Params: { project: string }; Body: { repository: string; token: string; apiUrl?: string } }>(
    '/api/v1/github/connections/:project',
    {
      config: { auth: 'admin' },
      schema: {
        summary: 'Connect a project to its GitHub repository (admins); the token is checked, then stored encrypted',
        tags: ['github'],
        params: projectParams,
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['repository', 'token'],
          properties: { repository: text(140), token: text(400), apiUrl: text(2048) },
        },
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

  server.post<{ Params: { project: string } }>(
    '/api/v1/github/connections/:project/check',
    {
      config: { auth: 'admin' },
      schema: {
        summary: "Check a project's stored token again (admins)",
        tags: ['github'],
        params: projectParams,
        response: { 200: connectionSchema, ...githubErrorResponses },
      },
    },
    async (request, reply) => viaGitHub(reply, () => checkGitHubConnection(app, requireActor(request), request.params.project)),
  );

  server.delete<{ Params: { project: string } }>(
    '/api/v1/github/connections/:project',
    {
      config: { auth: 'admin' },
      schema: {
        summary: "Remove a project's GitHub connection and its token (admins); the project goes back to manual mode",
        tags: ['github'],
        params: projectParams,
        response: { 204: { type: 'null' }, ...errorResponses },
      },
    },
    async (request, reply) => {
      await disconnectGitHub(app, requireActor(request), request.params.project);
      return reply.status(204).send();
    },
  );

  server.get<{ Params: { username: string } }>(
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

  server.put<{ Params: { username: string }; Body: { login: string | null } }>(
    '/api/v1/users/:username/github-login',
    {
      schema: {
        summary: "Set a user's GitHub login, used for the advisory's collaborators (admins: anyone's; members: their own)",
        tags: ['users'],
        params: userParams,
        body: { type: 'object', additionalProperties: false, required: ['login'], properties: { login: nullable(text(40, 0)) } },
        response: { 200: loginSchema, ...errorResponses },
      },
    },
    async (request) => setGitHubLogin(app, requireActor(request), request.params.username, request.body.login),
  );
}
