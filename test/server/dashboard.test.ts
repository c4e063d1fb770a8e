/**
 * GET /api/v1/dashboard: the cases the viewer may see with severity, next step and its blockers, new
 * reports and replies, unanswered distributors and failed mail; one audited read naming the cases.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, startApp, userWithToken, type TestApp } from '../support/app.js';
import { storeFactories } from '../support/databases.js';

describe.each(storeFactories())('dashboard ($name)', ({ open }) => {
  let t: TestApp;
  let admin: ReturnType<typeof client>;
  let alice: ReturnType<typeof client>;
  let formCase: string;
  let scored: string;

  beforeAll(async () => {
    t = await startApp(open);
    admin = client(t.server, (await userWithToken(t.app, 'root', 'admin')).token);
    alice = client(t.server, (await userWithToken(t.app, 'alice', 'member')).token);
    const report = await client(t.server).post('/api/v1/reports', {
      title: 'Header injection',
      description: 'A crafted header reaches the upstream.',
      reporter: { name: 'Rea Porter', contact: 'rea@example.org' },
    });
    expect(report.status).toBe(201);
    // The form answers with a reference that reveals no count; the team finds the case by it.
    formCase = (await admin.get(`/api/v1/cases?q=${report.body.reference}`)).body.cases[0].id;
    const reply = await client(t.server).call(
      'POST',
      '/api/v1/portal/replies',
      { body: 'Any news?' },
      {
        'x-portal-token': String(report.body.portalUrl).split('/').pop()!,
      },
    );
    expect(reply.status).toBeLessThan(300);
    scored = (await admin.post('/api/v1/cases', { title: 'Slow loris', reporter: { name: 'R', contact: 'r@example.org' } })).body.id;
    await admin.patch(`/api/v1/cases/${scored}`, {
      cvss: ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:N/A:N', 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H'],
    });
    expect((await admin.put(`/api/v1/cases/${scored}/access/alice`)).status).toBe(200);
  });
  afterAll(() => t.close());

  it('answers each case with what it needs next, and records one read naming the cases', async () => {
    const res = await admin.get('/api/v1/dashboard');
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const byId = Object.fromEntries(res.body.cases.map((c: { id: string }) => [c.id, c]));
    expect(byId[formCase]).toMatchObject({
      newReport: 'form',
      newReplies: 1,
      severity: null,
      next: { id: 'report', number: 1, unmet: [] },
      unansweredDistributors: [],
      mailProblems: 0,
    });
    // The highest-scoring vector stands for the case.
    expect(byId[scored].severity).toEqual({ score: 9.8, rating: 'CRITICAL', vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' });
    expect(byId[scored].newReport).toBeNull();
    const reads = await t.app.store.read((db) =>
      db
        .selectFrom('events')
        .select(['actor', 'case_id', 'details'])
        .where('action', '=', 'case.read')
        .orderBy('seq', 'desc')
        .limit(1)
        .execute(),
    );
    expect(reads[0]!.actor).toBe('root');
    expect(reads[0]!.case_id).toBeNull();
    expect(JSON.parse(reads[0]!.details)).toEqual({ what: 'dashboard', cases: [scored, formCase] });
  });

  it('shows a member only the cases on whose access list they are', async () => {
    const res = await alice.get('/api/v1/dashboard');
    expect(res.body.cases.map((c: { id: string }) => c.id)).toEqual([scored]);
    expect(JSON.stringify(res.body)).not.toContain('Header injection');
    expect((await client(t.server).get('/api/v1/dashboard')).status).toBe(401);
  });

  it('no longer counts a reply once the team wrote to the reporter after it', async () => {
    const sent = await admin.post(`/api/v1/cases/${formCase}/messages`, { kind: 'reporter-ack', via: 'copy' });
    expect(sent.status, JSON.stringify(sent.body)).toBe(201);
    const res = await admin.get('/api/v1/dashboard');
    expect(res.body.cases.find((c: { id: string }) => c.id === formCase).newReplies).toBe(0);
  });

  it('names the clocks at risk or overdue of an open case, and none of a closed one', async () => {
    const before = (await admin.get('/api/v1/dashboard')).body.cases;
    expect(before.find((c: { id: string }) => c.id === formCase).clocks).toEqual([]);
    // Reported on Wednesday 2026-11-25 and acknowledged (the test before): a week on, the reporter
    // is owed an update and triage (5 business days) is due by the end of the day.
    t.setNow('2026-12-02T12:00:00Z');
    const after = Object.fromEntries((await admin.get('/api/v1/dashboard')).body.cases.map((c: { id: string }) => [c.id, c]));
    expect(after[formCase].clocks.map((k: { id: string; status: string }) => [k.id, k.status])).toEqual([
      ['update-reporter', 'overdue'],
      ['triage', 'at-risk'],
    ]);
    expect(after[formCase].clocks[1]).toMatchObject({ title: 'Triage and plan the patch releases', dueLocal: '2026-12-03 00:00 UTC' });
    const closed = await admin.post(`/api/v1/cases/${formCase}/resolution`, { outcome: 'rejected', reason: 'Not a vulnerability' });
    expect(closed.status).toBe(200);
    const later = (await admin.get('/api/v1/dashboard')).body.cases;
    expect(later.find((c: { id: string }) => c.id === formCase).clocks).toEqual([]);
  });
});
