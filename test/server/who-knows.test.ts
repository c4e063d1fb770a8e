/**
 * Who knows, over the API on a real database: the register built from real outbox rows and the
 * distributors list's membership history, disclosures, leaks, the members' answers on the date
 * (stale once the date moves) and the agreed date. Outsiders get 404 on every case route.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enqueueMessage, markCopied, markMessageSent } from '../../src/store/outbox.js';
import { client, startApp, userWithToken, type TestApp } from '../support/app.js';
import { storeFactories } from '../support/databases.js';

const LIST = 'cncf-contour-distributors-announce@lists.cncf.io';
const FROM = 'cncf-contour-maintainers@lists.cncf.io';

describe.each(storeFactories())('who-knows register, leaks and answers ($name)', ({ open }) => {
  let t: TestApp;
  let admin: ReturnType<typeof client>;
  let alice: ReturnType<typeof client>;
  let mallory: ReturnType<typeof client>;
  let caseId: string;
  const member: Record<string, string> = {};
  let sequence = 0;

  /** A real outbox row of the case, sent at `at` (copied, then marked sent, as through the list's web UI). */
  async function sendMail(kind: string, to: string[], at: string, opts: { cc?: string[]; status?: 'sent' | 'copied' | 'queued' } = {}) {
    return t.app.store.write(async (tx) => {
      const { message } = await enqueueMessage(tx, {
        caseId,
        kind,
        idempotencyKey: `${kind}:${caseId}:${++sequence}`,
        from: FROM,
        to,
        cc: opts.cc ?? [],
        subject: `#security ${kind} ${sequence}`,
        body: 'The text.',
        createdBy: 'alice',
        now: new Date(at),
      });
      if (opts.status === 'queued') return message;
      await markCopied(tx, message.id);
      if (opts.status === 'copied') return message;
      return (await markMessageSent(tx, message.id, 'alice', new Date(at)))!;
    });
  }

  beforeAll(async () => {
    t = await startApp(open, '2026-11-25T08:00:00Z');
    admin = client(t.server, (await userWithToken(t.app, 'root', 'admin')).token);
    alice = client(t.server, (await userWithToken(t.app, 'alice')).token);
    mallory = client(t.server, (await userWithToken(t.app, 'mallory')).token);
    caseId = (await admin.post('/api/v1/cases', { title: 'Header smuggling in the frobnicator' })).body.id;
    expect((await admin.put(`/api/v1/cases/${caseId}/access/alice`)).status).toBe(200);
  });
  afterAll(() => t.close());

  it('lets only admins manage the list, and checks what they add', async () => {
    const body = {
      organisation: 'Alpha Linux',
      contact: 'security@alpha.example',
      criteria: ['actively maintained distribution', 'has a security contact'],
      vouchedBy: 'root',
      termsAcceptedAt: '2026-11-24T12:00:00Z',
    };
    expect((await alice.post('/api/v1/distributors', body)).status).toBe(403);
    const added = await admin.post('/api/v1/distributors', body);
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({
      organisation: 'Alpha Linux',
      criteria: body.criteria,
      termsAcceptedAt: '2026-11-24T12:00:00.000Z',
      addedBy: 'root',
      addedAt: '2026-11-25T08:00:00.000Z',
      removedAt: null,
    });
    member.alpha = added.body.id;
    member.beta = (await admin.post('/api/v1/distributors', { organisation: 'Beta OS', contact: 'psirt@beta.example' })).body.id;
    member.gamma = (await admin.post('/api/v1/distributors', { organisation: 'Gamma Cloud', contact: 'sec@gamma.example' })).body.id;

    const twice = await admin.post('/api/v1/distributors', { organisation: 'Alpha again', contact: 'SECURITY@alpha.example' });
    expect(twice.status).toBe(409);
    expect(twice.body.error.message).toContain('already on the list for Alpha Linux');
    const badAddress = await admin.post('/api/v1/distributors', { organisation: 'Nope', contact: 'Nope <nope@example.org>' });
    expect(badAddress.status).toBe(400);
    expect(badAddress.body.error.message).toMatch(/not a plain mail address/);
    const noZone = await admin.post('/api/v1/distributors', {
      organisation: 'Nope',
      contact: 'nope@example.org',
      termsAcceptedAt: '2026-11-24 12:00',
    });
    expect(noZone.status).toBe(400);
    expect(noZone.body.error.message).toMatch(/must say its zone/);

    const listed = await alice.get('/api/v1/distributors');
    expect(listed.status).toBe(200);
    expect(listed.body.distributors.map((d: { organisation: string }) => d.organisation)).toEqual([
      'Alpha Linux',
      'Beta OS',
      'Gamma Cloud',
    ]);
  });

  it('builds the register from sent embargoed mails and who was on the list at that moment', async () => {
    // Beta leaves before the notice; Delta joins after it.
    t.setNow('2026-11-25T09:00:00Z');
    expect((await alice.delete(`/api/v1/distributors/${member.beta}`)).status).toBe(403);
    const removed = await admin.delete(`/api/v1/distributors/${member.beta}`);
    expect(removed.status).toBe(200);
    expect(removed.body.removedAt).toBe('2026-11-25T09:00:00.000Z');
    expect((await admin.delete(`/api/v1/distributors/${member.beta}`)).status).toBe(409);

    const notice = await sendMail('distributors-notice', [LIST], '2026-11-25T10:00:00Z', { cc: ['jane@cloud.example'] });
    await sendMail('users-announcement', ['cncf-contour-users@lists.cncf.io'], '2026-11-25T10:05:00Z');
    await sendMail('distributors-notice', [LIST], '2026-11-25T10:10:00Z', { status: 'queued' });
    const copied = await sendMail('distributors-notice', [LIST], '2026-11-25T10:20:00Z', { status: 'copied' });

    t.setNow('2026-11-25T11:00:00Z');
    member.delta = (await admin.post('/api/v1/distributors', { organisation: 'Delta BSD', contact: 'security@delta.example' })).body.id;
    // Gamma accepts the terms after the notice: at the notice they had not.
    expect((await admin.patch(`/api/v1/distributors/${member.gamma}`, { termsAcceptedAt: '2026-11-25T10:30:00Z' })).status).toBe(200);

    const reg = await alice.get(`/api/v1/cases/${caseId}/register`);
    expect(reg.status).toBe(200);
    expect(reg.body.listAddresses).toEqual([LIST]);
    const rows = reg.body.entries.map(
      (e: { who: string; source: string; acceptedTerms: boolean | null; messageId: string; at: string }) => [
        e.who,
        e.source,
        e.acceptedTerms,
        e.messageId === notice.id,
        e.at,
      ],
    );
    expect(rows).toEqual([
      ['Alpha Linux', 'distributors-list', true, true, '2026-11-25T10:00:00.000Z'],
      ['Gamma Cloud', 'distributors-list', false, true, '2026-11-25T10:00:00.000Z'],
      ['jane@cloud.example', 'direct', null, true, '2026-11-25T10:00:00.000Z'],
    ]);
    expect(
      reg.body.people.map((p: { who: string; receipts: number; withoutTerms: number }) => [p.who, p.receipts, p.withoutTerms]),
    ).toEqual([
      ['Alpha Linux', 1, 0],
      ['Gamma Cloud', 1, 1],
      ['jane@cloud.example', 1, 1],
    ]);
    // The copied notice may be out already: the register says so instead of ignoring it.
    expect(reg.body.unconfirmed).toEqual([{ messageId: copied.id, kind: 'distributors-notice', status: 'copied', to: [LIST] }]);

    const trail = await admin.get(`/api/v1/cases/${caseId}/events`);
    const reads = trail.body.events.filter((e: { action: string; actor: string }) => e.action === 'case.read' && e.actor === 'alice');
    expect(reads.map((e: { details: { what: string } }) => e.details.what)).toContain('who-knows register');
  });

  it('names members who joined for the later notices only, and keeps removed ones in history', async () => {
    await sendMail('distributors-notice', [LIST], '2026-11-25T12:00:00Z');
    const reg = (await alice.get(`/api/v1/cases/${caseId}/register`)).body;
    const at12 = reg.entries
      .filter((e: { at: string }) => e.at === '2026-11-25T12:00:00.000Z')
      .map((e: { who: string; acceptedTerms: boolean }) => [e.who, e.acceptedTerms]);
    expect(at12).toEqual([
      ['Alpha Linux', true],
      ['Delta BSD', false],
      ['Gamma Cloud', true],
    ]);
    expect(reg.entries.some((e: { who: string }) => e.who === 'Beta OS')).toBe(false);
    const all = await alice.get('/api/v1/distributors?all=true');
    expect(all.body.distributors.find((d: { id: string }) => d.id === member.beta)).toMatchObject({
      removedAt: '2026-11-25T09:00:00.000Z',
      removedBy: 'root',
    });
    expect((await alice.get('/api/v1/distributors')).body.distributors.some((d: { id: string }) => d.id === member.beta)).toBe(false);
  });

  it('records what a person told someone, with its time and terms', async () => {
    const told = await alice.post(`/api/v1/cases/${caseId}/disclosures`, {
      recipient: 'Sam at Epsilon Corp',
      channel: 'phone',
      what: 'the affected versions',
      at: '2026-11-25 11:30+01:00',
      acceptedTerms: true,
    });
    expect(told.status).toBe(201);
    expect(told.body).toMatchObject({ at: '2026-11-25T10:30:00.000Z', recordedBy: 'alice', acceptedTerms: true, channel: 'phone' });
    const future = await alice.post(`/api/v1/cases/${caseId}/disclosures`, { recipient: 'X', what: 'y', at: '2026-12-25T10:00:00Z' });
    expect(future.status).toBe(400);
    expect(future.body.error.message).toMatch(/in the future/);
    const reg = (await alice.get(`/api/v1/cases/${caseId}/register`)).body;
    expect(reg.entries.find((e: { source: string }) => e.source === 'disclosure')).toMatchObject({
      who: 'Sam at Epsilon Corp',
      channel: 'phone',
      acceptedTerms: true,
      disclosureId: told.body.id,
    });
  });

  it('refuses answers while there is no date, then records acks and objections on the current date', async () => {
    const early = await alice.put(`/api/v1/cases/${caseId}/acks/${member.alpha}`, { answer: 'ack' });
    expect(early.status).toBe(409);
    expect(early.body.error.message).toMatch(/no proposed disclosure date/);
    const noDate = await alice.post(`/api/v1/cases/${caseId}/embargo/agree`);
    expect(noDate.status).toBe(409);
    expect(noDate.body.error.message).toMatch(/no embargo to agree on/);

    expect((await alice.put(`/api/v1/cases/${caseId}/embargo`, { endsAt: '2026-12-01 17:00', timeZone: 'Europe/Berlin' })).status).toBe(
      200,
    );
    const ack = await alice.put(`/api/v1/cases/${caseId}/acks/${member.alpha}`, { answer: 'ack' });
    expect(ack.status).toBe(200);
    const noReason = await alice.put(`/api/v1/cases/${caseId}/acks/${member.gamma}`, { answer: 'objection' });
    expect(noReason.status).toBe(400);
    expect(noReason.body.error.message).toMatch(/objection needs a reason/);
    const blank = await alice.put(`/api/v1/cases/${caseId}/acks/${member.gamma}`, { answer: 'objection', reason: '   ' });
    expect(blank.status).toBe(400);
    expect(blank.body.error.message).toMatch(/objection needs a reason/);
    expect(
      (
        await alice.put(`/api/v1/cases/${caseId}/acks/${member.gamma}`, {
          answer: 'objection',
          reason: 'our release train leaves on Dec 3',
        })
      ).status,
    ).toBe(200);
    const gone = await alice.put(`/api/v1/cases/${caseId}/acks/${member.beta}`, { answer: 'ack' });
    expect(gone.status).toBe(409);
    expect(gone.body.error.message).toMatch(/Beta OS left the list/);
    expect((await alice.put(`/api/v1/cases/${caseId}/acks/00000000-0000-4000-8000-0000000000ff`, { answer: 'ack' })).status).toBe(404);

    const acks = (await alice.get(`/api/v1/cases/${caseId}/acks`)).body;
    expect(acks.embargo).toEqual({ endsAt: '2026-12-01T16:00:00.000Z', timeZone: 'Europe/Berlin' });
    expect(acks.members.map((m: { organisation: string; state: string }) => [m.organisation, m.state])).toEqual([
      ['Alpha Linux', 'ack'],
      ['Delta BSD', 'no-answer'],
      ['Gamma Cloud', 'objection'],
    ]);
    expect(acks.notAnswered).toEqual(['Delta BSD']);
    expect(acks.objected).toEqual([{ organisation: 'Gamma Cloud', reason: 'our release train leaves on Dec 3' }]);
    expect(acks.members[0]).toMatchObject({ aboutEndsAt: '2026-12-01T16:00:00.000Z', aboutTimeZone: 'Europe/Berlin', recordedBy: 'alice' });
  });

  it('agrees the date with warnings, not a refusal, and shows old answers as stale once the date moves', async () => {
    t.setNow('2026-11-25T13:00:00Z');
    const agreed = await alice.post(`/api/v1/cases/${caseId}/embargo/agree`);
    expect(agreed.status).toBe(200);
    expect(agreed.body).toMatchObject({
      local: '2026-12-01 17:00 Europe/Berlin',
      objected: ['Gamma Cloud'],
      notAnswered: ['Delta BSD'],
      alreadyAgreed: false,
    });
    expect(agreed.body.agreement).toMatchObject({
      endsAt: '2026-12-01T16:00:00.000Z',
      timeZone: 'Europe/Berlin',
      agreedBy: 'alice',
      agreedAt: '2026-11-25T13:00:00.000Z',
    });
    expect(agreed.body.warnings).toEqual([
      'Gamma Cloud objected to this date: our release train leaves on Dec 3',
      '1 member has not answered on this date: Delta BSD',
    ]);
    const again = await alice.post(`/api/v1/cases/${caseId}/embargo/agree`);
    expect(again.body.alreadyAgreed).toBe(true);
    expect(again.body.agreement.id).toBe(agreed.body.agreement.id);
    expect((await alice.get(`/api/v1/cases/${caseId}/acks`)).body.agreement.id).toBe(agreed.body.agreement.id);

    // The embargo moves: every answer was about the old date, and the agreement no longer holds.
    expect((await alice.put(`/api/v1/cases/${caseId}/embargo`, { endsAt: '2026-12-03 17:00', timeZone: 'Europe/Berlin' })).status).toBe(
      200,
    );
    const moved = (await alice.get(`/api/v1/cases/${caseId}/acks`)).body;
    expect(moved.members.map((m: { state: string }) => m.state)).toEqual(['stale', 'no-answer', 'stale']);
    expect(moved.notAnswered).toEqual(['Alpha Linux', 'Delta BSD', 'Gamma Cloud']);
    expect(moved.objected).toEqual([]);
    expect(moved.agreement).toBeNull();
    expect(moved.members[2]).toMatchObject({ answer: 'objection', aboutEndsAt: '2026-12-01T16:00:00.000Z' });

    const reAck = await alice.put(`/api/v1/cases/${caseId}/acks/${member.gamma}`, { answer: 'ack', reason: 'Dec 3 works' });
    expect(reAck.body.members.find((m: { organisation: string }) => m.organisation === 'Gamma Cloud')).toMatchObject({
      state: 'ack',
      aboutEndsAt: '2026-12-03T16:00:00.000Z',
    });
    const cleared = await alice.delete(`/api/v1/cases/${caseId}/acks/${member.gamma}`);
    expect(cleared.status).toBe(200);
    expect(cleared.body.members.find((m: { organisation: string }) => m.organisation === 'Gamma Cloud').state).toBe('no-answer');

    const actions = (await admin.get(`/api/v1/cases/${caseId}/events`)).body.events.map((e: { action: string }) => e.action);
    expect(actions).toEqual(
      expect.arrayContaining(['distributor.acknowledged', 'distributor.objected', 'distributor.answer-cleared', 'embargo.agreed']),
    );
    expect(actions.filter((a: string) => a === 'embargo.agreed')).toHaveLength(1);
  });

  it('walks a leak from report to closing, each change a case event', async () => {
    const reported = await alice.post(`/api/v1/cases/${caseId}/leaks`, {
      what: 'the affected component and the fix commit',
      leakedTo: 'a public Slack channel',
      reportedBy: 'Delta BSD',
      reportedAt: '2026-11-25T12:45:00Z',
    });
    expect(reported.status).toBe(201);
    expect(reported.body).toMatchObject({ status: 'open', followUp: '', closedAt: null, recordedBy: 'alice' });
    const leakId = reported.body.id;
    const followed = await alice.patch(`/api/v1/cases/${caseId}/leaks/${leakId}`, {
      followUp: 'Asked the channel admins to delete the message.',
    });
    expect(followed.body).toMatchObject({ status: 'open', followUp: 'Asked the channel admins to delete the message.' });
    const closed = await alice.patch(`/api/v1/cases/${caseId}/leaks/${leakId}`, { status: 'closed' });
    expect(closed.body).toMatchObject({ status: 'closed', closedAt: '2026-11-25T13:00:00.000Z' });
    const unchanged = await alice.patch(`/api/v1/cases/${caseId}/leaks/${leakId}`, { status: 'closed' });
    expect(unchanged.status).toBe(200);
    expect((await alice.patch(`/api/v1/cases/${caseId}/leaks/${leakId}`, { reportedBy: 'someone else' })).status).toBe(400);
    expect((await alice.patch(`/api/v1/cases/${caseId}/leaks/00000000-0000-4000-8000-0000000000ee`, { status: 'closed' })).status).toBe(
      404,
    );

    const list = (await alice.get(`/api/v1/cases/${caseId}/leaks`)).body.leaks;
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ id: leakId, status: 'closed', leakedTo: 'a public Slack channel' });

    const events = (await admin.get(`/api/v1/cases/${caseId}/events`)).body.events.filter((e: { action: string }) =>
      e.action.startsWith('leak.'),
    );
    expect(events.map((e: { action: string }) => e.action)).toEqual(['leak.reported', 'leak.updated', 'leak.closed']);
    expect(events[1].details.changes.followUp).toEqual(['', 'Asked the channel admins to delete the message.']);

    // A leak id is only found through its own case.
    const other = (await admin.post('/api/v1/cases', { title: 'Another case' })).body.id;
    expect((await admin.patch(`/api/v1/cases/${other}/leaks/${leakId}`, { status: 'open' })).status).toBe(404);
  });

  it('answers an outsider 404 on every case route and changes nothing', async () => {
    const before = (await admin.get(`/api/v1/cases/${caseId}/events`)).body.events.length;
    const probes: [string, string, unknown?][] = [
      ['GET', `/api/v1/cases/${caseId}/register`],
      ['POST', `/api/v1/cases/${caseId}/disclosures`, { recipient: 'X', what: 'y' }],
      ['GET', `/api/v1/cases/${caseId}/leaks`],
      ['POST', `/api/v1/cases/${caseId}/leaks`, { what: 'x', leakedTo: 'y', reportedBy: 'z' }],
      ['PATCH', `/api/v1/cases/${caseId}/leaks/00000000-0000-4000-8000-0000000000ee`, { status: 'closed' }],
      ['GET', `/api/v1/cases/${caseId}/acks`],
      ['PUT', `/api/v1/cases/${caseId}/acks/${member.alpha}`, { answer: 'ack' }],
      ['DELETE', `/api/v1/cases/${caseId}/acks/${member.alpha}`],
      ['POST', `/api/v1/cases/${caseId}/embargo/agree`],
    ];
    for (const [method, url, body] of probes) {
      const res = await mallory.call(method, url, body);
      expect(res.status, `${method} ${url}`).toBe(404);
      expect(res.body.error.message).toBe(`case ${caseId} not found`);
    }
    expect((await admin.get(`/api/v1/cases/${caseId}/events`)).body.events.length).toBe(before + 1);
  });
});
