/**
 * Benchmark: exporting 1,000 cases in all five advisory formats (OSV, CVE JSON 5, CSAF 2.0, GHSA,
 * Markdown, each serialized to text), against JSON.stringify of the same 1,000 cases measured in
 * the same run. Pure functions, no database: medians of several rounds, each from cold (no CVSS
 * score remembered from an earlier round; within a round a case's five formats share its scores).
 *
 *   node --import tsx bench/exports.ts      (also run by `npm run bench`)
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { caseFromFile, parseCaseFile } from '../src/domain/case-file/index.js';
import type { Case } from '../src/domain/case/types.js';
import { EXPORT_FORMATS, forgetCvssScores, renderExport, type ExportFormat } from '../src/domain/exports/index.js';

const CASES = 1000;
const ROUNDS = 7;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function timeRounds(fn: () => number): { ms: number; bytes: number } {
  let bytes = 0;
  fn(); // warm-up: JIT and the CVSS library's first calls
  const times: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const t0 = performance.now();
    bytes = fn();
    times.push(performance.now() - t0);
  }
  return { ms: median(times), bytes };
}

/** The i-th of many distinct vectors (metric values picked by the digits of i), so no two cases share one. */
function vector31(i: number): string {
  const pick = (values: string, k: number) => values[Math.floor(i / k) % values.length]!;
  return `CVSS:3.1/AV:${pick('NALP', 1)}/AC:${pick('LH', 4)}/PR:${pick('NLH', 8)}/UI:${pick('NR', 24)}/S:${pick('UC', 48)}/C:${pick('HLN', 96)}/I:${pick('HLN', 288)}/A:${pick('HLN', 864)}`;
}
function vector40(i: number): string {
  const pick = (values: string, k: number) => values[Math.floor(i / k) % values.length]!;
  return `CVSS:4.0/AV:${pick('NALP', 1)}/AC:${pick('LH', 4)}/AT:${pick('NP', 8)}/PR:${pick('NLH', 16)}/UI:${pick('NPA', 48)}/VC:${pick('HLN', 144)}/VI:${pick('HLN', 432)}/VA:H/SC:N/SI:N/SA:N`;
}

/**
 * 1,000 different cases shaped like the Contour example: ids, titles, lines, CWEs and every CVSS
 * vector differ (a 3.1 and a 4.0 vector each, none shared between cases, so remembering scores
 * helps only within a case, as in real use).
 */
function cases(): Case[] {
  const file = readFileSync(new URL('../test/domain/exports/contour-case.yaml', import.meta.url), 'utf8');
  const base = caseFromFile(parseCaseFile(file), new Date('2026-04-24T10:00:00Z'));
  return Array.from({ length: CASES }, (_, i) => {
    const n = String(i + 1).padStart(4, '0');
    const minor = 20 + (i % 15);
    return {
      ...base,
      id: `EMB-2026-${n}`,
      title: `${base.title} (${n})`,
      cveId: `CVE-2026-4${n}`,
      severity: { cvss: [vector31(i), vector40(i)], cwe: i % 2 === 0 ? ['CWE-94'] : ['CWE-79', 'CWE-20'] },
      affected: [
        { introduced: '1.10.0', fixed: null },
        { introduced: `1.${minor}.0`, fixed: `1.${minor}.${(i % 7) + 1}` },
        { introduced: `1.${minor + 1}.0`, fixed: `1.${minor + 1}.${(i % 5) + 1}` },
        { introduced: `1.${minor + 2}.0`, fixed: `1.${minor + 2}.${(i % 3) + 1}` },
      ],
      publishedAt: i % 4 === 0 ? null : base.publishedAt,
    };
  });
}

const all = cases();
/** Every round starts cold: no CVSS score remembered from an earlier round. */
const exportAll = (formats: readonly ExportFormat[]) => () => {
  forgetCvssScores();
  let bytes = 0;
  for (const c of all) for (const f of formats) bytes += renderExport(c, f).text.length;
  return bytes;
};

console.log(`exports: ${CASES} cases, ${ROUNDS} rounds (after one warm-up), medians\n`);
const baseline = timeRounds(() => {
  let bytes = 0;
  for (const c of all) bytes += JSON.stringify(c).length;
  return bytes;
});
const total = timeRounds(exportAll(EXPORT_FORMATS));
console.log('per format (each on its own, scoring its vectors itself):');
for (const f of EXPORT_FORMATS) {
  const one = timeRounds(exportAll([f]));
  console.log(
    `  ${f.padEnd(4)}  ${one.ms.toFixed(1).padStart(7)} ms  (${((one.ms * 1000) / CASES).toFixed(1)} µs a case, ${(one.bytes / CASES / 1024).toFixed(1)} kB a document)`,
  );
}
console.log(
  `\nall five formats: median ${total.ms.toFixed(1)} ms for ${CASES} cases (${((total.ms * 1000) / CASES).toFixed(1)} µs a case, ${(total.bytes / 1024 / 1024).toFixed(1)} MB written)`,
);
console.log(
  `  baseline JSON.stringify of the same cases: median ${baseline.ms.toFixed(1)} ms (${(baseline.bytes / 1024 / 1024).toFixed(1)} MB)`,
);
console.log(`  ratio ${(total.ms / baseline.ms).toFixed(1)}x`);
