/** How the server hands out the web app: the production build, a strict CSP, no caching of anything signed-in, client routes. */
import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_WEB_ROOT } from '../../src/server/web.js';
import { client, startApp, userWithToken, type TestApp } from '../support/app.js';
import { sqliteFactory } from '../support/databases.js';

describe('serving the web app', () => {
  let t: TestApp;
  let token: string;
  beforeAll(async () => {
    t = await startApp(sqliteFactory().open);
    token = (await userWithToken(t.app, 'ada', 'admin')).token;
  });
  afterAll(() => t.close());

  it('answers / with the built index.html under a CSP that allows no inline script or style, never cached', async () => {
    const page = await client(t.server).get('/');
    expect(page.status).toBe(200);
    expect(page.body).toBe(readFileSync(`${DEFAULT_WEB_ROOT}index.html`, 'utf8'));
    expect(page.body).toMatch(/<script type="module" crossorigin src="\/assets\/index-[\w-]+\.js"><\/script>/);
    // The build has no inline script or style for the CSP to refuse.
    expect(page.body).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(page.body).not.toMatch(/<style|style=/);
    const csp = String(page.headers['content-security-policy']);
    for (const directive of [
      "default-src 'self'",
      "script-src 'self'",
      "style-src 'self'",
      "script-src-attr 'none'",
      "style-src-attr 'none'",
      "object-src 'none'",
      "frame-ancestors 'none'",
    ]) {
      expect(csp).toContain(directive);
    }
    expect(csp).not.toContain('unsafe-inline');
    expect(page.headers['cache-control']).toBe('no-store');
  });

  it('falls back to index.html for client-side routes, but not for the API or assets', async () => {
    const index = (await client(t.server).get('/')).body;
    for (const route of ['/cases/EMB-2026-0001', '/setup', '/no/such/page']) {
      const res = await client(t.server).call('GET', route, undefined, { accept: 'text/html' });
      expect(res.status, route).toBe(200);
      expect(res.body, route).toBe(index);
    }
    const api = await client(t.server).get('/api/v1/no-such-route');
    expect(api.status).toBe(404);
    expect(api.body.error.code).toBe('not_found');
    expect((await client(t.server).get('/assets/no-such-file.js')).status).toBe(404);
    expect((await client(t.server).post('/cases/EMB-2026-0001', {})).status).toBe(404);
  });

  it('is the production build: React without its development checks', () => {
    const entry = readdirSync(`${DEFAULT_WEB_ROOT}assets`).find((f) => f.startsWith('index-') && f.endsWith('.js'))!;
    const code = readFileSync(`${DEFAULT_WEB_ROOT}assets/${entry}`, 'utf8');
    // Development React warns about missing keys; the production build has no such text.
    expect(code).not.toContain('unique "key" prop');
  });

  it('serves the hashed assets for a long time, and every API answer with no-store', async () => {
    const assets = readdirSync(`${DEFAULT_WEB_ROOT}assets`);
    const js = assets.find((f) => f.startsWith('index-') && f.endsWith('.js'))!;
    const asset = await client(t.server).get(`/assets/${js}`);
    expect(asset.status).toBe(200);
    expect(asset.headers['content-type']).toMatch(/javascript/);
    expect(asset.headers['cache-control']).toMatch(/max-age=31536000.*immutable/);
    const traversal = await client(t.server).get('/assets/..%2f..%2fpackage.json');
    expect(traversal.status).toBeGreaterThanOrEqual(400);
    expect(JSON.stringify(traversal.body)).not.toContain('"embargo"');

    const signedIn = client(t.server, token);
    for (const url of ['/api/v1/session', '/api/v1/cases', '/api/v1/dashboard']) {
      const res = await signedIn.get(url);
      expect(res.status, url).toBe(200);
      expect(res.headers['cache-control'], url).toBe('no-store');
    }
    expect((await client(t.server).get('/api/v1/cases')).headers['cache-control']).toBe('no-store');
  });

  it('keeps serving the reporters’ pages', async () => {
    const form = await client(t.server).get('/report');
    expect(form.status).toBe(200);
    expect(form.body).toContain('Report a security vulnerability');
    expect((await client(t.server).get('/report.js')).status).toBe(200);
    expect((await client(t.server).get('/portal.js')).status).toBe(200);
  });
});
