/**
 * Publishing goes through the playbook's gate, proven with a moving clock: refused while a line is
 * unreleased or its tag unverified, and while the embargo is in the future (every unmet condition
 * listed); allowed after. An admin may override with a written reason, which is recorded with the
 * conditions it overrode; a member may not, and no override goes without a reason.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { storeFactories } from '../support/databases.js';
import { advisoryWorld, caseState, REPO, settleStepsBefore, type AdvisoryWorld } from './advisory-support.js';

const FIX = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678';

describe.each(storeFactories())('publishing the advisory ($name)', ({ open }) => {
  let w: AdvisoryWorld;

  beforeAll(async () => {
    w = await advisoryWorld(open);
    await w.connect();
  });
  afterAll(() => w.close());
  afterEach(() => w.fake.expectNoViolations());

  /** A case with its draft and CVE id on GitHub, every step before publication settled. */
  async function draftedCase(title: string) {
    const kase = await w.newCase(title);
    expect((await w.alice.post(`/api/v1/cases/${kase.id}/advisory/push`, {})).status).toBe(200);
    expect((await w.alice.post(`/api/v1/cases/${kase.id}/advisory/cve`, {})).body.status).toBe('assigned');
    await settleStepsBefore(w.t, kase.id, 'publish-advisory');
    return kase;
  }

  it('refuses while lines are unreleased or unverified and the embargo is in the future; publishes after', async () => {
    w.t.setNow('2026-11-25T10:00:00Z');
    const kase = await draftedCase('Route hijack through HTTPProxy includes');
    const publish = () => w.alice.post(`/api/v1/cases/${kase.id}/advisory/publish`, {});

    const refused = await publish();
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('gate_failed');
    expect(refused.body.error.message).toBe(`the advisory of ${kase.id} cannot be published: 3 conditions are unmet`);
    expect(refused.body.error.details.unmet).toEqual([
      `release line 1.28 has no released patch (embargo case release ${kase.id} 1.28 [--tag TAG])`,
      `release line 1.27 has no released patch (embargo case release ${kase.id} 1.27 [--tag TAG])`,
      'embargo ends 2026-12-01 17:00 Europe/Berlin, in 6 days',
    ]);
    const check = await w.bob.get(`/api/v1/cases/${kase.id}/advisory/publication`);
    expect(check.body).toEqual({ allowed: false, blockers: refused.body.error.details.unmet, step: 'publish-advisory' });

    // Released, but nobody checked that the tags carry the fix.
    w.t.setNow('2026-11-30T09:00:00Z');
    for (const line of ['1.28', '1.27']) expect((await w.admin.post(`/api/v1/cases/${kase.id}/releases`, { line })).status).toBe(200);
    expect((await publish()).body.error.details.unmet).toEqual([
      'embargo ends 2026-12-01 17:00 Europe/Berlin, in 31 hours',
      `release line 1.28: tag v1.28.2 is not verified to contain the fix (embargo plan verify --case ${kase.id})`,
      `release line 1.27: tag v1.27.4 is not verified to contain the fix (embargo plan verify --case ${kase.id})`,
    ]);

    // One tag checked and found lacking, one carrying the fix.
    const verified = await w.alice.post(`/api/v1/cases/${kase.id}/release-verifications`, {
      fixCommit: FIX,
      checks: [
        { tag: 'v1.28.2', contains: true },
        { tag: 'v1.27.4', contains: false },
      ],
    });
    expect(verified.status, JSON.stringify(verified.body)).toBe(200);
    expect(
      verified.body.releasePlan.map((l: { line: string; verifiedAt?: string; fixCommit?: string }) => [
        l.line,
        l.verifiedAt ?? null,
        l.fixCommit ?? null,
      ]),
    ).toEqual([
      ['1.28', '2026-11-30T09:00:00.000Z', FIX],
      ['1.27', null, null],
    ]);
    expect((await publish()).body.error.details.unmet).toEqual([
      'embargo ends 2026-12-01 17:00 Europe/Berlin, in 31 hours',
      `release line 1.27: tag v1.27.4 is not verified to contain the fix (embargo plan verify --case ${kase.id})`,
    ]);
    const strayTag = await w.alice.post(`/api/v1/cases/${kase.id}/release-verifications`, {
      fixCommit: FIX,
      checks: [{ tag: 'v9.9.9', contains: true }],
    });
    expect(strayTag.status).toBe(409);
    expect(strayTag.body.error.message).toMatch(/^tag v9\.9\.9 belongs to no release line/);
    expect(
      (
        await w.alice.post(`/api/v1/cases/${kase.id}/release-verifications`, {
          fixCommit: FIX,
          checks: [{ tag: 'v1.27.4', contains: true }],
        })
      ).status,
    ).toBe(200);

    // Everything but the embargo: one minute before it ends, still refused.
    w.t.setNow('2026-12-01T15:59:00Z');
    const early = await publish();
    expect(early.body.error.details.unmet).toEqual(['embargo ends 2026-12-01 17:00 Europe/Berlin, in 1 minute']);
    const ghsaId = (await w.admin.get(`/api/v1/cases/${kase.id}`)).body.ghsaId as string;
    expect(w.fake.advisory(REPO, ghsaId)!.state).toBe('draft');

    w.t.setNow('2026-12-01T16:00:00Z');
    const ok = await publish();
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect(ok.body).toMatchObject({ mode: 'github', published: true, overridden: false, unmet: [] });
    expect(w.fake.advisory(REPO, ghsaId)!.state).toBe('published');
    expect(ok.body.case.publishedAt).toBe(new Date(w.fake.advisory(REPO, ghsaId)!.published_at).toISOString());
    expect(ok.body.case.steps['publish-advisory']).toMatchObject({ status: 'done', by: 'alice' });
    expect(ok.body.case.status).toBe('disclosed');
    const state = await caseState(w.admin, kase.id);
    expect(state.actions.at(-1)).toBe('advisory.published');
    const twice = await publish();
    expect(twice.status).toBe(409);
    expect(twice.body.error.message).toMatch(/was already published on/);
  });

  it('lets an admin override with a written reason, recorded with what it overrode; not a member, not without a reason', async () => {
    w.t.setNow('2026-11-26T10:00:00Z');
    const kase = await draftedCase('Fix already public upstream');
    const url = `/api/v1/cases/${kase.id}/advisory/publish`;
    const before = await caseState(w.admin, kase.id);

    const member = await w.alice.post(url, { override: true, reason: 'the fix leaked' });
    expect(member.status).toBe(403);
    expect(member.body.error.message).toBe('only an admin can publish past unmet conditions');
    const noReason = await w.admin.post(url, { override: true });
    expect(noReason.status).toBe(400);
    expect(noReason.body.error.message).toMatch(/^an override needs a written reason/);
    const blank = await w.admin.post(url, { override: true, reason: '   ' });
    expect(blank.status).toBe(400);
    expect(await caseState(w.admin, kase.id)).toEqual(before);
    const ghsaId = before.ghsaId!;
    expect(w.fake.advisory(REPO, ghsaId)!.state).toBe('draft');

    const reason = 'The fix was merged publicly by mistake; the vulnerability is effectively disclosed.';
    const res = await w.admin.post(url, { override: true, reason });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ published: true, overridden: true });
    expect(res.body.unmet).toContain(`release line 1.28 has no released patch (embargo case release ${kase.id} 1.28 [--tag TAG])`);
    expect(res.body.unmet).toContain('embargo ends 2026-12-01 17:00 Europe/Berlin, in 5 days');
    expect(w.fake.advisory(REPO, ghsaId)!.state).toBe('published');
    expect(res.body.case.steps['publish-advisory']).toMatchObject({ status: 'done', by: 'root', reason });
    const events = (await w.admin.get(`/api/v1/cases/${kase.id}/events`)).body.events as {
      action: string;
      actor: string;
      details: Record<string, unknown>;
    }[];
    const overridden = events.find((e) => e.action === 'advisory.publish_overridden')!;
    expect(overridden.actor).toBe('root');
    expect(overridden.details).toEqual({ ghsaId, reason, unmet: res.body.unmet });
  });

  it('a project without a connection: the same gate, then the steps to publish by hand', async () => {
    w.t.setNow('2026-11-26T10:00:00Z');
    const kase = await w.newCase('Manual project case', 'manual-project');
    await settleStepsBefore(w.t, kase.id, 'publish-advisory');
    const refused = await w.alice.post(`/api/v1/cases/${kase.id}/advisory/publish`, {});
    expect(refused.status).toBe(409);
    expect(refused.body.error.details.unmet).toContain(
      `the CVE id is not recorded; GitHub assigns it after the request from the draft, record it before publishing (embargo advisory request-cve ${kase.id}, or embargo case edit ${kase.id} --cve CVE-…)`,
    );
    const overridden = await w.admin.post(`/api/v1/cases/${kase.id}/advisory/publish`, {
      override: true,
      reason: 'published by hand already',
    });
    expect(overridden.status).toBe(200);
    expect(overridden.body).toMatchObject({ mode: 'manual', published: false, overridden: true, manual: { action: 'publish' } });
    expect(overridden.body.manual.then).toEqual([
      `Record the publication: embargo case edit ${kase.id} --published NOW (the time GitHub shows)`,
      `Then: embargo case step done ${kase.id} publish-advisory`,
    ]);
    const actions = (await caseState(w.admin, kase.id)).actions;
    expect(actions.at(-1)).toBe('advisory.publish_overridden');
  });
});
