/**
 * Benchmark: the job queue and the clocks. (1) 2,000 no-op jobs run through runDueJobs (claim,
 * handler, complete) against the least a queue needs — one UPDATE per job in its own transaction —
 * on the same database in the same run. (2) Reading Contour's six clocks of 1,000 cases (the
 * minute's sweep) against reading just the cases' embargo end. Medians of several rounds.
 *
 *   node --import tsx bench/jobs.ts                       (also run by `npm run bench`)
 *   BENCH_DATABASE_URL=postgres://… node --import tsx bench/jobs.ts
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import { runDueJobs } from '../src/app/job-queue.js';
import { caseClocks } from '../src/domain/clock/index.js';
import { parsePlaybook } from '../src/domain/playbook/index.js';
import { enqueueJobs } from '../src/store/jobs.js';
import { openStore } from '../src/store/store.js';
import { makeCase } from '../test/support/case-fixture.js';

const JOBS = 2000;
const ROUNDS = 5;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'embargo-bench-jobs-'));
const schema = process.env.BENCH_DATABASE_URL ? `bench_jobs_${process.pid}` : undefined;
const store = await openStore({ databaseUrl: process.env.BENCH_DATABASE_URL, dataDir, ...(schema ? { schema } : {}) });
try {
  console.log(`database: ${store.dialect}, ${ROUNDS} rounds, medians`);
  const queued: number[] = [];
  const bare: number[] = [];
  await store.write((tx) => tx.insertInto('settings').values({ key: 'bench', value: '0' }).execute());
  for (let r = 0; r < ROUNDS; r++) {
    const now = new Date();
    await store.write((tx) =>
      enqueueJobs(
        tx,
        Array.from({ length: JOBS }, (_, i) => ({ kind: 'noop', payload: { i }, idempotencyKey: `r${r}:${i}` })),
        now,
      ),
    );
    const t0 = performance.now();
    for (;;) {
      const rep = await runDueJobs({ store, handlers: { noop: async () => {} }, batchSize: 50, concurrency: 4 });
      if (rep.done === 0) break;
    }
    queued.push(performance.now() - t0);
    const t1 = performance.now();
    for (let i = 0; i < JOBS; i++) {
      await store.db.transaction().execute((tx) => sql`update settings set value = ${String(i)} where key = 'bench'`.execute(tx));
    }
    bare.push(performance.now() - t1);
  }
  const q = median(queued);
  const b = median(bare);
  console.log(`job queue (claim, run, complete): median ${q.toFixed(0)} ms for ${JOBS} jobs (${((q * 1000) / JOBS).toFixed(0)} µs each)`);
  console.log(`  baseline one UPDATE transaction per job: median ${b.toFixed(0)} ms (${((b * 1000) / JOBS).toFixed(0)} µs each)`);
  console.log(`  ratio ${(q / b).toFixed(2)}x`);

  const contour = parsePlaybook(readFileSync(new URL('../playbooks/contour.yaml', import.meta.url), 'utf8'));
  const cases = Array.from({ length: 1000 }, (_, i) =>
    makeCase({
      id: `EMB-2026-${String(i + 1).padStart(4, '0')}`,
      createdAt: new Date(Date.UTC(2026, 10, 1 + (i % 28), 9)).toISOString(),
      embargo: { endsAt: '2026-12-15T16:00:00.000Z', timeZone: 'Europe/Berlin' },
      severity: { cvss: ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H'], cwe: [] },
    }),
  );
  const calendar = { timeZone: 'Europe/Berlin', holidays: ['2026-12-24', '2026-12-25'] };
  const now = new Date('2026-12-10T10:00:00Z');
  const clockTimes: number[] = [];
  const plainTimes: number[] = [];
  let sink = 0;
  for (let r = 0; r < ROUNDS; r++) {
    const t0 = performance.now();
    for (const c of cases) sink += caseClocks({ case: c, clocks: contour.clocks, calendar, now }).length;
    clockTimes.push(performance.now() - t0);
    const t1 = performance.now();
    for (const c of cases) sink += new Date(c.embargo!.endsAt).getTime() > now.getTime() ? 1 : 0;
    plainTimes.push(performance.now() - t1);
  }
  const k = median(clockTimes);
  const p = median(plainTimes);
  console.log(`\nclocks of 1,000 cases (6 clocks each): median ${k.toFixed(1)} ms (${((k * 1000) / 1000).toFixed(0)} µs a case)`);
  console.log(`  baseline reading each embargo end: median ${p.toFixed(2)} ms; ratio ${(k / p).toFixed(0)}x (${sink > 0 ? 'ok' : ''})`);
} finally {
  await store.close();
  rmSync(dataDir, { recursive: true, force: true });
  if (schema && process.env.BENCH_DATABASE_URL) {
    const { default: pg } = await import('pg');
    const c = new pg.Client({ connectionString: process.env.BENCH_DATABASE_URL });
    await c.connect();
    await c.query(`drop schema if exists "${schema}" cascade`);
    await c.end();
  }
}
