/**
 * What a push would change on GitHub, field by field, for a person to see before it is sent.
 * Both sides are normalised first so that only real differences show: GitHub returns CWE ids,
 * credits and vulnerabilities in its own order, spaces version ranges its own way, and says null
 * where the request said nothing.
 */
import type { GhsaAdvisoryBody, GhsaVulnerability } from '../exports/ghsa.js';
import type { AdvisoryView, AdvisoryVulnerabilityView } from './types.js';

/** One field of the advisory: what GitHub has now (`from`, null when absent) and what the push makes it (`to`). */
export interface FieldChange {
  field: string;
  from: unknown;
  to: unknown;
}

/** ">=1.0.0,<1.2.0" and ">= 1.0.0, < 1.2.0" are the same range. */
export function normalizeRange(range: string | null | undefined): string | null {
  if (range === null || range === undefined || range.trim() === '') return null;
  return range
    .split(',')
    .map((part) => part.trim().replace(/^(>=|<=|>|<|=)\s*/, '$1 '))
    .filter(Boolean)
    .join(', ');
}

const text = (s: string | null | undefined) => (s ?? '').replace(/\r\n?/g, '\n').trim();

const sortedUnique = (items: string[]) => [...new Set(items)].sort();

function cweIds(ids: string[] | null | undefined): string[] {
  return sortedUnique((ids ?? []).map((id) => id.trim().toUpperCase()));
}

function credits(list: { login?: string; type?: string }[] | null | undefined): { login: string; type: string }[] {
  const seen = new Map<string, { login: string; type: string }>();
  for (const c of list ?? []) {
    if (!c.login) continue;
    const type = (c.type ?? 'other').toLowerCase();
    seen.set(`${c.login.toLowerCase()} ${type}`, { login: c.login, type });
  }
  return [...seen.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, v]) => v);
}

interface NormalVulnerability {
  package: { ecosystem: string; name: string | null };
  vulnerable_version_range: string | null;
  patched_versions: string | null;
}

function vulnerabilities(list: (GhsaVulnerability | AdvisoryVulnerabilityView)[] | null | undefined): NormalVulnerability[] {
  const out = (list ?? []).map((v) => ({
    package: { ecosystem: (v.package?.ecosystem ?? 'other').toLowerCase(), name: v.package?.name?.trim() || null },
    vulnerable_version_range: normalizeRange(v.vulnerable_version_range),
    patched_versions: text(v.patched_versions) || null,
  }));
  const key = (v: NormalVulnerability) =>
    JSON.stringify([v.package.ecosystem, v.package.name, v.vulnerable_version_range, v.patched_versions]);
  const unique = new Map(out.map((v) => [key(v), v]));
  return [...unique.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, v]) => v);
}

/** The vector GitHub holds for the same CVSS version as `desired` (4.0 or 3.x); any vector when none is desired. */
function currentVector(current: AdvisoryView | null, desired: string | null): string | null {
  if (!current) return null;
  const v3 = current.cvss_severities?.cvss_v3?.vector_string ?? current.cvss?.vector_string ?? null;
  const v4 = current.cvss_severities?.cvss_v4?.vector_string ?? null;
  if (desired === null) return v3 ?? v4;
  return desired.startsWith('CVSS:4.0/') ? v4 : v3;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * The differences between the advisory on GitHub (`current`; null before it exists) and the body a
 * push would send. Only the fields the body carries are compared; a null cve_id is "no opinion",
 * never a change (a CVE id GitHub assigned is not to be cleared by a push).
 */
export function advisoryDiff(current: AdvisoryView | null, desired: Partial<GhsaAdvisoryBody>): FieldChange[] {
  const changes: FieldChange[] = [];
  const compare = (field: string, from: unknown, to: unknown) => {
    if (!same(from, to)) changes.push({ field, from, to });
  };
  if (desired.summary !== undefined) compare('summary', current ? text(current.summary) || null : null, text(desired.summary) || null);
  if (desired.description !== undefined)
    compare('description', current ? text(current.description) || null : null, text(desired.description) || null);
  if (desired.cve_id) compare('cve_id', current?.cve_id ?? null, desired.cve_id);
  if (desired.cvss_vector_string !== undefined) {
    const to = desired.cvss_vector_string ? desired.cvss_vector_string.trim() : null;
    compare('cvss_vector_string', currentVector(current, to), to);
  }
  if (desired.cwe_ids !== undefined) compare('cwe_ids', current ? cweIds(current.cwe_ids) : null, cweIds(desired.cwe_ids));
  if (desired.credits !== undefined) compare('credits', current ? credits(current.credits) : null, credits(desired.credits));
  if (desired.vulnerabilities !== undefined) {
    compare('vulnerabilities', current ? vulnerabilities(current.vulnerabilities) : null, vulnerabilities(desired.vulnerabilities));
  }
  // Before the advisory exists every field is new, but empty lists are not worth a line.
  return current ? changes : changes.filter((c) => c.to !== null && !(Array.isArray(c.to) && c.to.length === 0));
}
