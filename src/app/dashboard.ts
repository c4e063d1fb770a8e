/**
 * The team's dashboard: every case the viewer may see with what it needs next — its severity, the
 * current step and what blocks it. That is embargoed detail, so the whole read is one audited
 * `case.read` event naming the cases shown (one event, not one per case: the dashboard is read often).
 */
import { event } from '../domain/events.js';
import type { Case } from '../domain/case/index.js';
import { stepViews } from '../domain/playbook/index.js';
import { isCvssVector, scoreCvss } from '../domain/severity/index.js';
import type { Kysely } from 'kysely';
import { listCases } from '../store/cases.js';
import { appendEvents, reportSources } from '../store/events.js';
import { replyTotals } from '../store/portal.js';
import type { Database } from '../store/schema.js';
import { clocksOf } from './clocks.js';
import { acksOf } from './who-knows.js';
import { requireScope, type Actor } from './actor.js';
import type { App } from './app.js';

/** The most cases one dashboard shows; more says `truncated`. */
export const DASHBOARD_MAX = 2000;

export interface DashboardCase {
  id: string;
  title: string;
  codename: string;
  project: string;
  status: string;
  embargo: Case['embargo'];
  updatedAt: string;
  createdAt: string;
  cveId: string | null;
  ghsaId: string | null;
  /** The highest-scoring vector's overall score and rating; null before any vector is set. */
  severity: { score: number; rating: string; vector: string } | null;
  /** The first open step, and what still stands between it and done; null when every step is settled. */
  next: { id: string; number: number; title: string; unmet: string[] } | null;
  /** Mails of the case whose delivery failed or is unknown. */
  mailProblems: number;
  /** The reporter wrote through the portal since the team's last mail to them. */
  newReplies: number;
  /** Members of the distributors list who have not answered on the current date (once the notice went out, until publication). */
  unansweredDistributors: string[];
  /** How the report came in (the form, a mail, GitHub), while the case is still at its first step. */
  newReport: string | null;
  /** Clocks at risk or overdue, while the case is open: what someone must not forget. */
  clocks: { id: string; title: string; status: 'at-risk' | 'overdue'; dueAt: string; dueLocal: string }[];
}

/** An open case's clocks that need someone now; none once the case is published or closed. */
async function pressingClocks(app: App, db: Kysely<Database>, c: Case, now: Date): Promise<DashboardCase['clocks']> {
  if (c.publishedAt || c.resolution) return [];
  const pressing: DashboardCase['clocks'] = [];
  for (const k of (await clocksOf(app, db, c, now)).clocks) {
    if ((k.status === 'at-risk' || k.status === 'overdue') && k.dueAt && k.dueLocal) {
      pressing.push({ id: k.id, title: k.title, status: k.status, dueAt: k.dueAt, dueLocal: k.dueLocal });
    }
  }
  return pressing;
}

function severity(c: Case): DashboardCase['severity'] {
  let best: DashboardCase['severity'] = null;
  for (const vector of c.severity.cvss) {
    if (!isCvssVector(vector)) continue;
    const s = scoreCvss(vector);
    if (!best || s.score > best.score) best = { score: s.score, rating: s.severity, vector: s.vector };
  }
  return best;
}

/** Replies after the team's last mail to the reporter (all of them when none was sent). */
function newReplies(c: Case, totals: { count: number; latestAt: string } | undefined): number {
  if (!totals) return 0;
  const lastToReporter = c.messages
    .filter((m) => m.kind.startsWith('reporter-'))
    .map((m) => m.at)
    .sort()
    .pop();
  return !lastToReporter || totals.latestAt > lastToReporter ? totals.count : 0;
}

/** Only while it matters: the notice went out, the advisory is not published. */
async function unanswered(db: Kysely<Database>, c: Case): Promise<string[]> {
  if (!c.embargo || c.publishedAt || !c.messages.some((m) => m.kind === 'distributors-notice')) return [];
  return (await acksOf(db, c)).notAnswered;
}

export async function dashboard(app: App, actor: Actor): Promise<{ cases: DashboardCase[]; truncated: boolean }> {
  requireScope(actor, 'read');
  if (actor.role !== 'admin' && !actor.userId) return { cases: [], truncated: false };
  const now = app.clock();
  return app.store.write(async (tx) => {
    const rows = await listCases(tx, { visibleTo: actor.role === 'admin' ? undefined : actor.userId!, limit: DASHBOARD_MAX + 1 });
    const shown = rows.slice(0, DASHBOARD_MAX);
    const replies = await replyTotals(tx);
    const sources = await reportSources(
      tx,
      shown.map((c) => c.id),
    );
    const cases: DashboardCase[] = [];
    for (const c of shown) {
      const views = stepViews(app.playbooks.get(c.playbook), c, now);
      const next = views.find((s) => s.status === 'open');
      cases.push({
        id: c.id,
        title: c.title,
        codename: c.codename,
        project: c.project,
        status: c.status,
        embargo: c.embargo,
        updatedAt: c.updatedAt,
        createdAt: c.createdAt,
        cveId: c.cveId,
        ghsaId: c.ghsaId,
        severity: severity(c),
        next: next ? { id: next.id, number: next.number, title: next.title, unmet: next.unmet } : null,
        mailProblems: c.messages.filter((m) => m.status === 'failed' || m.status === 'unknown').length,
        newReplies: newReplies(c, replies.get(c.id)),
        unansweredDistributors: await unanswered(tx, c),
        newReport: views[0]?.status === 'open' ? (sources.get(c.id) ?? null) : null,
        clocks: await pressingClocks(app, tx, c, now),
      });
    }
    if (cases.length > 0) {
      await appendEvents(tx, {
        actor: actor.name,
        at: now,
        events: [event('case.read', null, { what: 'dashboard', cases: cases.map((c) => c.id) })],
      });
    }
    return { cases, truncated: rows.length > DASHBOARD_MAX };
  });
}
