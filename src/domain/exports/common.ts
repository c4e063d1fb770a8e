/**
 * What every advisory format reads from a case, worked out once: the public credits (the reporter's
 * preference applied, contact never included), the affected ranges in version order, the CVSS
 * scores, the vendor and product names, and the check that a case has what a format needs.
 */
import type { Case, CreditType } from '../case/types.js';
import { DomainError } from '../errors.js';
import { compareVersions } from '../releases/version.js';
import { cvssJson, parseCvss, scoreCvss, type CvssScore, type CvssVersion } from '../severity/cvss.js';
import { findCwe } from '../severity/cwe.js';
import { formatInZone } from '../time.js';

export const EXPORT_FORMATS = ['osv', 'cve5', 'csaf', 'ghsa', 'md'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const FORMAT_NAMES: Record<ExportFormat, string> = {
  osv: 'OSV',
  cve5: 'CVE JSON 5',
  csaf: 'CSAF 2.0',
  ghsa: 'GitHub advisory',
  md: 'Markdown',
};

/**
 * A credit as it may appear in public. The reporter's preference is already applied: anonymous
 * means no name (and no company, login or contact); name-without-company drops the company. The
 * reporter's contact is never part of it.
 */
export interface PublicCredit {
  /** null for an anonymous credit. */
  name: string | null;
  /** Only for a reporter who asked to be named with their company. */
  company: string | null;
  /** GitHub login, when the credit has one (never for the reporter or anonymous credits). */
  login: string | null;
  type: CreditType;
  anonymous: boolean;
}

export function publicCredits(c: Case): PublicCredit[] {
  const out: PublicCredit[] = [];
  const r = c.reporter;
  if (r) {
    out.push(
      r.credit === 'anonymous'
        ? { name: null, company: null, login: null, type: 'reporter', anonymous: true }
        : {
            name: r.name,
            company: r.credit === 'named' ? r.company : null,
            login: r.githubLogin ?? null,
            type: 'reporter',
            anonymous: false,
          },
    );
  }
  for (const k of c.credits) {
    out.push(
      k.anonymous || !k.name
        ? { name: null, company: null, login: null, type: k.type, anonymous: true }
        : { name: k.name, company: null, login: k.login ?? null, type: k.type, anonymous: false },
    );
  }
  return out;
}

/** "Jane Doe (Acme Corp)", "Jane Doe" or "Anonymous": for formats whose credit is free text. */
export function creditText(k: PublicCredit): string {
  if (k.anonymous || k.name === null) return 'Anonymous';
  return k.company ? `${k.name} (${k.company})` : k.name;
}

/** "remediation_developer" → "remediation developer" (CVE JSON 5 and prose spell types with spaces). */
export const creditTypeWords = (t: CreditType) => t.replace(/_/g, ' ');

/** One affected range per release line, oldest line first. */
export interface LineRange {
  /** The minor line the fix ships on ("1.33"), or of the first affected version when there is no fix. */
  line: string;
  introduced: string;
  fixed: string | null;
}

function numericParts(version: string): number[] {
  return version
    .split(/[-+]/)[0]!
    .split('.')
    .map((p) => Number(p) || 0);
}

const minorOf = (version: string) => numericParts(version).slice(0, 2).join('.');

/** The case's affected ranges as recorded, oldest first (what the Markdown table shows). */
export function recordedRanges(c: Case): LineRange[] {
  const unique = new Map(c.affected.map((r) => [`${r.introduced}|${r.fixed}`, r]));
  return [...unique.values()]
    .sort((a, b) => compareVersions(a.introduced, b.introduced))
    .map((r) => ({ line: minorOf(r.fixed ?? r.introduced), introduced: r.introduced, fixed: r.fixed }));
}

/**
 * The ranges the structured formats publish, one per fixed release line, oldest first. A range
 * with no fix below another range (older lines that get no patch: "1.19.0 on, no fix" under
 * "1.31.0 to 1.31.6") is folded into the range above it, which then starts where it started: an
 * open range would otherwise claim every later version affected, fixed ones included, in OSV and
 * GHSA where ranges are read independently. Only a no-fix range at the top stays open.
 */
export function lineRanges(c: Case): LineRange[] {
  const out: LineRange[] = [];
  let pending: string | null = null;
  for (const r of recordedRanges(c)) {
    const introduced: string = pending ?? r.introduced;
    if (r.fixed === null) {
      pending = introduced;
      continue;
    }
    out.push({ ...r, introduced });
    pending = null;
  }
  if (pending !== null) out.push({ line: minorOf(pending), introduced: pending, fixed: null });
  return out;
}

/*
 * Scoring a CVSS 4.0 vector takes the library about 0.2 ms and its CVSS-JSON twice that, and one
 * case exported in five formats needs the same vectors again and again: results are remembered per
 * vector (pure functions of it; callers get copies, so nobody can change what is remembered).
 */
const MEMO_MAX = 4096;
const scores = new Map<string, CvssScore>();
const documents = new Map<string, Record<string, unknown>>();

function remember<T>(memo: Map<string, T>, vector: string, make: (v: string) => T): T {
  let value = memo.get(vector);
  if (value === undefined) {
    if (memo.size >= MEMO_MAX) memo.clear();
    value = make(vector);
    memo.set(vector, value);
  }
  return value;
}

/** Forgets every remembered score (benchmarks measure from cold with it). */
export function forgetCvssScores(): void {
  scores.clear();
  documents.clear();
}

/** The vector's version from the strict parse alone (cheap; no scoring). */
export const cvssVersion = (vector: string): CvssVersion => parseCvss(vector).version;

/** scoreCvss, remembered. */
export const cvssScore = (vector: string): CvssScore => ({ ...remember(scores, vector, scoreCvss) });

/** FIRST's CVSS-JSON (cvssJson), remembered; the object is flat, so a spread copies it. */
export const cvssDocument = (vector: string): Record<string, unknown> => ({ ...remember(documents, vector, cvssJson) });

/** The scores of the case's vectors, in the order the team listed them. */
export function cvssScores(c: Case): CvssScore[] {
  return c.severity.cvss.map(cvssScore);
}

/** The score a one-word severity comes from: the first vector the team listed. */
export function headlineScore(scores: readonly CvssScore[]): CvssScore | null {
  return scores[0] ?? null;
}

/** CWE-94 → its name in MITRE's catalogue (undefined for an id the catalogue lacks). */
export function cweName(id: string): string | undefined {
  return findCwe(id)?.name;
}

/** owner and repo of a github.com repository URL. */
export function githubRepo(url: string | undefined): { owner: string; repo: string } | null {
  if (!url) return null;
  const m = /^https:\/\/github\.com\/([A-Za-z0-9-]+)\/([A-Za-z0-9._-]+?)(?:\.git)?\/?$/.exec(url);
  return m ? { owner: m[1]!, repo: m[2]! } : null;
}

/** The advisory's page on GitHub, when the case has a GHSA id and a GitHub repository. */
export function githubAdvisoryUrl(c: Case): string | null {
  const gh = githubRepo(c.package?.repository);
  return gh && c.ghsaId ? `https://github.com/${gh.owner}/${gh.repo}/security/advisories/${c.ghsaId}` : null;
}

/** Who makes the product: the GitHub owner of the repository, else the project slug. */
export function vendorOf(c: Case): string {
  return githubRepo(c.package?.repository)?.owner ?? c.project;
}

/** The product's short name: the repository's name, else the last part of the package name. */
export function productOf(c: Case): string {
  const gh = githubRepo(c.package?.repository);
  if (gh) return gh.repo;
  const name = c.package?.name ?? c.project;
  return name.split(/[/:]/).filter(Boolean).pop() ?? name;
}

/** The id an advisory goes by: GHSA first (the project's own advisory), then CVE, then the case id. */
export function advisoryId(c: Case): string {
  return c.ghsaId ?? c.cveId ?? c.id;
}

type Need = 'package' | 'affected' | 'description' | 'cveId' | 'references';

/** What each need asks for, with the command that records it on this case. */
const NEED_TEXT: Record<Need, (id: string) => string> = {
  package: (id) => `a package (embargo case edit ${id} --package ECOSYSTEM:NAME)`,
  affected: (id) => `affected versions (embargo case edit ${id} --affected INTRODUCED..FIXED)`,
  // The original report is never published as it came: the team writes the advisory's text.
  description: (id) =>
    `the advisory's description, which the team writes (the original report is not published): embargo case edit ${id} --description-file FILE`,
  cveId: (id) => `a CVE id (embargo case edit ${id} --cve CVE-…)`,
  references: (id) => `at least one reference URL (embargo case edit ${id} --reference URL)`,
};

/**
 * Throws a conflict naming everything the format still needs, so a person fixes the case once
 * rather than one field per attempt.
 */
export function requireFields(format: ExportFormat, c: Case, needs: readonly Need[]): void {
  const missing = needs.filter((n) => {
    if (n === 'package') return c.package === null;
    if (n === 'affected') return c.affected.length === 0;
    if (n === 'description') return c.description.trim() === '';
    if (n === 'cveId') return c.cveId === null;
    return c.references.length === 0 && githubAdvisoryUrl(c) === null;
  });
  if (missing.length === 0) return;
  throw new DomainError(
    'conflict',
    `cannot export ${c.id} as ${FORMAT_NAMES[format]}: the case still needs ${missing.map((m) => NEED_TEXT[m](c.id)).join('; ')}`,
    {
      format,
      missing,
    },
  );
}

/** The public reference URLs: the GitHub advisory page first (when known), then the case's list. */
export function referenceUrls(c: Case): string[] {
  const advisory = githubAdvisoryUrl(c);
  return [...new Set([...(advisory ? [advisory] : []), ...c.references])];
}

/** For documents of a case not yet published: who may see it and until when. */
export function embargoNotice(c: Case): string {
  const until = c.embargo ? ` before ${formatInZone(new Date(c.embargo.endsAt), c.embargo.timeZone)}` : '';
  return `Embargoed: not for publication${until}. Share only with the people and distributors on the case.`;
}
