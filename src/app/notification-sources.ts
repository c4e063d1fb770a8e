/**
 * Where notifications come from: (1) the event log, read past a cursor — a new report, a reporter's
 * reply, a distributor's objection, a CVE id assigned on GitHub; (2) the clocks of open cases, read
 * now — a clock at risk or overdue, the embargo reached. Both run as periodic jobs (one instance per
 * slot) and queue under the writer lock, so the cursor and the queue move together.
 */
import type { Kysely } from 'kysely';
import type { Case } from '../domain/case/types.js';
import type { Notification } from '../domain/notifications/index.js';
import { getCase, listCases } from '../store/cases.js';
import { listEvents, type StoredEvent } from '../store/events.js';
import { readCursor, writeCursor } from '../store/jobs.js';
import type { Database } from '../store/schema.js';
import type { App } from './app.js';
import { clocksOf } from './clocks.js';
import { caseLink, queueNotification } from './notifications.js';
import { playbookOf } from './projects.js';

export const EVENTS_CURSOR = 'notifications';

function fromEvent(e: StoredEvent): Pick<Notification, 'kind' | 'source'> | null {
  switch (e.action) {
    case 'report.received':
      return { kind: 'new-report', source: (e.details as { source?: string }).source ?? 'form' };
    case 'advisory.imported':
      return { kind: 'new-report', source: 'github' };
    case 'reporter.replied':
      return { kind: 'reporter-reply' };
    case 'distributor.objected':
      return { kind: 'distributor-objection' };
    case 'advisory.cve_assigned':
      return { kind: 'cve-assigned' };
    case 'advisory.synced': {
      // A sync that found a CVE id on GitHub (assigned there, or corrected).
      const changed = (e.details as { changed?: Record<string, unknown> }).changed;
      return changed?.cveId ? { kind: 'cve-assigned' } : null;
    }
    default:
      return null;
  }
}

async function tell(app: App, tx: Kysely<Database>, c: Case, n: Omit<Notification, 'caseId' | 'codename' | 'link'>): Promise<number> {
  const pb = await playbookOf(app, tx, c);
  return queueNotification(app, tx, pb, { ...n, caseId: c.id, codename: c.codename, link: caseLink(app, c.id) } as Notification);
}

/** Reads up to `limit` events past the cursor and queues their notifications. Returns the events read. */
export async function fanOutEvents(app: App, limit = 500): Promise<number> {
  return app.store.write(async (tx) => {
    const cursor = Number((await readCursor(tx, EVENTS_CURSOR)) ?? 0);
    const events = await listEvents(tx, { afterSeq: cursor, limit });
    for (const e of events) {
      const what = fromEvent(e);
      if (!what || !e.caseId) continue;
      const c = await getCase(tx, e.caseId);
      if (c) await tell(app, tx, c, { ...what, key: `event:${e.id}` });
    }
    const last = events.at(-1);
    if (last) await writeCursor(tx, EVENTS_CURSOR, String(last.seq));
    return events.length;
  });
}

/**
 * Reads the clocks of every open case now and queues what is at risk, overdue or reached. The
 * clocks are read outside the writer lock; only the queueing (usually nothing: each key queues once)
 * takes it.
 */
export async function sweepClocks(app: App): Promise<number> {
  const now = app.clock();
  const found = await app.store.read(async (db) => {
    const out: { c: Case; n: Omit<Notification, 'caseId' | 'codename' | 'link'> }[] = [];
    const cases = (await listCases(db, { limit: 100_000 })).filter((c) => !c.resolution);
    for (const c of cases) {
      const { clocks } = await clocksOf(app, db, c, now);
      const embargoEnds = new Set((await playbookOf(app, db, c)).clocks.filter((d) => 'embargoEnd' in d.due).map((d) => d.id));
      for (const k of clocks) {
        if (k.status !== 'at-risk' && k.status !== 'overdue') continue;
        if (embargoEnds.has(k.id) && k.status === 'overdue' && c.embargo) {
          const unreleased = c.releasePlan.filter((l) => !l.releasedAt).map((l) => l.line);
          out.push({ c, n: { kind: 'embargo-reached', key: `embargo:${c.id}:${c.embargo.endsAt}`, unreleased } });
          continue;
        }
        out.push({
          c,
          n: {
            kind: k.status === 'at-risk' ? 'clock-at-risk' : 'clock-overdue',
            key: `clock:${c.id}:${k.id}:${k.dueAt}:${k.status}`,
            clock: { id: k.id, title: k.title, dueLocal: k.dueLocal },
          },
        });
      }
    }
    return out;
  });
  if (found.length === 0) return 0;
  return app.store.write(async (tx) => {
    let queued = 0;
    for (const { c, n } of found) queued += await tell(app, tx, c, n);
    return queued;
  });
}
