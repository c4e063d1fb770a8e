/**
 * Benchmarks, each with its baseline measured in the same run on the same database, so the ratio
 * means something on a noisy machine. Prints medians of several rounds.
 *
 *   npm run bench                     # SQLite in a temp directory
 *   BENCH_DATABASE_URL=postgres://… npm run bench
 *   npm run bench -- cli guard        # only bench/cli-startup.ts and bench/guard.ts (by name prefix)
 *   npm run bench -- api --quick      # flags go to the benchmarks picked
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { addUser, createApiToken } from '../src/app/accounts.js';
import { localActor } from '../src/app/actor.js';
import { createApp } from '../src/app/app.js';
import { createCase, editCase } from '../src/app/cases.js';
import { configFromEnv } from '../src/app/config.js';
import { verifyChain } from '../src/store/events.js';
import { openStore } from '../src/store/store.js';

const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));
const ROUNDS = 5;
const OPS = 200;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

async function timeRounds(fn: () => Promise<void>): Promise<number> {
  const times: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  return median(times);
}

function report(name: string, ms: number, baselineName: string, baselineMs: number, unit: string, count: number) {
  const per = (x: number) => ((x * 1000) / count).toFixed(1);
  console.log(`${name}: median ${ms.toFixed(1)} ms for ${count} ${unit} (${per(ms)} µs each)`);
  console.log(`  baseline ${baselineName}: median ${baselineMs.toFixed(1)} ms (${per(baselineMs)} µs each)`);
  console.log(`  ratio ${(ms / baselineMs).toFixed(2)}x`);
}

/** Names given on the command line pick the bench/*.ts files to run (by prefix); none: everything. */
const only = process.argv.slice(2).filter((a) => !a.startsWith('--'));
/** Flags (`--quick`) go to every benchmark picked. */
const flags = process.argv.slice(2).filter((a) => a.startsWith('--'));
const picked = (file: string) => only.length === 0 || only.some((name) => file.startsWith(name));

if (only.length === 0) await storeBenchmarks();

async function storeBenchmarks(): Promise<void> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'embargo-bench-'));
  const store = await openStore({ databaseUrl: process.env.BENCH_DATABASE_URL, dataDir });
  try {
    const app = await createApp(store, configFromEnv({}));
    const actor = localActor('bench');
    await addUser(app, actor, { username: 'bench', password: 'bench password 123' });
    await createApiToken(app, actor, { name: 'bench', username: 'bench' });
    const c = await createCase(app, actor, { title: 'Benchmark case' });
    console.log(`database: ${store.dialect}, ${ROUNDS} rounds, medians\n`);

    // 1. A case command end to end (validate, load, decide, store state, append hash-chained event)
    //    against the bare minimum a write needs: one UPDATE in its own transaction.
    await store.write((tx) => tx.insertInto('settings').values({ key: 'bench', value: '0' }).execute());
    let n = 0;
    const command = await timeRounds(async () => {
      for (let i = 0; i < OPS; i++) await editCase(app, actor, c.id, { title: `Benchmark case ${n++}` });
    });
    const bare = await timeRounds(async () => {
      for (let i = 0; i < OPS; i++) {
        await store.db.transaction().execute((tx) => sql`update settings set value = ${String(i)} where key = 'bench'`.execute(tx));
      }
    });
    report('case command (editCase)', command, 'bare UPDATE transaction', bare, 'writes', OPS);

    // 2. Verifying the audit chain against reading the same rows without hashing them.
    const events = Number((await sql<{ n: number }>`select count(*) as n from events`.execute(store.db)).rows[0]!.n);
    const verify = await timeRounds(async () => {
      const result = await verifyChain(store.db);
      if (!result.ok) throw new Error('chain broken during the benchmark');
    });
    const scan = await timeRounds(async () => {
      await store.db.selectFrom('events').selectAll().orderBy('seq').execute();
    });
    console.log('');
    report('audit verify', verify, 'plain scan of the events table', scan, 'events', events);
  } finally {
    await store.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

// Every other bench/*.ts (guard.ts, …) runs after these, in name order, each in its own process so
// one benchmark's memory and caches do not colour the next one's figures.
for (const file of readdirSync(BENCH_DIR)
  .filter((f) => f.endsWith('.ts') && f !== 'run.ts' && picked(f))
  .sort()) {
  console.log(`\n== bench/${file}`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(BENCH_DIR, file), ...flags], { stdio: 'inherit', env: process.env });
  if (r.status !== 0) {
    process.exitCode = 1;
    console.error(`bench/${file} failed (exit ${r.status ?? r.signal})`);
  }
}
