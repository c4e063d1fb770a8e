/** Correcting and undoing a recorded release: pure rules, no database. */
import { describe, expect, it } from 'vitest';
import { correctRelease, releaseTagWarning, undoRelease } from '../../../src/domain/case/index.js';
import { ctx, readyCase } from '../../support/case-fixture.js';

const verified = () => {
  const c = readyCase({ publishedAt: null });
  return {
    ...c,
    releasePlan: c.releasePlan.map((l) => ({ ...l, verifiedAt: '2026-11-30T12:00:00.000Z', fixCommit: 'abc1234' })),
  };
};

describe('release corrections', () => {
  it('names a tag that is not the planned version, and accepts prefixes and pre-releases that are', () => {
    expect(releaseTagWarning({ line: '1.2', version: '1.2.3', tag: 'v1.2.9' })).toBe(
      'the tag v1.2.9 does not name the planned version 1.2.3 of line 1.2',
    );
    expect(releaseTagWarning({ line: '1.2', version: '1.2.3', tag: 'contour-1.2.3' })).toBeNull();
    expect(releaseTagWarning({ line: '1.2', version: '1.2.3-rc.1', tag: 'v1.2.3-rc.1' })).toBeNull();
    expect(releaseTagWarning({ line: '1.2', version: '1.2.3', tag: null })).toBeNull();
  });

  it('corrects the tag or the shipped version and resets the verification, which was about the old tag', () => {
    const c = verified();
    const { state } = correctRelease(
      c,
      { line: '1.28', tag: 'v1.28.3', version: '1.28.3', reason: 'shipped as 1.28.3' },
      ctx('2026-12-01T09:00:00Z'),
    );
    const line = state.releasePlan.find((l) => l.line === '1.28')!;
    expect(line).toEqual({ line: '1.28', version: '1.28.3', releasedAt: '2026-11-30T11:00:00.000Z', tag: 'v1.28.3' });
    expect(state.releasePlan.find((l) => l.line === '1.27')!.verifiedAt).toBe('2026-11-30T12:00:00.000Z');
    expect(state.revision).toBe(c.revision + 1);
  });

  it('undoes a release, and refuses what cannot be corrected', () => {
    const c = verified();
    const { state, events } = undoRelease(c, { line: '1.27', reason: 'wrong case' }, ctx('2026-12-01T09:00:00Z'));
    expect(state.releasePlan.find((l) => l.line === '1.27')).toEqual({ line: '1.27', version: '1.27.4', releasedAt: null, tag: null });
    expect(events[0]!.action).toBe('release.undone');
    expect(() => undoRelease(state, { line: '1.27', reason: 'again' }, ctx('2026-12-01T09:00:00Z'))).toThrow(
      /has no recorded release to correct/,
    );
    expect(() => correctRelease(c, { line: '1.28', version: '1.29.0', reason: 'x' }, ctx('2026-12-01T09:00:00Z'))).toThrow(
      'version 1.29.0 is not on release line 1.28',
    );
    expect(() => correctRelease(c, { line: '1.28', reason: 'x' }, ctx('2026-12-01T09:00:00Z'))).toThrow(
      'say what is right: --tag, --version, or both',
    );
    expect(() => correctRelease(c, { line: '1.28', tag: 'v1.28.2', reason: '' }, ctx('2026-12-01T09:00:00Z'))).toThrow(/say why/);
    expect(() =>
      correctRelease(
        { ...c, publishedAt: '2026-12-01T16:00:00.000Z' },
        { line: '1.28', tag: 'x', reason: 'x' },
        ctx('2026-12-02T09:00:00Z'),
      ),
    ).toThrow(/is published/);
  });
});
