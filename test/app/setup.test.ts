/** The first-run setup link: stored hashed, single use, expires, replaced by a newer one, only while nobody is set up. */
import { afterEach, describe, expect, it } from 'vitest';
import { SETUP_LINK_TTL_MS, issueSetupLink } from '../../src/app/setup.js';
import { getSetting } from '../../src/store/settings.js';
import { client, startApp, type TestApp } from '../support/app.js';
import { storeFactories } from '../support/databases.js';

describe.each(storeFactories())('setup link ($name)', ({ open }) => {
  let t: TestApp;
  afterEach(() => t.close());
  const body = (secret: string, username = 'ada') => ({ secret, username, password: 'a long enough password' });

  it('keeps only a hash, works once, and signs the first admin in', async () => {
    t = await startApp(open);
    const anyone = client(t.server);
    expect((await anyone.get('/api/v1/setup')).body).toEqual({ needed: true });
    const link = (await issueSetupLink(t.app))!;
    const stored = await t.app.store.read((db) => getSetting(db, 'setup.link'));
    expect(stored).not.toContain(link.secret);
    expect(stored).toMatch(/"hash":"[0-9a-f]{64}"/);

    const wrong = await anyone.post('/api/v1/setup', body(`${link.secret.slice(0, -1)}x`));
    expect(wrong.status).toBe(403);
    expect(wrong.body.error.message).toMatch(/setup link is not valid/);
    const first = await anyone.post('/api/v1/setup', body(link.secret, 'ada'));
    expect(first.status).toBe(200);
    expect(first.body.user).toMatchObject({ username: 'ada', role: 'admin' });
    expect(first.body.csrfToken).toMatch(/.{20,}/);
    expect(String(first.headers['set-cookie'])).toMatch(/embargo_session=.+HttpOnly.*SameSite=Strict/i);

    const again = await anyone.post('/api/v1/setup', body(link.secret, 'eve'));
    expect(again.status).toBe(403);
    expect((await anyone.get('/api/v1/setup')).body).toEqual({ needed: false });
    expect(await issueSetupLink(t.app)).toBeNull();
  });

  it('refuses an expired link and one replaced by a newer start, and a bad password spends nothing', async () => {
    t = await startApp(open);
    const anyone = client(t.server);
    const old = (await issueSetupLink(t.app))!;
    const current = (await issueSetupLink(t.app))!;
    expect((await anyone.post('/api/v1/setup', body(old.secret))).status).toBe(403);
    const short = await anyone.post('/api/v1/setup', { ...body(current.secret), password: 'short' });
    expect(short.status).toBe(400);
    t.setNow(new Date(Date.parse('2026-11-25T10:00:00Z') + SETUP_LINK_TTL_MS + 1000));
    const late = await anyone.post('/api/v1/setup', body(current.secret));
    expect(late.status).toBe(403);
    expect((await anyone.get('/api/v1/setup')).body).toEqual({ needed: true });
  });
});
