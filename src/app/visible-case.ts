import type { Kysely } from 'kysely';
import type { Case } from '../domain/case/types.js';
import { DomainError } from '../domain/errors.js';
import { hasAccess } from '../store/access.js';
import { getCase } from '../store/cases.js';
import { projectRoleOf } from '../store/projects.js';
import type { Database } from '../store/schema.js';
import type { Actor } from './actor.js';
import { withOutboxStatuses } from './message-status.js';

/** Instance admins see every case; others the cases on their access list, and a project's admins its cases. */
async function maySee(db: Kysely<Database>, actor: Actor, c: Case): Promise<boolean> {
  if (actor.role === 'admin') return true;
  if (!actor.userId) return false;
  return (await hasAccess(db, c.id, actor.userId)) || (await projectRoleOf(db, c.project, actor.userId)) === 'admin';
}

/**
 * Loads a case the actor may see. A case outside the actor's access list is reported exactly like a
 * case that does not exist, so its id cannot be probed.
 */
export async function loadVisibleCase(db: Kysely<Database>, actor: Actor, id: string): Promise<Case> {
  const c = await getCase(db, id);
  if (!c || !(await maySee(db, actor, c))) throw new DomainError('not_found', `case ${id} not found`);
  return withOutboxStatuses(db, c);
}
