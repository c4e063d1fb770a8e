/**
 * Accounts and sessions as a browser and a CI job see them: argon2id at rest, HttpOnly SameSite
 * cookies, CSRF on every state change, revocable sessions and tokens, secrets never stored or logged.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeFactories } from '../support/databases.js';
import { client, PASSWORD, startApp, userWithToken, type TestApp } from '../support/app.js';

describe.each(storeFactories())('accounts, sessions and tokens ($name)', ({ open }) => {
  let t: TestApp;
  let adminToken: string;

  beforeAll(async () => {
    t = await startApp(open);
    adminToken = (await userWithToken(t.app, 'root', 'admin')).token;
    await userWithToken(t.app, 'bob', 'member');
  });
  afterAll(() => t.close());

  const signIn = async (username = 'bob', password = PASSWORD) => {
    const res = await client(t.server).post('/api/v1/session', { username, password });
    const setCookie = String(res.headers['set-cookie'] ?? '');
    const cookie = /embargo_session=([^;]+)/.exec(setCookie)?.[1];
    return { res, setCookie, cookie: cookie ? `embargo_session=${cookie}` : '' };
  };

  it('stores passwords as argon2id hashes and tokens only as hashes', async () => {
    const users = await t.app.store.db.selectFrom('users').select(['username', 'password_hash']).execute();
    for (const u of users) {
      expect(u.password_hash).toMatch(/^\$argon2id\$/);
      expect(u.password_hash).not.toContain(PASSWORD);
    }
    const tokens = await t.app.store.db.selectFrom('api_tokens').select('token_hash').execute();
    expect(tokens.length).toBeGreaterThan(0);
    expect(tokens.map((r) => r.token_hash)).not.toContain(adminToken);
    const dump = JSON.stringify(await t.app.store.db.selectFrom('events').selectAll().execute());
    expect(dump).not.toContain(adminToken);
    expect(dump).not.toContain(PASSWORD);
  });

  it('signs in with an HttpOnly, SameSite=Strict cookie whose value is not stored', async () => {
    const { res, setCookie, cookie } = await signIn();
    expect(res.status).toBe(200);
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Strict/i);
    expect(res.body.csrfToken).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    const sessions = await t.app.store.db.selectFrom('sessions').select('id').execute();
    expect(sessions.map((s) => s.id)).not.toContain(cookie.split('=')[1]);
  });

  it('refuses a wrong password and an unknown user with the same answer, and audits both', async () => {
    const wrong = await signIn('bob', 'not the password at all');
    const nobody = await signIn('nobody', 'not the password at all');
    expect(wrong.res.status).toBe(401);
    expect(nobody.res.status).toBe(401);
    expect(wrong.res.body.error.message).toBe(nobody.res.body.error.message);
    const failed = await t.app.store.db.selectFrom('events').select('action').where('action', '=', 'session.sign-in-failed').execute();
    expect(failed.length).toBeGreaterThanOrEqual(2);
  });

  it('requires the CSRF token for every change made with a cookie', async () => {
    const { res, cookie } = await signIn();
    const browser = client(t.server);
    const without = await browser.call('POST', '/api/v1/cases', { title: 'From a forged form' }, { cookie });
    expect(without.status).toBe(403);
    expect(without.body.error.message).toMatch(/CSRF/);
    const wrong = await browser.call('POST', '/api/v1/cases', { title: 'Forged' }, { cookie, 'x-csrf-token': 'guess' });
    expect(wrong.status).toBe(403);
    const ok = await browser.call('POST', '/api/v1/cases', { title: 'From the app' }, { cookie, 'x-csrf-token': res.body.csrfToken });
    expect(ok.status).toBe(201);
    // Reads need no CSRF token.
    expect((await browser.call('GET', '/api/v1/cases', undefined, { cookie })).status).toBe(200);
  });

  it('revokes the session on sign-out, server-side', async () => {
    const { res, cookie } = await signIn();
    const browser = client(t.server);
    expect((await browser.call('GET', '/api/v1/session', undefined, { cookie })).status).toBe(200);
    expect((await browser.call('DELETE', '/api/v1/session', undefined, { cookie, 'x-csrf-token': res.body.csrfToken })).status).toBe(204);
    expect((await browser.call('GET', '/api/v1/session', undefined, { cookie })).status).toBe(401);
  });

  it('expires sessions after the configured time', async () => {
    const start = t.app.clock();
    const ttl = t.app.config.sessionTtlHours * 3_600_000;
    const { cookie } = await signIn();
    const cases = () => client(t.server).call('GET', '/api/v1/cases', undefined, { cookie });
    try {
      t.setNow(new Date(start.getTime() + ttl - 60_000));
      expect((await cases()).status).toBe(200);
      t.setNow(new Date(start.getTime() + ttl + 60_000));
      expect((await cases()).status).toBe(401);
    } finally {
      // The clock is shared by the tests after this one.
      t.setNow(start);
    }
  });

  it('shows a new API token once, lists it without the secret, and honours revocation and scopes', async () => {
    const bob = await signIn();
    const browser = client(t.server);
    const headers = { cookie: bob.cookie, 'x-csrf-token': bob.res.body.csrfToken };
    const created = await browser.call('POST', '/api/v1/tokens', { name: 'ci', scopes: ['read'] }, headers);
    expect(created.status).toBe(201);
    expect(created.body.token).toMatch(/^emb_/);
    const listed = await browser.call('GET', '/api/v1/tokens', undefined, headers);
    expect(JSON.stringify(listed.body)).not.toContain(created.body.token);
    const ci = client(t.server, created.body.token);
    expect((await ci.get('/api/v1/cases')).status).toBe(200);
    const write = await ci.post('/api/v1/cases', { title: 'Read-only token tries to write' });
    expect(write.status).toBe(403);
    expect(write.body.error.message).toMatch(/write/);
    expect((await browser.call('DELETE', `/api/v1/tokens/${created.body.id}`, undefined, headers)).status).toBe(204);
    const revoked = await ci.get('/api/v1/cases');
    expect(revoked.status).toBe(401);
    expect(revoked.body.error.message).toMatch(/revoked/);
  });

  it('lets only admins add users', async () => {
    const member = (await userWithToken(t.app, 'carol', 'member')).token;
    expect((await client(t.server, member).post('/api/v1/users', { username: 'dave', password: PASSWORD })).status).toBe(403);
    const added = await client(t.server, adminToken).post('/api/v1/users', { username: 'dave', password: PASSWORD });
    expect(added.status).toBe(201);
    expect(added.body).not.toHaveProperty('passwordHash');
    expect(JSON.stringify(added.body)).not.toContain('argon2');
  });

  it('serves an OpenAPI 3 document that lists every API route', async () => {
    const doc = await client(t.server).get('/api/v1/openapi.json');
    expect(doc.status).toBe(200);
    expect(doc.body.openapi).toMatch(/^3\./);
    const documented = Object.entries(doc.body.paths as Record<string, Record<string, unknown>>).flatMap(([path, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`),
    );
    const api = t.server.embargoRoutes.filter((r) => r.url.startsWith('/api/v1/') && r.url !== '/api/v1/openapi.json');
    for (const r of api) expect(documented, `${r.method} ${r.url}`).toContain(`${r.method} ${r.url}`);
  });

  it('sends security headers, including a strict CSP, on the web page', async () => {
    const page = await client(t.server).get('/');
    expect(page.status).toBe(200);
    expect(String(page.headers['content-security-policy'])).toMatch(/default-src 'self'/);
    expect(page.headers['x-content-type-options']).toBe('nosniff');
  });

  it('sends the same security headers on API answers, refusals and unknown URLs', async () => {
    for (const [url, status] of [
      ['/api/v1/health', 200],
      ['/api/v1/cases', 401],
      ['/api/v1/no-such-route', 404],
    ] as const) {
      const res = await client(t.server).get(url);
      expect(res.status, url).toBe(status);
      expect(String(res.headers['content-security-policy']), url).toContain("frame-ancestors 'none'");
      expect(res.headers['x-frame-options'], url).toBe('SAMEORIGIN');
      expect(res.headers['strict-transport-security'], url).toMatch(/max-age=\d+/);
      expect(res.headers['x-powered-by'], url).toBeUndefined();
    }
  });
});
