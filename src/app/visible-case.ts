import type { Kysely } from 'kysely';
import type { Case } from '../domain/case/types.js';
import { DomainError } from '../domain/errors.js';
import { hasAccess } from '../store/access.js';
import { getCase } from '../store/cases.js';
import { administersProjectOfCase } from '../store/projects.js';
import type { Database } from '../store/schema.js';
import type { Actor } from './actor.js';
import { withOutboxStatuses } from './message-status.js';

/**
 * Instance admins see every case; others the cases on their access list, and a project's admins its
 * cases. Asked by id, before the case is read: the same queries for a real id and an unknown one.
 */
async function maySee(db: Kysely<Database>, actor: Actor, id: string): Promise<boolean> {
  if (actor.role === 'admin') return true;
  if (!actor.userId) return false;
  return (await hasAccess(db, id, actor.userId)) || (await administersProjectOfCase(db, id, actor.userId));
}

/**
 * Loads a case the actor may see. A case outside the actor's access list is reported exactly like a
 * case that does not exist, so its id cannot be probed — by the answer or by its time: the access
 * list is asked first, the same query for a real id and an unknown one, and the case is read only
 * for someone on it.
 */
export async function loadVisibleCase(db: Kysely<Database>, actor: Actor, id: string): Promise<Case> {
  const c = (await maySee(db, actor, id)) ? await getCase(db, id) : undefined;
  if (!c) throw new DomainError('not_found', `case ${id} not found`);
  return withOutboxStatuses(db, c);
}
