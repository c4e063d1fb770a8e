/**
 * The background worker every server instance runs: it queues this slot's periodic jobs, runs the
 * outbox delivery pass (safe in several processes at once: rows are claimed one by one), and then
 * runs due jobs until none is left, every `intervalMs`. `stop()` lets the running jobs finish and
 * hands the claimed-but-unstarted ones back, so a graceful stop loses and doubles nothing.
 */
import { type JobHandler, type JobPassReport, type JobRunOptions, newWorkerId, runDueJobs, schedulePeriodic } from '../app/job-queue.js';

export interface RunningJobRunner {
  stop(): Promise<void>;
  /** Totals since the start. */
  readonly totals: JobPassReport;
}

export interface JobRunnerOptions {
  store: JobRunOptions['store'];
  handlers: Readonly<Record<string, JobHandler>>;
  /** Periodic jobs: a kind (with its handler) and how often it runs across all instances. */
  periodic?: readonly { kind: string; everyMs: number }[];
  /** Runs on every round of this instance (the outbox pass); returns how much it did (0: idle). */
  eachTick?: () => Promise<number>;
  workerId?: string;
  clock?: () => Date;
  intervalMs?: number;
  leaseMs?: number;
  batchSize?: number;
  concurrency?: number;
  baseBackoffMs?: number;
  maxBackoffMs?: number;
  onError?: (err: unknown) => void;
}

export function startJobRunner(opts: JobRunnerOptions): RunningJobRunner {
  const workerId = opts.workerId ?? newWorkerId();
  const clock = opts.clock ?? (() => new Date());
  const report = opts.onError ?? ((e: unknown) => console.error(`embargo: job runner: ${(e as Error).message}`));
  const totals: JobPassReport = { done: 0, retrying: 0, failed: 0, released: 0 };
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let current: Promise<void> = Promise.resolve();

  const tick = async () => {
    for (const p of opts.periodic ?? []) await schedulePeriodic(opts.store, p.kind, p.everyMs, clock());
    // Drain: until neither the outbox pass nor the queue finds anything.
    for (;;) {
      if (stopped) return;
      const mailed = opts.eachTick ? await opts.eachTick() : 0;
      if (stopped) return;
      const r = await runDueJobs({
        ...opts,
        workerId,
        clock,
        stopping: () => stopped,
        onError: (_job, err) => {
          if (process.env.EMBARGO_JOB_DEBUG) report(err);
        },
      });
      totals.done += r.done;
      totals.retrying += r.retrying;
      totals.failed += r.failed;
      totals.released += r.released;
      if (mailed + r.done + r.retrying + r.failed + r.released === 0) return;
    }
  };
  const loop = () => {
    current = tick()
      .catch(report)
      .finally(() => {
        if (!stopped) timer = setTimeout(loop, opts.intervalMs ?? 2_000);
      });
  };
  loop();
  return {
    totals,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await current;
    },
  };
}
