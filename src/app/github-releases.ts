/**
 * Verified releases: the result of `embargo plan verify --case` (does each release tag contain the
 * fix?) recorded on the case's release lines. Publication needs every planned line verified.
 */
import { recordReleaseVerification, type Case, type TagCheck } from '../domain/case/index.js';
import { deriveStatus } from '../domain/playbook/index.js';
import { updateCase } from '../store/cases.js';
import { appendEvents } from '../store/events.js';
import { requireScope, type Actor } from './actor.js';
import type { App } from './app.js';
import { loadVisibleCase } from './cases.js';

export async function recordVerifiedReleases(
  app: App,
  actor: Actor,
  caseId: string,
  input: { fixCommit: unknown; checks: TagCheck[] },
): Promise<Case> {
  requireScope(actor, 'write');
  const ctx = { actor: actor.name, now: app.clock() };
  return app.store.write(async (tx) => {
    const current = await loadVisibleCase(tx, actor, caseId);
    const { state, events } = recordReleaseVerification(current, input, ctx);
    const next = { ...state, status: deriveStatus(app.playbooks.get(state.playbook), state) };
    await updateCase(tx, next, current.revision);
    await appendEvents(tx, { actor: actor.name, at: ctx.now, events });
    return next;
  });
}
