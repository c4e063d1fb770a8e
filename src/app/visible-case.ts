import type { Kysely } from 'kysely';
import type { Case } from '../domain/case/types.js';
import { DomainError } from '../domain/errors.js';
import { hasAccess } from '../store/access.js';
import { getCase } from '../store/cases.js';
import type { Database } from '../store/schema.js';
import type { Actor } from './actor.js';
import { withOutboxStatuses } from './message-status.js';

/**
 * Loads a case the actor may see. A case outside the actor's access list is reported exactly like a
 * case that does not exist, so its id cannot be probed — by the answer or by its time: the access
 * list is asked first, the same query for a real id and an unknown one, and the case is read only
 * for someone on it.
 */
export async function loadVisibleCase(db: Kysely<Database>, actor: Actor, id: string): Promise<Case> {
  const allowed = actor.role === 'admin' || (actor.userId !== null && (await hasAccess(db, id, actor.userId)));
  const c = allowed ? await getCase(db, id) : undefined;
  if (!c) {
    throw new DomainError('not_found', `case ${id} not found`);
  }
  return withOutboxStatuses(db, c);
}
