import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Case, CaseMessageStatus, StepState } from '../../../src/domain/case/types.js';
import { DomainError } from '../../../src/domain/errors.js';
import type { EventOf } from '../../../src/domain/events.js';
import { MESSAGE_KIND_IDS } from '../../../src/domain/messages/index.js';
import {
  completeStep,
  deriveStatus,
  nextMessageKind,
  parsePlaybook,
  playbookSummary,
  reopenStep,
  skipStep,
  stepViews,
  unmetConditions,
  type Playbook,
} from '../../../src/domain/playbook/index.js';
import { ctx, makeCase, readyCase, releaseLine } from '../../support/case-fixture.js';

const load = (id: string): Playbook => parsePlaybook(readFileSync(new URL(`../../../playbooks/${id}.yaml`, import.meta.url), 'utf8'), id);
const contour = load('contour');
const kubernetes = load('kubernetes');

const NOW = '2026-11-28T16:00:00.000Z'; // three days before the embargo in readyCase()

const done = (at = '2026-11-25T10:00:00.000Z'): StepState => ({ status: 'done', by: 'bob', at, reason: null, confirmed: [] });

/** Steps record with every step before `stepId` done. */
function doneBefore(pb: Playbook, stepId: string): Record<string, StepState> {
  const until = pb.steps.findIndex((s) => s.id === stepId);
  return Object.fromEntries(pb.steps.slice(0, until).map((s) => [s.id, done()]));
}

function domainError(fn: () => unknown, code: DomainError['code']): DomainError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(DomainError);
    expect((e as DomainError).code).toBe(code);
    return e as DomainError;
  }
  throw new Error(`expected a ${code} DomainError`);
}

describe('unmetConditions', () => {
  it('lists earlier open steps and unset fields of a fresh case in plain words', () => {
    expect(unmetConditions(contour, makeCase(), 'advisory-draft', new Date(NOW))).toEqual([
      'step 1 "Record the vulnerability report" is not done',
      'step 2 "Triage with the reporter and decide the patch releases" is not done',
      // Each names the command that fixes it (issue 13, item 19).
      'the patched versions are not set; plan a release line with its patch version (embargo case plan EMB-2026-0001 --line MINOR=VERSION)',
      'the CVSS vector is not set (embargo case edit EMB-2026-0001 --cvss CVSS:3.1/…)',
      'the CWE id is not set (embargo case edit EMB-2026-0001 --cwe CWE-…)',
      'the GHSA id of the advisory draft is not recorded (embargo advisory push EMB-2026-0001, or embargo case edit EMB-2026-0001 --ghsa GHSA-…)',
      'confirm: Requested a CVE ID via GitHub from the advisory draft',
    ]);
  });

  it('lists every missing attestation and counts given ones', () => {
    const c = readyCase({ steps: doneBefore(contour, 'notify-distributors') });
    const unmet = unmetConditions(contour, c, 'notify-distributors', new Date(NOW), ['date-buy-in']);
    expect(unmet).toEqual([
      'confirm: Sent through the list\'s web interface at https://lists.cncf.io/g/cncf-contour-distributors-announce/, not a mail client that may "correct" the address',
      'the embargoed distributors notice is not sent yet (kind distributors-notice)',
    ]);
  });

  it('waits for the mail of a message gate: met when queued, copied or sent, not when it failed', () => {
    const base = readyCase({ steps: doneBefore(contour, 'notify-distributors') });
    const withNotice = (status: CaseMessageStatus, kind = 'distributors-notice'): Case => ({
      ...base,
      messages: [{ kind, outboxId: 'm-1', at: '2026-11-27T10:00:00.000Z', by: 'bob', status }],
    });
    const confirmed = ['web-interface', 'date-buy-in'];
    const unmet = (c: Case) => unmetConditions(contour, c, 'notify-distributors', new Date(NOW), confirmed);
    for (const status of ['queued', 'sending', 'copied', 'sent'] as const) expect(unmet(withNotice(status)), status).toEqual([]);
    expect(unmet(withNotice('failed'))).toEqual([
      'the embargoed distributors notice failed to send; retry it (message m-1) or send it again',
    ]);
    expect(unmet(withNotice('unknown'))[0]).toMatch(/^the embargoed distributors notice may or may not have gone out; .*\(message m-1\)$/);
    // A mail of another kind does not count.
    expect(unmet(withNotice('sent', 'reporter-ack'))).toEqual([
      'the embargoed distributors notice is not sent yet (kind distributors-notice)',
    ]);
    const { state } = completeStep(contour, withNotice('copied'), 'notify-distributors', ctx(NOW), confirmed);
    expect(state.steps['notify-distributors']?.status).toBe('done');
  });

  it('names the mail the checklist waits for next', () => {
    const sent = (kind: string) => ({ kind, outboxId: `m-${kind}`, at: NOW, by: 'bob', status: 'sent' as const });
    expect(nextMessageKind(contour, makeCase())).toBe('reporter-ack');
    const acked = readyCase({ steps: doneBefore(contour, 'tell-reporter'), messages: [sent('reporter-ack')] });
    expect(nextMessageKind(contour, acked)).toBe('reporter-draft-created');
    // Steps skipped or done do not wait; then the first kind never queued.
    const allDone = Object.fromEntries(contour.steps.map((s) => [s.id, done()]));
    expect(nextMessageKind(contour, readyCase({ steps: allDone, messages: [sent('reporter-ack')] }))).toBe('reporter-draft-created');
    expect(nextMessageKind(contour, readyCase({ steps: allDone, messages: MESSAGE_KIND_IDS.map(sent) }))).toBeNull();
  });

  it('says when no release line is planned and no embargo is set', () => {
    const c = readyCase({ releasePlan: [], embargo: null, steps: doneBefore(contour, 'publish-advisory') });
    expect(unmetConditions(contour, c, 'publish-advisory', new Date(NOW))).toEqual([
      'no release line is planned (embargo case plan EMB-2026-0001 --line MINOR=VERSION)',
      'no embargo time is set (embargo case embargo EMB-2026-0001 --at "YYYY-MM-DD HH:MM" --tz ZONE)',
    ]);
  });

  it('throws not_found for a step the playbook does not have', () => {
    const e = domainError(() => unmetConditions(contour, makeCase(), 'nope', new Date(NOW)), 'not_found');
    expect(e.message).toBe('playbook contour has no step "nope"');
  });
});

describe('completeStep', () => {
  it('refuses to publish while a line is unreleased and the embargo runs, listing both', () => {
    const c = readyCase({
      releasePlan: [releaseLine('1.27', '1.27.4'), releaseLine('1.28', '1.28.2', '2026-11-27T10:00:00.000Z')],
      steps: doneBefore(contour, 'publish-advisory'),
    });
    const e = domainError(() => completeStep(contour, c, 'publish-advisory', ctx(NOW), []), 'gate_failed');
    expect(e.message).toBe('step 9 "Publish the security advisory" cannot be completed: 2 conditions are unmet');
    expect(e.details.unmet).toEqual([
      'release line 1.27 has no released patch (embargo case release EMB-2026-0001 1.27 [--tag TAG])',
      'embargo ends 2026-12-01 17:00 Europe/Berlin, in 3 days',
    ]);
  });

  it('records the publication when the step that publishes is done, and keeps a time already recorded', () => {
    const AFTER = '2026-12-01T16:30:00.000Z';
    const c = readyCase({ steps: doneBefore(contour, 'publish-advisory'), publishedAt: null });
    const { state, events } = completeStep(contour, c, 'publish-advisory', ctx(AFTER), []);
    expect(state.publishedAt).toBe(AFTER);
    expect(events[0]!.details).toMatchObject({ step: 'publish-advisory', publishedAt: AFTER });
    // Published on GitHub earlier (advisory publish / sync recorded GitHub's time): that time stays.
    const onGitHub = readyCase({ steps: doneBefore(contour, 'publish-advisory'), publishedAt: '2026-12-01T16:05:00.000Z' });
    const kept = completeStep(contour, onGitHub, 'publish-advisory', ctx(AFTER), []);
    expect(kept.state.publishedAt).toBe('2026-12-01T16:05:00.000Z');
    expect(kept.events[0]!.details).not.toHaveProperty('publishedAt');
    // Other steps never touch it.
    expect(completeStep(contour, readyCase({ publishedAt: null }), 'report', ctx(AFTER), []).state.publishedAt).toBeNull();
  });

  it('marks the step done, re-derives the status and bumps the revision without touching the input', () => {
    const c = readyCase();
    const before = structuredClone(c);
    const { state, events } = completeStep(contour, c, 'report', ctx(NOW, 'carol'), []);
    expect(state.steps.report).toEqual({ status: 'done', by: 'carol', at: NOW, reason: null, confirmed: [] });
    expect(state.status).toBe('triage');
    expect(state.updatedAt).toBe(NOW);
    expect(state.revision).toBe(c.revision + 1);
    expect(events).toEqual([
      {
        action: 'step.done',
        caseId: 'EMB-2026-0001',
        details: { step: 'report', number: 1, title: 'Record the vulnerability report', confirmed: [] },
      },
    ]);
    expect(c).toEqual(before);
  });

  it('keeps the attestations on the step', () => {
    const c = readyCase({ steps: doneBefore(contour, 'release-patches') });
    const { state } = completeStep(contour, c, 'release-patches', ctx(NOW), ['pithy-commits']);
    expect(state.steps['release-patches']?.confirmed).toEqual(['pithy-commits']);
  });

  it('counts a single unmet condition in the singular', () => {
    const c = readyCase({ steps: doneBefore(contour, 'release-patches') });
    const e = domainError(() => completeStep(contour, c, 'release-patches', ctx(NOW), []), 'gate_failed');
    expect(e.message).toBe('step 8 "Release patches for all supported minors" cannot be completed: 1 condition is unmet');
    expect(e.details.unmet).toEqual(['confirm: The fix PRs and commit messages do not give the vulnerability away']);
  });

  it('refuses an unknown step, a step already done and an unknown confirmation', () => {
    expect(domainError(() => completeStep(contour, readyCase(), 'x', ctx(NOW), []), 'not_found').message).toBe(
      'playbook contour has no step "x"',
    );
    const c = readyCase({ steps: { report: done() } });
    expect(domainError(() => completeStep(contour, c, 'report', ctx(NOW), []), 'conflict').message).toBe(
      'step 1 "Record the vulnerability report" is already done',
    );
    expect(domainError(() => completeStep(contour, c, 'triage', ctx(NOW), ['made-up']), 'invalid_input').message).toBe(
      'step 2 "Triage with the reporter and decide the patch releases" has no confirmation "made-up"; it asks for no confirmation',
    );
  });

  it('refuses a case that follows another playbook', () => {
    const c = readyCase({ playbook: 'kubernetes' });
    expect(domainError(() => completeStep(contour, c, 'report', ctx(NOW), []), 'conflict').message).toBe(
      'case EMB-2026-0001 follows playbook "kubernetes", not "contour"',
    );
  });
});

describe('skipStep', () => {
  const atRetro = () => readyCase({ steps: doneBefore(contour, 'retrospective') });

  it('needs a non-blank reason of at most 2000 characters', () => {
    expect(domainError(() => skipStep(contour, atRetro(), 'retrospective', '   ', ctx(NOW)), 'invalid_input').message).toBe(
      'a reason is required to skip step 12 "Hold a team retrospective"',
    );
    domainError(() => skipStep(contour, atRetro(), 'retrospective', 'x'.repeat(2001), ctx(NOW)), 'invalid_input');
    const { state } = skipStep(contour, atRetro(), 'retrospective', 'x'.repeat(2000), ctx(NOW));
    expect(state.steps.retrospective?.status).toBe('skipped');
  });

  it('records the reason, closes the case and says so in the event', () => {
    const { state, events } = skipStep(contour, atRetro(), 'retrospective', '  Low severity, nothing to learn. ', ctx(NOW, 'dave'));
    expect(state.steps.retrospective).toEqual({
      status: 'skipped',
      by: 'dave',
      at: NOW,
      reason: 'Low severity, nothing to learn.',
      confirmed: [],
    });
    expect(state.status).toBe('closed');
    expect(events).toEqual([
      {
        action: 'step.skipped',
        caseId: 'EMB-2026-0001',
        details: { step: 'retrospective', number: 12, title: 'Hold a team retrospective', reason: 'Low severity, nothing to learn.' },
      },
    ]);
  });

  it('does not skip the publication of the advisory', () => {
    const c = readyCase({ steps: doneBefore(contour, 'publish-advisory') });
    expect(domainError(() => skipStep(contour, c, 'publish-advisory', 'in a hurry', ctx(NOW)), 'conflict').message).toBe(
      'step 9 "Publish the security advisory" cannot be skipped; the Contour playbook requires it',
    );
  });

  it("ignores the step's own gates but keeps the order of a sequential playbook", () => {
    // private-fork's confirmation is not needed to skip it...
    const ok = skipStep(
      contour,
      readyCase({ steps: doneBefore(contour, 'private-fork') }),
      'private-fork',
      'Fixed on a branch in the draft fork of last time',
      ctx(NOW),
    );
    expect(ok.state.status).toBe('drafting');
    // ...but steps 1-3 must be settled first.
    const e = domainError(
      () => skipStep(contour, readyCase({ steps: { report: done() } }), 'private-fork', 'not needed', ctx(NOW)),
      'gate_failed',
    );
    expect(e.message).toBe('step 4 "Create a private fork for the advisory" cannot be skipped: 2 conditions are unmet');
    expect(e.details.unmet).toEqual([
      'step 2 "Triage with the reporter and decide the patch releases" is not done',
      'step 3 "Create a GitHub security advisory draft" is not done',
    ]);
  });

  it('refuses a step already skipped or done', () => {
    const skipped = skipStep(contour, atRetro(), 'retrospective', 'not applicable', ctx(NOW)).state;
    domainError(() => skipStep(contour, skipped, 'retrospective', 'again', ctx(NOW)), 'conflict');
    const c = readyCase({ steps: { ...doneBefore(contour, 'retrospective'), retrospective: done() } });
    domainError(() => skipStep(contour, c, 'retrospective', 'again', ctx(NOW)), 'conflict');
    expect(domainError(() => completeStep(contour, skipped, 'retrospective', ctx(NOW), []), 'conflict').message).toBe(
      'step 12 "Hold a team retrospective" was skipped; reopen it before completing it',
    );
  });
});

describe('reopenStep', () => {
  it('puts a done step back to open and the status back to its phase', () => {
    const c = readyCase({ steps: doneBefore(contour, 'publish-advisory') });
    c.status = deriveStatus(contour, c);
    expect(c.status).toBe('disclosure');
    const { state, events } = reopenStep(contour, c, 'release-patches', '1.27.4 was tagged from the wrong commit', ctx(NOW, 'erin'));
    expect(state.steps['release-patches']).toEqual({
      status: 'open',
      by: 'erin',
      at: NOW,
      reason: '1.27.4 was tagged from the wrong commit',
      confirmed: [],
    });
    expect(state.status).toBe('fixing');
    expect(state.revision).toBe(c.revision + 1);
    expect(events[0]).toEqual({
      action: 'step.reopened',
      caseId: 'EMB-2026-0001',
      details: {
        step: 'release-patches',
        number: 8,
        title: 'Release patches for all supported minors',
        reason: '1.27.4 was tagged from the wrong commit',
        previous: 'done',
      },
    });
    // Publishing now waits for the reopened step again.
    expect(unmetConditions(contour, state, 'publish-advisory', new Date('2026-12-02T00:00:00Z'))).toEqual([
      'step 8 "Release patches for all supported minors" is not done',
    ]);
  });

  it('reopens a skipped step, and refuses an open one or a blank reason', () => {
    const atRetro = readyCase({ steps: doneBefore(contour, 'retrospective') });
    const skipped = skipStep(contour, atRetro, 'retrospective', 'no time', ctx(NOW)).state;
    const reopened = reopenStep(contour, skipped, 'retrospective', 'we found time', ctx(NOW));
    expect((reopened.events[0] as EventOf<'step.reopened'>).details.previous).toBe('skipped');
    expect(reopened.state.status).toBe('retrospective');
    expect(domainError(() => reopenStep(contour, atRetro, 'retrospective', 'why not', ctx(NOW)), 'conflict').message).toBe(
      'step 12 "Hold a team retrospective" is open; only a done or skipped step can be reopened',
    );
    domainError(() => reopenStep(contour, skipped, 'retrospective', '', ctx(NOW)), 'invalid_input');
  });
});

describe('deriveStatus', () => {
  it('is the phase of the first step not done or skipped, and closed when none is left', () => {
    expect(deriveStatus(contour, makeCase())).toBe('reported');
    expect(deriveStatus(contour, makeCase({ steps: { report: done() } }))).toBe('triage');
    // An open earlier step wins over later done ones.
    expect(deriveStatus(contour, makeCase({ steps: { triage: done(), 'advisory-draft': done() } }))).toBe('reported');
    const all = Object.fromEntries(contour.steps.map((s) => [s.id, done()]));
    expect(deriveStatus(contour, makeCase({ steps: all }))).toBe('closed');
  });
});

describe('stepViews', () => {
  it('shows every step with its state, its confirmations and what blocks the open ones', () => {
    const c = readyCase({ steps: { report: done('2026-11-21T08:00:00.000Z') } });
    const views = stepViews(contour, c, new Date(NOW));
    expect(views).toHaveLength(12);
    expect(views[0]).toMatchObject({ id: 'report', number: 1, status: 'done', by: 'bob', at: '2026-11-21T08:00:00.000Z', unmet: [] });
    expect(views[1]).toMatchObject({
      id: 'triage',
      status: 'open',
      unmet: ['the acknowledgement to the reporter is not sent yet (kind reporter-ack)'],
    });
    // The ready case has its CVE id: the CVE request needs no attestation (issue 13, item 7).
    expect(views[2]?.unmet).toEqual(['step 2 "Triage with the reporter and decide the patch releases" is not done']);
    expect(views[6]?.confirmations.map((k) => k.id)).toEqual(['web-interface', 'date-buy-in']);
    expect(views[8]).toMatchObject({ id: 'publish-advisory', skippable: false, phase: 'disclosure' });
    expect(views[8]?.unmet).toContain('embargo ends 2026-12-01 17:00 Europe/Berlin, in 3 days');
  });
});

describe('non-sequential playbooks (kubernetes)', () => {
  const k = (overrides: Partial<Case> = {}) => readyCase({ project: 'kubernetes', playbook: 'kubernetes', ...overrides });

  it('waits only for the steps a gate names', () => {
    // develop-fix needs fix-lead, not assign-cve: the fix can start while the CVE is assigned.
    const c = k({ steps: { report: done(), 'fix-lead': done() } });
    const { state } = completeStep(kubernetes, c, 'develop-fix', ctx(NOW), ['fix-lgtm']);
    expect(state.steps['develop-fix']?.status).toBe('done');
    expect(state.status).toBe('triage');
    expect(unmetConditions(kubernetes, state, 'notify-distributors', new Date(NOW))).toEqual([
      'step 4 "Assign a CVE ID" is not done',
      'the embargoed distributors notice is not sent yet (kind distributors-notice)',
      // The machine rule that replaced the "seven days" attestation, in the playbook's words.
      `policy "Distributors get at least 7 days' notice before the public disclosure": the embargo ends 2026-12-01 17:00 Europe/Berlin, 3 days after a notice sent now; at least 7 days are needed`,
    ]);
  });

  it('needs the CVE id before the distributors notice', () => {
    const c = k({ cveId: null, steps: doneBefore(kubernetes, 'notify-distributors') });
    expect(unmetConditions(kubernetes, c, 'notify-distributors', new Date(NOW))).toEqual([
      'the CVE id is not set; the distributors notice names it (embargo advisory request-cve EMB-2026-0001, or embargo case edit EMB-2026-0001 --cve CVE-…)',
      'the embargoed distributors notice is not sent yet (kind distributors-notice)',
      `policy "Distributors get at least 7 days' notice before the public disclosure": the embargo ends 2026-12-01 17:00 Europe/Berlin, 3 days after a notice sent now; at least 7 days are needed`,
    ]);
  });
});

describe('playbookSummary', () => {
  it('lists the phases in order and the steps without their gates', () => {
    const s = playbookSummary(contour);
    expect(s.phases).toEqual(['reported', 'triage', 'drafting', 'fixing', 'disclosure', 'disclosed', 'follow-up', 'retrospective']);
    expect(s.steps).toHaveLength(12);
    expect(s.steps[8]).toEqual({
      id: 'publish-advisory',
      number: 9,
      title: 'Publish the security advisory',
      phase: 'disclosure',
      skippable: false,
    });
  });
});

describe('attestations a recorded fact meets (issue 13, item 7)', () => {
  const steps = (c: Case, facts = {}) => stepViews(contour, c, new Date(NOW), facts);
  const step = (views: ReturnType<typeof steps>, id: string) => views.find((s) => s.id === id)!;

  it('asks for the CVE request until Embargo recorded it (or a CVE id is recorded)', () => {
    expect(step(steps(makeCase()), 'advisory-draft').confirmations.map((k) => k.id)).toEqual(['cve-requested']);
    for (const c of [makeCase({ cveRequestedAt: '2026-11-25T09:00:00.000Z' }), makeCase({ cveId: 'CVE-2026-41246' })]) {
      const view = step(steps(c), 'advisory-draft');
      expect(view.confirmations).toEqual([]);
      expect(view.unmet.some((u) => u.startsWith('confirm:'))).toBe(false);
    }
  });

  it('asks about the fork unless Embargo made it with everyone on the case a collaborator', () => {
    const forked = makeCase({ forkUrl: 'https://github.com/projectcontour/contour-ghsa-x4mj-7f9g-29h4' });
    expect(step(steps(forked, { forkShared: false }), 'private-fork').confirmations.map((k) => k.id)).toEqual(['fork-access']);
    expect(step(steps(makeCase(), { forkShared: true }), 'private-fork').confirmations.map((k) => k.id)).toEqual(['fork-access']);
    expect(step(steps(forked, { forkShared: true }), 'private-fork').confirmations).toEqual([]);
  });
});
