/**
 * CLI start-up: the wall time of `embargo --help`, `embargo cvss VECTOR` and `embargo case list`
 * (a local SQLite database with a few cases) against a bare `node -e ''` measured in the same run,
 * round-robin so a burst of load hits every command alike. Goal: each within 3x the baseline
 * (the ratio of the medians; the ratio of the fastest runs is printed too, as it is what a burst of
 * load on a shared machine disturbs least). Runs the built CLI (bin/embargo.cjs → dist/, see
 * docs/architecture.md on the start-up path), building it first when dist/ is older than src/.
 *
 *   node --import tsx bench/cli-startup.ts      (or: npm run bench -- cli)
 *   BENCH_CLI_RUNS=31 node --import tsx bench/cli-startup.ts
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const RUNS = Number(process.env.BENCH_CLI_RUNS ?? 15);
const GOAL = 3;
const BIN = path.join(ROOT, 'bin/embargo.cjs');
const VECTOR = 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H';

/** The newest modification time of the files under `dir` (0 when there is none). */
function newest(dir: string): number {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) latest = Math.max(latest, statSync(path.join(entry.parentPath, entry.name)).mtimeMs);
  }
  return latest;
}

function buildIfStale(): void {
  const main = path.join(ROOT, 'dist/cli/start.js');
  let built = 0;
  try {
    built = statSync(main).mtimeMs;
  } catch {}
  if (built >= newest(path.join(ROOT, 'src'))) return;
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'scripts/build.ts')], { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('npm run build failed; run it and look at its errors');
  console.log(`built dist/ in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}

/** The caller's environment without anything that would point the CLI elsewhere. */
function cleanEnv(dataDir: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^(EMBARGO_|DATABASE_URL$|NODE_OPTIONS$)/.test(k)) env[k] = v;
  return { ...env, EMBARGO_DATA_DIR: dataDir, NO_COLOR: '1' };
}

function runOnce(args: string[], env: NodeJS.ProcessEnv): number {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, args, { cwd: ROOT, env, encoding: 'utf8' });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} exited ${r.status ?? r.signal}\n${r.stdout}${r.stderr}`);
  return ms;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

buildIfStale();
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'embargo-bench-cli-'));
try {
  const env = cleanEnv(dataDir);
  for (const title of ['Header smuggling', 'Cookie rewrite escape', 'Open redirect in the admin UI']) {
    runOnce([BIN, 'case', 'new', '--title', title], env);
  }
  const commands: [string, string[]][] = [
    ["node -e ''", ['-e', '']],
    ['embargo --help', [BIN, '--help']],
    ['embargo cvss VECTOR', [BIN, 'cvss', VECTOR]],
    ['embargo case list (3 cases, SQLite)', [BIN, 'case', 'list']],
  ];
  // One unmeasured round warms the file cache.
  for (const [, args] of commands) runOnce(args, env);
  const times = commands.map(() => [] as number[]);
  for (let r = 0; r < RUNS; r++) for (const [i, [, args]] of commands.entries()) times[i]!.push(runOnce(args, env));

  const baseline = median(times[0]!);
  const fastest = Math.min(...times[0]!);
  const load = os.loadavg()[0]!.toFixed(1);
  console.log(`CLI start-up, ${RUNS} runs each (wall time of the whole process), goal within ${GOAL}x node -e '' (load average ${load})\n`);
  const ratios: string[] = [];
  commands.forEach(([name], i) => {
    const m = median(times[i]!);
    const min = Math.min(...times[i]!);
    const ratio = m / baseline;
    const verdict = i === 0 ? 'baseline' : ratio <= GOAL ? `within ${GOAL}x` : `NOT within ${GOAL}x`;
    console.log(
      `${name.padEnd(38)} median ${m.toFixed(0).padStart(5)} ms ${ratio.toFixed(2).padStart(5)}x   fastest ${min.toFixed(0).padStart(5)} ms ${(min / fastest).toFixed(2).padStart(5)}x   ${verdict}`,
    );
    if (i > 0) ratios.push(`${name.replace(/^embargo /, '').replace(/ \(.*/, '')} ${ratio.toFixed(2)}x`);
  });
  console.log(`\nratios of the medians: ${ratios.join(', ')}`);
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
