/**
 * The durable job queue: reminders, syncs and notification deliveries, in the store both databases
 * share. States:
 *
 *   queued ──claim──▶ running ──complete──▶ done
 *     ▲                 │ └──fail (attempts left)──▶ queued (run_at later: backoff)
 *     │                 └──fail (out of attempts / permanent)──▶ failed
 *     └──lease ran out (the worker died)── running
 *
 * Claims are short transactions of their own. On PostgreSQL they lock the rows `FOR UPDATE SKIP
 * LOCKED` and do NOT take the audit chain's writer lock: jobs write no audit events, and N instances
 * claim side by side, each row by exactly one of them. On SQLite the claim runs inside `store.write`
 * (SQLite has one writer anyway). Each claim carries a fresh attempt token; only its holder can
 * complete or fail the job, so a worker that was merely slow cannot overwrite a newer attempt.
 *
 * Delivery is at least once: a job whose worker died is claimed again when its lease runs out. A
 * handler that talks to the outside world sends the job's id as its delivery id (Message-ID,
 * X-Embargo-Delivery), so a receiver can drop the one repeat a crash mid-send may cause. See
 * docs/notifications.md ("Why a queue of our own").
 */
import { randomUUID } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import { sql } from 'kysely';
import { hasNul, rowLimit, toCount } from './portable-sql.js';
import type { Database, JobStatus, JobsTable } from './schema.js';
import type { Store } from './store.js';

export type { JobStatus } from './schema.js';

export interface Job {
  id: string;
  kind: string;
  payload: unknown;
  idempotencyKey: string;
  status: JobStatus;
  attempts: number;
  maxAttempts: number;
  runAt: string;
  lastError: string | null;
  createdAt: string;
  finishedAt: string | null;
}

export interface ClaimedJob extends Job {
  attemptToken: string;
}

export interface NewJob {
  kind: string;
  payload: unknown;
  /** Unique per logical job; a second enqueue with the same key is a no-op. */
  idempotencyKey: string;
  runAt?: Date;
  maxAttempts?: number;
}

type Row = Selectable<JobsTable>;

const present = (r: Row): Job => ({
  id: r.id,
  kind: r.kind,
  payload: JSON.parse(r.payload) as unknown,
  idempotencyKey: r.idempotency_key,
  status: r.status,
  attempts: Number(r.attempts),
  maxAttempts: Number(r.max_attempts),
  runAt: r.run_at,
  lastError: r.last_error,
  createdAt: r.created_at,
  finishedAt: r.finished_at,
});

/**
 * Queues jobs (in the caller's transaction, so a rolled-back change queues nothing). Keys already
 * queued are skipped; returns how many were new.
 */
export async function enqueueJobs(db: Kysely<Database>, jobs: readonly NewJob[], now: Date): Promise<number> {
  let created = 0;
  // Chunks keep each INSERT under SQLite's bound-parameter limit.
  for (let i = 0; i < jobs.length; i += 500) {
    const rows = jobs.slice(i, i + 500).map((j) => ({
      id: randomUUID(),
      kind: j.kind,
      payload: JSON.stringify(j.payload ?? null),
      idempotency_key: j.idempotencyKey,
      status: 'queued' as const,
      attempts: 0,
      max_attempts: j.maxAttempts ?? 8,
      run_at: (j.runAt ?? now).toISOString(),
      attempt_token: null,
      claimed_by: null,
      claimed_until: null,
      last_error: null,
      created_at: now.toISOString(),
      finished_at: null,
    }));
    const res = await db
      .insertInto('jobs')
      .values(rows)
      .onConflict((oc) => oc.column('idempotency_key').doNothing())
      .executeTakeFirst();
    created += Number(res.numInsertedOrUpdatedRows ?? 0);
  }
  return created;
}

/**
 * Claims up to `limit` due jobs: queued ones whose time has come, and running ones whose lease ran
 * out (their worker died). Committed before the caller runs them.
 */
export async function claimJobs(
  store: Store,
  opts: { workerId: string; now: Date; leaseMs: number; limit: number; kinds?: readonly string[] },
): Promise<ClaimedJob[]> {
  const now = opts.now.toISOString();
  const until = new Date(opts.now.getTime() + opts.leaseMs).toISOString();
  const claim = async (tx: Kysely<Database>): Promise<ClaimedJob[]> => {
    let q = tx
      .selectFrom('jobs')
      .selectAll()
      .where((eb) =>
        eb.or([
          eb.and([eb('status', '=', 'queued'), eb('run_at', '<=', now)]),
          eb.and([eb('status', '=', 'running'), eb('claimed_until', '<', now)]),
        ]),
      )
      .orderBy('run_at')
      .orderBy('id')
      .limit(rowLimit(opts.limit));
    if (opts.kinds) q = q.where('kind', 'in', [...opts.kinds]);
    if (store.dialect === 'postgres') q = q.forUpdate().skipLocked();
    const rows = await q.execute();
    const claimed: ClaimedJob[] = [];
    for (const r of rows) {
      const token = randomUUID();
      const res = await tx
        .updateTable('jobs')
        .set({
          status: 'running',
          attempts: sql<number>`attempts + 1`,
          attempt_token: token,
          claimed_by: opts.workerId,
          claimed_until: until,
        })
        .where('id', '=', r.id)
        .where('status', '=', r.status)
        .executeTakeFirst();
      if (Number(res.numUpdatedRows) !== 1) continue;
      claimed.push({ ...present({ ...r, status: 'running', attempts: Number(r.attempts) + 1 }), attemptToken: token });
    }
    return claimed;
  };
  if (opts.kinds && opts.kinds.length === 0) return [];
  return store.dialect === 'postgres' ? store.db.transaction().execute(claim) : store.write(claim);
}

/** The handle to record an outcome with: the root handle on PostgreSQL, a write on SQLite. */
function recordWith<T>(store: Store, fn: (db: Kysely<Database>) => Promise<T>): Promise<T> {
  return store.dialect === 'postgres' ? fn(store.db) : store.write(fn);
}

/** Done. False when the claim was lost (the lease ran out and another worker took it). */
export async function completeJob(store: Store, job: ClaimedJob, at: Date): Promise<boolean> {
  return recordWith(store, async (db) => {
    const res = await db
      .updateTable('jobs')
      .set({ status: 'done', finished_at: at.toISOString(), attempt_token: null, claimed_by: null, claimed_until: null, last_error: null })
      .where('id', '=', job.id)
      .where('attempt_token', '=', job.attemptToken)
      .where('status', '=', 'running')
      .executeTakeFirst();
    return Number(res.numUpdatedRows) === 1;
  });
}

/** A failed attempt: queued again at `retryAt`, or `failed` for good when retryAt is null. */
export async function failJob(store: Store, job: ClaimedJob, outcome: { error: string; retryAt: Date | null; at: Date }): Promise<boolean> {
  return recordWith(store, async (db) => {
    const res = await db
      .updateTable('jobs')
      .set({
        status: outcome.retryAt ? 'queued' : 'failed',
        run_at: outcome.retryAt ? outcome.retryAt.toISOString() : sql<string>`run_at`,
        finished_at: outcome.retryAt ? null : outcome.at.toISOString(),
        last_error: outcome.error.slice(0, 2000),
        attempt_token: null,
        claimed_by: null,
        claimed_until: null,
      })
      .where('id', '=', job.id)
      .where('attempt_token', '=', job.attemptToken)
      .where('status', '=', 'running')
      .executeTakeFirst();
    return Number(res.numUpdatedRows) === 1;
  });
}

/** Hands claimed jobs that were not started back (a worker stopping): queued now, the attempt not counted. */
export async function releaseJobs(store: Store, jobs: readonly ClaimedJob[]): Promise<void> {
  if (jobs.length === 0) return;
  await recordWith(store, async (db) => {
    for (const job of jobs) {
      await db
        .updateTable('jobs')
        .set({ status: 'queued', attempts: sql<number>`attempts - 1`, attempt_token: null, claimed_by: null, claimed_until: null })
        .where('id', '=', job.id)
        .where('attempt_token', '=', job.attemptToken)
        .where('status', '=', 'running')
        .execute();
    }
  });
}

export async function getJobByKey(db: Kysely<Database>, key: string): Promise<Job | null> {
  if (hasNul(key)) return null;
  const r = await db.selectFrom('jobs').selectAll().where('idempotency_key', '=', key).executeTakeFirst();
  return r ? present(r) : null;
}

export async function listJobs(db: Kysely<Database>, filter: { kind?: string; status?: JobStatus[] } = {}): Promise<Job[]> {
  let q = db.selectFrom('jobs').selectAll();
  if (filter.kind !== undefined) q = q.where('kind', '=', filter.kind);
  if (filter.status && filter.status.length > 0) q = q.where('status', 'in', filter.status);
  return (await q.orderBy('created_at').orderBy('id').execute()).map(present);
}

/** Jobs per status (for `embargo jobs` and the tests). */
export async function countJobs(db: Kysely<Database>, kind?: string): Promise<Record<JobStatus, number>> {
  let q = db.selectFrom('jobs').select(['status', (eb) => eb.fn.countAll().as('n')]);
  if (kind !== undefined) q = q.where('kind', '=', kind);
  const rows = await q.groupBy('status').execute();
  const out: Record<JobStatus, number> = { queued: 0, running: 0, done: 0, failed: 0 };
  for (const r of rows) out[r.status] = toCount(r.n);
  return out;
}

/** A named position of a background pass (the last event seq the notification fan-out read). */
export async function readCursor(db: Kysely<Database>, name: string): Promise<string | null> {
  const r = await db.selectFrom('job_cursors').select('value').where('name', '=', name).executeTakeFirst();
  return r?.value ?? null;
}

export async function writeCursor(db: Kysely<Database>, name: string, value: string): Promise<void> {
  await db
    .insertInto('job_cursors')
    .values({ name, value })
    .onConflict((oc) => oc.column('name').doUpdateSet({ value }))
    .execute();
}
