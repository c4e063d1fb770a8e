/**
 * The pure commands behind the GitHub integration: recording what GitHub said (one event per
 * action, the revision moving only when the case changed), verified release tags, and publication
 * with or without an override.
 */
import { describe, expect, it } from 'vitest';
import type { AdvisoryEvent } from '../../../src/domain/case/advisory-facts.js';
import {
  overrideReason,
  recordAdvisoryFacts,
  recordPublication,
  recordReleaseVerification,
  unverifiedReleases,
} from '../../../src/domain/case/index.js';
import { ctx, makeCase, readyCase, releaseLine } from '../../support/case-fixture.js';
import { errorOf } from '../../support/domain-error.js';

function expectDomainError(fn: () => unknown, code: string, message: RegExp): void {
  const err = errorOf(fn);
  expect(err.code).toBe(code);
  expect(err.message).toMatch(message);
}

const FIX = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678';
const now = ctx('2026-12-01T16:00:00Z', 'root');

describe('recordAdvisoryFacts', () => {
  it("records changed facts with the action's event and moves the revision", () => {
    const c = makeCase();
    const { state, events } = recordAdvisoryFacts(
      c,
      { ghsaId: 'GHSA-x4mj-7f9g-29h4' },
      { action: 'advisory.pushed', details: { created: true } } as unknown as AdvisoryEvent,
      now,
    );
    expect(state).toMatchObject({ ghsaId: 'GHSA-x4mj-7f9g-29h4', revision: 2, updatedAt: '2026-12-01T16:00:00.000Z' });
    expect(events).toEqual([
      { action: 'advisory.pushed', caseId: c.id, details: { created: true, changed: { ghsaId: 'GHSA-x4mj-7f9g-29h4' } } },
    ]);
  });

  it('keeps the case (same object, same revision) when nothing changed, but still says what was done', () => {
    const c = makeCase({ ghsaId: 'GHSA-x4mj-7f9g-29h4' });
    const { state, events } = recordAdvisoryFacts(
      c,
      { ghsaId: 'GHSA-x4mj-7f9g-29h4' },
      { action: 'advisory.synced', details: {} } as unknown as AdvisoryEvent,
      now,
    );
    expect(state).toBe(c);
    expect(events).toEqual([{ action: 'advisory.synced', caseId: c.id, details: {} }]);
  });

  it("checks every fact like a person's edit", () => {
    expectDomainError(
      () => recordAdvisoryFacts(makeCase(), { cveId: 'CVE-nope' }, { action: 'x', details: {} } as unknown as AdvisoryEvent, now),
      'invalid_input',
      /cveId "CVE-nope" is not valid/,
    );
    expectDomainError(
      () =>
        recordAdvisoryFacts(makeCase(), { forkUrl: 'ftp://example.org/x' }, { action: 'x', details: {} } as unknown as AdvisoryEvent, now),
      'invalid_input',
      /forkUrl .* must be an http/,
    );
  });
});

describe('verified releases', () => {
  const released = readyCase({
    releasePlan: [releaseLine('1.28', '1.28.2', '2026-11-30T10:00:00.000Z'), releaseLine('1.27', '1.27.4', '2026-11-30T11:00:00.000Z')],
  });

  it('marks lines whose tag carries the fix, and un-verifies a line whose tag lacks it', () => {
    const first = recordReleaseVerification(
      released,
      {
        fixCommit: FIX,
        checks: [
          { tag: 'v1.28.2', contains: true },
          { tag: 'v1.27.4', contains: true },
        ],
      },
      now,
    ).state;
    expect(unverifiedReleases(first)).toEqual([]);
    const { state, events } = recordReleaseVerification(first, { fixCommit: FIX, checks: [{ tag: 'v1.27.4', contains: false }] }, now);
    expect(state.releasePlan[1]).toEqual(releaseLine('1.27', '1.27.4', '2026-11-30T11:00:00.000Z'));
    expect(events[0]).toEqual({
      action: 'release.verified',
      caseId: released.id,
      details: { fixCommit: FIX, lines: [{ line: '1.27', tag: 'v1.27.4', verified: false }] },
    });
    expect(unverifiedReleases(state)).toEqual([
      `release line 1.27: tag v1.27.4 is not verified to contain the fix (embargo plan verify --case ${released.id})`,
    ]);
  });

  it('refuses a tag of no line, an unreleased line and a bad commit', () => {
    expectDomainError(
      () => recordReleaseVerification(released, { fixCommit: FIX, checks: [{ tag: 'v2.0.0', contains: true }] }, now),
      'conflict',
      /^tag v2\.0\.0 belongs to no release line/,
    );
    const planned = makeCase({ releasePlan: [releaseLine('1.28', '1.28.2')] });
    expectDomainError(
      () => recordReleaseVerification(planned, { fixCommit: FIX, checks: [{ tag: 'v1.28.2', contains: true }] }, now),
      'conflict',
      /is not recorded as released yet/,
    );
    expectDomainError(
      () => recordReleaseVerification(released, { fixCommit: 'main; rm -rf', checks: [{ tag: 'v1.28.2', contains: true }] }, now),
      'invalid_input',
      /is not a commit hash/,
    );
  });

  it("speaks the playbook gate's words for unreleased lines, so lists say each once", () => {
    expect(unverifiedReleases(makeCase())).toEqual(['no release line is planned (embargo case plan EMB-2026-0001 --line MINOR=VERSION)']);
    expect(unverifiedReleases(makeCase({ releasePlan: [releaseLine('1.28', '1.28.2')] }))).toEqual([
      'release line 1.28 has no released patch (embargo case release EMB-2026-0001 1.28 [--tag TAG])',
    ]);
  });
});

describe('recordPublication', () => {
  it('sets publishedAt and completes the open publish step', () => {
    const { state, events } = recordPublication(
      readyCase(),
      { publishedAt: '2026-12-01T16:00:05Z', stepId: 'publish-advisory' },
      'GHSA-abcd-efgh-ijkl',
      now,
    );
    expect(state.publishedAt).toBe('2026-12-01T16:00:05.000Z');
    expect(state.steps['publish-advisory']).toEqual({
      status: 'done',
      by: 'root',
      at: '2026-12-01T16:00:00.000Z',
      reason: null,
      confirmed: [],
    });
    expect(events.map((e) => e.action)).toEqual(['advisory.published']);
  });

  it('records an override with its reason and what it overrode; no override without a reason', () => {
    const unmet = ['embargo ends 2026-12-01 17:00 Europe/Berlin, in 5 days'];
    const { state, events } = recordPublication(
      readyCase(),
      { publishedAt: null, stepId: 'publish-advisory', override: { reason: ' Fix leaked ', unmet } },
      'GHSA-abcd-efgh-ijkl',
      now,
    );
    expect(state.publishedAt).toBe('2026-12-01T16:00:00.000Z');
    expect(state.steps['publish-advisory']!.reason).toBe('Fix leaked');
    expect(events[0]).toEqual({
      action: 'advisory.publish_overridden',
      caseId: state.id,
      details: { ghsaId: 'GHSA-abcd-efgh-ijkl', reason: 'Fix leaked', unmet },
    });
    expectDomainError(() => overrideReason('  '), 'invalid_input', /^an override needs a written reason/);
    expectDomainError(() => overrideReason('x'.repeat(2001)), 'invalid_input', /longer than 2000/);
  });
});
