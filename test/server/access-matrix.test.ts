/**
 * Need-to-know, proven over every registered route (taken from the router, so a new route is covered
 * the day it is added): a member who is not on a case's access list gets 404 for that case
 * everywhere, never sees it in a list or search, and cannot change it. The same holds, with a project
 * dimension, for a member and for an admin of another project, who are not even told the case's
 * project exists.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeFactories } from '../support/databases.js';
import { client, startApp, userWithToken, type TestApp } from '../support/app.js';
import { fillRoute, SAMPLE_BODIES } from '../support/route-samples.js';

const BODILESS = new Set(['GET', 'DELETE']);

describe.each(storeFactories())('access matrix over every route ($name)', ({ open }) => {
  let t: TestApp;
  let secret: { id: string; title: string; codename: string; revision: number };
  const tokens: Record<string, string> = {};

  const request = (who: string | undefined, method: string, url: string, caseId: string) => {
    const route = `${method} ${url}`;
    const body = BODILESS.has(method) ? undefined : (SAMPLE_BODIES[route] ?? {});
    return client(t.server, who ? tokens[who] : undefined).call(method, fillRoute(url, caseId), body);
  };

  beforeAll(async () => {
    t = await startApp(open);
    for (const [name, role] of [
      ['root', 'admin'],
      ['alice', 'member'],
      ['mallory', 'member'],
    ] as const) {
      tokens[name] = (await userWithToken(t.app, name, role)).token;
    }
    const admin = client(t.server, tokens.root);
    const created = await admin.post('/api/v1/cases', { title: 'Secret header smuggling in the xyzzy filter' });
    expect(created.status).toBe(201);
    expect((await admin.put(`/api/v1/cases/${created.body.id}/access/alice`)).status).toBe(200);
    // Written by the team, so every export route answers (issue 13, item 4).
    const described = await admin.patch(`/api/v1/cases/${created.body.id}`, { description: 'The advisory text.' });
    expect(described.status).toBe(200);
    secret = described.body;
    // Outsiders of another project: a member, and that project's admin.
    expect((await admin.post('/api/v1/projects', { id: 'other', name: 'Other' })).status).toBe(201);
    tokens.olga = (await userWithToken(t.app, 'olga', 'member', undefined, ['other'])).token;
    tokens.pete = (await userWithToken(t.app, 'pete', 'member', undefined, ['other:admin'])).token;
  });

  const OUTSIDERS = ['mallory', 'olga', 'pete'];
  afterAll(() => t.close());

  it('knows every route and has a sample body for each that takes one', () => {
    const routes = t.server.embargoRoutes;
    expect(routes.length).toBeGreaterThan(25);
    const missing = routes.filter((r) => !BODILESS.has(r.method) && r.schema.body && !(`${r.method} ${r.url}` in SAMPLE_BODIES));
    expect(missing.map((r) => `${r.method} ${r.url}`)).toEqual([]);
  });

  it.each(OUTSIDERS)('gives %s, outside the access list, 404 on every route of the case, and leaks nothing elsewhere', async (who) => {
    const outcomes: string[] = [];
    for (const r of t.server.embargoRoutes) {
      const res = await request(who, r.method, r.url, secret.id);
      const text = JSON.stringify(res.body);
      outcomes.push(`${r.method} ${r.url} -> ${res.status}`);
      expect(res.status, `${r.method} ${r.url}`).toBeLessThan(500);
      expect(text, `${r.method} ${r.url} leaks the title`).not.toContain(secret.title);
      expect(text, `${r.method} ${r.url} leaks the codename`).not.toContain(secret.codename);
      if (r.url.includes(':caseId')) {
        expect(res.status, `${r.method} ${r.url}`).toBe(404);
        // The same answer as for a case that does not exist: nothing to learn from probing ids.
        const ghost = await request(who, r.method, r.url, 'EMB-2026-9999');
        expect(ghost.status).toBe(404);
        expect(res.body.error.message.replace(secret.id, 'X')).toBe(ghost.body.error.message.replace('EMB-2026-9999', 'X'));
      } else if (r.auth === 'admin') {
        expect(res.status, `${r.method} ${r.url}`).toBe(403);
      } else {
        expect(text, `${r.method} ${r.url} leaks the id`).not.toContain(secret.id);
      }
    }
    expect(outcomes.length).toBe(t.server.embargoRoutes.length);
  });

  it('never lists or finds the case for an outsider, but does for a member on the list', async () => {
    for (const q of ['', 'xyzzy', secret.id, secret.codename]) {
      const url = q ? `/api/v1/cases?q=${encodeURIComponent(q)}` : '/api/v1/cases';
      for (const who of OUTSIDERS) {
        const outsider = await client(t.server, tokens[who]).get(url);
        expect(outsider.status).toBe(200);
        expect(outsider.body.cases.map((c: { id: string }) => c.id)).not.toContain(secret.id);
      }
      const insider = await client(t.server, tokens.alice).get(url);
      expect(insider.body.cases.map((c: { id: string }) => c.id)).toContain(secret.id);
    }
  });

  it('lets the member on the list reach every read route of the case', async () => {
    for (const r of t.server.embargoRoutes.filter((r) => r.url.includes(':caseId') && r.method === 'GET')) {
      const res = await request('alice', r.method, r.url, secret.id);
      expect(res.status, `${r.method} ${r.url}`).toBe(200);
    }
  });

  it("answers another project's members about the case's project as about one that does not exist", async () => {
    for (const who of ['olga', 'pete']) {
      const seen = await client(t.server, tokens[who]).get('/api/v1/projects');
      expect(seen.body.projects.map((p: { id: string }) => p.id)).toEqual(['other']);
      const contour = await client(t.server, tokens[who]).get('/api/v1/projects/contour');
      const ghost = await client(t.server, tokens[who]).get('/api/v1/projects/no-such-project');
      expect([contour.status, ghost.status]).toEqual([404, 404]);
      expect(contour.body.error.message.replaceAll('contour', 'X')).toBe(ghost.body.error.message.replaceAll('no-such-project', 'X'));
    }
  });

  it('asks for credentials on every non-public route', async () => {
    for (const r of t.server.embargoRoutes.filter((r) => r.auth !== 'public')) {
      const res = await request(undefined, r.method, r.url, secret.id);
      expect(res.status, `${r.method} ${r.url}`).toBe(401);
      expect(res.body.error.code).toBe('unauthorized');
    }
  });

  it('left the case untouched by all those attempts', async () => {
    const now = await client(t.server, tokens.root).get(`/api/v1/cases/${secret.id}`);
    expect(now.body.revision).toBe(secret.revision);
    expect(now.body.title).toBe(secret.title);
  });
});
