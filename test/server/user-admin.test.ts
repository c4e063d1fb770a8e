/**
 * An admin changes a user (PATCH /users/:username): role, display name, disabled. A demoted admin
 * loses admin routes on their next request, a disabled user's token and session stop working at
 * once, and Embargo always keeps one admin who can sign in.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, PASSWORD, startApp, userWithToken, type TestApp } from '../support/app.js';
import { storeFactories } from '../support/databases.js';

describe.each(storeFactories())('user administration ($name)', ({ open }) => {
  let t: TestApp;
  let root: ReturnType<typeof client>;
  beforeAll(async () => {
    t = await startApp(open);
    const r = await userWithToken(t.app, 'root', 'admin');
    root = client(t.server, r.token);
  });
  afterAll(() => t.close());

  it('promotes and demotes, taking effect on the next request, with one event per real change', async () => {
    const ann = await userWithToken(t.app, 'ann', 'member');
    const annApi = client(t.server, ann.token);
    expect((await annApi.get('/api/v1/users')).status).toBe(403);

    const promoted = await root.patch('/api/v1/users/ann', { role: 'admin', displayName: 'Ann Admin' });
    expect(promoted.status, JSON.stringify(promoted.body)).toBe(200);
    expect(promoted.body).toMatchObject({ username: 'ann', role: 'admin', displayName: 'Ann Admin', disabledAt: null });
    expect((await annApi.get('/api/v1/users')).status).toBe(200);

    // Repeating the edit changes nothing and records nothing.
    expect((await root.patch('/api/v1/users/ann', { role: 'admin' })).status).toBe(200);
    const events = await t.app.store.read((db) =>
      db.selectFrom('events').select(['action', 'actor', 'details']).where('action', '=', 'user.changed').execute(),
    );
    expect(events).toHaveLength(1);
    expect(events[0]!.actor).toBe('root');
    expect(JSON.parse(String(events[0]!.details))).toEqual({ user: 'ann', role: 'admin', displayName: 'Ann Admin' });

    expect((await root.patch('/api/v1/users/ann', { role: 'member' })).body.role).toBe('member');
    expect((await annApi.get('/api/v1/users')).status).toBe(403);
  });

  it('disables a user: their token and their session stop at once, and enabling restores them', async () => {
    const dan = await userWithToken(t.app, 'dan', 'member');
    const danApi = client(t.server, dan.token);
    const signedIn = await client(t.server).post('/api/v1/session', { username: 'dan', password: PASSWORD });
    const cookie = /embargo_session=[^;]+/.exec(String(signedIn.headers['set-cookie']))![0];
    expect((await client(t.server).call('GET', '/api/v1/session', undefined, { cookie })).status).toBe(200);

    const off = await root.patch('/api/v1/users/dan', { disabled: true });
    expect(off.status).toBe(200);
    expect(off.body.disabledAt).toBeTruthy();
    expect((await danApi.get('/api/v1/cases')).status).toBe(401);
    expect((await client(t.server).call('GET', '/api/v1/session', undefined, { cookie })).status).toBe(401);
    expect((await client(t.server).post('/api/v1/session', { username: 'dan', password: PASSWORD })).status).toBe(401);
    const listed = (await root.get('/api/v1/users')).body.users.find((u: { username: string }) => u.username === 'dan');
    expect(listed.disabledAt).toBe(off.body.disabledAt);

    expect((await root.patch('/api/v1/users/dan', { disabled: false })).body.disabledAt).toBeNull();
    expect((await danApi.get('/api/v1/cases')).status).toBe(200);
  });

  it('keeps one admin who can sign in, and refuses what is not a change', async () => {
    // root is the only enabled admin: neither demoted nor disabled (and never by themselves).
    const demote = await root.patch('/api/v1/users/root', { role: 'member' });
    expect(demote.status).toBe(409);
    expect(demote.body.error.message).toMatch(/last admin who can sign in/);
    const self = await root.patch('/api/v1/users/root', { disabled: true });
    expect(self.status).toBe(400);
    expect(self.body.error.message).toMatch(/cannot disable your own account/);

    const eve = await userWithToken(t.app, 'eve', 'admin');
    expect((await root.patch('/api/v1/users/root', { role: 'member' })).status).toBe(200);
    // Now eve is the last admin; the demoted root may no longer administer users.
    expect((await root.patch('/api/v1/users/eve', { disabled: true })).status).toBe(403);
    const eveApi = client(t.server, eve.token);
    expect((await eveApi.patch('/api/v1/users/root', { role: 'admin' })).status).toBe(200);

    expect((await root.patch('/api/v1/users/nobody', { role: 'admin' })).status).toBe(404);
    expect((await root.patch('/api/v1/users/eve', {})).status).toBe(400);
    expect((await root.patch('/api/v1/users/eve', { role: 'owner' })).status).toBe(400);
    expect((await root.patch('/api/v1/users/eve', { displayName: '   ' })).status).toBe(400);
  });

  it('lists GitHub logins beside each user', async () => {
    expect((await root.put('/api/v1/users/eve/github-login', { login: 'eve-gh' })).status).toBe(200);
    const users = (await root.get('/api/v1/users')).body.users as { username: string; githubLogin: string | null }[];
    expect(users.find((u) => u.username === 'eve')?.githubLogin).toBe('eve-gh');
    expect(users.find((u) => u.username === 'ann')?.githubLogin).toBeNull();
  });
});
