/**
 * `embargo cvss [VECTOR]`: scores CVSS 3.0/3.1/4.0 vectors. Offline: it never opens the database
 * or talks to a server. Without VECTOR (or with `-`) it reads one vector per line from stdin and
 * writes one result per line as it goes (NDJSON with --json), so a pipe of thousands of vectors is
 * scored in one process without holding them in memory. Exit 1 if any vector was invalid.
 */
import type { Command } from 'commander';
import { createInterface } from 'node:readline';
import { DomainError } from '../../domain/errors.js';
import { scoreCvss, type CvssScore } from '../../domain/severity/cvss.js';
import { CliError, EXIT_FAILURE } from '../errors.js';
import type { Context, JsonOption } from '../context.js';
import type { Colors } from '../output.js';

/** The --json shape of one result (exactly these keys), or {vector, error}. */
export function cvssResultJson(s: CvssScore) {
  return {
    version: s.version,
    vector: s.vector,
    baseScore: s.baseScore,
    temporalScore: s.temporalScore,
    environmentalScore: s.environmentalScore,
    score: s.score,
    severity: s.severity,
    nomenclature: s.nomenclature,
  };
}

const fixed = (n: number | null | undefined) => (n === null || n === undefined ? '—' : n.toFixed(1));

function paintSeverity(s: CvssScore, colors: Colors): string {
  const text = `${s.score.toFixed(1)} ${s.severity}`;
  if (s.severity === 'CRITICAL' || s.severity === 'HIGH') return colors.red(text);
  if (s.severity === 'MEDIUM') return colors.yellow(text);
  return colors.green(text);
}

/** "9.3 CRITICAL  CVSS:3.1/…  (base 9.8, temporal 9.3, environmental —)" */
export function cvssLine(s: CvssScore, colors: Colors): string {
  const parts =
    s.version === '4.0'
      ? [
          `${s.nomenclature}`,
          `base ${fixed(s.baseScore)}`,
          `threat ${fixed(s.threatScore)}`,
          `environmental ${fixed(s.environmentalScore)}`,
        ]
      : [`base ${fixed(s.baseScore)}`, `temporal ${fixed(s.temporalScore)}`, `environmental ${fixed(s.environmentalScore)}`];
  return `${paintSeverity(s, colors)}  ${s.vector}  ${colors.dim(`(${parts.join(', ')})`)}`;
}

type Outcome = { ok: true; score: CvssScore } | { ok: false; vector: string; error: string };

function score(vector: string): Outcome {
  try {
    return { ok: true, score: scoreCvss(vector) };
  } catch (err) {
    if (err instanceof DomainError) return { ok: false, vector: vector.trim(), error: err.message };
    throw err;
  }
}

export function registerCvss(program: Command, ctx: Context): void {
  program
    .command('cvss')
    .description('Score CVSS 3.0, 3.1 and 4.0 vectors (offline); without VECTOR, one vector per line from stdin')
    .argument('[vector]', 'a vector such as CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H, or - for stdin')
    .option(
      '--json',
      'print {version, vector, baseScore, temporalScore, environmentalScore, score, severity, nomenclature} (NDJSON for stdin)',
    )
    .addHelpText(
      'after',
      `
Vectors are checked strictly (every base metric, no duplicates, known metrics and values, and the
specification's order for 4.0) before scoring. An invalid vector gives {"vector", "error"} with --json,
or "invalid  VECTOR: reason" otherwise; the exit status is then 1. Blank lines are skipped.

Examples:
  embargo cvss CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N
  cut -d' ' -f1 vectors.txt | embargo cvss --json > scores.ndjson`,
    )
    .action(async (vector: string | undefined, opts: JsonOption) => {
      const out = ctx.out;
      const write = (o: Outcome) => {
        if (opts.json) out.line(JSON.stringify(o.ok ? cvssResultJson(o.score) : { vector: o.vector, error: o.error }));
        else if (o.ok) out.line(cvssLine(o.score, out.colors));
        else out.line(`${out.colors.red('invalid')}  ${o.vector}: ${o.error}`);
      };

      if (vector !== undefined && vector !== '-') {
        const o = score(vector);
        if (o.ok || opts.json) write(o);
        if (!o.ok) throw new CliError(o.error, EXIT_FAILURE);
        return;
      }

      if (ctx.stdin.isTTY) out.note('embargo: reading CVSS vectors from stdin, one per line (end with Ctrl-D)');
      let total = 0;
      let invalid = 0;
      const lines = createInterface({ input: ctx.stdin, crlfDelay: Infinity, terminal: false });
      for await (const line of lines) {
        if (line.trim() === '') continue;
        total += 1;
        const o = score(line);
        if (!o.ok) invalid += 1;
        write(o);
      }
      if (invalid > 0) {
        throw new CliError(`${invalid} invalid CVSS vector${invalid === 1 ? '' : 's'} out of ${total}`, EXIT_FAILURE);
      }
    });
}
