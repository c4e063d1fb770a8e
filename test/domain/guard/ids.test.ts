import { describe, expect, it } from 'vitest';
import { canonicalId, findIds, idContext } from '../../../src/domain/guard/ids.js';
import { foldText, forEachWord, wordsOf } from '../../../src/domain/guard/text.js';

const canon = (text: string) => findIds(foldText(text).text).map((m) => m.canonical);

describe('advisory ids in any spelling', () => {
  it.each([
    ['CVE-2026-41246', 'CVE-2026-41246'],
    ['cve-2026-41246', 'CVE-2026-41246'],
    ['CVE 2026 41246', 'CVE-2026-41246'],
    ['CVE_2026_41246', 'CVE-2026-41246'],
    ['CVE2026-41246', 'CVE-2026-41246'],
    ['cve:2026:41246', 'CVE-2026-41246'],
    ['CVE-2026–41246', 'CVE-2026-41246'], // en dash
    ['Ｃｖｅ－２０２６－４１２４６', 'CVE-2026-41246'], // full width
    ['CVE-2026-4\u200b1246', 'CVE-2026-41246'], // a zero-width space pasted in
    ['GHSA-x4mj-7f9g-29h4', 'GHSA-x4mj-7f9g-29h4'],
    ['GHSA-X4MJ-7F9G-29H4', 'GHSA-x4mj-7f9g-29h4'],
    ['ghsa_x4mj_7f9g_29h4', 'GHSA-x4mj-7f9g-29h4'],
    ['EMB-2026-0007', 'EMB-2026-0007'],
    ['emb 2026 7', 'EMB-2026-0007'],
  ])('%s is %s', (text, id) => {
    expect(canon(`see ${text} here`)).toEqual([id]);
  });

  it('finds ids inside advisory URLs of GitHub, NVD, cve.org and OSV', () => {
    const text = [
      'https://github.com/projectcontour/contour/security/advisories/GHSA-x4mj-7f9g-29h4',
      'https://nvd.nist.gov/vuln/detail/CVE-2026-41246',
      'https://www.cve.org/CVERecord?id=CVE-2026-41247',
      'https://osv.dev/vulnerability/GHSA-p7q2-w9cv-29h4',
    ].join('\n');
    expect(canon(text)).toEqual(['GHSA-x4mj-7f9g-29h4', 'CVE-2026-41246', 'CVE-2026-41247', 'GHSA-p7q2-w9cv-29h4']);
    const folded = foldText(text).text;
    expect(findIds(folded).map((m) => idContext(folded, m.start))).toEqual([
      'advisory-url',
      'advisory-url',
      'advisory-url',
      'advisory-url',
    ]);
  });

  it("recognises GitHub's fork merge message and cherry-pick titles", () => {
    const merge = 'Merge pull request from GHSA-x4mj-7f9g-29h4';
    expect(idContext(merge, merge.indexOf('GHSA'))).toBe('ghsa-merge');
    const pick = 'Cherry pick CVE-2026-41246 onto release-1.31';
    expect(idContext(pick, pick.indexOf('CVE'))).toBe('cherry-pick');
    const plain = 'Fix CVE-2026-41246';
    expect(idContext(plain, plain.indexOf('CVE'))).toBeNull();
  });

  it('leaves look-alikes alone: versions, short numbers, words that merely contain the letters', () => {
    expect(canon('bump to 2026.4.1, member 2026 0001, December 2026 1234, CVE-26-1, GHSA-abc')).toEqual([]);
    expect(canon('CVE-2026-412467890')).toEqual([]); // more digits than an id has: not cut in the middle
  });

  it('canonicalId accepts exactly one id and nothing else', () => {
    expect(canonicalId(' cve 2023 44487 ')).toBe('CVE-2023-44487');
    expect(canonicalId('CVE-2023-44487 and more')).toBeNull();
    expect(canonicalId('x/net')).toBeNull();
  });
});

describe('words', () => {
  it('cuts camelCase, snake_case, acronyms and digits the same way for terms and text', () => {
    expect(wordsOf('rewriteCookiePath')).toEqual(['rewrite', 'cookie', 'path']);
    expect(wordsOf('rewrite_cookie_path')).toEqual(['rewrite', 'cookie', 'path']);
    expect(wordsOf('Rewrite-Cookie path')).toEqual(['rewrite', 'cookie', 'path']);
    expect(wordsOf('HTTPProxy')).toEqual(['http', 'proxy']);
    expect(wordsOf('log4j')).toEqual(['log', '4', 'j']);
    expect(wordsOf('ÜberFix straße')).toEqual(['über', 'fix', 'straße']);
  });

  it('reports word offsets in the text as given', () => {
    const spans: string[] = [];
    const text = 'set cookieRewrite=1';
    forEachWord(text, (s, e) => spans.push(text.slice(s, e)));
    expect(spans).toEqual(['set', 'cookie', 'Rewrite', '1']);
  });
});
