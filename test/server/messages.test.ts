/**
 * The outbox over the API: the case's team sees its messages and can take the web-interface path
 * (copy, then mark as sent); anyone else gets 404 and changes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enqueueMessage } from '../../src/store/outbox.js';
import { client, startApp, userWithToken, type TestApp } from '../support/app.js';
import { storeFactories } from '../support/databases.js';

describe.each(storeFactories())('messages API ($name)', ({ open }) => {
  let t: TestApp;
  let alice: ReturnType<typeof client>;
  let mallory: ReturnType<typeof client>;
  let admin: ReturnType<typeof client>;
  let caseId: string;
  let messageId: string;

  beforeAll(async () => {
    t = await startApp(open);
    admin = client(t.server, (await userWithToken(t.app, 'root', 'admin')).token);
    alice = client(t.server, (await userWithToken(t.app, 'alice')).token);
    mallory = client(t.server, (await userWithToken(t.app, 'mallory')).token);
    caseId = (await admin.post('/api/v1/cases', { title: 'Embargoed thing' })).body.id;
    await admin.put(`/api/v1/cases/${caseId}/access/alice`);
    const { message } = await t.app.store.write((tx) =>
      enqueueMessage(tx, {
        caseId,
        kind: 'distributors-notice',
        idempotencyKey: `distributors-notice:${caseId}:1`,
        from: 'cncf-contour-maintainers@lists.cncf.io',
        to: ['cncf-contour-distributors-announce@lists.cncf.io'],
        subject: '#security Upcoming Contour security release',
        body: 'The notice text.',
        createdBy: 'root',
        now: new Date('2026-11-25T10:00:00Z'),
      }),
    );
    messageId = message.id;
  });
  afterAll(() => t.close());

  it("shows the case's messages to its team only", async () => {
    const listed = await alice.get(`/api/v1/cases/${caseId}/messages`);
    expect(listed.status).toBe(200);
    expect(listed.body.messages.map((m: { id: string; status: string }) => [m.id, m.status])).toEqual([[messageId, 'queued']]);
    expect((await mallory.get(`/api/v1/cases/${caseId}/messages`)).status).toBe(404);
  });

  it('refuses an outsider every action on the message, with the answer for an unknown id', async () => {
    for (const action of ['copy', 'retry', 'mark-sent']) {
      const res = await mallory.post(`/api/v1/messages/${messageId}/${action}`, {});
      expect(res.status, action).toBe(404);
      expect(JSON.stringify(res.body)).not.toContain('cncf-contour');
    }
    const still = await alice.get(`/api/v1/cases/${caseId}/messages`);
    expect(still.body.messages[0].status).toBe('queued');
  });

  it('copies the exact text and addresses, then records who marked it sent and when', async () => {
    const copied = await alice.post(`/api/v1/messages/${messageId}/copy`);
    expect(copied.status).toBe(200);
    expect(copied.body).toMatchObject({
      to: ['cncf-contour-distributors-announce@lists.cncf.io'],
      subject: '#security Upcoming Contour security release',
      body: 'The notice text.',
    });
    // Copying again (a lost clipboard) gives the same text; the worker still never sends it.
    const again = await alice.post(`/api/v1/messages/${messageId}/copy`);
    expect(again.body.body).toBe('The notice text.');
    expect((await alice.get(`/api/v1/cases/${caseId}/messages`)).body.messages[0].status).toBe('copied');
    const future = await alice.post(`/api/v1/messages/${messageId}/mark-sent`, { at: '2030-01-01T00:00:00Z' });
    expect(future.status).toBe(400);
    const sent = await alice.post(`/api/v1/messages/${messageId}/mark-sent`, { at: '2026-11-25T09:30:00Z' });
    expect(sent.status).toBe(200);
    expect(sent.body).toMatchObject({ status: 'sent', sentBy: 'alice', sentAt: '2026-11-25T09:30:00.000Z' });
    expect((await alice.post(`/api/v1/messages/${messageId}/retry`)).status).toBe(409);
    const trail = await alice.get(`/api/v1/cases/${caseId}/events`);
    const actions = trail.body.events.map((e: { action: string }) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['message.copied', 'message.marked_sent']));
  });

  it('lists messages needing a person for admins only', async () => {
    expect((await admin.get('/api/v1/messages/attention')).status).toBe(200);
    expect((await alice.get('/api/v1/messages/attention')).status).toBe(403);
  });
});
