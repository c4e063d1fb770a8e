/**
 * Everything `case show` presents, in one audited read: the case, its playbook steps and the
 * distributors' answers on its date, its clocks — one transaction, one `case.read` event.
 */
import type { Case } from '../domain/case/types.js';
import { stepViews, type StepView } from '../domain/playbook/index.js';
import type { Actor } from './actor.js';
import type { App } from './app.js';
import { gateFactsOf } from './gate-facts.js';
import { readCase } from './cases.js';
import { acksOf, type CaseAcks } from './who-knows.js';
import { clocksOf, type CaseClocks } from './clocks.js';

export interface CaseOverview {
  case: Case;
  steps: StepView[];
  acks: CaseAcks;
  clocks: CaseClocks;
}

export function caseOverview(app: App, actor: Actor, id: string): Promise<CaseOverview> {
  const now = app.clock();
  return readCase(app, actor, id, 'overview', async (c, db) => ({
    case: c,
    steps: stepViews(app.playbooks.get(c.playbook), c, now, await gateFactsOf(db, c)),
    acks: await acksOf(db, c),
    clocks: await clocksOf(app, db, c, now),
  }));
}
