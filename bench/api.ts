/**
 * Benchmark: the case API under load, against a bare Fastify route serving the same bytes in the
 * same run. Seeds cases through the app layer (createCase, as the team's form does), tops the audit
 * log up to the asked number of events with batched appends of `case.read` events (appendEvents,
 * 5,000 a transaction: the app layer's one read per transaction would take hours for a million),
 * then drives each workload from a second process (autocannon) at 10 and 100 connections. Besides
 * rps and latency it prints the server process's CPU time per request (all its threads), which
 * moves less than rps when the machine's speed varies between runs.
 *
 *   npm run bench -- api                    # 10,000 cases, 1,000,000 events, 10 s a run, SQLite and PostgreSQL
 *   npm run bench -- api --quick            # 500 cases, 20,000 events, 3 s a run
 *   BENCH_API_CASES=2000 BENCH_API_EVENTS=200000 BENCH_API_SECONDS=5 npm run bench -- api
 *   BENCH_API_RUNS=5 npm run bench -- api   # runs per cell, Embargo and bare in turn; medians printed (default 3, --quick 1)
 *   BENCH_API_DATABASES=sqlite npm run bench -- api
 *   BENCH_PG_URL=postgres://root@127.0.0.1:5432/test (the default; each run uses a fresh schema, dropped afterwards)
 *   EMBARGO_DATABASE_POOL_SIZE=20 npm run bench -- api   # PostgreSQL pool size, as for `embargo serve`
 *   BENCH_API_PROFILE=/tmp/prof npm run bench -- api   # also writes a V8 CPU profile of the server per Embargo run
 *   BENCH_API_TOKENS=1 npm run bench -- api      # API tokens the requests take in turn (default 100)
 *   BENCH_API_READ_CASES=1 npm run bench -- api  # cases the reads and exports take in turn (default 100)
 *   BENCH_API_WORKLOADS=detail,list npm run bench -- api   # some of detail, list, change, export (default all)
 *   BENCH_API_WORKLOADS=none BENCH_API_CASES=1000 BENCH_API_CREATE_AT=100000 npm run bench -- api   # only creating a case at 100,000
 */
import { spawn } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Session } from 'node:inspector/promises';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import Fastify from 'fastify';
import { sql } from 'kysely';
import pg from 'pg';
import { addUser, createApiToken, tokenActor } from '../src/app/accounts.js';
import { localActor } from '../src/app/actor.js';
import { createApp } from '../src/app/app.js';
import { createCase, editCase } from '../src/app/cases.js';
import { configFromEnv } from '../src/app/config.js';
import { listProjects, putProjectMember } from '../src/app/projects.js';
import { caseRead } from '../src/domain/case/access-events.js';
import { CODENAME_SPACE, type Case, codenameFrom } from '../src/domain/case/index.js';
import { buildServer } from '../src/server/server.js';
import { getCase, insertCase } from '../src/store/cases.js';
import { appendEvents, verifyChain } from '../src/store/events.js';
import { openStore, type Store } from '../src/store/store.js';

const quick = process.argv.includes('--quick');
const CASES = Number(process.env.BENCH_API_CASES ?? (quick ? 500 : 10_000));
const EVENTS = Number(process.env.BENCH_API_EVENTS ?? (quick ? 20_000 : 1_000_000));
const SECONDS = Number(process.env.BENCH_API_SECONDS ?? (quick ? 3 : 10));
/** Cases in the database for the last measure of createCase (bulk rows past CASES); 0 or ≤ CASES: skipped. */
const CREATE_AT = Number(process.env.BENCH_API_CREATE_AT ?? (quick ? 0 : 100_000));
const RUNS = Number(process.env.BENCH_API_RUNS ?? (quick ? 1 : 3));
const DATABASES = (process.env.BENCH_API_DATABASES ?? 'sqlite,postgres').split(',').map((s) => s.trim());
const PG_URL = process.env.BENCH_PG_URL ?? 'postgres://root@127.0.0.1:5432/test';
const CONNECTIONS = [10, 100];
/** Cases the reads and exports take in turn (BENCH_API_READ_CASES, default 100). */
const READ_CASES = Number(process.env.BENCH_API_READ_CASES ?? 100);
/** API tokens the load takes in turn (BENCH_API_TOKENS, default 100). */
const TOKENS = Number(process.env.BENCH_API_TOKENS ?? 100);
const EVENT_BATCH = 5000;
const PROFILE_DIR = process.env.BENCH_API_PROFILE;
/** Which workloads to run: some of detail, list, change, export (default all). */
const ONLY = process.env.BENCH_API_WORKLOADS?.split(',').map((s) => s.trim());

/** Runs `f` under the V8 profiler when BENCH_API_PROFILE names a directory: where a request's time goes. */
async function profiled<T>(name: string, f: () => Promise<T>): Promise<T> {
  if (!PROFILE_DIR) return f();
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  try {
    return await f();
  } finally {
    const { profile } = await session.post('Profiler.stop');
    mkdirSync(PROFILE_DIR, { recursive: true });
    writeFileSync(path.join(PROFILE_DIR, `${name.replace(/[^a-z0-9]+/gi, '_')}.cpuprofile`), JSON.stringify(profile));
    session.disconnect();
  }
}

const cannonScript = fileURLToPath(new URL('./support/cannon.ts', import.meta.url));

interface Workload {
  key: 'detail' | 'list' | 'change' | 'export';
  name: string;
  method: 'GET' | 'PATCH';
  /** `:case` in it stands for each of `cases` in turn (and is a parameter of the bare route). */
  path: string;
  cases?: string[];
  /** `[<id>]` is replaced by a number per request, so every change changes something. */
  body?: string;
}

interface Load {
  rps: number;
  p50: number;
  p99: number;
  /** CPU time of this process (the server: every thread) per answered request, in µs. */
  cpu: number;
  non2xx: number;
  errors: number;
}

/** One autocannon run in its own process (bench/support/cannon.ts); its summary. */
function cannon(url: string, w: Workload, connections: number, tokens: string[]): Promise<Load> {
  const paths = (w.cases ?? ['']).map((id) => w.path.replace(':case', id));
  const spec = { url, paths, method: w.method, connections, seconds: SECONDS, tokens, body: w.body };
  const args = ['--import', 'tsx', cannonScript, JSON.stringify(spec)];
  return new Promise((resolve, reject) => {
    const cpu0 = process.cpuUsage();
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.stderr.on('data', (d) => {
      err += d;
    });
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`autocannon exited ${code}: ${err}`));
      const used = process.cpuUsage(cpu0);
      const r = JSON.parse(out) as {
        requests: { average: number; total: number };
        latency: { p50: number; p99: number };
        non2xx: number;
        errors: number;
      };
      const cpu = (used.user + used.system) / Math.max(1, r.requests.total);
      resolve({ rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, cpu, non2xx: r.non2xx, errors: r.errors });
    });
  });
}

async function openBenchStore(dialect: string): Promise<{ store: Store; cleanup(): Promise<void> }> {
  if (dialect === 'sqlite') {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'embargo-bench-api-'));
    // As `embargo serve` opens it: checkpoints on a worker thread.
    const store = await openStore({ dataDir, backgroundCheckpoints: true });
    return { store, cleanup: async () => rmSync(dataDir, { recursive: true, force: true }) };
  }
  const schema = `bench_api_${randomBytes(4).toString('hex')}`;
  // The pool size `embargo serve` would use (EMBARGO_DATABASE_POOL_SIZE, default 10).
  const poolSize = process.env.EMBARGO_DATABASE_POOL_SIZE ? Number(process.env.EMBARGO_DATABASE_POOL_SIZE) : undefined;
  const store = await openStore({ databaseUrl: PG_URL, schema, poolSize });
  return {
    store,
    async cleanup() {
      const admin = new pg.Client({ connectionString: PG_URL });
      await admin.connect();
      await admin.query(`drop schema if exists "${schema}" cascade`);
      await admin.end();
    },
  };
}

function median(xs: number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  const m = sorted.length >> 1;
  return sorted.length % 2 ? sorted[m]! : (sorted[m - 1]! + sorted[m]!) / 2;
}

/**
 * Cases written straight to the store, copies of `templateId` with ids of another year (the
 * sequence of this one goes on) and codenames drawn from the same word space as createCase's,
 * until `target` cases exist. Returns how many exist.
 */
async function bulkCases(store: Store, templateId: string, target: number): Promise<number> {
  const template = (await getCase(store.db, templateId))!;
  const taken = new Set((await store.db.selectFrom('cases').select('codename').execute()).map((r) => r.codename));
  let have = taken.size;
  let n = 0;
  while (have < target) {
    const batch: Case[] = [];
    while (batch.length < 1000 && have + batch.length < target) {
      const codename = codenameFrom(randomInt(CODENAME_SPACE));
      if (taken.has(codename)) continue;
      taken.add(codename);
      n += 1;
      batch.push({ ...template, id: `EMB-2025-${String(n).padStart(6, '0')}`, codename, title: `Bulk case ${n}` });
    }
    await store.write(async (tx) => {
      for (const c of batch) await insertCase(tx, c);
    });
    have += batch.length;
  }
  return have;
}

/** Each figure's median over the runs (for an odd count, the middle run's). */
function medianLoad(runs: Load[]): Load {
  const of = (key: keyof Load) => median(runs.map((r) => r[key]));
  return { rps: of('rps'), p50: of('p50'), p99: of('p99'), cpu: of('cpu'), non2xx: of('non2xx'), errors: of('errors') };
}

const ms = (x: number) => x.toFixed(1).padStart(7);
const rate = (x: number) => Math.round(x).toLocaleString('en').padStart(7);
const us = (x: number) => Math.round(x).toLocaleString('en').padStart(6);

async function benchDatabase(dialect: string): Promise<void> {
  const { store, cleanup } = await openBenchStore(dialect);
  try {
    const app = await createApp(store, configFromEnv({}));
    const admin = localActor('bench');
    await addUser(app, admin, { username: 'bench', password: 'bench password 123' });
    const project = (await listProjects(app, admin, { all: true }))[0]!;
    await putProjectMember(app, admin, project.id, 'bench', 'member');
    const issued = await createApiToken(app, admin, { name: 'bench', username: 'bench' });
    const actor = (await tokenActor(app, issued.token))!;
    // The load takes these in turn: a request's token is rarely the one before it's.
    const tokens = [issued.token];
    for (let i = 1; i < TOKENS; i++) tokens.push((await createApiToken(app, admin, { name: `bench ${i}`, username: 'bench' })).token);

    // Cases through the app layer, as a member opens them (each puts its opener on its access list).
    const ids: string[] = [];
    const took: number[] = [];
    const t0 = performance.now();
    for (let i = 0; i < CASES; i++) {
      const t = performance.now();
      const c = await createCase(app, actor, { title: `Bench case ${i}`, project: project.id });
      took.push(performance.now() - t);
      ids.push((c as { id: string }).id);
    }
    console.log(
      `${dialect}: ${CASES} cases through createCase in ${((performance.now() - t0) / 1000).toFixed(1)} s; ` +
        `median of the first 100: ${median(took.slice(0, 100)).toFixed(2)} ms a case, of the last 100: ${median(took.slice(-100)).toFixed(2)} ms`,
    );

    const count = async () => Number((await sql<{ n: string }>`select count(*) as n from events`.execute(store.db)).rows[0]!.n);
    const t1 = performance.now();
    let have = await count();
    const at = new Date();
    while (have < EVENTS) {
      const n = Math.min(EVENT_BATCH, EVENTS - have);
      const events = Array.from({ length: n }, (_, k) => caseRead(ids[(have + k) % ids.length]!, 'details'));
      await store.write((tx) => appendEvents(tx, { actor: 'bench', at, events }));
      have += n;
    }
    console.log(
      `${dialect}: ${have.toLocaleString('en')} events (topped up in batches in ${((performance.now() - t1) / 1000).toFixed(1)} s)`,
    );

    const server = await buildServer(app, { logger: false });
    await server.listen({ port: 0, host: '127.0.0.1' });
    const url = `http://127.0.0.1:${(server.server.address() as { port: number }).port}`;
    // The reads take READ_CASES cases from the middle in turn, as a team's people look at several.
    const read = ids.slice(ids.length >> 1).slice(0, READ_CASES);
    // An export needs the advisory's description, which the team writes during triage.
    for (const id of read) {
      await editCase(app, actor, id, { description: "Bench: a crafted HTTPProxy lets a tenant read another tenant's secrets." });
    }
    const workloads = (
      [
        { key: 'detail', name: 'GET /cases/:id', method: 'GET', path: '/api/v1/cases/:case', cases: read },
        { key: 'list', name: 'GET /cases', method: 'GET', path: '/api/v1/cases' },
        {
          key: 'change',
          name: 'PATCH /cases/:id',
          method: 'PATCH',
          path: `/api/v1/cases/${ids[1]}`,
          body: '{"title":"Bench change [<id>]"}',
        },
        { key: 'export', name: 'GET /cases/:id/export', method: 'GET', path: '/api/v1/cases/:case/export?format=md', cases: read },
      ] satisfies Workload[]
    ).filter((w) => !ONLY || ONLY.includes(w.key));

    // The bare baseline: the same status, type and bytes each workload answers, from a route that does nothing else.
    const bare = Fastify({ logger: false });
    for (const w of workloads) {
      const res = await fetch(url + w.path.replace(':case', w.cases?.[0] ?? ''), {
        method: w.method,
        headers: { authorization: `Bearer ${issued.token}`, ...(w.body ? { 'content-type': 'application/json' } : {}) },
        ...(w.body ? { body: w.body.replace('[<id>]', 'sample') } : {}),
      });
      if (!res.ok) throw new Error(`${w.name} answered ${res.status}: ${await res.text()}`);
      const bytes = Buffer.from(await res.arrayBuffer());
      const type = res.headers.get('content-type') ?? 'application/json';
      bare.route({ method: w.method, url: w.path.split('?')[0]!, handler: (_req, reply) => reply.type(type).send(bytes) });
    }
    await bare.listen({ port: 0, host: '127.0.0.1' });
    const bareUrl = `http://127.0.0.1:${(bare.server.address() as { port: number }).port}`;

    console.log(
      `\n${dialect}: ${SECONDS} s a run, ${RUNS} run${RUNS === 1 ? '' : 's'} a cell (Embargo and bare in turn), medians; ` +
        "rps = requests a second, latency in ms, cpu = µs of this process's CPU time (all threads) per request",
    );
    console.log('workload                 conns  Embargo rps     p50     p99    cpu |  bare rps     p50     p99    cpu | ratio  failed');
    for (const w of workloads) {
      for (const c of CONNECTIONS) {
        const es: Load[] = [];
        const bs: Load[] = [];
        for (let r = 0; r < RUNS; r++) {
          es.push(await profiled(`${dialect}-${w.name}-${c}${RUNS > 1 ? `-${r + 1}` : ''}`, () => cannon(url, w, c, tokens)));
          bs.push(await cannon(bareUrl, w, c, tokens));
        }
        const e = medianLoad(es);
        const b = medianLoad(bs);
        const failed = es.reduce((n, x) => n + x.non2xx + x.errors, 0);
        console.log(
          `${w.name.padEnd(24)} ${String(c).padStart(5)}  ${rate(e.rps)}     ${ms(e.p50)} ${ms(e.p99)} ${us(e.cpu)} | ${rate(b.rps)} ${ms(b.p50)} ${ms(b.p99)} ${us(b.cpu)} | ` +
            `${(b.rps / e.rps).toFixed(1).padStart(5)}x ${String(failed).padStart(6)}` +
            (RUNS > 1 ? `   (rps/p99 of each run: ${es.map((x) => `${Math.round(x.rps)}/${x.p99}`).join(', ')})` : ''),
        );
      }
    }
    await bare.close();
    await server.close();

    if (CREATE_AT > CASES) {
      // Creating a case at many more cases: bulk rows (same word space for codenames) up to
      // CREATE_AT, then 100 more through createCase, against the first 100 of the seeding.
      const t3 = performance.now();
      const total = await bulkCases(store, ids[0]!, CREATE_AT);
      const bulkS = (performance.now() - t3) / 1000;
      const later: number[] = [];
      for (let i = 0; i < 100; i++) {
        const t = performance.now();
        await createCase(app, actor, { title: `Bench case at ${total + i}`, project: project.id });
        later.push(performance.now() - t);
      }
      const first = median(took.slice(0, 100));
      const at = median(later);
      console.log(
        `\n${dialect}: creating a case: median ${first.toFixed(2)} ms at 0-100 cases, ${at.toFixed(2)} ms at ` +
          `${total.toLocaleString('en')} cases (${(at / first).toFixed(2)}x; ${(total - CASES).toLocaleString('en')} bulk rows added in ${bulkS.toFixed(1)} s)`,
      );
    }

    const events = await count();
    const t2 = performance.now();
    const verified = await verifyChain(store.db);
    const verifyMs = performance.now() - t2;
    console.log(
      `\n${dialect}: audit verify ${verified.ok ? 'ok' : 'BROKEN'}: ${events.toLocaleString('en')} events in ${(verifyMs / 1000).toFixed(1)} s ` +
        `(${((verifyMs / 1000) * (1_000_000 / events)).toFixed(1)} s per million)\n`,
    );
  } finally {
    await store.close();
    await cleanup();
  }
}

console.log(
  `api: ${CASES.toLocaleString('en')} cases, ${EVENTS.toLocaleString('en')} events, ${SECONDS} s runs, load from autocannon in a second process\n`,
);
for (const d of DATABASES) await benchDatabase(d);
