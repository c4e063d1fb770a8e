/**
 * Closing a report without an advisory over the API: who may close and reopen, a duplicate must name
 * a case the closer may see, a published case cannot be rejected, and the guard's terms file drops a
 * closed report's codename.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, startApp, userWithToken, type TestApp } from '../support/app.js';
import { storeFactories } from '../support/databases.js';

describe.each(storeFactories())('closing a report without an advisory ($name)', ({ open }) => {
  let t: TestApp;
  let root: ReturnType<typeof client>;
  let alice: ReturnType<typeof client>;
  let guardToken: ReturnType<typeof client>;

  beforeAll(async () => {
    t = await startApp(open);
    root = client(t.server, (await userWithToken(t.app, 'root', 'admin', ['read', 'write', 'guard'])).token);
    alice = client(t.server, (await userWithToken(t.app, 'alice', 'member')).token);
    guardToken = root;
  });
  afterAll(() => t.close());

  it('lets a member on the case close it, only an admin reopen it, and keeps every rule in a 4xx', async () => {
    const c = (await alice.post('/api/v1/cases', { title: 'Looks like a bug' })).body;
    const hidden = (await root.post('/api/v1/cases', { title: 'A case alice is not on' })).body;
    const terms = async () => (await guardToken.get('/api/v1/guard/terms')).body.cases.length as number;
    const before = await terms();

    // A duplicate of a case alice may not see is answered like an unknown case.
    const dupHidden = await alice.post(`/api/v1/cases/${c.id}/resolution`, {
      outcome: 'duplicate',
      duplicateOf: hidden.id,
      reason: 'same',
    });
    expect(dupHidden.status).toBe(404);
    expect(dupHidden.body.error.message).toBe(`case ${hidden.id} not found`);
    expect((await alice.post(`/api/v1/cases/${c.id}/resolution`, { outcome: 'rejected', reason: ' ' })).status).toBe(400);
    expect(
      (await alice.post(`/api/v1/cases/${c.id}/resolution`, { outcome: 'withdrawn', reason: 'x', category: 'out-of-scope' })).status,
    ).toBe(400);

    const rejected = await alice.post(`/api/v1/cases/${c.id}/resolution`, { outcome: 'rejected', reason: 'works as documented' });
    expect(rejected.status).toBe(200);
    expect(rejected.body).toMatchObject({
      status: 'rejected',
      resolution: { outcome: 'rejected', category: 'not-a-vulnerability', duplicateOf: null, reason: 'works as documented', by: 'alice' },
    });
    expect(await terms()).toBe(before - 1);

    const notAdmin = await alice.post(`/api/v1/cases/${c.id}/reopen`, { reason: 'new info' });
    expect(notAdmin.status).toBe(403);
    expect(notAdmin.body.error.message).toBe('only an admin of project contour can reopen a closed report');
    const reopened = await root.post(`/api/v1/cases/${c.id}/reopen`, { reason: 'new info' });
    expect(reopened.status).toBe(200);
    expect(reopened.body).toMatchObject({ status: 'reported', resolution: null });
    expect((await root.post(`/api/v1/cases/${c.id}/reopen`, { reason: 'again' })).status).toBe(409);
    expect(await terms()).toBe(before);
  });

  it('refuses to reject a case whose advisory is published', async () => {
    const c = (await root.post('/api/v1/cases', { title: 'Published one' })).body;
    expect((await root.patch(`/api/v1/cases/${c.id}`, { publishedAt: '2026-11-20T10:00:00Z' })).status).toBe(200);
    const r = await root.post(`/api/v1/cases/${c.id}/resolution`, { outcome: 'rejected', reason: 'too late' });
    expect(r.status).toBe(409);
    expect(r.body.error.message).toBe(
      `the advisory of ${c.id} is published; a published case ends with its retrospective, not as rejected`,
    );
  });
});
