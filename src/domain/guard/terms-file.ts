/**
 * The terms file: what the guard needs to recognise embargoed cases without holding their secrets.
 * Per embargoed case it has the case id (for the report), salted hashes of the case's terms, and
 * salted hashes of its CVE/GHSA ids; besides, the ids that are public already. It is what
 * `GET /api/v1/guard/terms` answers and what `embargo guard terms export` writes. No term and no
 * embargoed advisory id is in it in clear text.
 */
import { invalidInput } from '../errors.js';
import { idKey, keyFromHex, keyToHex } from './hash.js';
import { canonicalId } from './ids.js';
import { termKeys } from './terms.js';
import { CASE_ID_PATTERN as CASE_ID } from '../case/case-id.js';

export const TERMS_FORMAT = 'embargo-guard-terms/1';

export interface TermsFileCase {
  caseId: string;
  /** Salted hashes (14 hex digits each) of the case's terms, sorted so order says nothing. */
  terms: string[];
  /** Salted hashes of the case's CVE and GHSA ids. */
  ids: string[];
}

export interface TermsFile {
  format: typeof TERMS_FORMAT;
  /** 32 hex digits, fresh for every export. */
  salt: string;
  generatedAt: string;
  cases: TermsFileCase[];
  /** CVE/GHSA ids of published cases, in clear: they are public. */
  publicIds: string[];
}

export interface EmbargoedCaseTerms {
  caseId: string;
  /** Each term as its lowercased words (codename included). */
  terms: string[][];
  /** Canonical CVE/GHSA ids of the case. */
  ids: string[];
}

export function buildTermsFile(input: { cases: EmbargoedCaseTerms[]; publicIds: string[]; salt: string; now: Date }): TermsFile {
  if (!/^[0-9a-f]{32}$/.test(input.salt)) throw new Error('the salt must be 32 hex digits');
  const sortedHex = (keys: number[]) => [...new Set(keys.map(keyToHex))].sort();
  return {
    format: TERMS_FORMAT,
    salt: input.salt,
    generatedAt: input.now.toISOString(),
    cases: input.cases
      .map((c) => ({
        caseId: c.caseId,
        terms: sortedHex(c.terms.filter((w) => w.length > 0).flatMap((words) => termKeys(input.salt, words))),
        ids: sortedHex(c.ids.map((id) => idKey(input.salt, id))),
      }))
      .sort((a, b) => a.caseId.localeCompare(b.caseId)),
    publicIds: [...new Set(input.publicIds)].sort(),
  };
}

/** Checks a terms file read from disk or from a server; throws invalid_input naming what is wrong. */
export function parseTermsFile(raw: unknown, where = 'the terms file'): TermsFile {
  const fail = (why: string) => invalidInput(`${where} is not an Embargo guard terms file: ${why}`);
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw fail('expected a JSON object');
  const obj = raw as Record<string, unknown>;
  if (obj.format !== TERMS_FORMAT) throw fail(`"format" must be "${TERMS_FORMAT}"`);
  if (typeof obj.salt !== 'string' || !/^[0-9a-f]{32}$/.test(obj.salt)) throw fail('"salt" must be 32 hex digits');
  if (!Array.isArray(obj.cases)) throw fail('"cases" must be a list');
  const cases: TermsFileCase[] = obj.cases.map((c: unknown, i: number) => {
    const entry = c as Record<string, unknown> | null;
    if (typeof entry !== 'object' || entry === null) throw fail(`cases[${i}] must be an object`);
    if (typeof entry.caseId !== 'string' || !CASE_ID.test(entry.caseId))
      throw fail(`cases[${i}].caseId must be a case id like EMB-2026-0007`);
    const hexes = (v: unknown, field: string) => {
      if (!Array.isArray(v) || v.some((h) => typeof h !== 'string' || keyFromHex(h) === null))
        throw fail(`cases[${i}].${field} must be a list of 14-digit hex hashes`);
      return v as string[];
    };
    return { caseId: entry.caseId, terms: hexes(entry.terms, 'terms'), ids: hexes(entry.ids ?? [], 'ids') };
  });
  const publicIds = obj.publicIds ?? [];
  if (!Array.isArray(publicIds) || publicIds.some((p) => typeof p !== 'string' || !canonicalId(p)))
    throw fail('"publicIds" must be a list of CVE/GHSA ids');
  return {
    format: TERMS_FORMAT,
    salt: obj.salt,
    generatedAt: typeof obj.generatedAt === 'string' ? obj.generatedAt : '',
    cases,
    publicIds: (publicIds as string[]).map((p) => canonicalId(p)!),
  };
}
