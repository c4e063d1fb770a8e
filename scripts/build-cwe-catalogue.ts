/**
 * Builds src/domain/severity/cwe-catalogue.json, the trimmed CWE catalogue Embargo ships:
 *
 *  - id, name, status and MITRE's mapping usage of every weakness from the CWE 4.17 list that
 *    @secvisogram/csaf-validator-lib carries (lib/cwec/4.17.js);
 *  - its short description (MITRE's "Description", not the extended one) and alternate terms
 *    (e.g. "XSS") from the full CWE 4.15 data in cwe-sdk (raw/cwe-dictionary.json); weaknesses
 *    added after 4.15 have no description;
 *  - the catalogue version and MITRE's copyright designation and license, which the CWE Terms of
 *    Use ask every copy to reproduce.
 *
 * Run: node --import tsx scripts/build-cwe-catalogue.ts [--check]
 * With --check it writes nothing and exits 1 if the committed file differs from a fresh build.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const OUT = fileURLToPath(new URL('../src/domain/severity/cwe-catalogue.json', import.meta.url));
const CWEC_VERSION = '4.17';

/** MITRE's CWE Terms of Use, https://cwe.mitre.org/about/termsofuse.html */
export const CWE_SOURCE = {
  name: 'Common Weakness Enumeration (CWE™)',
  publisher: 'The MITRE Corporation',
  url: 'https://cwe.mitre.org/',
  termsOfUse: 'https://cwe.mitre.org/about/termsofuse.html',
  notice: 'CWE™ is a trademark of The MITRE Corporation.',
  copyright: 'Copyright © 2006–2025, The MITRE Corporation. CWE, CWSS, CWRAF, and the CWE logo are trademarks of The MITRE Corporation.',
  license:
    'CWE™ is free to use by any organization or individual for any research, development, and/or commercial purposes, per these CWE Terms of Use. ' +
    'Accordingly, The MITRE Corporation hereby grants you a non-exclusive, royalty-free license to use CWE for research, development, and commercial purposes. ' +
    "Any copy you make for such purposes is authorized on the condition that you reproduce MITRE's copyright designation and this license in any such copy. " +
    'CWE is a trademark of The MITRE Corporation. Please contact cwe@mitre.org if you require further clarification on this issue.',
  disclaimer:
    'ALL DOCUMENTS AND THE INFORMATION CONTAINED IN THE CWE ARE PROVIDED ON AN "AS IS" BASIS AND THE CONTRIBUTOR, THE ORGANIZATION HE/SHE REPRESENTS OR IS SPONSORED BY (IF ANY), ' +
    'THE MITRE CORPORATION, ITS BOARD OF TRUSTEES, OFFICERS, AGENTS, AND EMPLOYEES, DISCLAIM ALL WARRANTIES, EXPRESS OR IMPLIED, INCLUDING BUT NOT LIMITED TO ANY WARRANTY ' +
    'THAT THE USE OF THE INFORMATION THEREIN WILL NOT INFRINGE ANY RIGHTS OR ANY IMPLIED WARRANTIES OF MERCHANTABILITY OR FITNESS FOR A PARTICULAR PURPOSE.',
};

interface CwecEntry {
  id: string;
  name: string;
  status: string;
  usage: string;
}

interface DictionaryEntry {
  Description?: unknown;
  Mapping_Notes?: { Comments?: unknown; Suggestions?: { Suggestion?: SuggestionNode | SuggestionNode[] } };
  Alternate_Terms?: { Alternate_Term?: { Term?: unknown } | { Term?: unknown }[] };
}

interface SuggestionNode {
  attr?: { '@_CWE_ID'?: unknown };
}

/**
 * MITRE's suggested alternatives for a weakness it discourages or prohibits as a mapping: the
 * Mapping_Notes' Suggestions, else the CWE ids its Comments name ("Consider … (CWE-862) …"); only
 * ids the catalogue holds whose usage is allowed, at most 8, in MITRE's order.
 */
function alternativesOf(entry: DictionaryEntry | undefined, usable: (id: string) => boolean): string[] {
  const notes = entry?.Mapping_Notes;
  const raw = notes?.Suggestions?.Suggestion;
  const suggested = (raw === undefined ? [] : Array.isArray(raw) ? raw : [raw]).map((s) => `CWE-${textOf(s.attr?.['@_CWE_ID']) ?? ''}`);
  const comments = typeof notes?.Comments === 'string' ? [...notes.Comments.matchAll(/CWE-(\d+)/g)].map((m) => `CWE-${m[1]}`) : [];
  return [...new Set(suggested.length > 0 ? suggested : comments)].filter(usable).slice(0, 8);
}

const USAGES = ['Allowed', 'Allowed-with-Review', 'Discouraged', 'Prohibited'];
const STATUSES = ['Stable', 'Usable', 'Draft', 'Incomplete', 'Obsolete', 'Deprecated'];

const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim();

function textOf(value: unknown): string | null {
  if (typeof value === 'string') return oneLine(value) || null;
  if (typeof value === 'number') return String(value);
  return null;
}

function termsOf(entry: DictionaryEntry | undefined): string[] {
  const raw = entry?.Alternate_Terms?.Alternate_Term;
  const list = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
  return [...new Set(list.map((t) => textOf(t.Term)).filter((t): t is string => t !== null && t.length <= 80))];
}

async function build(): Promise<string> {
  const require = createRequire(import.meta.url);
  const cwecPath = require.resolve(`@secvisogram/csaf-validator-lib/lib/cwec/${CWEC_VERSION}.js`);
  const cwec = (await import(cwecPath)).default as { date: string; weaknesses: CwecEntry[] };
  const sdkDir = require.resolve('cwe-sdk/package.json').replace(/package\.json$/, '');
  const dictionary = JSON.parse(readFileSync(`${sdkDir}raw/cwe-dictionary.json`, 'utf8')) as Record<string, DictionaryEntry>;
  // The dictionary is keyed by number; the archive's header says which CWE version it is.
  const archiveHead = readFileSync(`${sdkDir}raw/cwe-archive.xml`, 'utf8').slice(0, 400);
  const descVersion = /Version="([^"]+)"/.exec(archiveHead)?.[1] ?? 'unknown';
  const descDate = /Date="([^"]+)"/.exec(archiveHead)?.[1] ?? 'unknown';

  const usageOf = new Map(cwec.weaknesses.map((w) => [w.id, w.usage]));
  const usable = (id: string) => usageOf.get(id) === 'Allowed' || usageOf.get(id) === 'Allowed-with-Review';
  const weaknesses = cwec.weaknesses
    .map((w) => {
      if (!/^CWE-\d+$/.test(w.id)) throw new Error(`unexpected CWE id ${w.id}`);
      if (!USAGES.includes(w.usage)) throw new Error(`${w.id}: unexpected usage ${w.usage}`);
      if (!STATUSES.includes(w.status)) throw new Error(`${w.id}: unexpected status ${w.status}`);
      const entry = dictionary[w.id.slice(4)];
      const terms = termsOf(entry);
      const alternatives = w.usage === 'Discouraged' || w.usage === 'Prohibited' ? alternativesOf(entry, usable) : [];
      return {
        id: w.id,
        name: oneLine(w.name),
        status: w.status,
        usage: w.usage,
        description: textOf(entry?.Description),
        ...(terms.length > 0 ? { terms } : {}),
        ...(alternatives.length > 0 ? { alternatives } : {}),
      };
    })
    .sort((a, b) => Number(a.id.slice(4)) - Number(b.id.slice(4)));

  const catalogue = {
    catalogue: 'CWE',
    version: CWEC_VERSION,
    date: cwec.date,
    descriptionsFrom: { version: descVersion, date: descDate },
    generatedBy: 'scripts/build-cwe-catalogue.ts from @secvisogram/csaf-validator-lib (lib/cwec) and cwe-sdk (raw/cwe-dictionary.json)',
    source: CWE_SOURCE,
    weaknesses,
  };
  // One weakness per line: small, and diffs between catalogue versions stay readable.
  const head = JSON.stringify({ ...catalogue, weaknesses: [] }, null, 2).replace(/\n {2}"weaknesses": \[\]\n\}$/, '');
  return `${head}\n  "weaknesses": [\n${weaknesses.map((w) => `    ${JSON.stringify(w)}`).join(',\n')}\n  ]\n}\n`;
}

const text = await build();
JSON.parse(text); // never write a file that does not parse
if (process.argv.includes('--check')) {
  let current = '';
  try {
    current = readFileSync(OUT, 'utf8');
  } catch {
    // missing: differs
  }
  if (current !== text) {
    process.stderr.write(`${OUT} is out of date: run node --import tsx scripts/build-cwe-catalogue.ts\n`);
    process.exit(1);
  }
  process.stdout.write(`${OUT} is up to date\n`);
} else {
  writeFileSync(OUT, text);
  const count = (JSON.parse(text) as { weaknesses: unknown[] }).weaknesses.length;
  process.stdout.write(`wrote ${OUT}: ${count} weaknesses, ${(Buffer.byteLength(text) / 1024).toFixed(0)} kB\n`);
}
