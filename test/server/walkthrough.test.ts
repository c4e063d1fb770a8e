/**
 * A security team walks one case through every step of the Contour checklist over the REST API,
 * on every database: the publish step is refused, with every unmet condition in plain words, while
 * a release line is unpatched or the embargo is not over.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeFactories } from '../support/databases.js';
import { client, startApp, userWithToken, type TestApp } from '../support/app.js';

const CONFIRMATIONS: Record<string, string[]> = {
  'advisory-draft': ['cve-requested'],
  'private-fork': ['fork-access'],
  'keep-draft': ['still-draft', 'reporter-credited'],
  'notify-distributors': ['web-interface', 'date-buy-in'],
  'release-patches': ['pithy-commits'],
};

describe.each(storeFactories())('walking a case through the Contour playbook ($name)', ({ open }) => {
  let t: TestApp;
  let api: ReturnType<typeof client>;
  let id: string;

  beforeAll(async () => {
    t = await startApp(open, '2026-11-25T10:00:00Z');
    const { token } = await userWithToken(t.app, 'alice', 'member');
    api = client(t.server, token);
  });
  afterAll(() => t.close());

  const done = (step: string) => api.post(`/api/v1/cases/${id}/steps/${step}/done`, { confirm: CONFIRMATIONS[step] ?? [] });
  /** The checklist's mails: linted and queued for the list's web interface (the steps wait for them). */
  async function mail(kind: string) {
    const res = await api.post(`/api/v1/cases/${id}/messages`, { kind, via: 'copy' });
    expect(res.status, `${kind}: ${JSON.stringify(res.body)}`).toBe(201);
  }

  it('opens a case with an id, a codename and the first phase as status', async () => {
    const res = await api.post('/api/v1/cases', {
      title: 'Lua code injection via Cookie Path Rewrite Policy',
      reporter: { name: 'Rea Porter', contact: 'rea@example.org', company: 'Example Corp', credit: 'name-without-company' },
    });
    expect(res.status).toBe(201);
    expect(res.body.id).toMatch(/^EMB-2026-\d{4}$/);
    expect(res.body.codename).toMatch(/^[a-z]+-[a-z]+-[a-z]+$/);
    expect(res.body.codename).not.toMatch(/lua|cookie|inject/);
    expect(res.body.status).toBe('reported');
    expect(res.body.playbook).toBe('contour');
    id = res.body.id;
  });

  it('refuses triage until the affected ranges and the release plan are recorded, listing both', async () => {
    expect((await done('report')).status).toBe(200);
    const refused = await done('triage');
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('gate_failed');
    expect(refused.body.error.details.unmet).toHaveLength(3);
    expect(refused.body.error.details.unmet[0]).toBe('the acknowledgement to the reporter is not sent yet (kind reporter-ack)');
    expect(refused.body.error.message).toMatch(/step 2/);
    await mail('reporter-ack');
  });

  it('walks steps 2 to 8 once their fields are set', async () => {
    expect(
      (
        await api.patch(`/api/v1/cases/${id}`, {
          affected: [
            { introduced: '1.19.0', fixed: '1.27.4' },
            { introduced: '1.28.0', fixed: '1.28.3' },
          ],
          cvss: ['CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:N/A:H'],
          cwe: ['CWE-94'],
          ghsaId: 'GHSA-x4mj-7f9g-29h4',
        })
      ).status,
    ).toBe(200);
    const plan = await api.put(`/api/v1/cases/${id}/release-plan`, {
      lines: [
        { line: '1.27', version: '1.27.4' },
        { line: '1.28', version: '1.28.3' },
      ],
    });
    expect(plan.status).toBe(200);
    expect(plan.body.releasePlan.map((l: { line: string }) => l.line)).toEqual(['1.28', '1.27']);
    // Disclosure agreed for 1 December, 17:00 Berlin time, 16:00 UTC.
    const embargo = await api.put(`/api/v1/cases/${id}/embargo`, { endsAt: '2026-12-01 17:00', timeZone: 'Europe/Berlin' });
    expect(embargo.body.embargo).toEqual({ endsAt: '2026-12-01T16:00:00.000Z', timeZone: 'Europe/Berlin' });

    await mail('reporter-draft-created');
    await mail('distributors-notice');
    for (const step of ['triage', 'advisory-draft', 'private-fork', 'keep-draft', 'tell-reporter', 'notify-distributors']) {
      const res = await done(step);
      expect(res.status, `${step}: ${JSON.stringify(res.body)}`).toBe(200);
    }
    // Step 8 needs every line released.
    const early = await done('release-patches');
    expect(early.status).toBe(409);
    expect(early.body.error.details.unmet).toEqual([
      `release line 1.28 has no released patch (embargo case release ${id} 1.28 [--tag TAG])`,
      `release line 1.27 has no released patch (embargo case release ${id} 1.27 [--tag TAG])`,
    ]);
    for (const line of ['1.28', '1.27']) expect((await api.post(`/api/v1/cases/${id}/releases`, { line })).status).toBe(200);
    expect((await done('release-patches')).status).toBe(200);
  });

  it('refuses to publish while a line is unpatched and the embargo runs, naming every condition', async () => {
    // A supported line added late to the plan has no release yet.
    await api.put(`/api/v1/cases/${id}/release-plan`, {
      lines: [
        { line: '1.28', version: '1.28.3' },
        { line: '1.27', version: '1.27.4' },
        { line: '1.26', version: '1.26.9' },
      ],
    });
    t.setNow('2026-11-28T16:00:00Z');
    const refused = await done('publish-advisory');
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('gate_failed');
    expect(refused.body.error.details.unmet).toEqual([
      `release line 1.26 has no released patch (embargo case release ${id} 1.26 [--tag TAG])`,
      'embargo ends 2026-12-01 17:00 Europe/Berlin, in 3 days',
      expect.stringMatching(/CVE id is not recorded/),
    ]);
    const steps = await api.get(`/api/v1/cases/${id}/steps`);
    const publish = steps.body.steps.find((s: { id: string }) => s.id === 'publish-advisory');
    expect(publish.unmet).toEqual(refused.body.error.details.unmet);
    expect((await api.post(`/api/v1/cases/${id}/steps/publish-advisory/skip`, { reason: 'in a hurry' })).status).toBe(409);
  });

  it('publishes once every line is out and the embargo time has passed, then finishes the checklist', async () => {
    await api.post(`/api/v1/cases/${id}/releases`, { line: '1.26', tag: 'v1.26.9' });
    await api.patch(`/api/v1/cases/${id}`, { cveId: 'CVE-2026-41246' });
    t.setNow('2026-12-01T15:59:00Z');
    expect((await done('publish-advisory')).body.error.details.unmet).toEqual(['embargo ends 2026-12-01 17:00 Europe/Berlin, in 1 minute']);
    t.setNow('2026-12-01T16:00:00Z');
    const published = await done('publish-advisory');
    expect(published.status).toBe(200);
    expect(published.body.case.status).toBe('disclosed');
    await api.patch(`/api/v1/cases/${id}`, { publishedAt: '2026-12-01T16:00:00Z' });
    for (const kind of ['users-announcement', 'reporter-published', 'distributors-followup']) await mail(kind);
    for (const step of ['announce-users', 'follow-up-distributors']) expect((await done(step)).status).toBe(200);
    // The retrospective step waits for the retrospective's notes.
    expect((await done('retrospective')).body.error.details.unmet).toEqual([
      `the retrospective is not written; write its notes first (embargo retro write ${id} --notes-file FILE)`,
    ]);
    expect((await api.put(`/api/v1/cases/${id}/retrospective`, { notes: 'The embargo held; the follow-up was late.' })).status).toBe(200);
    expect((await done('retrospective')).status).toBe(200);
    const final = await api.get(`/api/v1/cases/${id}`);
    expect(final.body.status).toBe('closed');
    expect(Object.values(final.body.steps).every((s) => (s as { status: string }).status === 'done')).toBe(true);
  });

  it('records every change and every read in the case trail, in order, with the actor', async () => {
    const trail = await api.get(`/api/v1/cases/${id}/events`);
    const actions = trail.body.events.map((e: { action: string }) => e.action);
    expect(actions[0]).toBe('case.created');
    expect(actions.filter((a: string) => a === 'step.done')).toHaveLength(12);
    expect(actions).toContain('case.read');
    expect(trail.body.events.every((e: { actor: string }) => e.actor === 'alice')).toBe(true);
    const seqs = trail.body.events.map((e: { seq: number }) => e.seq);
    expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
  });

  it('reopens a step with a reason and the case goes back to that phase', async () => {
    const res = await api.post(`/api/v1/cases/${id}/steps/retrospective/reopen`, { reason: 'action items not written down' });
    expect(res.status).toBe(200);
    expect(res.body.case.status).toBe('retrospective');
    expect((await api.post(`/api/v1/cases/${id}/steps/retrospective/reopen`, { reason: 'again' })).status).toBe(409);
  });
});
