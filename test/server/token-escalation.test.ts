/**
 * Issue 14, item 2: a token cannot mint a stronger token, and admin work that hands out access (users,
 * tokens for others, a case's access list, GitHub logins, the repository advisories go to) needs a
 * session or a token with the read and write scopes. The attacks first, as request sequences.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../../src/app/accounts.js';
import { localActor } from '../../src/app/actor.js';
import { client, PASSWORD, startApp, userWithToken, type TestApp } from '../support/app.js';
import { storeFactories } from '../support/databases.js';

describe.each(storeFactories())('tokens cannot escalate ($name)', ({ open }) => {
  let t: TestApp;
  const tokens: Record<string, string> = {};
  let caseId: string;

  const as = (name: string) => client(t.server, tokens[name]);

  beforeAll(async () => {
    t = await startApp(open);
    tokens.root = (await userWithToken(t.app, 'root', 'admin', ['read', 'write', 'guard'])).token;
    tokens.alice = (await userWithToken(t.app, 'alice', 'member')).token;
    const local = localActor('test');
    const mint = async (username: string, scopes: string[]) =>
      (await createApiToken(t.app, local, { name: `${username} ${scopes}`, username, scopes })).token;
    tokens.aliceWrite = await mint('alice', ['write']);
    tokens.aliceGuard = await mint('alice', ['guard']);
    tokens.rootWrite = await mint('root', ['write']);
    tokens.rootGuard = await mint('root', ['guard', 'write']);
    caseId = (await as('root').post('/api/v1/cases', { title: 'Escalation target' })).body.id;
  });
  afterAll(() => t.close());

  it('refuses a write token that asks for read, write and guard (the attack)', async () => {
    const res = await as('aliceWrite').post('/api/v1/tokens', { name: 'stronger', scopes: ['read', 'write', 'guard'] });
    expect(res.status).toBe(403);
    expect(res.body.error.message).toContain('this one lacks read, guard');
  });

  it('lets a write token create a token with a subset of its own scopes, and defaults to what it has', async () => {
    const same = await as('aliceWrite').post('/api/v1/tokens', { name: 'same', scopes: ['write'] });
    expect(same.status).toBe(201);
    expect(same.body.scopes).toEqual(['write']);
    const defaulted = await as('aliceWrite').post('/api/v1/tokens', { name: 'defaulted' });
    expect(defaulted.status).toBe(201);
    expect(defaulted.body.scopes).toEqual(['write']);
    // Creating a token is a change: a guard-only token may make none.
    const guard = await as('aliceGuard').post('/api/v1/tokens', { name: 'guard again', scopes: ['guard'] });
    expect(guard.status).toBe(403);
    // The minted token is no stronger in use: it still cannot read a case.
    expect((await client(t.server, defaulted.body.token).get(`/api/v1/cases/${caseId}`)).status).toBe(403);
  });

  it('refuses an admin token without read and write the admin work that hands out access', async () => {
    // A write-only admin token may not mint a read token for someone else either.
    const readForAlice = await as('rootWrite').post('/api/v1/admin/tokens', { name: 'for alice', username: 'alice', scopes: ['read'] });
    expect(readForAlice.status).toBe(403);
    for (const name of ['rootWrite', 'rootGuard']) {
      const a = as(name);
      const user = await a.post('/api/v1/users', { username: `mallory${name.length}`, password: PASSWORD, role: 'admin' });
      expect(user.status, `${name} adds an admin`).toBe(403);
      const forOther = await a.post('/api/v1/admin/tokens', { name: 'for alice', username: 'alice', scopes: ['read', 'write', 'guard'] });
      expect(forOther.status, `${name} mints a stronger token for alice`).toBe(403);
      const grant = await a.put(`/api/v1/cases/${caseId}/access/alice`);
      expect(grant.status, `${name} grants access`).toBe(403);
      const login = await a.put('/api/v1/users/root/github-login', { login: 'mallory-gh' });
      expect(login.status, `${name} sets a GitHub login`).toBe(403);
      const connect = await a.put('/api/v1/github/connections/contour', { repository: 'mallory/contour', token: 'ghp_x' });
      expect(connect.status, `${name} connects a repository`).toBe(403);
    }
    // Nothing of it happened.
    const users = await as('root').get('/api/v1/users');
    expect(users.body.users.map((u: { username: string }) => u.username).sort()).toEqual(['alice', 'root']);
    expect((await as('root').get(`/api/v1/cases/${caseId}/access`)).body.access).toEqual([expect.objectContaining({ username: 'root' })]);
  });

  it('still lets a read and write admin token and a session do that work', async () => {
    const readWrite = (await createApiToken(t.app, localActor('test'), { name: 'rw', username: 'root', scopes: ['read', 'write'] })).token;
    const forAlice = await client(t.server, readWrite).post('/api/v1/admin/tokens', {
      name: 'for alice',
      username: 'alice',
      scopes: ['read'],
    });
    expect(forAlice.status).toBe(201);
    const user = await as('root').post('/api/v1/users', { username: 'bob', password: PASSWORD });
    expect(user.status).toBe(201);
    expect((await as('root').put(`/api/v1/cases/${caseId}/access/bob`)).status).toBe(200);
    const signIn = await client(t.server).post('/api/v1/session', { username: 'root', password: PASSWORD });
    expect(signIn.status).toBe(200);
  });
});
