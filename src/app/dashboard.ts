/**
 * The team's dashboard: every case the viewer may see with what it needs next — its severity, the
 * current step and what blocks it. That is embargoed detail, so the whole read is one audited
 * `case.read` event naming the cases shown (one event, not one per case: the dashboard is read often).
 */
import { event } from '../domain/events.js';
import type { Case } from '../domain/case/index.js';
import { stepViews } from '../domain/playbook/index.js';
import { isCvssVector, scoreCvss } from '../domain/severity/index.js';
import { listCases } from '../store/cases.js';
import { appendEvents } from '../store/events.js';
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

export async function dashboard(app: App, actor: Actor): Promise<{ cases: DashboardCase[]; truncated: boolean }> {
  requireScope(actor, 'read');
  if (actor.role !== 'admin' && !actor.userId) return { cases: [], truncated: false };
  const now = app.clock();
  return app.store.write(async (tx) => {
    const rows = await listCases(tx, { visibleTo: actor.role === 'admin' ? undefined : actor.userId!, limit: DASHBOARD_MAX + 1 });
    const shown = rows.slice(0, DASHBOARD_MAX);
    const cases = shown.map((c): DashboardCase => {
      const next = stepViews(app.playbooks.get(c.playbook), c, now).find((s) => s.status === 'open');
      return {
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
      };
    });
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
