/** Need-to-know: admins decide who is on a case's access list. */
import { DomainError } from '../domain/errors.js';
import { grantAccess as grant, listAccess, revokeAccess as revoke } from '../store/access.js';
import { appendEvents } from '../store/events.js';
import { findUserByUsername } from '../store/users.js';
import { requireAdmin, requireScope, type Actor } from './actor.js';
import type { App } from './app.js';
import { loadVisibleCase, readCase } from './cases.js';

export const caseAccess = (app: App, actor: Actor, caseId: string) =>
  readCase(app, actor, caseId, 'access list', (_c, db) => listAccess(db, caseId));

async function changeAccess(app: App, actor: Actor, caseId: string, username: string, granting: boolean) {
  requireScope(actor, 'write');
  const now = app.clock();
  return app.store.write(async (tx) => {
    await loadVisibleCase(tx, actor, caseId);
    // Only after the case is known to be visible, so a member cannot learn ids from a 403.
    requireAdmin(actor);
    const user = await findUserByUsername(tx, username);
    if (!user) throw new DomainError('not_found', `user ${username} not found`);
    const on = (await listAccess(tx, caseId)).some((a) => a.userId === user.id);
    if (on === granting) return listAccess(tx, caseId);
    if (granting) await grant(tx, { caseId, userId: user.id, grantedBy: actor.name, grantedAt: now });
    else await revoke(tx, caseId, user.id);
    await appendEvents(tx, {
      actor: actor.name,
      at: now,
      events: [{ action: granting ? 'access.granted' : 'access.revoked', caseId, details: { user: user.username } }],
    });
    return listAccess(tx, caseId);
  });
}

export const grantCaseAccess = (app: App, actor: Actor, caseId: string, username: string) =>
  changeAccess(app, actor, caseId, username, true);

export const revokeCaseAccess = (app: App, actor: Actor, caseId: string, username: string) =>
  changeAccess(app, actor, caseId, username, false);
