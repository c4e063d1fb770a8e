/**
 * A private vulnerability report filed on GitHub (an advisory in state `triage`) as the input of a
 * new case: the title from its summary, its text, the reporter from the login GitHub credits or
 * shows as author, the GHSA id linked, and what it says about versions, CVSS and CWE when the
 * reporter filled those in. Every value already fits the case's own field rules, so the app can
 * pass it to createCase and editCase without a reporter's odd input failing the whole import.
 */
import { GITHUB_LOGIN_PATTERN } from '../case/advisory-fields.js';
import { VERSION_PATTERN } from '../case/fields.js';
import { CREDITS_MAX, DESCRIPTION_MAX, TITLE_MAX } from '../case/limits.js';
import { CREDIT_TYPES, type AffectedRange, type CasePackage, type Credit, type CreditType, type Reporter } from '../case/types.js';
import { GITHUB_ECOSYSTEM } from '../exports/ghsa.js';
import { isCvssVector } from '../severity/cvss.js';
import { findCwe } from '../severity/cwe.js';
import { normalizeRange } from './diff.js';
import type { AdvisoryView } from './types.js';

export interface ReportCaseInput {
  /** For createCase. */
  title: string;
  reporter: Reporter | null;
  /** For editCase. */
  description: string;
  ghsaId: string;
  affected: AffectedRange[];
  package: CasePackage | null;
  cvss: string[];
  cwe: string[];
  /** Other people GitHub credits (with their logins); the reporter is `reporter`. */
  credits: Credit[];
  /** The reporter's GitHub login, for the link and for keeping GitHub's reporter credit. */
  reporterLogin: string | null;
}

const OSV_ECOSYSTEM: Record<string, string> = Object.fromEntries(Object.entries(GITHUB_ECOSYSTEM).map(([osv, gh]) => [gh, osv]));

const clip = (s: string, max: number) => (s.length <= max ? s : `${s.slice(0, max - 1).trimEnd()}…`);

/** The reporter's login: the credit GitHub gave as reporter, else the author of the report. */
export function reportLogin(a: AdvisoryView): string | null {
  const credited = (a.credits ?? []).find((c) => c.type === 'reporter' && c.login)?.login;
  const login = credited ?? a.author?.login ?? null;
  return login && GITHUB_LOGIN_PATTERN.test(login) ? login : null;
}

/** ">= 1.2.0, < 1.2.5" with patched "1.2.5" → {introduced 1.2.0, fixed 1.2.5}; null when it says no such thing. */
export function affectedRange(range: string | null, patched: string | null): AffectedRange | null {
  const parts = normalizeRange(range)?.split(', ') ?? [];
  let introduced: string | null = null;
  let fixed: string | null = null;
  for (const p of parts) {
    const [op, v] = p.split(' ') as [string, string | undefined];
    if (!v || !VERSION_PATTERN.test(v.replace(/^v/, ''))) return null;
    const version = v.replace(/^v/, '');
    if (op === '>=' || op === '=') introduced = version;
    else if (op === '<') fixed = version;
    else return null; // "> x" or "<= x" has no exact first affected / first fixed version
  }
  const patchedVersion = patched?.trim().replace(/^v/, '') ?? '';
  if (!fixed && VERSION_PATTERN.test(patchedVersion)) fixed = patchedVersion;
  if (!introduced && !fixed) return null;
  return { introduced: introduced ?? '0.0.0', fixed };
}

/** The new case's fields from a private vulnerability report. */
export function caseInputFromReport(a: AdvisoryView): ReportCaseInput {
  const login = reportLogin(a);
  const title = clip(a.summary.trim() || `GitHub report ${a.ghsa_id}`, TITLE_MAX);
  const description = clip((a.description ?? '').replace(/\r\n?/g, '\n').replace(/\0/g, '').trim() || title, DESCRIPTION_MAX);

  const vulns = a.vulnerabilities ?? [];
  const named = vulns.find((v) => v.package?.name && OSV_ECOSYSTEM[v.package.ecosystem]);
  const pkg: CasePackage | null = named
    ? { ecosystem: OSV_ECOSYSTEM[named.package!.ecosystem]!, name: named.package!.name!.trim().slice(0, 512) }
    : null;
  const affected: AffectedRange[] = [];
  for (const v of vulns) {
    // Ranges of another package than the case's one would mix two products into one case.
    if (pkg && v.package?.name?.trim() !== pkg.name) continue;
    const r = affectedRange(v.vulnerable_version_range, v.patched_versions);
    if (r && !affected.some((x) => x.introduced === r.introduced && x.fixed === r.fixed)) affected.push(r);
  }

  const vectors = [a.cvss_severities?.cvss_v3?.vector_string, a.cvss_severities?.cvss_v4?.vector_string, a.cvss?.vector_string];
  const cvss = [...new Set(vectors.filter((v): v is string => typeof v === 'string' && isCvssVector(v)))].slice(0, 8);
  const cwe = [...new Set((a.cwe_ids ?? []).map((id) => id.trim().toUpperCase()).filter((id) => findCwe(id)?.id === id))].slice(0, 8);

  const credits: Credit[] = [];
  for (const c of a.credits ?? []) {
    if (!c.login || !GITHUB_LOGIN_PATTERN.test(c.login) || c.login.toLowerCase() === login?.toLowerCase()) continue;
    const type = (CREDIT_TYPES as readonly string[]).includes(c.type ?? '') ? (c.type as CreditType) : 'other';
    if (!credits.some((k) => k.login === c.login && k.type === type)) credits.push({ name: c.login, login: c.login, type });
  }

  return {
    title,
    // The report came through GitHub: the reporter is reachable there, by their public profile.
    reporter: login ? { name: login, contact: `https://github.com/${login}`, company: null, credit: 'named' } : null,
    description,
    ghsaId: a.ghsa_id,
    affected,
    package: pkg,
    cvss,
    cwe,
    credits: credits.slice(0, CREDITS_MAX),
    reporterLogin: login,
  };
}
