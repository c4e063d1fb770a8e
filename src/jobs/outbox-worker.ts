/**
 * The outbox worker: runs a delivery pass (src/app/outbox-delivery.ts) every few seconds until it is
 * stopped. See that module for the at-most-once rules of one pass.
 */
import { deliverDueMessages, deliverySettings, type OutboxWorkerOptions } from '../app/outbox-delivery.js';

export interface RunningWorker {
  /** Resolves once the current pass (if any) has finished. */
  stop(): Promise<void>;
}

/** Runs a pass every `intervalMs` (default 5 s) until stopped. A failing pass is reported and retried. */
export function startOutboxWorker(opts: OutboxWorkerOptions & { intervalMs?: number; onError?: (err: unknown) => void }): RunningWorker {
  const interval = opts.intervalMs ?? 5_000;
  const fixed = { ...opts, workerId: opts.workerId ?? deliverySettings(opts).workerId };
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let current: Promise<unknown> = Promise.resolve();
  const tick = () => {
    current = deliverDueMessages(fixed)
      .catch((err) => (opts.onError ?? ((e) => console.error(`embargo: outbox worker: ${(e as Error).message}`)))(err))
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, interval);
      });
  };
  tick();
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await current;
    },
  };
}
