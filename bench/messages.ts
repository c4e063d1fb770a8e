/**
 * Benchmark: the mail lint, which runs on every draft and before every send. 1,000 distributors
 * notices (rendered from 1,000 different cases, outside the timing) are linted with every rule —
 * embargoed ids in any spelling, sections, the embargo note verbatim and last, the tag, exact and
 * look-alike recipients — against the least a person might run instead: one case-insensitive
 * regular expression for CVE/GHSA ids over the same texts, measured in the same run. Medians of
 * several rounds.
 *
 *   node --import tsx bench/messages.ts      (also run by `npm run bench`)
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { caseFromFile, parseCaseFile } from '../src/domain/case-file/index.js';
import { hasErrors, lintMessage, renderMessage, type RenderedMessage } from '../src/domain/messages/index.js';
import { parsePlaybook } from '../src/domain/playbook/index.js';

const NOTICES = 1000;
const ROUNDS = 7;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function timeRounds(fn: () => number): { ms: number; result: number } {
  let result = fn(); // warm-up
  const times: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const t0 = performance.now();
    result = fn();
    times.push(performance.now() - t0);
  }
  return { ms: median(times), result };
}

const playbook = parsePlaybook(readFileSync(new URL('../playbooks/contour.yaml', import.meta.url), 'utf8'), 'contour.yaml');
const base = caseFromFile(
  parseCaseFile(readFileSync(new URL('../test/domain/exports/contour-case.yaml', import.meta.url), 'utf8')),
  new Date('2026-04-01T10:00:00Z'),
);
const now = new Date('2026-04-01T10:00:00Z');

// Different cases (titles, lines, descriptions), not yet published, so every notice is a real draft.
const notices: RenderedMessage[] = Array.from({ length: NOTICES }, (_, i) => {
  const n = String(i + 1).padStart(4, '0');
  const minor = 20 + (i % 15);
  return renderMessage('distributors-notice', {
    case: {
      ...base,
      id: `EMB-2026-${n}`,
      title: `${base.title} (${n})`,
      description: `${base.description}\nVariant ${n}: the ${minor}.x line parses the policy differently.`,
      publishedAt: null,
      releasePlan: [{ line: `1.${minor}`, version: `1.${minor}.${(i % 9) + 1}`, releasedAt: null, tag: null }],
    },
    playbook,
    now,
  });
});

const lint = timeRounds(() => {
  let clean = 0;
  for (const m of notices) if (!hasErrors(lintMessage({ kind: m.kind, subject: m.subject, body: m.body, to: m.to, playbook }))) clean++;
  return clean;
});
if (lint.result !== NOTICES) throw new Error(`expected every rendered notice to lint clean, ${NOTICES - lint.result} did not`);

const ID = /\b(?:CVE-\d{4}-\d{4,}|GHSA(?:-[23456789cfghjmpqrvwx]{4}){3})\b/gi;
const grep = timeRounds(() => {
  let hits = 0;
  for (const m of notices) hits += (m.subject.match(ID)?.length ?? 0) + (m.body.match(ID)?.length ?? 0);
  return hits;
});

const kb = notices.reduce((sum, m) => sum + m.subject.length + m.body.length, 0) / 1024;
console.log(`mail lint: ${NOTICES} distributors notices (${kb.toFixed(0)} KiB), medians of ${ROUNDS} rounds`);
console.log(
  `  every rule (ids in any spelling, sections, embargo note, tag, recipients): ${lint.ms.toFixed(1)} ms (${((lint.ms * 1000) / NOTICES).toFixed(1)} µs per notice)`,
);
console.log(`  baseline, one CVE/GHSA regular expression over the same text:            ${grep.ms.toFixed(1)} ms`);
console.log(`  ratio: ${(lint.ms / grep.ms).toFixed(1)}× the baseline`);
