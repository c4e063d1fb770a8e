/**
 * The job queue's contract on SQLite and PostgreSQL: a key queues once, a claim is exclusive, a
 * failure comes back after its backoff, a dead worker's lease is claimed again and its stale token
 * records nothing, released jobs go back, a periodic slot runs once.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runDueJobs, PermanentJobError, schedulePeriodic } from '../../src/app/job-queue.js';
import { claimJobs, completeJob, countJobs, enqueueJobs, failJob, getJobByKey, releaseJobs } from '../../src/store/jobs.js';
import type { Store } from '../../src/store/store.js';
import { storeFactories } from '../support/databases.js';

const T0 = new Date('2026-12-04T10:00:00Z');
const at = (s: number) => new Date(T0.getTime() + s * 1000);

describe.each(storeFactories())('job queue ($name)', ({ open, reopen }) => {
  let store: Store;
  beforeEach(async () => {
    store = await open();
  });
  afterEach(() => store.close());

  const queue = (keys: string[], runAt = T0) =>
    store.write((tx) =>
      enqueueJobs(
        tx,
        keys.map((k) => ({ kind: 'k', payload: { k }, idempotencyKey: k, runAt, maxAttempts: 3 })),
        T0,
      ),
    );

  it('queues a key once, and claims each job by one worker only', async () => {
    expect(await queue(['a', 'b', 'c'])).toBe(3);
    expect(await queue(['a', 'd'])).toBe(1);
    const other = await reopen(store);
    try {
      const claim = (s: Store, workerId: string) => claimJobs(s, { workerId, now: T0, leaseMs: 60_000, limit: 3 });
      // PostgreSQL: at the same time (SKIP LOCKED). SQLite has one writer; two connections in one
      // process would only wait on each other's busy timeout, so one after the other.
      const [x, y] =
        store.dialect === 'postgres'
          ? await Promise.all([claim(store, 'w1'), claim(other, 'w2')])
          : [await claim(store, 'w1'), await claim(other, 'w2')];
      const ids = [...x, ...y].map((j) => j.idempotencyKey).sort();
      expect(ids).toEqual(['a', 'b', 'c', 'd']);
    } finally {
      await other.close();
    }
  });

  it('retries after the backoff, takes a dead worker lease back, and ignores the stale token', async () => {
    await queue(['a']);
    const [first] = await claimJobs(store, { workerId: 'w1', now: T0, leaseMs: 60_000, limit: 1 });
    expect(await failJob(store, first!, { error: '503', retryAt: at(30), at: T0 })).toBe(true);
    expect(await claimJobs(store, { workerId: 'w1', now: at(29), leaseMs: 60_000, limit: 1 })).toEqual([]);
    const [second] = await claimJobs(store, { workerId: 'w1', now: at(30), leaseMs: 60_000, limit: 1 });
    expect(second?.attempts).toBe(2);
    // w1 dies; after its lease w2 takes the job; w1's late outcome changes nothing.
    expect(await claimJobs(store, { workerId: 'w2', now: at(89), leaseMs: 60_000, limit: 1 })).toEqual([]);
    const [third] = await claimJobs(store, { workerId: 'w2', now: at(91), leaseMs: 60_000, limit: 1 });
    expect(third?.attempts).toBe(3);
    expect(await completeJob(store, second!, at(92))).toBe(false);
    expect(await completeJob(store, third!, at(92))).toBe(true);
    expect((await getJobByKey(store.db, 'a'))?.status).toBe('done');
  });

  it('runs handlers with backoff to failure, and hands back what a stopping worker did not start', async () => {
    await queue(['ok', 'flaky', 'bad']);
    let now = T0;
    const handlers = {
      k: async (payload: unknown) => {
        const k = (payload as { k: string }).k;
        if (k === 'flaky') throw new Error('temporarily down');
        if (k === 'bad') throw new PermanentJobError('refused');
      },
    };
    const run = () => runDueJobs({ store, handlers, clock: () => now, baseBackoffMs: 10_000, concurrency: 1 });
    expect(await run()).toEqual({ done: 1, retrying: 1, failed: 1, released: 0 });
    now = at(10);
    expect(await run()).toMatchObject({ retrying: 1 });
    now = at(30);
    expect(await run()).toMatchObject({ failed: 1 });
    expect(await countJobs(store.db)).toEqual({ queued: 0, running: 0, done: 1, failed: 2 });
    expect((await getJobByKey(store.db, 'flaky'))?.lastError).toBe('temporarily down (gave up after 3 attempts)');

    await queue(['x', 'y']);
    const claimed = await claimJobs(store, { workerId: 'w', now: at(30), leaseMs: 60_000, limit: 2 });
    await releaseJobs(store, claimed);
    expect((await getJobByKey(store.db, 'x'))?.status).toBe('queued');
    expect((await getJobByKey(store.db, 'x'))?.attempts).toBe(0);
    const stopping = await runDueJobs({ store, handlers, clock: () => at(30), stopping: () => true });
    expect(stopping.released).toBe(2);
  });

  it('queues a periodic slot once, however many instances ask', async () => {
    for (let i = 0; i < 3; i++) await schedulePeriodic(store, 'sweep', 60_000, at(i));
    await schedulePeriodic(store, 'sweep', 60_000, at(61));
    expect((await countJobs(store.db, 'sweep')).queued).toBe(2);
  });
});
