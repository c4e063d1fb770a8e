/**
 * The HTTP shell: security headers, cookies, auth, one JSON error shape, the OpenAPI document and
 * one route file per resource. Business rules live in src/app and src/domain, never here.
 */
import { backupRoutes } from './routes/backup.js';
import { retroRoutes } from './routes/retro.js';
import cookie from '@fastify/cookie';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyServerOptions } from 'fastify';
import type { Actor } from '../app/actor.js';
import type { App } from '../app/app.js';
import type { TrustProxy } from '../app/config.js';
import { installAuth } from './auth.js';
import { findControlCharacter } from '../domain/control-characters.js';
import { DomainError } from '../domain/errors.js';
import { errorBody, installErrorHandling } from './errors.js';
import { installSecurityHeaders } from './security-headers.js';
import { accessRoutes } from './routes/access.js';
import { projectRoutes } from './routes/projects.js';
import { adminTokenRoutes } from './routes/admin-tokens.js';
import { advisoryRoutes } from './routes/advisory.js';
import { githubConnectionRoutes } from './routes/github-connections.js';
import { accountRoutes } from './routes/accounts.js';
import { caseOverviewRoutes } from './routes/case-overview.js';
import { clockRoutes } from './routes/clocks.js';
import { calendarRoutes, redactCalendarSecrets } from './routes/calendar.js';
import { notificationRoutes } from './routes/notifications.js';
import { caseRoutes } from './routes/cases.js';
import { dashboardRoutes } from './routes/dashboard.js';
import { messageRoutes } from './routes/messages.js';
import { exportRoutes } from './routes/exports.js';
import { guardRoutes } from './routes/guard.js';
import { intakeRoutes } from './routes/intake.js';
import { portalRoutes, redactPortalSecrets } from './routes/portal.js';
import { whoKnowsRoutes } from './routes/who-knows.js';
import { severityRoutes } from './routes/severity.js';
import { stepRoutes } from './routes/steps.js';
import { systemRoutes } from './routes/system.js';
import { webRoutes, type WebApp } from './web.js';
import { sharedSchemas } from './schemas.js';

export type SchemaCompilers = NonNullable<NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']>;

export interface ServerOptions {
  logger?: FastifyServerOptions['logger'];
  /** Sign-in attempts per minute per client address. */
  signInPerMinute?: number;
  /**
   * The reverse proxies whose X-Forwarded-For names the real client (EMBARGO_TRUST_PROXY): every
   * limit per address counts that client, not the proxy. Unset: the connecting address is the client.
   */
  trustProxy?: TrustProxy;
  /** Reports through the public form per hour per client address (default 10). */
  reportsPerHour?: number;
  /** Requests to each reporter-portal route per minute per client address (default 60). */
  portalPerMinute?: number;
  /**
   * Every request is this trusted actor (the CLI's local admin): no cookie, token or CSRF token is
   * asked for. Such a server answers only in process (`inject`); listen() throws.
   */
  localActor?: Actor;
  /**
   * How route schemas become validators and serialisers; unset, Fastify compiles them all at start.
   * The CLI's local mode, which answers one or two requests per run, makes each on its first use
   * (lazySchemaCompilers in lazy-schemas.ts); the build records their code.
   */
  schemaCompilers?: SchemaCompilers;
  /**
   * Register only these route groups (the CLI's local mode; see ROUTE_GROUPS). All when unset, and
   * all when 'openapi' is one of them.
   */
  routeGroups?: readonly RouteGroup[];
  /** The built web app (index.html and assets/); default dist/web. */
  webRoot?: string;
}

/**
 * The request logger, with request URLs rewritten: a reporter's portal link is a URL with its secret
 * in the path, and a log line must never be enough to open it.
 */
function requestLogger(logger: ServerOptions['logger']): FastifyServerOptions['logger'] {
  if (!logger) return false;
  const base = logger === true ? {} : logger;
  return {
    ...base,
    serializers: {
      ...base.serializers,
      req: (request: { method: string; url: string; host?: string; ip?: string; socket?: { remotePort?: number } }) => ({
        method: request.method,
        url: redactCalendarSecrets(redactPortalSecrets(request.url)),
        host: request.host,
        remoteAddress: request.ip,
        remotePort: request.socket?.remotePort,
      }),
    },
  };
}

export interface RegisteredRoute {
  method: string;
  url: string;
  auth: string;
  /** The route's JSON schemas (params, querystring, body), for tests that probe every route. */
  schema: Record<string, unknown>;
  /** The group (route module) that registers it. */
  group: RouteGroup;
}

/** What a route group hands back to the server it registers into (the web app's fallback). */
interface BuiltGroups {
  web?: WebApp;
}

/**
 * Every route, in groups of one route module each, registered in this order. The CLI's local mode
 * builds a server with only the groups its requests need (boot/local-server.ts); the OpenAPI
 * document describes the routes registered, so its group brings all the others.
 */
const ROUTE_GROUPS = {
  openapi: (server) => {
    server.get('/api/v1/openapi.json', { config: { auth: 'public', cacheable: true }, schema: { hide: true } }, async () =>
      server.swagger(),
    );
  },
  accounts: (server, app, options) => accountRoutes(server, app, { signInPerMinute: options.signInPerMinute ?? 10 }),
  projects: projectRoutes,
  cases: caseRoutes,
  caseOverview: caseOverviewRoutes,
  clocks: clockRoutes,
  notifications: notificationRoutes,
  calendar: calendarRoutes,
  dashboard: dashboardRoutes,
  exports: exportRoutes,
  steps: stepRoutes,
  access: accessRoutes,
  guard: guardRoutes,
  messages: messageRoutes,
  whoKnows: whoKnowsRoutes,
  intake: (server, app, options) => intakeRoutes(server, app, { reportsPerHour: options.reportsPerHour ?? 10 }),
  portal: (server, app, options) => portalRoutes(server, app, { portalPerMinute: options.portalPerMinute ?? 60 }),
  severity: severityRoutes,
  system: systemRoutes,
  advisory: advisoryRoutes,
  githubConnections: githubConnectionRoutes,
  adminTokens: adminTokenRoutes,
  backup: backupRoutes,
  retro: retroRoutes,
  web: async (server, _app, options, built) => {
    built.web = await webRoutes(server, options.webRoot);
  },
} satisfies Record<string, (server: FastifyInstance, app: App, options: ServerOptions, built: BuiltGroups) => void | Promise<void>>;

export type RouteGroup = keyof typeof ROUTE_GROUPS;

export const ROUTE_GROUP_NAMES = Object.keys(ROUTE_GROUPS) as readonly RouteGroup[];

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route as registered; the access-matrix test walks it so a new route is covered. */
    embargoRoutes: RegisteredRoute[];
  }
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The answer is the same for everyone and holds nothing private (the static pages, the API description). */
    cacheable?: boolean;
  }
}

/**
 * Every answer but the few the same for everyone (`config.cacheable`) carries `Cache-Control:
 * no-store`: a case, an export, a portal page or an error must not stay in a browser's or a
 * proxy's cache. Set last, so a route cannot forget it; unknown URLs and errors included.
 */
function installNoStore(server: FastifyInstance): void {
  server.addHook('onSend', async (request, reply, payload) => {
    if (!request.routeOptions.config?.cacheable) reply.header('cache-control', 'no-store');
    return payload;
  });
}

/**
 * Every string of a request (path parameters, query, body, keys included) is refused with 400 when
 * it holds a control character other than tab, newline and carriage return: the same answer on
 * SQLite and PostgreSQL, which refuses a NUL byte deep in a query (domain/control-characters.ts).
 */
function refuseControlCharacters(server: FastifyInstance): void {
  server.addHook('preValidation', async (request) => {
    for (const [where, value] of [
      ['params', request.params],
      ['query', request.query],
      ['body', request.body],
    ] as const) {
      const found = findControlCharacter(value, where);
      if (found) {
        throw new DomainError(
          'invalid_input',
          `${found.path} contains a control character (${found.character}); only tab and line ends are allowed in text`,
          { field: found.path, character: found.character },
        );
      }
    }
  });
}

/** Fastify's trustProxy: the list as it is; a hop count as "trust the n hops nearest to us". */
function trustedProxies(trust: TrustProxy): string[] | ((address: string, hop: number) => boolean) {
  return typeof trust === 'number' ? (_address, hop) => hop < trust : trust;
}

/** A server that trusts every request must never be reachable from a socket. */
function refuseToListen(server: FastifyInstance): void {
  const refuse = () => {
    throw new Error('this server trusts every request as the local admin (localActor): it answers only in process, never on a socket');
  };
  Object.defineProperty(server, 'listen', { value: refuse, writable: false, configurable: false });
}

export async function buildServer(app: App, options: ServerOptions = {}): Promise<FastifyInstance> {
  const server = Fastify({
    logger: requestLogger(options.logger),
    bodyLimit: 256 * 1024,
    ...(options.trustProxy === undefined ? {} : { trustProxy: trustedProxies(options.trustProxy) }),
    // Wrong types are client errors, not values to coerce: "123" is not a title's 123.
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false, allErrors: true } },
    ...(options.schemaCompilers ? { schemaController: { compilersFactory: options.schemaCompilers } } : {}),
    // Errors the router raises before any route runs still get the one JSON error shape.
    frameworkErrors: (err, _request, reply) => {
      const tooLong = err.code === 'FST_ERR_MAX_PARAM_LENGTH';
      const body = tooLong
        ? errorBody('uri_too_long', 'a path segment of the URL is too long')
        : errorBody('invalid_request', 'the URL is malformed');
      void (reply as FastifyReply).code(tooLong ? 414 : 400).send(body);
    },
  });
  const routes: RegisteredRoute[] = [];
  let registering: RouteGroup | undefined;
  server.decorate('embargoRoutes', routes);
  server.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) {
      if (method === 'HEAD') continue;
      if (registering === undefined) throw new Error(`${method} ${route.url} is registered outside a route group (see ROUTE_GROUPS)`);
      // Read when asked: a plugin's own onRoute hook (web.ts marks @fastify/static's routes public) runs after this one.
      routes.push({
        method,
        url: route.url,
        get auth() {
          return route.config?.auth ?? 'user';
        },
        schema: (route.schema ?? {}) as Record<string, unknown>,
        group: registering,
      });
    }
  });

  let web: WebApp | undefined;
  installErrorHandling(server, () => web?.fallback);
  installNoStore(server);
  installSecurityHeaders(server);
  await server.register(cookie);
  await server.register(rateLimit, { global: false });
  await server.register(swagger, {
    openapi: {
      info: { title: 'Embargo API', version: '1', description: 'Security (CVE) response: cases, playbook steps, access, audit.' },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: 'API token from `embargo token create`' },
          session: {
            type: 'apiKey',
            in: 'cookie',
            name: 'embargo_session',
            description: 'Browser session; state changes need the x-csrf-token header',
          },
        },
      },
      security: [{ bearer: [] }, { session: [] }],
    },
    // Shared schemas become components named by their $id (Case, Error, …), not def-0, def-1.
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`) },
  });
  for (const schema of sharedSchemas) server.addSchema(schema);
  installAuth(server, app, options.localActor);
  refuseControlCharacters(server);

  const groups = options.routeGroups === undefined || options.routeGroups.includes('openapi') ? ROUTE_GROUP_NAMES : options.routeGroups;
  const built: BuiltGroups = {};
  for (const group of ROUTE_GROUP_NAMES) {
    if (!groups.includes(group)) continue;
    registering = group;
    await ROUTE_GROUPS[group](server, app, options, built);
  }
  web = built.web;

  await server.ready();
  if (options.localActor) refuseToListen(server);
  return server;
}
