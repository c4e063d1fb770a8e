/**
 * Running the job queue (src/store/jobs.ts): one pass claims due jobs, runs each with the handler of
 * its kind and records the outcome — done, retried with exponential backoff, or failed for good.
 * Periodic work (the reminders sweep, the notification fan-out, the advisory sync) is queued as a job
 * per time slot with the slot in its key, so whatever number of instances run, each slot runs once.
 */
import { randomUUID } from 'node:crypto';
import { type ClaimedJob, claimJobs, completeJob, enqueueJobs, failJob, releaseJobs } from '../store/jobs.js';
import type { Store } from '../store/store.js';
import { backoffMs } from './outbox-delivery.js';

/** Runs one job. Throw a PermanentJobError for what no retry will fix; any other error is retried. */
export type JobHandler = (payload: unknown, job: ClaimedJob) => Promise<void>;

export class PermanentJobError extends Error {}

export interface JobRunOptions {
  store: Store;
  handlers: Readonly<Record<string, JobHandler>>;
  workerId?: string;
  clock?: () => Date;
  /** How long a claim lasts before another worker may take the job. Default 2 minutes. */
  leaseMs?: number;
  /** Jobs claimed per claim. Default 20. */
  batchSize?: number;
  /** Jobs of one batch run at once. Default 4. */
  concurrency?: number;
  /** First retry delay, doubling up to maxBackoffMs. Default 30 s / 1 hour. */
  baseBackoffMs?: number;
  maxBackoffMs?: number;
  /** Checked before each job starts: claimed jobs not yet started are handed back. */
  stopping?: () => boolean;
  onError?: (job: ClaimedJob, err: unknown) => void;
}

export interface JobPassReport {
  done: number;
  retrying: number;
  failed: number;
  /** Claimed but handed back because the worker is stopping. */
  released: number;
}

export const newWorkerId = () => `${process.pid}-${randomUUID().slice(0, 8)}`;

async function runOne(opts: JobRunOptions, job: ClaimedJob, clock: () => Date, report: JobPassReport): Promise<void> {
  const handler = opts.handlers[job.kind];
  try {
    if (!handler) throw new PermanentJobError(`no handler for jobs of kind ${job.kind}`);
    await handler(job.payload, job);
    await completeJob(opts.store, job, clock());
    report.done += 1;
  } catch (err) {
    opts.onError?.(job, err);
    const permanent = err instanceof PermanentJobError;
    const retry = !permanent && job.attempts < job.maxAttempts;
    const at = clock();
    const retryAt = retry
      ? new Date(at.getTime() + backoffMs(job.attempts, opts.baseBackoffMs ?? 30_000, opts.maxBackoffMs ?? 3_600_000))
      : null;
    const message = err instanceof Error ? err.message : String(err);
    await failJob(opts.store, job, { error: retry ? message : `${message} (gave up after ${job.attempts} attempts)`, retryAt, at });
    if (retry) report.retrying += 1;
    else report.failed += 1;
  }
}

/** One claim and its jobs. Safe to run from any number of processes at once. */
export async function runDueJobs(opts: JobRunOptions & { kinds?: readonly string[] }): Promise<JobPassReport> {
  const clock = opts.clock ?? (() => new Date());
  const report: JobPassReport = { done: 0, retrying: 0, failed: 0, released: 0 };
  const claimed = await claimJobs(opts.store, {
    workerId: opts.workerId ?? newWorkerId(),
    now: clock(),
    leaseMs: opts.leaseMs ?? 120_000,
    limit: opts.batchSize ?? 20,
    kinds: opts.kinds ?? Object.keys(opts.handlers),
  });
  const waiting = [...claimed];
  const lane = async () => {
    for (;;) {
      if (opts.stopping?.()) return;
      const job = waiting.shift();
      if (!job) return;
      await runOne(opts, job, clock, report);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, opts.concurrency ?? 4) }, lane));
  if (waiting.length > 0) {
    await releaseJobs(opts.store, waiting);
    report.released = waiting.length;
  }
  return report;
}

/** Queues this slot's run of a periodic job (a no-op when another instance already did). */
export async function schedulePeriodic(store: Store, kind: string, everyMs: number, now: Date): Promise<void> {
  const slot = Math.floor(now.getTime() / everyMs);
  const at = new Date(slot * everyMs);
  const queue = (db: Parameters<typeof enqueueJobs>[0]) =>
    enqueueJobs(
      db,
      [{ kind, payload: { slot: at.toISOString() }, idempotencyKey: `periodic:${kind}:${at.toISOString()}`, maxAttempts: 1 }],
      now,
    );
  await (store.dialect === 'postgres' ? queue(store.db) : store.write(queue));
}
