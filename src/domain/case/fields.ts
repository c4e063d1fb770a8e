/**
 * Checks for the values a person types into a case. Each returns the cleaned value or throws an
 * invalid_input DomainError whose message names the field and says what is wrong.
 */
import { DomainError, invalidInput } from '../errors.js';
import { parseCvss } from '../severity/cvss.js';
import { CWE_CATALOGUE, findCwe } from '../severity/cwe.js';
import { CREDIT_PREFERENCES, type CreditPreference, type Reporter } from './types.js';
import * as limits from './limits.js';

export const GHSA_PATTERN = /^GHSA(-[23456789cfghjmpqrvwx]{4}){3}$/;
export const CVE_PATTERN = /^CVE-\d{4}-\d{4,}$/;
export const VERSION_PATTERN = /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?$/;
export const LINE_PATTERN = /^\d+\.\d+$/;
export const CWE_PATTERN = /^CWE-\d+$/;

export function requiredText(field: string, value: unknown, max = 300): string {
  if (typeof value !== 'string') throw invalidInput(`${field} must be text`, { field });
  const text = value.trim();
  if (text === '') throw invalidInput(`${field} must not be empty`, { field });
  if (text.length > max) throw invalidInput(`${field} is longer than ${max} characters`, { field });
  return text;
}

export function optionalText(field: string, value: unknown, max = 300): string | null {
  if (value === null || value === undefined || value === '') return null;
  return requiredText(field, value, max);
}

function matching(field: string, value: unknown, pattern: RegExp, example: string): string | null {
  const text = optionalText(field, value, 100);
  if (text === null) return null;
  if (!pattern.test(text)) throw invalidInput(`${field} "${text}" is not valid; expected something like ${example}`, { field });
  return text;
}

export const ghsaId = (value: unknown) => matching('ghsaId', value, GHSA_PATTERN, 'GHSA-x4mj-7f9g-29h4');
export const cveId = (value: unknown) => matching('cveId', value, CVE_PATTERN, 'CVE-2026-41246');

export function version(field: string, value: unknown): string {
  const text = requiredText(field, value, limits.VERSION_MAX);
  if (!VERSION_PATTERN.test(text)) throw invalidInput(`${field} "${text}" is not a version like 1.33.4`, { field });
  return text;
}

export function releaseLine(field: string, value: unknown): string {
  const text = requiredText(field, value, limits.LINE_MAX);
  if (!LINE_PATTERN.test(text)) throw invalidInput(`${field} "${text}" is not a minor release line like 1.33`, { field });
  return text;
}

export function cweId(value: unknown): string {
  const text = requiredText('cwe', value, limits.CWE_ID_MAX).toUpperCase();
  if (!CWE_PATTERN.test(text)) throw invalidInput(`cwe "${text}" is not a CWE id like CWE-79`, { field: 'cwe' });
  // An id MITRE never assigned would be rejected by GitHub and the CVE services later, at the worst time.
  if (!findCwe(text)) throw invalidInput(`cwe ${text} is not in the CWE ${CWE_CATALOGUE.version} catalogue`, { field: 'cwe' });
  return text;
}

/** A CVSS 3.0/3.1/4.0 vector, parsed strictly by the severity module (kept as written, trimmed). */
export function cvssVector(value: unknown): string {
  const text = requiredText('cvss', value, limits.CVSS_INPUT_MAX);
  try {
    return parseCvss(text).vector;
  } catch (err) {
    if (err instanceof DomainError) throw invalidInput(`cvss ${err.message}`, { ...err.details, field: 'cvss' });
    throw err;
  }
}

/** GitHub logins: letters, digits and single dashes, at most 39 characters. */
const GITHUB_LOGIN = /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/;

export function reporter(value: unknown): Reporter {
  if (typeof value !== 'object' || value === null) throw invalidInput('reporter must be an object', { field: 'reporter' });
  const r = value as Record<string, unknown>;
  const credit = r.credit ?? 'named';
  if (typeof credit !== 'string' || !CREDIT_PREFERENCES.includes(credit as CreditPreference)) {
    throw invalidInput(`reporter.credit must be one of ${CREDIT_PREFERENCES.join(', ')}`, { field: 'reporter.credit' });
  }
  const login = optionalText('reporter.githubLogin', r.githubLogin, limits.GITHUB_LOGIN_MAX);
  if (login !== null && !GITHUB_LOGIN.test(login))
    throw invalidInput(`reporter.githubLogin "${login}" is not a GitHub login`, { field: 'reporter.githubLogin' });
  return {
    name: requiredText('reporter.name', r.name, limits.NAME_MAX),
    contact: requiredText('reporter.contact', r.contact, limits.CONTACT_MAX),
    company: optionalText('reporter.company', r.company, limits.NAME_MAX),
    credit: credit as CreditPreference,
    ...(login !== null ? { githubLogin: login } : {}),
  };
}

/** The reason a person gives for a decision the audit log keeps (closing a report, correcting a release). */
export function decisionReason(value: unknown, doing: string): string {
  const reason = typeof value === 'string' ? value.trim() : '';
  if (reason === '') throw invalidInput(`say why (--reason) to ${doing}: it is kept in the audit log`, { field: 'reason' });
  if (reason.length > limits.REASON_MAX)
    throw invalidInput(`the reason is longer than ${limits.REASON_MAX} characters`, { field: 'reason' });
  return reason;
}
