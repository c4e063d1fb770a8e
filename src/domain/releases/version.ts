/**
 * Release versions as a project tags them: `<prefix><major>.<minor>.<patch>[-<pre-release>]`
 * (Contour: `v1.33.3`, `v1.34.0-rc.1`). Precedence follows semver 2.0.0 §11; a version with a
 * pre-release part is a pre-release and never counts as a line's final release.
 */

export interface Version {
  major: number;
  minor: number;
  patch: number;
  /** Dot-separated pre-release identifiers ("rc.1" → ["rc", 1]); empty for a final release. */
  prerelease: (string | number)[];
}

const NUMBER = '(0|[1-9]\\d*)';
const IDENTIFIER = '(?:0|[1-9]\\d*|\\d*[A-Za-z-][0-9A-Za-z-]*)';
const VERSION = new RegExp(`^${NUMBER}\\.${NUMBER}\\.${NUMBER}(?:-(${IDENTIFIER}(?:\\.${IDENTIFIER})*))?$`);
const LINE = new RegExp(`^${NUMBER}\\.${NUMBER}$`);

function safeNumber(text: string): number | null {
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : null;
}

/**
 * "1.33.3" or "1.34.0-rc.1" → a Version; anything else (leading zeros, build metadata, a prefix,
 * four parts) → null. Strict on purpose: "1.033.0" must not quietly become line 1.33.
 */
export function parseVersion(text: string): Version | null {
  const m = VERSION.exec(text);
  if (!m) return null;
  const major = safeNumber(m[1]!);
  const minor = safeNumber(m[2]!);
  const patch = safeNumber(m[3]!);
  if (major === null || minor === null || patch === null) return null;
  const prerelease = m[4] === undefined ? [] : m[4].split('.').map((id) => (/^\d+$/.test(id) ? (safeNumber(id) ?? id) : id));
  return { major, minor, patch, prerelease };
}

export function formatVersion(v: Version): string {
  const core = `${v.major}.${v.minor}.${v.patch}`;
  return v.prerelease.length === 0 ? core : `${core}-${v.prerelease.join('.')}`;
}

export const isPrerelease = (v: Version): boolean => v.prerelease.length > 0;

/**
 * A version text read for ordering only. The strict parse first; text it refuses but a case may
 * still hold (the case's affected ranges are checked for shape only: "1.02.0", "1.0.0-rc..1") is
 * read leniently, numbers as numbers, so ordering never fails on it.
 */
function orderingVersion(text: string): Version {
  const strict = parseVersion(text);
  if (strict) return strict;
  const plain = text.split('+')[0]!;
  const dash = plain.indexOf('-');
  const [major = 0, minor = 0, patch = 0] = (dash < 0 ? plain : plain.slice(0, dash)).split('.').map((p) => Number(p) || 0);
  const prerelease =
    dash < 0
      ? []
      : plain
          .slice(dash + 1)
          .split('.')
          .map((id) => (/^\d+$/.test(id) && Number.isSafeInteger(Number(id)) ? Number(id) : id));
  return { major, minor, patch, prerelease };
}

/**
 * semver precedence (2.0.0 §11): negative when a < b, 0 when equal, positive when a > b. Texts are
 * read as versions; two texts of equal precedence ("1.2.0" and "1.02.0") are ordered as text, so a
 * sort is stable whatever it is given. The one comparer of versions in the domain.
 */
export function compareVersions(a: Version | string, b: Version | string): number {
  const precedence = comparePrecedence(typeof a === 'string' ? orderingVersion(a) : a, typeof b === 'string' ? orderingVersion(b) : b);
  if (precedence !== 0 || typeof a !== 'string' || typeof b !== 'string') return precedence;
  return a < b ? -1 : a > b ? 1 : 0;
}

function comparePrecedence(a: Version, b: Version): number {
  const core = a.major - b.major || a.minor - b.minor || a.patch - b.patch;
  if (core !== 0) return Math.sign(core);
  // A final release outranks every pre-release of the same core version.
  if (a.prerelease.length === 0 || b.prerelease.length === 0) return Math.sign(b.prerelease.length - a.prerelease.length);
  const n = Math.max(a.prerelease.length, b.prerelease.length);
  for (let i = 0; i < n; i++) {
    const x = a.prerelease[i];
    const y = b.prerelease[i];
    // A shorter set of identifiers comes first when all before it are equal.
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    if (x === y) continue;
    if (typeof x === 'number' && typeof y === 'number') return Math.sign(x - y);
    // Numeric identifiers have lower precedence than alphanumeric ones.
    if (typeof x === 'number') return -1;
    if (typeof y === 'number') return 1;
    return x < y ? -1 : 1;
  }
  return 0;
}

/** A minor release line, e.g. { major: 1, minor: 33 } written "1.33". */
export interface Line {
  major: number;
  minor: number;
}

export const lineOf = (v: Version | Line): string => `${v.major}.${v.minor}`;

/** "1.33" → a Line; anything else → null. */
export function parseLine(text: string): Line | null {
  const m = LINE.exec(text);
  if (!m) return null;
  const major = safeNumber(m[1]!);
  const minor = safeNumber(m[2]!);
  return major === null || minor === null ? null : { major, minor };
}

export function compareLines(a: Line, b: Line): number {
  return Math.sign(a.major - b.major || a.minor - b.minor);
}

/** The first version of a line: "1.33" → 1.33.0. */
export const lineStart = (l: Line): Version => ({ major: l.major, minor: l.minor, patch: 0, prerelease: [] });

/** The patch release after a final release: 1.33.3 → 1.33.4. */
export const nextPatch = (v: Version): Version => ({ major: v.major, minor: v.minor, patch: v.patch + 1, prerelease: [] });

/** A tag name as a version when it is `<prefix><version>`, else null ("latest", "release-1.33", …). */
export function versionFromTag(tag: string, prefix: string): Version | null {
  if (!tag.startsWith(prefix)) return null;
  return parseVersion(tag.slice(prefix.length));
}
