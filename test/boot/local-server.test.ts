/**
 * The local mode's server built per request from the route groups the request needs, with the
 * build's route index (scripts/precompile-routes.ts, as the bundle has it).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isIndexed, loadPrecompiled } from '../../scripts/precompile-routes.js';
import { localActor } from '../../src/app/actor.js';
import { type App, createApp } from '../../src/app/app.js';
import { configFromEnv } from '../../src/app/config.js';
import { groupsFor, localServers } from '../../src/boot/local-server.js';
import type { Precompiled } from '../../src/server/precompiled.js';
import { buildServer, ROUTE_GROUP_NAMES } from '../../src/server/server.js';
import { openStore, type Store } from '../../src/store/store.js';

describe('the local server', () => {
  let store: Store;
  let app: App;
  let precompiled: Precompiled;

  beforeAll(async () => {
    store = await openStore({ databaseUrl: 'sqlite::memory:' });
    app = await createApp(store, configFromEnv({}));
    precompiled = await loadPrecompiled();
  }, 60_000);

  afterAll(async () => {
    await store.close();
  });

  it('indexes every route of the full server under the group that registers it', async () => {
    const full = await buildServer(app);
    try {
      const routes = full.embargoRoutes.filter(isIndexed).map((r) => `${r.method} ${r.url}`);
      expect(Object.keys(precompiled.routes).sort()).toEqual([...new Set(routes)].sort());
      expect(new Set(Object.values(precompiled.routes))).toEqual(new Set(ROUTE_GROUP_NAMES));
    } finally {
      await full.close();
    }
  });

  it('finds the groups whose routes can match a path: a parameter matches any one segment, HEAD is GET', () => {
    const routes = {
      'GET /api/v1/cases': 'cases',
      'GET /api/v1/cases/:caseId': 'cases',
      'GET /api/v1/cases/:caseId/steps': 'steps',
      'POST /api/v1/cases/import': 'exports',
    } as const;
    expect(groupsFor(routes, 'GET', '/api/v1/cases')).toEqual(['cases']);
    expect(groupsFor(routes, 'HEAD', '/api/v1/cases/EMB-2026-0001')).toEqual(['cases']);
    expect(groupsFor(routes, 'GET', '/api/v1/cases/EMB-2026-0001/steps')).toEqual(['steps']);
    // A static route of one group and a parametric route of another: both are registered, and the router picks.
    expect(groupsFor({ ...routes, 'POST /api/v1/cases/:caseId': 'cases' }, 'POST', '/api/v1/cases/import')).toEqual(['cases', 'exports']);
    expect(groupsFor(routes, 'GET', '/api/v1/cases/')).toBeUndefined();
    expect(groupsFor(routes, 'DELETE', '/api/v1/cases')).toBeUndefined();
    expect(groupsFor(routes, 'GET', '/api/v1/nothing')).toBeUndefined();
  });

  it('builds a server with only the groups a request needs, once; every route for a path no group has', async () => {
    const servers = localServers(app, localActor('tester'), precompiled);
    try {
      const cases = await servers.serverFor('GET', '/api/v1/cases');
      expect(new Set(cases.embargoRoutes.map((r) => r.group))).toEqual(new Set(['cases']));
      expect(await servers.serverFor('POST', '/api/v1/cases')).toBe(cases);
      const answer = await cases.inject({ method: 'GET', url: '/api/v1/cases' });
      expect(answer.json()).toEqual({ cases: [], nextCursor: null });

      const unknown = await servers.serverFor('GET', '/api/v1/nothing');
      expect(unknown.embargoRoutes.filter(isIndexed).length).toBe(Object.keys(precompiled.routes).length);
      expect((await unknown.inject({ method: 'GET', url: '/api/v1/nothing' })).statusCode).toBe(404);
      // The OpenAPI document describes every route, so its server has them all.
      const openapi = await servers.serverFor('GET', '/api/v1/openapi.json');
      expect(openapi.embargoRoutes.filter(isIndexed).length).toBe(Object.keys(precompiled.routes).length);
    } finally {
      await servers.close();
    }
  });
});
