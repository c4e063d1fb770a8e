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
 * case that does not exist, so its id cannot be probed.
 */
export async function loadVisibleCase(db: Kysely<Database>, actor: Actor, id: string): Promise<Case> {
  const c = await getCase(db, id);
  if (!c || (actor.role !== 'admin' && !(actor.userId && (await hasAccess(db, id, actor.userId))))) {
    throw new DomainError('not_found', `case ${id} not found`);
  }
  return withOutboxStatuses(db, c);
}
