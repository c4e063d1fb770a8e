/**
 * Who is calling: a browser session (cookie, with a CSRF token on every state change) or an API
 * token (Authorization: Bearer). Every route declares what it needs in `config.auth`; a route that
 * forgets gets the strictest default that still works for signed-in users.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sessionActor, tokenActor } from '../app/accounts.js';
import { requireScope, type Actor, type Scope } from '../app/actor.js';
import type { App } from '../app/app.js';
import { sameSecret } from '../app/secrets.js';
import { DomainError } from '../domain/errors.js';

export const SESSION_COOKIE = 'embargo_session';
export const CSRF_HEADER = 'x-csrf-token';

/** public: anyone; user: any signed-in account; admin: admins only. */
export type RouteAuth = 'public' | 'user' | 'admin';

declare module 'fastify' {
  interface FastifyContextConfig {
    auth?: RouteAuth;
    /** The token scope the route needs; defaults to read for GET and write otherwise. */
    scope?: Scope;
  }
  interface FastifyRequest {
    actor: Actor | null;
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function requireActor(request: FastifyRequest): Actor {
  if (!request.actor) throw new DomainError('unauthorized', 'sign in or send an API token');
  return request.actor;
}

/**
 * `localActor`: the server runs in process for the CLI's local mode, and every request is that
 * trusted local admin (whoever can open the database file holds the keys anyway).
 */
export function installAuth(server: FastifyInstance, app: App, localActor?: Actor): void {
  server.decorateRequest('actor', null);
  server.addHook('preValidation', async (request: FastifyRequest, _reply: FastifyReply) => {
    // A request no route takes is answered the same to anyone: a 404, or the web app's page.
    const auth = request.is404 ? 'public' : (request.routeOptions.config.auth ?? 'user');
    request.actor = localActor ?? (await identify(app, request));
    if (auth === 'public') return;
    const actor = requireActor(request);
    if (auth === 'admin' && actor.role !== 'admin') throw new DomainError('forbidden', 'only an admin can do this');
    requireScope(actor, request.routeOptions.config.scope ?? (SAFE_METHODS.has(request.method) ? 'read' : 'write'));
  });
}

async function identify(app: App, request: FastifyRequest): Promise<Actor | null> {
  const header = request.headers.authorization;
  if (header !== undefined) {
    const match = /^Bearer\s+(\S{1,200})$/i.exec(header);
    const actor = match ? await tokenActor(app, match[1]!) : null;
    if (!actor) throw new DomainError('unauthorized', 'the API token is unknown, revoked or malformed');
    return actor;
  }
  const cookie = request.cookies[SESSION_COOKIE];
  if (!cookie || cookie.length > 200) return null;
  const session = await sessionActor(app, cookie);
  if (!session) return null;
  // A cookie rides along with any request the browser makes, so a change needs proof that the
  // page making it was ours: the per-session CSRF token, which other origins cannot read.
  if (!SAFE_METHODS.has(request.method)) {
    const sent = request.headers[CSRF_HEADER];
    if (typeof sent !== 'string' || !sameSecret(sent, session.csrfToken)) {
      throw new DomainError('forbidden', `missing or wrong CSRF token: send the ${CSRF_HEADER} header from GET /api/v1/session`);
    }
  }
  return session.actor;
}
