/**
 * How a case's facts are said in a mail: the embargo time with its zone written out and UTC beside
 * it, the versions per release line, the affected ranges, the attack vector from the CVSS vector and
 * the credits as the reporter asked.
 */
import type { Case, Credit } from '../case/types.js';
import { scoreCvss } from '../severity/cvss.js';
import { formatInZone, isValidTimeZone } from '../time.js';

/** "2026-12-01 17:00 Europe/Berlin (16:00 UTC)"; the UTC date is added when it differs. */
export function sayInstant(iso: string, timeZone: string): string {
  const at = new Date(iso);
  const utc = at.toISOString();
  const utcDate = utc.slice(0, 10);
  const utcTime = utc.slice(11, 16);
  if (!isValidTimeZone(timeZone) || timeZone === 'UTC') return `${utcDate} ${utcTime} UTC`;
  const local = formatInZone(at, timeZone);
  return local.startsWith(utcDate) ? `${local} (${utcTime} UTC)` : `${local} (${utcDate} ${utcTime} UTC)`;
}

/** The proposed disclosure time, or a placeholder the lint refuses. */
export function sayDisclosure(c: Case): string {
  return c.embargo ? sayInstant(c.embargo.endsAt, c.embargo.timeZone) : placeholder('proposed disclosure date and time');
}

/** A gap the team must fill before sending; `lintMessage` reports every one as an error. */
export function placeholder(what: string): string {
  return `[fill in: ${what}]`;
}
export const PLACEHOLDER = /\[fill in:[^\]]*\]/gi;

/** "1.27.4 (1.27 line)" per planned line. */
export function releaseLines(c: Case): string[] {
  return c.releasePlan.map((l) => `${l.version} (for the ${l.line} release line)`);
}

export function versionList(c: Case): string {
  const vs = c.releasePlan.map((l) => l.version);
  if (vs.length === 0) return placeholder('patch versions');
  return vs.length === 1 ? vs[0]! : `${vs.slice(0, -1).join(', ')} and ${vs[vs.length - 1]}`;
}

/** ">= 1.20.0, < 1.28.2" per affected range. */
export function affectedRanges(c: Case): string[] {
  return c.affected.map((r) => (r.fixed ? `>= ${r.introduced}, < ${r.fixed}` : `>= ${r.introduced} (no fix planned)`));
}

const ATTACK_VECTOR: Record<string, string> = {
  N: 'over the network: an attacker who can reach the affected component remotely can exploit it',
  A: 'from an adjacent network: the attacker must share a network segment with the target',
  L: 'locally: the attacker needs local access or a user to run something',
  P: 'with physical access to the machine',
};
const PRIVILEGES: Record<string, string> = {
  N: 'No privileges or account are needed.',
  L: 'The attacker needs low privileges (for example, the rights to create resources in one namespace).',
  H: 'The attacker needs high privileges.',
};
const INTERACTION: Record<string, string> = {
  N: 'No user interaction is needed.',
  R: 'A user must take part (for example, by following a link).',
  P: 'A user must take part (passively).',
  A: 'A user must take part (actively).',
};

/** Known attack vectors, derived from the first CVSS vector; a placeholder when there is none. */
export function attackVectors(c: Case): string[] {
  const vector = c.severity.cvss[0];
  if (!vector) return [placeholder('how an attacker can exploit it (no CVSS vector recorded)')];
  const metric = (k: string) => new RegExp(`/${k}:([A-Z])`).exec(vector)?.[1];
  const av = ATTACK_VECTOR[metric('AV') ?? ''];
  const pr = PRIVILEGES[metric('PR') ?? ''];
  const ui = INTERACTION[metric('UI') ?? ''];
  const lines = [av ? `It can be exploited ${av}.` : placeholder('attack vector'), pr, ui].filter((l): l is string => Boolean(l));
  lines.push(`CVSS: ${vector}`);
  return lines;
}

/** The reporter as they asked to be credited (null: no reporter recorded). */
export function reporterCredit(c: Case): string | null {
  const r = c.reporter;
  if (!r) return null;
  if (r.credit === 'anonymous') return 'an anonymous reporter';
  if (r.credit === 'name-without-company' || !r.company) return r.name;
  return `${r.name} (${r.company})`;
}

const CREDIT_ROLE: Record<Credit['type'], string> = {
  finder: 'finding the issue',
  reporter: 'reporting the issue',
  analyst: 'analysis',
  coordinator: 'coordination',
  remediation_developer: 'the fix',
  remediation_reviewer: 'reviewing the fix',
  remediation_verifier: 'verifying the fix',
  tool: 'tooling',
  sponsor: 'sponsoring the work',
  other: 'their help',
};

/** Every credit line: the reporter first (as they asked), then the case's other credits. */
export function creditLines(c: Case): string[] {
  const lines: string[] = [];
  const reporter = reporterCredit(c);
  if (reporter) lines.push(`${reporter}, for reporting the issue`);
  for (const cr of c.credits) {
    const who = cr.anonymous || !cr.name ? 'an anonymous contributor' : cr.name;
    lines.push(`${who}, for ${CREDIT_ROLE[cr.type]}`);
  }
  return lines;
}

/** The public advisory URL, when the repository and GHSA id are known. */
export function advisoryUrl(c: Case): string | null {
  const repo = c.package?.repository?.replace(/\/+$/, '');
  if (!c.ghsaId) return null;
  if (repo && /^https:\/\/github\.com\/[^/]+\/[^/]+$/i.test(repo)) return `${repo}/security/advisories/${c.ghsaId}`;
  return `https://github.com/advisories/${c.ghsaId}`;
}

export const bullets = (items: string[]) => items.map((i) => `- ${i}`).join('\n');

/**
 * "Severity: High (CVSS 3.1 base score 8.7, CVSS:3.1/…)" from the first vector the team listed (the
 * headline score every export uses); null when no vector is recorded or it no longer scores.
 */
export function severityLine(c: Case): string | null {
  const vector = c.severity.cvss[0];
  if (!vector) return null;
  try {
    const s = scoreCvss(vector);
    const rating = s.severity.charAt(0) + s.severity.slice(1).toLowerCase();
    return `Severity: ${rating} (CVSS ${s.version} score ${s.score.toFixed(1)}, ${s.vector})`;
  } catch {
    return null;
  }
}

/** ": URL." or "." — a sentence that names the advisory's page still ends with a full stop. */
export const atUrl = (url: string | null) => (url ? `: ${url}.` : '.');
