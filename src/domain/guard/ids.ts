/**
 * Advisory and case ids in any spelling people (and tools) write them: `CVE-2026-41246`,
 * `cve 2026 41246`, `CVE_2026_41246`, `GHSA-X4MJ-7F9G-29H4`, ids inside advisory URLs, and
 * Embargo's own case ids (`EMB-2026-0007`, `emb-2026-7`). Each is reduced to one canonical form.
 */

export type IdKind = 'cve' | 'ghsa' | 'case';

export interface IdMatch {
  kind: IdKind;
  /** CVE-2026-41246, GHSA-x4mj-7f9g-29h4, EMB-2026-0007 */
  canonical: string;
  start: number;
  end: number;
}

// Separators people put between the parts: hyphen (dashes are folded to it), space, underscore,
// colon, dot. Not newlines: an id does not span lines.
const SEP = '[-_ \\t:.]';
const ID_PATTERN = new RegExp(
  [
    `(cve)${SEP}*(\\d{4})${SEP}+(\\d{4,7})(?!\\d)`,
    `(ghsa)${SEP}*([0-9a-z]{4})${SEP}+([0-9a-z]{4})${SEP}+([0-9a-z]{4})(?![0-9a-z])`,
    `(?<![0-9a-z])(emb)${SEP}*(\\d{4})${SEP}+(\\d{1,8})(?!\\d)`,
  ].join('|'),
  'gi',
);

/** Quick test before the full scan: most text carries no id at all. */
const MAYBE_ID = /cve|ghsa|emb/i;

const NONE: readonly IdMatch[] = Object.freeze([]);

export function findIds(text: string): readonly IdMatch[] {
  if (!MAYBE_ID.test(text)) return NONE;
  const found: IdMatch[] = [];
  ID_PATTERN.lastIndex = 0;
  for (let m = ID_PATTERN.exec(text); m; m = ID_PATTERN.exec(text)) {
    const start = m.index;
    const end = start + m[0].length;
    if (m[1]) found.push({ kind: 'cve', canonical: `CVE-${m[2]}-${m[3]}`, start, end });
    else if (m[4])
      found.push({ kind: 'ghsa', canonical: `GHSA-${m[5]}-${m[6]}-${m[7]}`.replace(/-[0-9a-z]{4}/gi, (g) => g.toLowerCase()), start, end });
    else found.push({ kind: 'case', canonical: caseIdOf(m[9]!, m[10]!), start, end });
  }
  return found;
}

function caseIdOf(year: string, n: string): string {
  const digits = n.replace(/^0+(?=\d)/, '');
  return `EMB-${year}-${digits.padStart(4, '0')}`;
}

/**
 * The canonical form of an id written in a list (public ids, a case's ids), or null when it is not
 * an id. Accepts the same spellings as the scanner.
 */
export function canonicalId(value: string): IdMatch['canonical'] | null {
  const trimmed = value.trim();
  const [first] = findIds(trimmed);
  return first && first.start === 0 && first.end === trimmed.length ? first.canonical : null;
}

/** Where in the text around an id it sits: a URL, GitHub's fork merge message, a cherry-pick title. */
export type IdContext = 'advisory-url' | 'ghsa-merge' | 'cherry-pick' | null;

const URL_BEFORE = /(?:https?:\/\/|www\.)[^\s<>()"']*$/i;
const MERGE_BEFORE = /merge pull request from\s*$/i;
const CHERRY_PICK_BEFORE = /cherry[- ]?pick(?:ed|ing)?\b[^\n]*$/i;

export function idContext(text: string, start: number): IdContext {
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  const before = text.slice(Math.max(lineStart, start - 300), start);
  if (MERGE_BEFORE.test(before)) return 'ghsa-merge';
  if (URL_BEFORE.test(before)) return 'advisory-url';
  if (CHERRY_PICK_BEFORE.test(before)) return 'cherry-pick';
  return null;
}
