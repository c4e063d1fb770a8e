import type { FastifyInstance } from 'fastify';
import * as accounts from '../../app/accounts.js';
import { SCOPES } from '../../app/actor.js';
import type { App } from '../../app/app.js';
import { requireActor, SESSION_COOKIE } from '../auth.js';
import { errorResponses, ref, text } from '../schemas.js';

const sessionResponse = {
  type: 'object',
  properties: { user: ref('User'), csrfToken: { type: 'string' }, expiresAt: { type: 'string' } },
} as const;

export function accountRoutes(server: FastifyInstance, app: App, options: { signInPerMinute: number }): void {
  server.post<{ Body: { username: string; password: string } }>(
    '/api/v1/session',
    {
      config: { auth: 'public', rateLimit: { max: options.signInPerMinute, timeWindow: 60_000 } },
      schema: {
        summary: 'Sign in; sets an HttpOnly, SameSite=Strict session cookie and returns the CSRF token',
        tags: ['session'],
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['username', 'password'],
          properties: { username: text(64), password: text(1024) },
        },
        response: { 200: sessionResponse, ...errorResponses },
      },
    },
    async (request, reply) => {
      const signedIn = await accounts.signIn(app, request.body);
      reply.setCookie(SESSION_COOKIE, signedIn.token, {
        httpOnly: true,
        sameSite: 'strict',
        secure: app.config.secureCookies,
        path: '/',
        expires: new Date(signedIn.expiresAt),
      });
      return { user: signedIn.user, csrfToken: signedIn.csrfToken, expiresAt: signedIn.expiresAt };
    },
  );

  server.get(
    '/api/v1/session',
    {
      schema: {
        summary: 'Who is signed in, and the CSRF token for state changes',
        tags: ['session'],
        response: { 200: sessionResponse, ...errorResponses },
      },
    },
    async (request) => {
      const cookie = request.cookies[SESSION_COOKIE];
      const session = cookie ? await accounts.sessionActor(app, cookie) : null;
      const actor = requireActor(request);
      return session
        ? { user: session.user, csrfToken: session.csrfToken }
        : { user: { id: actor.userId, username: actor.name, displayName: actor.name, role: actor.role } };
    },
  );

  server.delete(
    '/api/v1/session',
    {
      schema: {
        summary: 'Sign out (revokes the session on the server)',
        tags: ['session'],
        response: { 204: { type: 'null' }, ...errorResponses },
      },
    },
    async (request, reply) => {
      const cookie = request.cookies[SESSION_COOKIE];
      if (cookie) await accounts.signOut(app, cookie);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.status(204).send();
    },
  );

  server.get(
    '/api/v1/users',
    {
      config: { auth: 'admin' },
      schema: {
        summary: 'All users (admins)',
        tags: ['users'],
        response: { 200: { type: 'object', properties: { users: { type: 'array', items: ref('User') } } }, ...errorResponses },
      },
    },
    async (request) => ({ users: await accounts.listUsers(app, requireActor(request)) }),
  );

  server.post<{ Body: { username: string; password: string; displayName?: string; role?: 'admin' | 'member' } }>(
    '/api/v1/users',
    {
      config: { auth: 'admin' },
      schema: {
        summary: 'Add a user (admins)',
        tags: ['users'],
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['username', 'password'],
          properties: {
            username: text(39),
            password: text(1024),
            displayName: text(200),
            role: { type: 'string', enum: ['admin', 'member'] },
          },
        },
        response: { 201: ref('User'), ...errorResponses },
      },
    },
    async (request, reply) => reply.status(201).send(await accounts.addUser(app, requireActor(request), request.body)),
  );

  const tokenInfo = {
    type: 'object',
    properties: {
      id: { type: 'string' },
      name: { type: 'string' },
      scopes: { type: 'array', items: { type: 'string' } },
      createdAt: { type: 'string' },
      lastUsedAt: { anyOf: [{ type: 'string' }, { type: 'null' }] },
      revokedAt: { anyOf: [{ type: 'string' }, { type: 'null' }] },
    },
  } as const;

  server.get(
    '/api/v1/tokens',
    {
      schema: {
        summary: 'Your API tokens (never the secrets)',
        tags: ['tokens'],
        response: { 200: { type: 'object', properties: { tokens: { type: 'array', items: tokenInfo } } }, ...errorResponses },
      },
    },
    async (request) => ({ tokens: await accounts.listApiTokens(app, requireActor(request)) }),
  );

  server.post<{ Body: { name: string; scopes?: string[] } }>(
    '/api/v1/tokens',
    {
      schema: {
        summary: 'Create an API token for yourself; the secret is in this response only',
        tags: ['tokens'],
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['name'],
          properties: {
            name: text(100),
            scopes: { type: 'array', minItems: 1, maxItems: 3, items: { type: 'string', enum: [...SCOPES] } },
          },
        },
        response: {
          201: {
            type: 'object',
            properties: {
              id: { type: 'string' },
              name: { type: 'string' },
              scopes: { type: 'array', items: { type: 'string' } },
              token: { type: 'string' },
            },
          },
          ...errorResponses,
        },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await accounts.createApiToken(app, requireActor(request), { name: request.body.name, scopes: request.body.scopes })),
  );

  server.delete<{ Params: { tokenId: string } }>(
    '/api/v1/tokens/:tokenId',
    {
      schema: {
        summary: 'Revoke one of your API tokens',
        tags: ['tokens'],
        params: { type: 'object', properties: { tokenId: { type: 'string', format: 'uuid' } }, required: ['tokenId'] },
        response: { 204: { type: 'null' }, ...errorResponses },
      },
    },
    async (request, reply) => {
      await accounts.revokeApiToken(app, requireActor(request), request.params.tokenId);
      return reply.status(204).send();
    },
  );
}
