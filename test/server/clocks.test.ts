/**
 * GET /api/v1/cases/:caseId/clocks and the overview's clocks: the project's zone and holidays count,
 * the clock moves with the app's clock, need-to-know holds and the read is audited.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listEvents } from '../../src/store/events.js';
import { client, startApp, userWithToken, type TestApp } from '../support/app.js';
import { storeFactories } from '../support/databases.js';

describe.each(storeFactories())('case clocks ($name)', ({ open }) => {
  let t: TestApp;
  let admin: ReturnType<typeof client>;
  let bob: ReturnType<typeof client>;
  let id: string;

  beforeAll(async () => {
    // Friday 2026-12-04 15:00 Berlin.
    t = await startApp(open, '2026-12-04T14:00:00Z');
    admin = client(t.server, (await userWithToken(t.app, 'root', 'admin')).token);
    bob = client(t.server, (await userWithToken(t.app, 'bob', 'member')).token);
    const edited = await admin.patch('/api/v1/projects/contour', { settings: { timeZone: 'Europe/Berlin', holidays: ['2026-12-08'] } });
    expect(edited.status).toBe(200);
    id = (await admin.post('/api/v1/cases', { title: 'Header injection', reporter: { name: 'R', contact: 'r@example.org' } })).body.id;
  });
  afterAll(() => t.close());

  const ack = async () => {
    const res = await admin.get(`/api/v1/cases/${id}/clocks`);
    expect(res.status).toBe(200);
    return res.body.clocks.find((k: { id: string }) => k.id === 'acknowledge');
  };

  it('counts business days in the project zone, skipping the weekend and the holiday', async () => {
    expect(await ack()).toMatchObject({ status: 'due', dueLocal: '2026-12-11 00:00 Europe/Berlin' });
    t.setNow('2026-12-09T22:59:00Z'); // Wednesday 23:59 Berlin
    expect((await ack()).status).toBe('due');
    t.setNow('2026-12-09T23:00:00Z'); // Thursday 00:00 Berlin: the last business day
    expect((await ack()).status).toBe('at-risk');
    t.setNow('2026-12-10T23:00:00Z');
    expect((await ack()).status).toBe('overdue');
  });

  it('shows the clocks in the overview, audits the read, and hides the case from who may not see it', async () => {
    const overview = await admin.get(`/api/v1/cases/${id}/overview`);
    expect(overview.body.clocks).toMatchObject({ caseId: id, timeZone: 'Europe/Berlin' });
    expect(overview.body.clocks.clocks.map((k: { id: string }) => k.id)).toEqual([
      'acknowledge',
      'update-reporter',
      'triage',
      'distributors-answer',
      'disclosure-target',
      'embargo-end',
    ]);
    expect((await bob.get(`/api/v1/cases/${id}/clocks`)).status).toBe(404);
    const reads = await t.app.store.read((db) => listEvents(db, { caseId: id, limit: 1000 }));
    expect(reads.some((e) => e.action === 'case.read' && (e.details as { what: string }).what === 'clocks')).toBe(true);
  });
});
