import { describe, expect, it } from 'vitest';
import { applyGuardConfig, defaultGuardConfig } from '../../../src/domain/guard/config.js';
import { createScanner } from '../../../src/domain/guard/scanner.js';
import { buildTermsFile } from '../../../src/domain/guard/terms-file.js';
import { normalizeTerm } from '../../../src/domain/guard/terms.js';
import { wordsOf } from '../../../src/domain/guard/text.js';

const SALT = '0123456789abcdef0123456789abcdef';
const NOW = new Date('2026-11-25T10:00:00Z');

const terms = buildTermsFile({
  salt: SALT,
  now: NOW,
  publicIds: ['CVE-2023-44487'],
  cases: [
    {
      caseId: 'EMB-2026-0007',
      terms: [wordsOf('amber-heron'), normalizeTerm('rewriteCookiePath').words, normalizeTerm('cookie_rewrite_policy_path_prefix').words],
      ids: ['CVE-2026-41246', 'GHSA-x4mj-7f9g-29h4'],
    },
    { caseId: 'EMB-2026-0009', terms: [wordsOf('misty-osprey')], ids: [] },
  ],
});

const scanner = () => createScanner(defaultGuardConfig(), terms);
const rules = (text: string) =>
  scanner()
    .scan(text)
    .map((f) => `${f.rule}:${f.severity}`);

/** Everything a finding would print. */
const printed = (text: string) =>
  JSON.stringify(
    scanner()
      .scan(text)
      .map(({ message, hint, match, excerpt, caseId }) => ({ message, hint, match, excerpt, caseId })),
  );

describe('ids', () => {
  it("catches GitHub's temporary-fork merge message, redacting the embargoed GHSA id", () => {
    const [f, ...rest] = scanner().scan('Merge pull request from GHSA-x4mj-7f9g-29h4');
    expect(rest).toEqual([]);
    expect(f).toMatchObject({
      rule: 'embargoed-id',
      severity: 'error',
      caseId: 'EMB-2026-0007',
      line: 1,
      column: 25,
      endColumn: 44,
      secret: true,
    });
    expect(f!.message).toBe('a GHSA id of embargoed case EMB-2026-0007');
    expect(f!.hint).toMatch(/default message for merging a temporary private fork/);
    expect(f!.excerpt).toBe('Merge pull request from *******************');
    expect(printed('Merge pull request from GHSA-x4mj-7f9g-29h4')).not.toMatch(/x4mj/i);
  });

  it('catches the merge message of a fork the guard knows nothing about: an unknown id is an error by default', () => {
    const [f] = scanner().scan('Merge pull request from GHSA-p7q2-w9cv-29h4');
    expect(f).toMatchObject({ rule: 'unknown-id', severity: 'error', match: 'GHSA-p7q2-w9cv-29h4' });
  });

  it('catches "Cherry pick CVE-…" in any spelling', () => {
    for (const text of [
      'Cherry pick CVE-2026-41246 fix to release-1.31',
      'cherry-pick cve 2026 41246',
      '[release-1.31] Cherry-picked CVE_2026_41246',
    ]) {
      const found = scanner().scan(text);
      expect(
        found.map((f) => f.rule),
        text,
      ).toEqual(['embargoed-id']);
      expect(found[0]!.hint, text).toMatch(/cherry-pick title/);
    }
  });

  it('lets a public dependency CVE through and counts it', () => {
    const s = scanner();
    expect(s.scan('bump x/net for CVE-2023-44487')).toEqual([]);
    expect(s.scan('Bump golang.org/x/net to v0.17.0 (cve-2023-44487)')).toEqual([]);
    expect(s.allowedIds).toBe(2);
  });

  it('treats ids listed in the configuration as public, and lets the severity of unknown ids be lowered', () => {
    const config = applyGuardConfig(defaultGuardConfig(), { 'public-ids': ['CVE-2024-24790'], 'unknown-ids': 'warning' }, 'test');
    const s = createScanner(config, null);
    expect(s.scan('Update Go for CVE-2024-24790')).toEqual([]);
    expect(s.scan('Mention CVE-2025-11111').map((f) => f.severity)).toEqual(['warning']);
  });

  it('reports case ids: an embargoed case as an error, another one as a warning', () => {
    expect(rules('Follow-up for EMB-2026-0007 and emb-2025-12')).toEqual(['case-id:error', 'unknown-case-id:warning']);
  });

  it('flags ids in advisory URLs without a second warning for the words in the URL', () => {
    const found = scanner().scan('Details: https://github.com/projectcontour/contour/security/advisories/GHSA-x4mj-7f9g-29h4');
    expect(found.map((f) => f.rule)).toEqual(['embargoed-id']);
    expect(found[0]!.hint).toMatch(/advisory link/);
  });
});

describe('hashed case terms', () => {
  it('finds a codename in any spelling and never prints it', () => {
    for (const text of [
      'Tidy up amber-heron handling',
      'AmberHeron',
      'amber_heron',
      'AMBER HERON',
      'amberheron',
      'fix/amber-heron-cleanup',
    ]) {
      const found = scanner().scan(text);
      expect(
        found.map((f) => `${f.rule}:${f.caseId}`),
        text,
      ).toEqual(['case-term:EMB-2026-0007']);
      expect(found[0]!.message).toBe('matches an embargoed term of case EMB-2026-0007');
      expect(printed(text).toLowerCase(), text).not.toMatch(/amber|heron/);
    }
  });

  it('finds a function name whatever its case style, and marks exactly where', () => {
    const text = 'Refactor handling\n\nCall rewrite_cookie_path() and RewriteCookiePath() before rewritecookiepath';
    const found = scanner().scan(text);
    expect(found.map((f) => [f.line, f.column, f.endColumn])).toEqual([
      [3, 6, 25],
      [3, 32, 49],
      [3, 59, 76],
    ]);
    expect(found[0]!.excerpt).toBe('Call *******************() and *****************() before *****************');
  });

  it('finds a long identifier term as one identifier, in camelCase or SCREAMING_SNAKE', () => {
    expect(rules('set cookieRewritePolicyPathPrefix: true')).toEqual(['case-term:error']);
    expect(rules('COOKIE_REWRITE_POLICY_PATH_PREFIX=1')).toEqual(['case-term:error']);
  });

  it('does not fire on parts of a term or neighbouring words', () => {
    expect(rules('amber is a colour; a heron is a bird; rewrite the cookie path')).toEqual([]);
  });

  it('names every case a term belongs to', () => {
    const shared = buildTermsFile({
      salt: SALT,
      now: NOW,
      publicIds: [],
      cases: [
        { caseId: 'EMB-2026-0001', terms: [['lua', 'escape']], ids: [] },
        { caseId: 'EMB-2026-0002', terms: [['lua', 'escape']], ids: [] },
      ],
    });
    const [f] = createScanner(defaultGuardConfig(), shared).scan('add luaEscape');
    expect(f!.message).toBe('matches an embargoed term of case EMB-2026-0001, EMB-2026-0002');
  });

  it('needs the salt of the file: the same terms under another salt do not match old hashes', () => {
    const other = buildTermsFile({
      salt: 'f'.repeat(32),
      now: NOW,
      publicIds: [],
      cases: [{ caseId: 'EMB-2026-0007', terms: [wordsOf('amber-heron')], ids: [] }],
    });
    expect(other.cases[0]!.terms).not.toEqual(expect.arrayContaining(terms.cases[0]!.terms));
    expect(createScanner(defaultGuardConfig(), other).scan('amber heron').length).toBe(1);
  });
});

describe('revealing words', () => {
  it('warns (does not fail) on words and phrases that hint at a security fix', () => {
    const found = scanner().scan('Fix RCE via header injection (security fix); vulnerabilities in XSSFilter');
    expect(found.map((f) => `${f.match}:${f.severity}`)).toEqual([
      'RCE:warning',
      'injection:warning',
      'security fix:warning',
      'vulnerabilities:warning',
      'XSS:warning',
    ]);
  });

  it('passes neutral, pithy fix messages', () => {
    for (const text of [
      'Escape lua strings for cookie rewrite policies',
      'Validate header names before forwarding',
      'internal/envoy: limit the size of the path rewrite',
      'Bump github.com/envoyproxy/go-control-plane to v0.13.1 (#6652)',
      'Merge pull request #6650 from tsaarni/fix-typo',
    ]) {
      expect(scanner().scan(text), text).toEqual([]);
    }
  });

  it('takes words from the configuration: added, removed, or switched off', () => {
    const config = applyGuardConfig(
      defaultGuardConfig(),
      { 'revealing-words': { add: ['hardening', 'sandbox escape*'], remove: ['bypass'] } },
      'test',
    );
    const s = createScanner(config, null);
    expect(s.scan('Hardening: bypass the cache').map((f) => f.match)).toEqual(['Hardening']);
    const off = createScanner(applyGuardConfig(defaultGuardConfig(), { severity: { 'revealing-word': 'off' } }, 'test'), null);
    expect(off.scan('exploit')).toEqual([]);
    const strictWords = createScanner(applyGuardConfig(defaultGuardConfig(), { severity: { 'revealing-word': 'error' } }, 'test'), null);
    expect(strictWords.scan('exploit').map((f) => f.severity)).toEqual(['error']);
  });
});

describe('positions', () => {
  it('counts lines and UTF-16 columns in the original text, also after folding look-alikes', () => {
    const text = 'Résumé line\n\n  see ＣＶＥ－２０２６－４１２４６ now';
    const [f] = scanner().scan(text);
    expect(f).toMatchObject({ rule: 'embargoed-id', line: 3, column: 7, endColumn: 21 });
    expect(text.split('\n')[2]!.slice(6, 20)).toBe('ＣＶＥ－２０２６－４１２４６');
  });

  it('scans a large message in reasonable time and returns nothing for clean text', () => {
    const big = 'Escape lua strings for cookie rewrite policies.\n'.repeat(20_000);
    expect(scanner().scan(big)).toEqual([]);
  });
});
