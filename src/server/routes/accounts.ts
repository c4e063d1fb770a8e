import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { Type } from 'typebox';
import * as accounts from '../../app/accounts.js';
import { changeUser } from '../../app/user-admin.js';
import { completeSetup } from '../../app/setup.js';
import { SCOPES } from '../../app/actor.js';
import type { App } from '../../app/app.js';
import { DISPLAY_NAME_MAX, MAX_PASSWORD_LENGTH, TOKEN_NAME_MAX, USERNAME_MAX } from '../../domain/account.js';
import { requireActor, SESSION_COOKIE } from '../auth.js';
import { errorResponses, noContent, nullable, refTo, stringEnum, text, UserSchema } from '../schemas.js';

const ROLES = ['admin', 'member'] as const;

/**
 * Who is signed in. With a session cookie: the user, the CSRF token (and its expiry on sign-in);
 * with an API token: the token's user, without createdAt and without a CSRF token.
 */
const sessionResponse = Type.Object({
  user: Type.Object({
    id: nullable(Type.String()),
    username: Type.String(),
    displayName: Type.String(),
    role: stringEnum(ROLES),
    createdAt: Type.Optional(Type.String()),
  }),
  csrfToken: Type.Optional(Type.String({ description: 'Send it as x-csrf-token on state changes made with the session cookie' })),
  expiresAt: Type.Optional(Type.String({ description: 'When the session ends (sign-in only)' })),
});

/** Sets the HttpOnly session cookie and answers with who signed in and the CSRF token. */
function startSession(reply: FastifyReply, signedIn: accounts.SignedIn, secure: boolean) {
  reply.setCookie(SESSION_COOKIE, signedIn.token, {
    httpOnly: true,
    sameSite: 'strict',
    secure,
    path: '/',
    expires: new Date(signedIn.expiresAt),
  });
  return { user: signedIn.user, csrfToken: signedIn.csrfToken, expiresAt: signedIn.expiresAt };
}

export function accountRoutes(fastify: FastifyInstance, app: App, options: { signInPerMinute: number }): void {
  const server = fastify.withTypeProvider<TypeBoxTypeProvider>();

  server.post(
    '/api/v1/session',
    {
      config: { auth: 'public', rateLimit: { max: options.signInPerMinute, timeWindow: 60_000 } },
      schema: {
        summary: 'Sign in; sets an HttpOnly, SameSite=Strict session cookie and returns the CSRF token',
        tags: ['session'],
        body: Type.Object({ username: text(64), password: text(MAX_PASSWORD_LENGTH) }, { additionalProperties: false }),
        response: { 200: sessionResponse, ...errorResponses },
      },
    },
    async (request, reply) => startSession(reply, await accounts.signIn(app, request.body), app.config.secureCookies),
  );

  server.get(
    '/api/v1/setup',
    {
      config: { auth: 'public' },
      schema: {
        summary: 'Whether Embargo still needs its first admin (then the server prints a one-time setup link)',
        tags: ['session'],
        response: { 200: Type.Object({ needed: Type.Boolean() }), ...errorResponses },
      },
    },
    async () => ({ needed: !(await accounts.hasUsers(app)) }),
  );

  server.post(
    '/api/v1/setup',
    {
      config: { auth: 'public', rateLimit: { max: options.signInPerMinute, timeWindow: 60_000 } },
      schema: {
        summary: "The first admin chooses a username and password with the server's one-time setup link; signs them in",
        tags: ['session'],
        body: Type.Object(
          {
            secret: text(100, 1, { description: 'The part of the setup link after #' }),
            username: text(USERNAME_MAX),
            password: text(MAX_PASSWORD_LENGTH),
            displayName: Type.Optional(text(DISPLAY_NAME_MAX)),
          },
          { additionalProperties: false },
        ),
        response: { 200: sessionResponse, ...errorResponses },
      },
    },
    async (request, reply) => startSession(reply, await completeSetup(app, request.body), app.config.secureCookies),
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
        response: noContent,
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
        response: { 200: Type.Object({ users: Type.Array(refTo(UserSchema)) }), ...errorResponses },
      },
    },
    async (request) => ({ users: await accounts.listUsers(app, requireActor(request)) }),
  );

  server.post(
    '/api/v1/users',
    {
      config: { auth: 'admin' },
      schema: {
        summary: 'Add a user (admins)',
        tags: ['users'],
        body: Type.Object(
          {
            username: text(USERNAME_MAX),
            password: text(MAX_PASSWORD_LENGTH),
            displayName: Type.Optional(text(DISPLAY_NAME_MAX)),
            role: Type.Optional(stringEnum(ROLES)),
            projects: Type.Optional(
              Type.Array(Type.String({ pattern: '^[a-z0-9][a-z0-9._-]{0,63}(:(admin|member))?$' }), {
                maxItems: 100,
                description: 'Projects to join, as id or id:admin; default: the only active project, if there is one',
              }),
            ),
          },
          { additionalProperties: false },
        ),
        response: { 201: refTo(UserSchema), ...errorResponses },
      },
    },
    async (request, reply) => reply.status(201).send(await accounts.addUser(app, requireActor(request), request.body)),
  );

  server.patch(
    '/api/v1/users/:username',
    {
      config: { auth: 'admin' },
      schema: {
        summary: "Change a user's role, display name, or disable them (admins; the last admin who can sign in stays one)",
        tags: ['users'],
        params: Type.Object({ username: Type.String({ minLength: 1, maxLength: 64 }) }),
        body: Type.Object(
          {
            role: Type.Optional(stringEnum(ROLES)),
            displayName: Type.Optional(text(DISPLAY_NAME_MAX)),
            disabled: Type.Optional(Type.Boolean({ description: 'true: no sign-in, sessions and tokens refused; false: enabled again' })),
          },
          { additionalProperties: false, minProperties: 1 },
        ),
        response: { 200: refTo(UserSchema), ...errorResponses },
      },
    },
    async (request) => changeUser(app, requireActor(request), request.params.username, request.body),
  );

  const scope = stringEnum(SCOPES);
  const tokenInfo = Type.Object({
    id: Type.String(),
    name: Type.String(),
    scopes: Type.Array(scope),
    createdAt: Type.String(),
    lastUsedAt: nullable(Type.String()),
    revokedAt: nullable(Type.String()),
  });

  server.get(
    '/api/v1/tokens',
    {
      schema: {
        summary: 'Your API tokens (never the secrets)',
        tags: ['tokens'],
        response: { 200: Type.Object({ tokens: Type.Array(tokenInfo) }), ...errorResponses },
      },
    },
    async (request) => ({ tokens: await accounts.listApiTokens(app, requireActor(request)) }),
  );

  server.post(
    '/api/v1/tokens',
    {
      schema: {
        summary: 'Create an API token for yourself; the secret is in this response only',
        tags: ['tokens'],
        body: Type.Object(
          { name: text(TOKEN_NAME_MAX), scopes: Type.Optional(Type.Array(scope, { minItems: 1, maxItems: SCOPES.length })) },
          { additionalProperties: false },
        ),
        response: {
          201: Type.Object({
            id: Type.String(),
            name: Type.String(),
            scopes: Type.Array(scope),
            token: Type.String({ description: 'The secret: shown in this response only' }),
          }),
          ...errorResponses,
        },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await accounts.createApiToken(app, requireActor(request), { name: request.body.name, scopes: request.body.scopes })),
  );

  server.delete(
    '/api/v1/tokens/:tokenId',
    {
      schema: {
        summary: 'Revoke one of your API tokens',
        tags: ['tokens'],
        params: Type.Object({ tokenId: Type.String({ format: 'uuid' }) }),
        response: noContent,
      },
    },
    async (request, reply) => {
      await accounts.revokeApiToken(app, requireActor(request), request.params.tokenId);
      return reply.status(204).send();
    },
  );
}
