import { describe, expect, it } from 'vitest';
import {
  compareLines,
  compareVersions,
  formatVersion,
  isPrerelease,
  lineOf,
  nextPatch,
  parseLine,
  parseVersion,
  versionFromTag,
  type Version,
} from '../../../src/domain/releases/version.js';

const v = (text: string): Version => {
  const parsed = parseVersion(text);
  if (!parsed) throw new Error(`test version ${text} does not parse`);
  return parsed;
};

describe('parseVersion', () => {
  it('reads final releases and pre-releases', () => {
    expect(parseVersion('1.33.3')).toEqual({ major: 1, minor: 33, patch: 3, prerelease: [] });
    expect(parseVersion('1.34.0-rc.1')).toEqual({ major: 1, minor: 34, patch: 0, prerelease: ['rc', 1] });
    // Contour wrote "-rc1" in its early days: one alphanumeric identifier.
    expect(parseVersion('1.20.0-rc1')).toEqual({ major: 1, minor: 20, patch: 0, prerelease: ['rc1'] });
    expect(isPrerelease(v('1.33.0-beta.1'))).toBe(true);
    expect(isPrerelease(v('1.33.0'))).toBe(false);
  });

  it('refuses what is not a strict x.y.z version', () => {
    for (const bad of [
      '1.33',
      '1.33.3.1',
      'v1.33.3',
      '1.033.0',
      '01.2.3',
      '1.2.3+build.5',
      '1.2.3-',
      '1.2.3-rc..1',
      '1.2.3-01',
      ' 1.2.3',
      '1.2.x',
      '',
      '99999999999999999999.0.0',
    ]) {
      expect(parseVersion(bad), bad).toBeNull();
    }
  });

  it('formats back to the same text', () => {
    for (const text of ['0.1.0', '1.33.3', '1.34.0-rc.1', '2.0.0-alpha.beta.7']) expect(formatVersion(v(text))).toBe(text);
  });
});

/** The precedence example of semver 2.0.0 §11, lowest first. */
const SEMVER_EXAMPLE_CHAIN = [
  '1.0.0-alpha',
  '1.0.0-alpha.1',
  '1.0.0-alpha.beta',
  '1.0.0-beta',
  '1.0.0-beta.2',
  '1.0.0-beta.11',
  '1.0.0-rc.1',
  '1.0.0',
];

describe('compareVersions (semver precedence)', () => {
  it('orders the example chain of semver 2.0.0 §11', () => {
    const chain = SEMVER_EXAMPLE_CHAIN;
    for (let i = 0; i + 1 < chain.length; i++) {
      expect(compareVersions(v(chain[i]!), v(chain[i + 1]!)), `${chain[i]} < ${chain[i + 1]}`).toBe(-1);
      expect(compareVersions(v(chain[i + 1]!), v(chain[i]!))).toBe(1);
    }
    expect(compareVersions(v('1.0.0'), v('1.0.0'))).toBe(0);
  });

  it('compares numbers as numbers, not as text', () => {
    expect(compareVersions(v('1.9.0'), v('1.10.0'))).toBe(-1);
    expect(compareVersions(v('1.33.10'), v('1.33.9'))).toBe(1);
    expect(compareVersions(v('2.0.0'), v('1.99.99'))).toBe(1);
    // A final release outranks its own pre-releases but not the next minor's.
    expect(compareVersions(v('1.34.0-rc.1'), v('1.33.9'))).toBe(1);
    expect(compareVersions(v('1.34.0-rc.1'), v('1.34.0'))).toBe(-1);
  });
});

describe('compareVersions on version texts (the affected ranges of a case)', () => {
  const sorted = (texts: string[]) => [...texts].sort(compareVersions);

  it('follows semver 2.0.0 §11 on text as on parsed versions', () => {
    const chain = SEMVER_EXAMPLE_CHAIN;
    for (let i = 0; i + 1 < chain.length; i++) {
      expect(compareVersions(chain[i]!, chain[i + 1]!), `${chain[i]} < ${chain[i + 1]}`).toBe(-1);
      expect(compareVersions(chain[i + 1]!, chain[i]!)).toBe(1);
    }
    expect(sorted([...chain].reverse())).toEqual(chain);
  });

  it('puts a pre-release before its release and after the release before it', () => {
    expect(compareVersions('1.2.3-rc.1', '1.2.3')).toBe(-1);
    expect(compareVersions('1.2.3-rc.1', '1.2.2')).toBe(1);
    expect(compareVersions('1.2.3-rc.2', '1.2.3-rc.10')).toBe(-1);
    expect(compareVersions('1.2.3-alpha', '1.2.3-beta')).toBe(-1);
    expect(compareVersions('1.2.3-beta', '1.2.3-alpha.1')).toBe(1);
    expect(compareVersions('1.2.3-1', '1.2.3-alpha')).toBe(-1);
    expect(compareVersions('1.2.3-rc.1', '1.2.3-rc.1.1')).toBe(-1);
    expect(compareVersions('1.9.0', '1.10.0-rc.1')).toBe(-1);
    expect(compareVersions('1.2.3', '1.2.3')).toBe(0);
  });

  it('orders a text the strict parse refuses, without failing, and ties by text', () => {
    expect(sorted(['1.10.0', '1.02.0', '1.9.0', '1.2.0'])).toEqual(['1.02.0', '1.2.0', '1.9.0', '1.10.0']);
    expect(compareVersions('1.02.0', '1.2.0')).toBe(-1);
    expect(compareVersions('1.2.0-rc.02', '1.2.0-rc.10')).toBe(-1);
    expect(compareVersions('1.2.0-rc..1', '1.2.0')).toBe(-1);
  });
});

describe('lines, tags and the next patch', () => {
  it('names the minor line and the next patch', () => {
    expect(lineOf(v('1.33.3'))).toBe('1.33');
    expect(formatVersion(nextPatch(v('1.33.3')))).toBe('1.33.4');
    expect(formatVersion(nextPatch(v('1.33.9')))).toBe('1.33.10');
  });

  it('parses and orders lines', () => {
    expect(parseLine('1.33')).toEqual({ major: 1, minor: 33 });
    expect(parseLine('1.33.0')).toBeNull();
    expect(parseLine('1.x')).toBeNull();
    expect(compareLines(parseLine('1.9')!, parseLine('1.10')!)).toBe(-1);
    expect(compareLines(parseLine('2.0')!, parseLine('1.33')!)).toBe(1);
  });

  it('reads a version out of a tag only with the exact prefix', () => {
    expect(versionFromTag('v1.33.3', 'v')).toEqual(v('1.33.3'));
    expect(versionFromTag('1.33.3', 'v')).toBeNull();
    expect(versionFromTag('1.33.3', '')).toEqual(v('1.33.3'));
    expect(versionFromTag('v1.33.3', '')).toBeNull();
    expect(versionFromTag('contour-1.2.0', 'contour-')).toEqual(v('1.2.0'));
    expect(versionFromTag('release-1.33', 'v')).toBeNull();
    expect(versionFromTag('latest', 'v')).toBeNull();
  });
});
