/**
 * What some playbook gates need from beside the case (its open leak incidents, whether Embargo
 * shared the private fork with everyone on the case), loaded in the
 * transaction that decides or shows the steps, so a view and a refusal say the same thing.
 */
import type { Kysely } from 'kysely';
import type { Case } from '../domain/case/types.js';
import { type GateFacts, type Playbook, stepViews, type StepView } from '../domain/playbook/index.js';
import type { Database } from '../store/schema.js';
import { listEvents } from '../store/events.js';
import { getRetrospective } from '../store/retro.js';
import { listLeaks } from '../store/who-knows.js';
import type { App } from './app.js';

export async function gateFactsOf(db: Kysely<Database>, c: Pick<Case, 'id'>): Promise<GateFacts> {
  const openLeaks = (await listLeaks(db, c.id)).filter((l) => l.status === 'open').map((l) => ({ id: l.id, what: l.what }));
  // The fork's collaborators as Embargo last set them: shared when nobody on the case lacked a login.
  const [fork] = await listEvents(db, {
    caseId: c.id,
    actions: ['advisory.fork_created', 'advisory.collaborators_set'],
    order: 'desc',
    limit: 1,
  });
  const withoutLogin = (fork?.details as { withoutLogin?: unknown } | undefined)?.withoutLogin;
  return {
    openLeaks,
    forkShared: Array.isArray(withoutLogin) && withoutLogin.length === 0,
    retrospectiveWritten: (await getRetrospective(db, c.id)) !== null,
  };
}

/** The steps of a case with every gate's facts (outside any other transaction: a short read of its leaks). */
export async function stepViewsOf(app: App, pb: Playbook, c: Case, now: Date): Promise<StepView[]> {
  const facts = await app.store.read((db) => gateFactsOf(db, c));
  return stepViews(pb, c, now, facts);
}
