/**
 * Checks for the advisory fields of a case (description, package, workarounds, references,
 * credits, publication time). Like fields.ts, each returns the cleaned value or throws an
 * invalid_input DomainError whose message names the field.
 */
import { invalidInput } from '../errors.js';
import { optionalText, requiredText } from './fields.js';
import { CREDIT_TYPES, type CasePackage, type Credit, type CreditType } from './types.js';
import {
  CREDITS_MAX,
  DESCRIPTION_MAX,
  ECOSYSTEM_MAX,
  GITHUB_LOGIN_MAX,
  NAME_MAX,
  PACKAGE_NAME_MAX,
  REFERENCES_MAX,
  TIME_INPUT_MAX,
  URL_MAX,
  WORKAROUNDS_MAX,
} from './limits.js';

export { DESCRIPTION_MAX, WORKAROUNDS_MAX, REFERENCES_MAX, CREDITS_MAX, URL_MAX } from './limits.js';

/**
 * OSV's ecosystem names (osv-schema, validation/schema.json), the vocabulary every export maps
 * from. Input is matched without regard to case ("go" is Go) and stored in this spelling.
 */
export const ECOSYSTEMS: readonly string[] = [
  'AlmaLinux',
  'Alpaquita',
  'Alpine',
  'Android',
  'Azure Linux',
  'BellSoft Hardened Containers',
  'Bioconductor',
  'Bitnami',
  'Chainguard',
  'CleanStart',
  'ConanCenter',
  'CRAN',
  'crates.io',
  'Debian',
  'Docker Hardened Images',
  'Echo',
  'FreeBSD',
  'GHC',
  'GitHub Actions',
  'Go',
  'Hackage',
  'Hex',
  'Julia',
  'Kubernetes',
  'Linux',
  'Mageia',
  'Maven',
  'MinimOS',
  'npm',
  'NuGet',
  'opam',
  'openEuler',
  'openSUSE',
  'OSS-Fuzz',
  'Packagist',
  'Photon OS',
  'Pub',
  'PyPI',
  'Red Hat',
  'Rocky Linux',
  'Root',
  'RubyGems',
  'SUSE',
  'SwiftURL',
  'TuxCare',
  'Ubuntu',
  'VSCode',
  'Wolfi',
];
const BY_LOWER = new Map(ECOSYSTEMS.map((e) => [e.toLowerCase(), e]));

/** GitHub logins: letters, digits and single dashes, at most 39 characters. */
export const GITHUB_LOGIN_PATTERN = /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/;

const record = (field: string, value: unknown): Record<string, unknown> => {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalidInput(`${field} must be an object`, { field });
  return value as Record<string, unknown>;
};

/** Markdown text: "" (or null) for none; line ends normalized to \n; no NUL characters. */
export function markdown(field: string, value: unknown, max: number): string {
  if (value === null || value === undefined) return '';
  if (typeof value !== 'string') throw invalidInput(`${field} must be text`, { field });
  const text = value.replace(/\r\n?/g, '\n').trim();
  if (text.length > max) throw invalidInput(`${field} is longer than ${max} characters`, { field });
  if (text.includes('\0')) throw invalidInput(`${field} contains a NUL character`, { field });
  return text;
}

export const description = (value: unknown) => markdown('description', value, DESCRIPTION_MAX);
export const workarounds = (value: unknown) => markdown('workarounds', value, WORKAROUNDS_MAX);

export function ecosystem(field: string, value: unknown): string {
  const text = requiredText(field, value, ECOSYSTEM_MAX);
  const known = BY_LOWER.get(text.toLowerCase());
  if (!known)
    throw invalidInput(`${field} "${text}" is not an OSV ecosystem (e.g. Go, npm, PyPI, Maven, crates.io, RubyGems, NuGet, Packagist)`, {
      field,
    });
  return known;
}

/** A public http(s) URL without credentials. */
export function url(field: string, value: unknown): string {
  const text = requiredText(field, value, URL_MAX);
  let parsed: URL;
  try {
    parsed = new URL(text);
  } catch {
    throw invalidInput(`${field} "${text.slice(0, 80)}" is not a URL`, { field });
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')
    throw invalidInput(`${field} "${text.slice(0, 80)}" must be an http:// or https:// URL`, { field });
  if (parsed.username || parsed.password) throw invalidInput(`${field} must not carry a user name or password`, { field });
  if (/\s/.test(text)) throw invalidInput(`${field} "${text.slice(0, 80)}" contains white space`, { field });
  return text;
}

/** {ecosystem, name, repository?} or null. */
export function casePackage(value: unknown): CasePackage | null {
  if (value === null || value === undefined) return null;
  const p = record('package', value);
  const unknown = Object.keys(p).filter((k) => !['ecosystem', 'name', 'repository'].includes(k));
  if (unknown.length > 0)
    throw invalidInput(`package has unknown field ${unknown[0]}; it has ecosystem, name and repository`, { field: 'package' });
  const pkg: CasePackage = {
    ecosystem: ecosystem('package.ecosystem', p.ecosystem),
    name: requiredText('package.name', p.name, PACKAGE_NAME_MAX),
  };
  if (p.repository !== undefined && p.repository !== null && p.repository !== '') pkg.repository = url('package.repository', p.repository);
  return pkg;
}

export function references(value: unknown): string[] {
  if (value === null || value === undefined) return [];
  if (!Array.isArray(value)) throw invalidInput('references must be a list of URLs', { field: 'references' });
  if (value.length > REFERENCES_MAX) throw invalidInput(`references has more than ${REFERENCES_MAX} entries`, { field: 'references' });
  return [...new Set(value.map((v, i) => url(`references[${i}]`, v)))];
}

/** "Remediation developer", "REMEDIATION_DEVELOPER" and "remediation-developer" are the same type. */
export function creditType(field: string, value: unknown): CreditType {
  const text = requiredText(field, value, 32)
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
  if (!(CREDIT_TYPES as readonly string[]).includes(text))
    throw invalidInput(`${field} must be one of ${CREDIT_TYPES.join(', ')}`, { field });
  return text as CreditType;
}

/** A named credit ({name, login?, type}) or an anonymous one ({anonymous: true, type}). */
export function credit(value: unknown, i: number): Credit {
  const at = `credits[${i}]`;
  const c = record(at, value);
  const unknown = Object.keys(c).filter((k) => !['name', 'anonymous', 'login', 'type'].includes(k));
  if (unknown.length > 0)
    throw invalidInput(`${at} has unknown field ${unknown[0]}; a credit has name, login, anonymous and type`, { field: at });
  const type = creditType(`${at}.type`, c.type ?? 'other');
  if (c.anonymous !== undefined && c.anonymous !== null && typeof c.anonymous !== 'boolean') {
    throw invalidInput(`${at}.anonymous must be true or false`, { field: `${at}.anonymous` });
  }
  const name = optionalText(`${at}.name`, c.name, NAME_MAX);
  const login = optionalText(`${at}.login`, c.login, GITHUB_LOGIN_MAX);
  if (c.anonymous === true) {
    // A name next to anonymous: true would be one careless export away from a leak.
    if (name !== null || login !== null) throw invalidInput(`${at} is anonymous, so it must not carry a name or login`, { field: at });
    return { anonymous: true, type };
  }
  if (name === null) throw invalidInput(`${at} needs a name (or anonymous: true)`, { field: `${at}.name` });
  if (login !== null && !GITHUB_LOGIN_PATTERN.test(login))
    throw invalidInput(`${at}.login "${login}" is not a GitHub login`, { field: `${at}.login` });
  return login === null ? { name, type } : { name, login, type };
}

export function credits(value: unknown): Credit[] {
  if (value === null || value === undefined) return [];
  if (!Array.isArray(value)) throw invalidInput('credits must be a list', { field: 'credits' });
  if (value.length > CREDITS_MAX) throw invalidInput(`credits has more than ${CREDITS_MAX} entries`, { field: 'credits' });
  const list = value.map(credit);
  const seen = new Set<string>();
  return list.filter((c) => {
    const key = JSON.stringify(c);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

const INSTANT = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2}))?$/i;

/** An instant with an explicit offset (or a bare date, meaning 00:00 UTC), as an ISO string in UTC. */
export function instant(field: string, value: unknown): string | null {
  const text = optionalText(field, value, TIME_INPUT_MAX);
  if (text === null) return null;
  const date = INSTANT.test(text) ? new Date(text.length === 10 ? `${text}T00:00:00Z` : text.replace(' ', 'T')) : null;
  if (!date || Number.isNaN(date.getTime())) {
    throw invalidInput(`${field} "${text}" is not a date and time with a UTC offset, like 2026-04-24T00:00:00Z`, { field });
  }
  // Date rolls 2026-02-30 over to March; a date that does not round-trip is not a real date.
  if (date.toISOString().slice(0, 10) !== text.slice(0, 10) && /Z$|^\d{4}-\d{2}-\d{2}$/i.test(text)) {
    throw invalidInput(`${field} "${text}" is not a real date`, { field });
  }
  return date.toISOString();
}

export const publishedAt = (value: unknown) => instant('publishedAt', value);
