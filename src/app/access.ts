/**
 * Need-to-know: instance admins and the admins of the case's project decide who is on a case's
 * access list, and only the project's members (or instance admins) can be put on it.
 */
import { accessGranted, accessRevoked } from '../domain/case/access-events.js';
import { DomainError } from '../domain/errors.js';
import { grantAccess as grant, listAccess, revokeAccess as revoke } from '../store/access.js';
import { findUserByUsername } from '../store/users.js';
import { requireReadWrite, type Actor } from './actor.js';
import type { App } from './app.js';
import { readCase } from './cases.js';
import { requireProjectMember, roleIn } from './projects.js';
import { workOnCase } from './unit-of-work.js';

export const caseAccess = (app: App, actor: Actor, caseId: string) =>
  readCase(app, actor, caseId, 'access list', (_c, db) => listAccess(db, caseId));

function changeAccess(app: App, actor: Actor, caseId: string, username: string, granting: boolean) {
  return workOnCase(app, actor, caseId, 'write', async (c, { tx, actor: by, now }) => {
    // Only after the case is known to be visible, so a member cannot learn ids from a 403.
    if ((await roleIn(tx, actor, c.project)) !== 'admin') {
      throw new DomainError('forbidden', `only an admin of project ${c.project} can change who is on its cases`);
    }
    requireReadWrite(actor, 'this admin work');
    const user = await findUserByUsername(tx, username);
    if (!user) throw new DomainError('not_found', `user ${username} not found`);
    if (granting) await requireProjectMember(tx, c.project, user);
    const on = (await listAccess(tx, caseId)).some((a) => a.userId === user.id);
    if (on === granting) return { events: [], value: await listAccess(tx, caseId) };
    if (granting) await grant(tx, { caseId, userId: user.id, grantedBy: by, grantedAt: now });
    else await revoke(tx, caseId, user.id);
    const events = [granting ? accessGranted(caseId, user.username) : accessRevoked(caseId, user.username)];
    return { events, value: await listAccess(tx, caseId) };
  });
}

export const grantCaseAccess = (app: App, actor: Actor, caseId: string, username: string) =>
  changeAccess(app, actor, caseId, username, true);

export const revokeCaseAccess = (app: App, actor: Actor, caseId: string, username: string) =>
  changeAccess(app, actor, caseId, username, false);
