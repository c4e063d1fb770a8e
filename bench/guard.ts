/**
 * Leak-guard benchmarks, each beside its baseline in the same run:
 *
 * 1. `embargo guard --all` over a generated repository of 1,000,000 commits (BENCH_GUARD_COMMITS
 *    overrides), against `git log --all --format=%B | grep -cE '<CVE|GHSA>'` — the least a history
 *    scan must do. The guard does more (every id spelling, hashed case terms, revealing words,
 *    ref names), so the goal is ≥ 0.8× the baseline's throughput.
 * 2. The commit-msg hook's wall time on a small message (goal ≤ 100 ms), beside `node -e 0`.
 *
 * The repository is generated with `git fast-import` and cached under the OS temp directory, keyed
 * by its size, so reruns skip generation. Runs the compiled CLI (dist/), building it first.
 *
 *   node --import tsx bench/guard.ts            (or: npm run bench)
 *   BENCH_GUARD_COMMITS=100000 node --import tsx bench/guard.ts
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { buildTermsFile } from '../src/domain/guard/terms-file.js';
import { wordsOf } from '../src/domain/guard/text.js';
import { installHooks } from '../src/integrations/git/hooks.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const COMMITS = Number(process.env.BENCH_GUARD_COMMITS ?? 1_000_000);
const ROUNDS = Number(process.env.BENCH_GUARD_ROUNDS ?? 3);
const HOOK_RUNS = 21;
const GIT_ENV = { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' };

if (!Number.isInteger(COMMITS) || COMMITS < 1000)
  throw new Error(`BENCH_GUARD_COMMITS must be a whole number ≥ 1000, not ${process.env.BENCH_GUARD_COMMITS}`);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** A small deterministic PRNG, so the same size gives the same repository. */
function prng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const VERBS = [
  'Fix',
  'Add',
  'Update',
  'Remove',
  'Refactor',
  'Escape',
  'Handle',
  'Support',
  'Document',
  'Test',
  'Improve',
  'Use',
  'Allow',
  'Drop',
  'Rename',
];
const THINGS = [
  'header parsing',
  'cookie rewrite policies',
  'TLS configuration',
  'envoy bootstrap',
  'HTTPProxy status conditions',
  'gateway API conformance',
  'leader election',
  'the metrics endpoint',
  'xDS snapshot cache',
  'lua strings',
  'upstream timeouts',
  'retry policy',
  'rate limit service',
  'external auth',
  'CORS policy',
  'access logging',
  'health checks',
  'load balancer strategy',
  'request mirroring',
  'path prefix rewrites',
];
const TAILS = [
  '',
  '',
  ' in the contour provisioner',
  ' for ExtensionService',
  ' when the secret changes',
  ' on shutdown',
  ' with IPv6 listeners',
];
/** Terms of the embargoed cases in the terms file: a few commits name them. */
const CASES = [
  {
    caseId: 'EMB-2026-0007',
    codename: 'amber-heron',
    terms: ['rewriteCookiePath', 'cookie path rewriter'],
    ids: ['CVE-2026-41246', 'GHSA-x4mj-7f9g-29h4'],
  },
  { caseId: 'EMB-2026-0009', codename: 'misty-osprey', terms: ['luaEscapeString'], ids: ['CVE-2026-50001'] },
];

function message(rand: () => number, i: number): string {
  const verb = VERBS[Math.floor(rand() * VERBS.length)]!;
  const thing = THINGS[Math.floor(rand() * THINGS.length)]!;
  const tail = TAILS[Math.floor(rand() * TAILS.length)]!;
  let subject = `${verb} ${thing}${tail} (#${1000 + (i % 90_000)})`;
  const roll = rand();
  if (roll < 0.004) subject = `Bump golang.org/x/net for CVE-${2019 + Math.floor(rand() * 7)}-${10000 + Math.floor(rand() * 40000)}`;
  else if (roll < 0.006) subject = `Merge pull request from GHSA-${['x4mj', 'p7q2', 'w9cv'][i % 3]}-7f9g-29h4`;
  else if (roll < 0.0065) subject = `${verb} ${CASES[i % 2]!.terms[0]} handling`;
  else if (roll < 0.007) subject = `Work on ${CASES[i % 2]!.codename}`;
  const body =
    rand() < 0.5
      ? `\n\n${thing[0]!.toUpperCase()}${thing.slice(1)} changed.\n\nSigned-off-by: Dev ${i % 97} <dev${i % 97}@example.org>\n`
      : '\n\nSigned-off-by: Rel Engineer <rel@example.org>\n';
  return `${subject}${body}`;
}

/** Generates (or reuses) a bare repository with `commits` commits on two branches and a few tags. */
async function generatedRepo(commits: number): Promise<string> {
  const dir = path.join(os.tmpdir(), `embargo-bench-guard-${commits}-v2`);
  const done = path.join(dir, 'embargo-bench-complete');
  if (existsSync(done)) return dir;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  execFileSync('git', ['init', '--quiet', '--bare', '--initial-branch=main', dir], { env: GIT_ENV });
  const t0 = performance.now();
  const child = spawn('git', ['fast-import', '--quiet', '--done'], { cwd: dir, env: GIT_ENV, stdio: ['pipe', 'inherit', 'inherit'] });
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  const rand = prng(42);
  const mainCount = Math.floor(commits * 0.9);
  let buffer = '';
  const flush = async () => {
    if (!child.stdin.write(buffer)) await new Promise((r) => child.stdin.once('drain', r));
    buffer = '';
  };
  for (let i = 1; i <= commits; i++) {
    const branch = i <= mainCount ? 'main' : 'release-1.31';
    const msg = message(rand, i);
    buffer += `commit refs/heads/${branch}\nmark :${i}\ncommitter Rel Engineer <rel@example.org> ${1_600_000_000 + i * 60} +0000\ndata ${Buffer.byteLength(msg)}\n${msg}\n`;
    if (i === 1) buffer += 'M 100644 inline README.md\ndata 7\nhello.\n\n';
    // The release branch forks from main at 80%.
    if (i === mainCount + 1) buffer += `from :${Math.floor(mainCount * 0.8)}\n`;
    if (i % 100_000 === 0) buffer += `reset refs/tags/v1.${i / 100_000}.0\nfrom :${i}\n\n`;
    if (buffer.length > 1 << 20) await flush();
  }
  buffer += 'done\n';
  await flush();
  child.stdin.end();
  if ((await exited) !== 0) throw new Error('git fast-import failed');
  writeFileSync(done, `${commits}\n`);
  console.log(`generated ${commits.toLocaleString('en-US')} commits in ${((performance.now() - t0) / 1000).toFixed(1)} s: ${dir}`);
  return dir;
}

function timeCommand(cmd: string, args: string[], cwd: string): { ms: number; stdout: string; code: number | null } {
  const t0 = performance.now();
  const r = spawnSync(cmd, args, { cwd, env: GIT_ENV, encoding: 'utf8', maxBuffer: 1 << 30 });
  const ms = performance.now() - t0;
  if (r.error) throw r.error;
  return { ms, stdout: r.stdout, code: r.status };
}

function buildDist(): void {
  const t0 = performance.now();
  spawnSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'scripts/build.ts')], { cwd: ROOT, stdio: 'ignore' });
  for (const f of ['dist/cli/start.js', 'dist/cli/guard-hook.js']) {
    if (!existsSync(path.join(ROOT, f))) throw new Error(`${f} was not built; run npm run build and look at its errors`);
  }
  console.log(`built dist/ in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}

function termsFile(dir: string): string {
  const file = path.join(dir, 'terms.json');
  const terms = buildTermsFile({
    salt: '6a0ec1d2b3f4a5968778695a4b3c2d1e',
    now: new Date(),
    publicIds: [],
    cases: CASES.map((c) => ({ caseId: c.caseId, terms: [wordsOf(c.codename), ...c.terms.map(wordsOf)], ids: c.ids })),
  });
  writeFileSync(file, JSON.stringify(terms));
  return file;
}

async function historyBench(): Promise<void> {
  const repo = await generatedRepo(COMMITS);
  const work = mkdtempSync(path.join(os.tmpdir(), 'embargo-bench-guard-'));
  try {
    const terms = termsFile(work);
    const baseline = ['-c', `git log --all --format=%B | grep -cE 'CVE-[0-9]{4}-[0-9]+|GHSA(-[0-9a-z]{4}){3}'`];
    const guard = [path.join(ROOT, 'bin/embargo.cjs'), 'guard', '--all', '--repo', repo, '--terms', terms, '--quiet', '--json'];
    const base: number[] = [];
    const ours: number[] = [];
    let findings = 0;
    let grepCount = '';
    for (let r = 0; r < ROUNDS; r++) {
      const b = timeCommand('sh', baseline, repo);
      grepCount = b.stdout.trim();
      base.push(b.ms);
      const g = timeCommand(process.execPath, guard, repo);
      if (g.code !== 1) throw new Error(`embargo guard --all exited ${g.code}; expected 1 (the history has leaks)`);
      const report = JSON.parse(g.stdout) as { findings: unknown[]; scanned: { commits: number } };
      if (report.scanned.commits !== COMMITS) throw new Error(`the guard scanned ${report.scanned.commits} commits, not ${COMMITS}`);
      findings = report.findings.length;
      ours.push(g.ms);
    }
    const b = median(base);
    const g = median(ours);
    const rate = (ms: number) => Math.round(COMMITS / (ms / 1000)).toLocaleString('en-US');
    console.log(`\nguard --all over ${COMMITS.toLocaleString('en-US')} commits (${ROUNDS} rounds, medians)`);
    console.log(`  embargo guard --all:  ${(g / 1000).toFixed(2)} s  (${rate(g)} commits/s, ${findings.toLocaleString('en-US')} findings)`);
    console.log(`  baseline git log | grep -cE: ${(b / 1000).toFixed(2)} s  (${rate(b)} commits/s, ${grepCount} matching lines)`);
    console.log(`  throughput ratio ${(b / g).toFixed(2)}x of the baseline (goal ≥ 0.80x)`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

async function hookBench(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'embargo-bench-hook-'));
  try {
    const repo = path.join(dir, 'repo');
    execFileSync('git', ['init', '--quiet', '--initial-branch=main', repo], { env: GIT_ENV });
    const { termsFile: termsPath, hooks } = await installHooks({
      repo,
      command: [process.execPath, path.join(ROOT, 'dist/cli/guard-hook.js')],
    });
    writeFileSync(
      termsPath,
      JSON.stringify(
        buildTermsFile({
          salt: '00112233445566778899aabbccddeeff',
          now: new Date(),
          publicIds: [],
          cases: CASES.map((c) => ({ caseId: c.caseId, terms: [wordsOf(c.codename), ...c.terms.map(wordsOf)], ids: c.ids })),
        }),
      ),
    );
    const hook = hooks.find((h) => h.hook === 'commit-msg')!.path;
    const msg = path.join(repo, '.git', 'COMMIT_EDITMSG');
    writeFileSync(msg, 'Escape lua strings for cookie rewrite policies\n\nSigned-off-by: Rel Engineer <rel@example.org>\n');
    const hookTimes: number[] = [];
    const nodeTimes: number[] = [];
    for (let i = 0; i < HOOK_RUNS; i++) {
      const h = timeCommand(hook, [msg], repo);
      if (h.code !== 0) throw new Error(`the commit-msg hook refused a clean message (exit ${h.code})`);
      hookTimes.push(h.ms);
      nodeTimes.push(timeCommand(process.execPath, ['-e', '0'], repo).ms);
    }
    writeFileSync(msg, 'Merge pull request from GHSA-x4mj-7f9g-29h4\n');
    const refused = timeCommand(hook, [msg], repo);
    if (refused.code !== 1) throw new Error(`the commit-msg hook let a GHSA merge message through (exit ${refused.code})`);
    console.log(`\ncommit-msg hook on a small message (${HOOK_RUNS} runs, medians)`);
    console.log(`  hook (sh + node dist/cli/guard-hook.js, terms file, clean message): ${median(hookTimes).toFixed(1)} ms (goal ≤ 100 ms)`);
    console.log(`  baseline node -e 0: ${median(nodeTimes).toFixed(1)} ms`);
    console.log(`  refusing a leaking message: ${refused.ms.toFixed(1)} ms`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

buildDist();
await hookBench();
await historyBench();
