/**
 * The CWE catalogue: generated from the packages' MITRE data without loss (names, status and usage
 * from CWE 4.17; descriptions from CWE 4.15), small, attributed to MITRE, up to date with its build
 * script, and searchable in the documented order.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  CWE_ATTRIBUTION,
  CWE_CATALOGUE,
  type CWE_SOURCE,
  cweUrl,
  findCwe,
  getCwe,
  normalizeCweId,
  searchCwe,
  SEARCH_LIMIT_MAX,
} from '../../../src/domain/severity/cwe.js';
import { errorOf } from '../../support/domain-error.js';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const DATA_FILE = `${REPO}src/domain/severity/cwe-catalogue.json`;
const require = createRequire(import.meta.url);

describe('the catalogue data', () => {
  it("has every weakness of the CWE 4.17 list with MITRE's name, status and mapping usage", async () => {
    const cwec = (await import(require.resolve('@secvisogram/csaf-validator-lib/lib/cwec/4.17.js'))).default as {
      date: string;
      weaknesses: { id: string; name: string; status: string; usage: string }[];
    };
    expect(CWE_CATALOGUE).toMatchObject({ version: '4.17', date: cwec.date, count: cwec.weaknesses.length });
    expect(cwec.weaknesses.length).toBe(968);
    for (const w of cwec.weaknesses) {
      const e = findCwe(w.id);
      expect(e, w.id).toBeDefined();
      expect({ id: e!.id, name: e!.name, status: e!.status, usage: e!.usage }).toEqual({
        id: w.id,
        name: w.name.replace(/\s+/g, ' ').trim(),
        status: w.status,
        usage: w.usage,
      });
    }
  });

  it("has MITRE's short descriptions (CWE 4.15 from cwe-sdk) for all but the weaknesses added since", () => {
    const dictionary = JSON.parse(readFileSync(require.resolve('cwe-sdk/raw/cwe-dictionary.json'), 'utf8')) as Record<
      string,
      { Description?: string }
    >;
    const data = JSON.parse(readFileSync(DATA_FILE, 'utf8')) as {
      weaknesses: { id: string; description: string | null }[];
      descriptionsFrom: { version: string };
    };
    expect(data.descriptionsFrom.version).toBe('4.15');
    const without = data.weaknesses.filter((w) => w.description === null).map((w) => w.id);
    expect(without).toEqual(['CWE-1427', 'CWE-1428', 'CWE-1429', 'CWE-1431']);
    for (const id of without) expect(dictionary[id.slice(4)]).toBeUndefined();
    for (const w of data.weaknesses.filter((x) => x.description !== null)) {
      expect(w.description, w.id).toBe(dictionary[w.id.slice(4)]!.Description!.replace(/\s+/g, ' ').trim());
    }
    expect(findCwe('CWE-79')!.description).toBe(
      'The product does not neutralize or incorrectly neutralizes user-controllable input before it is placed in output that is used as a web page that is served to other users.',
    );
    expect(findCwe('CWE-79')!.terms).toContain('XSS');
  });

  it("is well under 1 MB, sorted by id, and carries MITRE's copyright designation and license", () => {
    expect(statSync(DATA_FILE).size).toBeLessThan(512 * 1024);
    const data = JSON.parse(readFileSync(DATA_FILE, 'utf8')) as { weaknesses: { id: string }[]; source: typeof CWE_SOURCE };
    const numbers = data.weaknesses.map((w) => Number(w.id.slice(4)));
    expect(numbers).toEqual([...numbers].sort((a, b) => a - b));
    expect(data.source.notice).toBe('CWE™ is a trademark of The MITRE Corporation.');
    expect(data.source.copyright).toMatch(
      /^Copyright © 2006–\d{4}, The MITRE Corporation\. CWE, CWSS, CWRAF, and the CWE logo are trademarks of The MITRE Corporation\.$/,
    );
    expect(data.source.license).toContain(
      "Any copy you make for such purposes is authorized on the condition that you reproduce MITRE's copyright designation and this license in any such copy.",
    );
    expect(data.source.termsOfUse).toBe('https://cwe.mitre.org/about/termsofuse.html');
    expect(CWE_ATTRIBUTION).toContain(data.source.copyright);
    expect(CWE_ATTRIBUTION).toContain('CWE 4.17');
  });

  it('is what scripts/build-cwe-catalogue.ts builds from the installed packages', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/build-cwe-catalogue.ts', '--check'], {
      cwd: REPO,
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/is up to date/);
    expect(r.status).toBe(0);
  });
});

describe('lookups', () => {
  it('normalizes the ways people write an id', () => {
    for (const s of ['CWE-79', 'cwe-79', 'CWE79', '79', ' 79 ', 'CWE-079']) expect(normalizeCweId(s), s).toBe('CWE-79');
    for (const s of ['', 'XSS', 'CWE-', 'CWE-79a', 'CVE-2026-1', '-79', 'CWE--79', '12345678']) expect(normalizeCweId(s), s).toBeNull();
  });

  it('findCwe gives the entry or undefined; getCwe says why not', () => {
    expect(findCwe('cwe-22')?.name).toBe("Improper Limitation of a Pathname to a Restricted Directory ('Path Traversal')");
    expect(findCwe('CWE-16')).toBeUndefined(); // a category, not a weakness
    expect(findCwe('CWE-999999')).toBeUndefined();
    expect(findCwe('nonsense')).toBeUndefined();
    expect(getCwe('94').id).toBe('CWE-94');
    const missing = errorOf(() => getCwe('CWE-999999'));
    expect([missing.code, missing.message]).toEqual([
      'not_found',
      'CWE-999999 is not a weakness in the CWE 4.17 catalogue (categories and views are not weaknesses; search by name with "cwe search")',
    ]);
    const bad = errorOf(() => getCwe('XSS'));
    expect([bad.code, bad.message]).toEqual(['invalid_input', '"XSS" is not a CWE id like CWE-79']);
    expect(cweUrl('CWE-79')).toBe('https://cwe.mitre.org/data/definitions/79.html');
  });

  it("keeps MITRE's usage advice and deprecated entries", () => {
    expect(findCwe('CWE-20')).toMatchObject({ status: 'Stable', usage: 'Discouraged' });
    const deprecated = searchCwe('deprecated', SEARCH_LIMIT_MAX).filter((h) => h.status === 'Deprecated');
    expect(deprecated.length).toBeGreaterThan(5);
    expect(deprecated.every((h) => h.usage === 'Prohibited')).toBe(true);
  });
});

describe('searchCwe ranking', () => {
  const ids = (text: string, limit?: number) => searchCwe(text, limit).map((h) => `${h.id} ${h.match}`);

  it('an exact id comes first', () => {
    expect(ids('79')[0]).toBe('CWE-79 id');
    expect(ids('CWE-352')[0]).toBe('CWE-352 id');
  });

  it('then names starting with the text, including the names given in parentheses', () => {
    // CWE-22's name ends "('Path Traversal')"; CWE-23 "Relative Path Traversal" only has the words.
    expect(ids('path traversal', 3)).toEqual(['CWE-22 name-prefix', 'CWE-24 name-prefix', 'CWE-25 name-prefix']);
    expect(ids('path traversal', 100)).toContain('CWE-23 name');
    expect(ids('sql injection')).toEqual(['CWE-89 name-prefix', 'CWE-564 name-prefix']);
    expect(ids('Use After Free')).toEqual(['CWE-416 name-prefix']);
    expect(ids('csrf')[0]).toBe('CWE-352 name-prefix');
    // A name prefix outranks an earlier id that only has the words somewhere in its name.
    const race = searchCwe('race condition', 50);
    const firstWordMatch = race.findIndex((h) => h.match === 'name');
    expect(firstWordMatch).toBeGreaterThan(0);
    expect(race.slice(0, firstWordMatch).every((h) => h.match === 'name-prefix')).toBe(true);
  });

  it('an alternate term equal to the text ranks with name prefixes; names with all the words follow', () => {
    expect(ids('XSS', 4)).toEqual(['CWE-79 term', 'CWE-80 name', 'CWE-85 name', 'CWE-87 name']);
    expect(ids('xxe')[0]).toBe('CWE-611 term');
  });

  it('then names containing every word (the last may be unfinished), then terms, then descriptions', () => {
    const hits = searchCwe('cross-site scripting', 20);
    expect(hits.map((h) => `${h.id} ${h.match}`).slice(0, 2)).toEqual(['CWE-79 name-prefix', 'CWE-692 name']);
    expect(searchCwe('deseri', 3)[0]!.id).toBe('CWE-502');
    // Groups follow each other in rank order: name prefixes and equal terms, names, terms, descriptions.
    const matches = (text: string) => searchCwe(text, SEARCH_LIMIT_MAX).map((h) => h.match as string);
    const injection = matches('injection');
    expect(injection[0]).toBe('name-prefix');
    expect(injection.indexOf('name')).toBeGreaterThan(injection.lastIndexOf('name-prefix'));
    expect(injection.indexOf('term')).toBeGreaterThan(injection.lastIndexOf('name'));
    const overflow = matches('overflow');
    expect(overflow.indexOf('description')).toBeGreaterThan(overflow.lastIndexOf('name'));
    expect(overflow.lastIndexOf('term')).toBeLessThan(overflow.indexOf('description'));
    const desc = searchCwe('plaintext weakly encrypted', 5);
    expect(desc.map((h) => `${h.id} ${h.match}`)).toContain('CWE-5 description');
  });

  it('puts deprecated entries after current ones of the same rank, and honours the limit', () => {
    const nameHits = searchCwe('race condition', SEARCH_LIMIT_MAX).filter((h) => h.match === 'name');
    expect(nameHits.map((h) => h.id)).toContain('CWE-365'); // "DEPRECATED: Race Condition in Switch"
    expect(nameHits.at(-1)!.id).toBe('CWE-365');
    expect(nameHits.at(-2)!.status).not.toBe('Deprecated');
    expect(searchCwe('error', 3)).toHaveLength(3);
    expect(searchCwe('zzqxv no such words')).toEqual([]);
  });

  it('refuses an empty text, an overlong one and a limit outside 1..100', () => {
    expect(errorOf(() => searchCwe('  ')).message).toBe('say what to search for, e.g. "cross-site scripting" or CWE-79');
    expect(errorOf(() => searchCwe('a'.repeat(201))).message).toBe('the search text is longer than 200 characters');
    for (const limit of [0, 101, 1.5, Number.NaN])
      expect(errorOf(() => searchCwe('xss', limit)).message).toBe('limit must be a whole number from 1 to 100');
  });
});
