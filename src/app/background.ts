/**
 * The background work of an instance, as the job runner (src/jobs/runner.ts) takes it: handlers by
 * job kind, the periodic jobs and their period, and the outbox pass every instance runs each tick.
 */
import type { MailTransport } from '../integrations/mail/transport.js';
import { listCases } from '../store/cases.js';
import { SCOPES, type Actor } from './actor.js';
import type { App } from './app.js';
import { syncAdvisory } from './github/advisory.js';
import type { JobHandler } from './job-queue.js';
import { fanOutEvents, sweepClocks } from './notification-sources.js';
import { WEBHOOK_JOB, webhookHandler } from './notifications.js';
import { deliverDueMessages } from './outbox-delivery.js';

export const FAN_OUT_JOB = 'notifications.fan-out';
export const CLOCK_SWEEP_JOB = 'clocks.sweep';
export const ADVISORY_SYNC_JOB = 'advisory.sync';

/** Who the background work is in the audit log. */
const WORKER: Actor = { kind: 'local', userId: null, name: 'worker:advisory-sync', role: 'admin', scopes: SCOPES };

/**
 * Every open case with a GitHub advisory is read with its ETag (a 304 costs nothing and changes
 * nothing); a CVE id GitHub assigned lands on the case as `advisory.cve_assigned`, which the
 * fan-out turns into a notification. A case whose project has no connection is skipped.
 */
export async function syncOpenAdvisories(app: App): Promise<{ synced: number; skipped: number }> {
  const cases = await app.store.read((db) => listCases(db, { limit: 100_000 }));
  let synced = 0;
  let skipped = 0;
  for (const c of cases) {
    if (c.resolution || c.publishedAt || !c.ghsaId) continue;
    try {
      await syncAdvisory(app, WORKER, c.id);
      synced += 1;
    } catch {
      // No connection, or GitHub refused: the next slot tries again; `advisory sync` says why.
      skipped += 1;
    }
  }
  return { synced, skipped };
}

export interface BackgroundWork {
  handlers: Record<string, JobHandler>;
  periodic: { kind: string; everyMs: number }[];
  eachTick?: () => Promise<number>;
}

export function backgroundWork(
  app: App,
  opts: {
    transport: MailTransport | null;
    workerId: string;
    fanOutMs?: number;
    sweepMs?: number;
    syncMs?: number;
    /** How long an outbox claim lasts (default 10 minutes); a notification mail is resent after it. */
    outboxLeaseMs?: number;
  },
): BackgroundWork {
  const transport = opts.transport;
  return {
    handlers: {
      [WEBHOOK_JOB]: webhookHandler(app),
      [FAN_OUT_JOB]: async () => {
        // Drain what accumulated since the last slot.
        while ((await fanOutEvents(app)) === 500) {}
      },
      [CLOCK_SWEEP_JOB]: async () => {
        await sweepClocks(app);
      },
      [ADVISORY_SYNC_JOB]: async () => {
        await syncOpenAdvisories(app);
      },
    },
    periodic: [
      { kind: FAN_OUT_JOB, everyMs: opts.fanOutMs ?? 10_000 },
      { kind: CLOCK_SWEEP_JOB, everyMs: opts.sweepMs ?? 60_000 },
      { kind: ADVISORY_SYNC_JOB, everyMs: opts.syncMs ?? 15 * 60_000 },
    ],
    ...(transport
      ? {
          eachTick: async () => {
            const r = await deliverDueMessages({
              store: app.store,
              transport,
              workerId: opts.workerId,
              clock: app.clock,
              batchSize: 25,
              ...(opts.outboxLeaseMs ? { leaseMs: opts.outboxLeaseMs } : {}),
            });
            return r.sent + r.retrying + r.failed;
          },
        }
      : {}),
  };
}
