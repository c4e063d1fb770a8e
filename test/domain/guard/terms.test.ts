import { describe, expect, it } from 'vitest';
import { DomainError } from '../../../src/domain/errors.js';
import { gramKey, keyToHex } from '../../../src/domain/guard/hash.js';
import { buildTermsFile, parseTermsFile, TERMS_FORMAT } from '../../../src/domain/guard/terms-file.js';
import { normalizeTerm, termKeys } from '../../../src/domain/guard/terms.js';
import { wordsOf } from '../../../src/domain/guard/text.js';

const SALT = 'aabbccddeeff00112233445566778899';
const NOW = new Date('2026-11-25T10:00:00Z');

function refused(raw: unknown): string {
  try {
    normalizeTerm(raw);
  } catch (err) {
    expect(err).toBeInstanceOf(DomainError);
    expect((err as DomainError).code).toBe('invalid_input');
    return (err as Error).message;
  }
  throw new Error(`${JSON.stringify(raw)} was accepted`);
}

describe('team terms', () => {
  it('normalizes a term to its words; spellings of one term share a key', () => {
    expect(normalizeTerm('  rewriteCookiePath ')).toEqual({
      term: 'rewriteCookiePath',
      words: ['rewrite', 'cookie', 'path'],
      key: 'rewritecookiepath',
    });
    expect(normalizeTerm('rewrite cookie-path').key).toBe(normalizeTerm('REWRITE_COOKIE_PATH').key);
    expect(normalizeTerm('cookieRewritePolicyPathPrefix').words).toHaveLength(5);
  });

  it('refuses what would not work as a term, saying why', () => {
    expect(refused('   ')).toMatch(/must not be empty/);
    expect(refused(42)).toMatch(/must be text/);
    expect(refused('CVE-2026-41246')).toMatch(/record CVE and GHSA ids on the case/);
    expect(refused('cookie rewrite policy path prefix')).toMatch(/has 5 words; a term has at most 3 \(or is one identifier/);
    expect(refused('ab')).toMatch(/too short/);
    expect(refused('Fix')).toMatch(/too common/);
    expect(refused('---')).toMatch(/no letters or digits/);
    expect(refused('x'.repeat(201))).toMatch(/at most 200 characters/);
  });
});

describe('terms file', () => {
  const file = buildTermsFile({
    salt: SALT,
    now: NOW,
    publicIds: ['CVE-2023-44487', 'CVE-2023-44487'],
    cases: [
      { caseId: 'EMB-2026-0009', terms: [wordsOf('misty-osprey')], ids: [] },
      { caseId: 'EMB-2026-0007', terms: [wordsOf('amber-heron'), wordsOf('rewriteCookiePath')], ids: ['CVE-2026-41246'] },
    ],
  });

  it('holds salted hashes, case ids and public ids, and no term or embargoed id in clear text', () => {
    expect(file.format).toBe(TERMS_FORMAT);
    expect(file.cases.map((c) => c.caseId)).toEqual(['EMB-2026-0007', 'EMB-2026-0009']);
    expect(file.publicIds).toEqual(['CVE-2023-44487']);
    const text = JSON.stringify(file).toLowerCase();
    for (const secret of ['amber', 'heron', 'rewrite', 'cookie', 'misty', 'osprey', '41246']) expect(text).not.toContain(secret);
    for (const c of file.cases) for (const h of [...c.terms, ...c.ids]) expect(h).toMatch(/^[0-9a-f]{14}$/);
    // Sorted, so the order says nothing about which term is which.
    const terms = file.cases[0]!.terms;
    expect(terms).toEqual([...terms].sort());
  });

  it('stands a two-word term for two keys: its n-gram and its words run together', () => {
    const keys = termKeys(SALT, ['amber', 'heron']);
    expect(keys).toEqual([gramKey(SALT, ['amberheron']), gramKey(SALT, ['amber', 'heron'])]);
    expect(file.cases[0]!.terms).toEqual(expect.arrayContaining(keys.map(keyToHex)));
  });

  it('round-trips through JSON and refuses what is not a terms file', () => {
    expect(parseTermsFile(JSON.parse(JSON.stringify(file)))).toEqual(file);
    const bad = (v: unknown) => () => parseTermsFile(v, 'terms.json');
    expect(bad([])).toThrow(/terms.json is not an Embargo guard terms file: expected a JSON object/);
    expect(bad({ ...file, format: 'x' })).toThrow(/"format" must be "embargo-guard-terms\/1"/);
    expect(bad({ ...file, salt: 'short' })).toThrow(/"salt" must be 32 hex digits/);
    expect(bad({ ...file, cases: [{ caseId: 'EMB-2026-0007', terms: ['amber-heron'] }] })).toThrow(
      /cases\[0\]\.terms must be a list of 14-digit hex hashes/,
    );
    expect(bad({ ...file, cases: [{ caseId: 'nope', terms: [] }] })).toThrow(/cases\[0\]\.caseId/);
    expect(bad({ ...file, publicIds: ['x/net'] })).toThrow(/"publicIds"/);
  });
});
