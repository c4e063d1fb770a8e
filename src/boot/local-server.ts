/**
 * The server of the CLI's local mode: the one `buildServer` makes for the network (the same
 * plugins, hooks, auth, error handling, routes, schemas and handlers), trusting every request as
 * the local admin, and built when the first request comes. A CLI command makes one or two
 * requests, and registering all ~90 routes was most of its start, so when the build has indexed
 * the routes (src/server/precompiled.ts) a request is answered by a server with only the route
 * groups whose routes could match its path: the route that answers is the one the full server
 * would pick. A path no group matches (a 404) goes to a server with every route.
 */
import type { FastifyInstance } from 'fastify';
import type { Actor } from '../app/actor.js';
import type { App } from '../app/app.js';
import { lazySchemaCompilers } from '../server/lazy-schemas.js';
import type { Precompiled } from '../server/precompiled.js';
import { buildServer, ROUTE_GROUP_NAMES, type RouteGroup } from '../server/server.js';

/** True when a registered route's URL ("/api/v1/cases/:caseId") can match a request's path. */
function urlMatches(url: string, path: string): boolean {
  const pattern = url.split('/');
  const segments = path.split('/');
  if (pattern.length !== segments.length) return false;
  return pattern.every((p, i) => (p.startsWith(':') ? segments[i] !== '' : p === segments[i]));
}

/**
 * The route groups with a route that can match `method` and `path` (several, when a static route of
 * one group and a parametric route of another could both match), or undefined when none can.
 * Exported for the tests.
 */
export function groupsFor(routes: Precompiled['routes'], method: string, path: string): RouteGroup[] | undefined {
  const wanted = method === 'HEAD' ? 'GET' : method;
  const groups = new Set<RouteGroup>();
  for (const [route, group] of Object.entries(routes)) {
    const space = route.indexOf(' ');
    if (route.slice(0, space) === wanted && urlMatches(route.slice(space + 1), path)) groups.add(group);
  }
  return groups.size === 0 ? undefined : ROUTE_GROUP_NAMES.filter((g) => groups.has(g));
}

export interface LocalServers {
  /** The server that answers `method path` (built on first need; `path` without the query). */
  serverFor(method: string, path: string): Promise<FastifyInstance>;
  close(): Promise<void>;
}

export function localServers(app: App, actor: Actor, precompiled: Precompiled | undefined): LocalServers {
  const servers = new Map<string, Promise<FastifyInstance>>();
  const schemaCompilers = lazySchemaCompilers(precompiled);
  return {
    serverFor(method, path) {
      const groups = precompiled && groupsFor(precompiled.routes, method, path);
      const key = groups?.join(',') ?? 'all';
      let server = servers.get(key);
      if (!server) {
        server = buildServer(app, { localActor: actor, schemaCompilers, ...(groups ? { routeGroups: groups } : {}) });
        servers.set(key, server);
      }
      return server;
    },
    async close() {
      const all = [...servers.values()];
      servers.clear();
      for (const server of all) {
        // A server that could not be built failed the request that asked for it; there is nothing to close.
        const built = await server.catch(() => undefined);
        await built?.close();
      }
    },
  };
}
