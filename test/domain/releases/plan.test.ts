import { describe, expect, it } from 'vitest';
import {
  affectedRanges,
  casePlanOf,
  parseAsOf,
  parseIntroduced,
  supportedLines,
  tagsAsOf,
  type TagInput,
} from '../../../src/domain/releases/plan.js';
import { formatVersion } from '../../../src/domain/releases/version.js';
import { errorOf as domainError } from '../../support/domain-error.js';

/** Contour-like tags: 1.30 … 1.33 with patches, pre-releases, and tags that are not releases. */
const TAGS: TagInput[] = [
  { name: 'v1.30.0-rc.1', createdAt: '2025-02-03T12:00:00Z' },
  { name: 'v1.30.0', createdAt: '2025-02-10T09:00:00Z' },
  { name: 'v1.30.1', createdAt: '2025-03-03T09:00:00Z' },
  { name: 'v1.31.0', createdAt: '2025-04-14T09:00:00Z' },
  { name: 'v1.31.1', createdAt: '2025-05-05T09:00:00Z' },
  { name: 'v1.32.0', createdAt: '2025-06-09T09:00:00Z' },
  { name: 'v1.32.1', createdAt: '2025-07-07T09:00:00Z' },
  { name: 'v1.32.2', createdAt: '2025-08-04T09:00:00Z' },
  { name: 'v1.33.0-beta.1', createdAt: '2025-09-01T12:00:00Z' },
  { name: 'v1.33.0-rc.1', createdAt: '2025-09-15T12:00:00Z' },
  { name: 'v1.33.0', createdAt: '2025-10-06T09:00:00Z' },
  { name: 'v1.33.1', createdAt: '2025-11-03T09:00:00Z' },
  { name: 'v1.33.2', createdAt: '2026-01-12T09:00:00Z' },
  // Released after 1.33.2 but an older line: "most recent" is by version, not by date.
  { name: 'v1.32.3', createdAt: '2026-02-01T09:00:00Z' },
  { name: 'v1.33.3', createdAt: '2026-03-02T09:00:00Z' },
  { name: 'v1.34.0-rc.1', createdAt: '2026-04-01T10:00:00Z' },
  { name: '1.29.9', createdAt: '2025-01-06T09:00:00Z' },
  { name: 'latest', createdAt: '2026-04-01T10:00:00Z' },
  { name: 'release-1.33', createdAt: '2025-10-06T09:00:00Z' },
];

const rows = (plan: ReturnType<typeof supportedLines>) => plan.lines.map((l) => [l.line, l.latest, l.next, l.nextTag]);

describe('supportedLines', () => {
  it('picks the N most recent minor lines with a final release, the latest of each and the next patch', () => {
    const plan = supportedLines(TAGS, { count: 3 });
    expect(rows(plan)).toEqual([
      ['1.33', 'v1.33.3', '1.33.4', 'v1.33.4'],
      ['1.32', 'v1.32.3', '1.32.4', 'v1.32.4'],
      ['1.31', 'v1.31.1', '1.31.2', 'v1.31.2'],
    ]);
    expect(plan.unsupported.map((l) => [l.line, l.latest])).toEqual([['1.30', 'v1.30.1']]);
    expect(plan.lines[0]).toMatchObject({ latestVersion: '1.33.3', latestAt: '2026-03-02T09:00:00Z', releases: 4 });
    expect(plan.tagPrefix).toBe('v');
    expect(plan.asOf).toBeNull();
  });

  it('ignores pre-releases: 1.34 has only an rc, so it is not a supported line', () => {
    const plan = supportedLines(TAGS, { count: 1 });
    expect(rows(plan)).toEqual([['1.33', 'v1.33.3', '1.33.4', 'v1.33.4']]);
    expect(plan.prereleases).toEqual(['v1.34.0-rc.1', 'v1.33.0-rc.1', 'v1.33.0-beta.1', 'v1.30.0-rc.1']);
    // And a pre-release never counts as the latest release of a line that has finals.
    const withRc = supportedLines([...TAGS, { name: 'v1.33.4-rc.1', createdAt: '2026-04-02T00:00:00Z' }], { count: 1 });
    expect(withRc.lines[0]).toMatchObject({ latest: 'v1.33.3', next: '1.33.4' });
  });

  it('defaults to the three most recent lines and the prefix v', () => {
    const plan = supportedLines(TAGS);
    expect(plan.lines.map((l) => l.line)).toEqual(['1.33', '1.32', '1.31']);
  });

  it('returns fewer lines when fewer have a final release', () => {
    const plan = supportedLines(TAGS, { count: 10 });
    expect(plan.lines.map((l) => l.line)).toEqual(['1.33', '1.32', '1.31', '1.30']);
    expect(plan.unsupported).toEqual([]);
  });

  it('takes explicit lines, newest first, and refuses a line with no final release', () => {
    const plan = supportedLines(TAGS, { lines: ['1.31', '1.33', '1.31'] });
    expect(rows(plan)).toEqual([
      ['1.33', 'v1.33.3', '1.33.4', 'v1.33.4'],
      ['1.31', 'v1.31.1', '1.31.2', 'v1.31.2'],
    ]);
    expect(plan.unsupported.map((l) => l.line)).toEqual(['1.32', '1.30']);

    const rcOnly = domainError(() => supportedLines(TAGS, { lines: ['1.34'] }));
    expect(rcOnly.code).toBe('invalid_input');
    expect(rcOnly.message).toBe(
      'line 1.34 has no final release yet, only pre-releases (v1.34.0-rc.1); lines with a final release: 1.33, 1.32, 1.31, 1.30',
    );
    expect(domainError(() => supportedLines(TAGS, { lines: ['1.29'] })).message).toMatch(/^line 1\.29 has no release tagged v1\.29\.N;/);
    expect(domainError(() => supportedLines(TAGS, { lines: ['1.x'] })).message).toBe('line "1.x" is not a minor release line like 1.33');
  });

  it('replays an earlier day with asOf: only tags created before it count', () => {
    const before = supportedLines(TAGS, { count: 3, asOf: new Date('2025-09-20T00:00:00Z') });
    // 1.33 had a beta and an rc by then, but no final release.
    expect(rows(before)).toEqual([
      ['1.32', 'v1.32.2', '1.32.3', 'v1.32.3'],
      ['1.31', 'v1.31.1', '1.31.2', 'v1.31.2'],
      ['1.30', 'v1.30.1', '1.30.2', 'v1.30.2'],
    ]);
    expect(before.asOf).toBe('2025-09-20T00:00:00.000Z');
    // Strictly before: a tag created at the very instant is not yet there.
    expect(supportedLines(TAGS, { count: 1, asOf: new Date('2026-03-02T09:00:00Z') }).lines[0]!.latest).toBe('v1.33.2');
  });

  it('uses the tag prefix it is given', () => {
    const plan = supportedLines(TAGS, { count: 3, tagPrefix: '' });
    expect(rows(plan)).toEqual([['1.29', '1.29.9', '1.29.10', '1.29.10']]);
    expect(domainError(() => supportedLines(TAGS, { tagPrefix: 'bad prefix' })).message).toBe(
      'tag prefix "bad prefix" cannot start a git tag name',
    );
  });

  it('says plainly when nothing qualifies', () => {
    const none = domainError(() => supportedLines(TAGS, { asOf: new Date('2025-02-05T00:00:00Z') }));
    expect(none.code).toBe('not_found');
    expect(none.message).toBe(
      'no final release found: none of the 2 tags created before 2025-02-05T00:00:00.000Z is named like v1.2.3; 1 pre-release tag was left out',
    );
    expect(domainError(() => supportedLines([], {})).message).toBe('no final release found: none of the 0 tags is named like v1.2.3');
    expect(domainError(() => supportedLines(TAGS, { count: 0 })).message).toBe(
      'the number of supported lines must be a whole number from 1 to 32, not 0',
    );
    expect(domainError(() => supportedLines(TAGS, { count: 2, lines: ['1.33'] })).message).toBe(
      'give either a number of supported lines or the lines themselves, not both',
    );
  });
});

describe('tagsAsOf', () => {
  it('keeps tags created strictly before the instant, and drops tags whose date is unknown', () => {
    const kept = tagsAsOf(
      [
        { name: 'a', createdAt: '2026-01-01T00:00:00Z' },
        { name: 'b', createdAt: '2026-01-02T00:00:00Z' },
        { name: 'c', createdAt: null },
        { name: 'd' },
      ],
      new Date('2026-01-02T00:00:00Z'),
    );
    expect(kept.map((t) => t.name)).toEqual(['a']);
  });
});

describe('affectedRanges', () => {
  const plan = supportedLines(TAGS, { count: 3 });

  it('gives one range per supported line and the older lines as affected with no fix, saying so', () => {
    const ranges = affectedRanges(plan, { introduced: '1.19.0' });
    expect(ranges.map(({ introduced, fixed }) => ({ introduced, fixed }))).toEqual([
      { introduced: '1.33.0', fixed: '1.33.4' },
      { introduced: '1.32.0', fixed: '1.32.4' },
      { introduced: '1.31.0', fixed: '1.31.2' },
      { introduced: '1.19.0', fixed: null },
    ]);
    expect(ranges.slice(0, 3).every((r) => r.note === undefined)).toBe(true);
    expect(ranges[3]!.note).toBe(
      'versions 1.19.0 to 1.30.1 (line 1.30, older than the supported lines) are affected and get no fix; users must upgrade to 1.31.2 or later',
    );
  });

  it('starts a supported line at introduced when the bug appeared inside it, and leaves older lines out', () => {
    expect(affectedRanges(plan, { introduced: '1.32.1' })).toEqual([
      { introduced: '1.33.0', fixed: '1.33.4' },
      { introduced: '1.32.1', fixed: '1.32.4' },
    ]);
    // A pre-release of the line counts as inside it.
    expect(affectedRanges(plan, { introduced: '1.33.0-beta.1' })).toEqual([{ introduced: '1.33.0-beta.1', fixed: '1.33.4' }]);
    // "v1.31" and "1.31" mean 1.31.0.
    expect(affectedRanges(plan, { introduced: 'v1.31' })).toEqual(affectedRanges(plan, { introduced: '1.31.0' }));
    expect(affectedRanges(plan, { introduced: '1.31.0' })).toHaveLength(3);
  });

  it('without introduced takes every tagged line as affected, and says that is an assumption', () => {
    const ranges = affectedRanges(plan);
    expect(ranges.map((r) => [r.introduced, r.fixed])).toEqual([
      ['1.33.0', '1.33.4'],
      ['1.32.0', '1.32.4'],
      ['1.31.0', '1.31.2'],
      ['1.30.0', null],
    ]);
    expect(ranges[3]!.note).toMatch(/get no fix; users must upgrade to 1\.31\.2 or later; when the bug appeared is not known/);
  });

  it('with one supported line, every older line is one range with no fix', () => {
    const one = supportedLines(TAGS, { count: 1 });
    const ranges = affectedRanges(one, { introduced: '1.31.1' });
    expect(ranges).toEqual([
      { introduced: '1.33.0', fixed: '1.33.4' },
      {
        introduced: '1.31.1',
        fixed: null,
        note: 'versions 1.31.1 to 1.32.3 (lines 1.31 to 1.32, older than the supported lines) are affected and get no fix; users must upgrade to 1.33.4 or later',
      },
    ]);
  });

  it('names an unsupported line between explicit lines as affected with no fix', () => {
    const gaps = supportedLines(TAGS, { lines: ['1.33', '1.31'] });
    const ranges = affectedRanges(gaps, { introduced: '1.30.1' });
    expect(ranges.map((r) => [r.introduced, r.fixed])).toEqual([
      ['1.33.0', '1.33.4'],
      ['1.32.0', null],
      ['1.31.0', '1.31.2'],
      ['1.30.1', null],
    ]);
    expect(ranges[1]!.note).toBe(
      'versions 1.32.0 to 1.32.3 (line 1.32, not supported) are affected and get no fix; users must upgrade to 1.33.4 or later',
    );
    expect(ranges[3]!.note).toMatch(/^versions 1\.30\.1 to 1\.30\.1 \(line 1\.30, older than the supported lines\)/);
  });

  it('covers versions older than every tag when the bug is older still', () => {
    const all = supportedLines(TAGS, { count: 4 });
    const ranges = affectedRanges(all, { introduced: '1.19.0' });
    expect(ranges[ranges.length - 1]).toEqual({
      introduced: '1.19.0',
      fixed: null,
      note: 'versions 1.19.0 to before 1.30.0 (older than the supported lines; no release tag of theirs was found) are affected and get no fix; users must upgrade to 1.30.2 or later',
    });
  });

  it('refuses an introduced version no supported release carries, in a sentence', () => {
    const newer = domainError(() => affectedRanges(plan, { introduced: '2.0.0', label: '--introduced' }));
    expect(newer.code).toBe('invalid_input');
    expect(newer.message).toBe(
      '--introduced 2.0.0 is newer than every supported line: the newest supported release is v1.33.3, so no supported release is affected',
    );
    // 1.34 exists only as an rc; 1.33.9 is on line 1.33 but after its latest release.
    expect(domainError(() => affectedRanges(plan, { introduced: '1.34.0-rc.1' })).message).toMatch(
      /^introduced 1\.34\.0-rc\.1 is newer than every supported line/,
    );
    expect(domainError(() => affectedRanges(plan, { introduced: '1.33.9' })).message).toMatch(
      /^introduced 1\.33\.9 is newer than every supported line/,
    );
    expect(domainError(() => affectedRanges(plan, { introduced: 'soon', label: '--introduced' })).message).toBe(
      '--introduced "soon" is not a version like 1.19.0',
    );
  });
});

describe('casePlanOf', () => {
  it('gives the case its lines with bare next versions and the ranges without notes', () => {
    const plan = supportedLines(TAGS, { count: 2 });
    const changes = casePlanOf(plan, affectedRanges(plan, { introduced: '1.19.0' }));
    expect(changes).toEqual({
      lines: [
        { line: '1.33', version: '1.33.4', latest: 'v1.33.3' },
        { line: '1.32', version: '1.32.4', latest: 'v1.32.3' },
      ],
      affected: [
        { introduced: '1.33.0', fixed: '1.33.4' },
        { introduced: '1.32.0', fixed: '1.32.4' },
        { introduced: '1.19.0', fixed: null },
      ],
    });
  });
});

describe('parseIntroduced and parseAsOf', () => {
  it('reads versions with or without the tag prefix, or a line', () => {
    expect(formatVersion(parseIntroduced('v1.19.0'))).toBe('1.19.0');
    expect(formatVersion(parseIntroduced('1.19'))).toBe('1.19.0');
    expect(formatVersion(parseIntroduced('contour-1.2.3', 'contour-'))).toBe('1.2.3');
    expect(() => parseIntroduced('1.19.0.1')).toThrow('introduced "1.19.0.1" is not a version like 1.19.0');
  });

  it('reads a day as its start in UTC, and a time only with its offset', () => {
    expect(parseAsOf('2026-05-01').toISOString()).toBe('2026-05-01T00:00:00.000Z');
    expect(parseAsOf('2026-05-01T09:00:00+02:00').toISOString()).toBe('2026-05-01T07:00:00.000Z');
    expect(parseAsOf('2026-05-01 09:30Z').toISOString()).toBe('2026-05-01T09:30:00.000Z');
    expect(() => parseAsOf('2026-05-01T09:00', '--as-of')).toThrow(
      '--as-of "2026-05-01T09:00" is not a date like 2026-05-01 or a time like 2026-05-01T09:00:00Z (add Z or an offset such as +02:00 to the time)',
    );
    expect(() => parseAsOf('2026-02-30')).toThrow('as-of "2026-02-30" is not a real date');
    expect(() => parseAsOf('yesterday')).toThrow(/is not a date like 2026-05-01/);
  });
});
