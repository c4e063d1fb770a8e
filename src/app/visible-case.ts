import type { Kysely } from 'kysely';
import type { Case } from '../domain/case/types.js';
import { DomainError } from '../domain/errors.js';
import { getCaseAskedBy, lookUpCase } from '../store/cases.js';
import type { Database } from '../store/schema.js';
import type { Store } from '../store/store.js';
import type { Actor } from './actor.js';
import { withOutboxStatuses } from './message-status.js';

/**
 * Loads a case the actor may see: instance admins every case; others the cases on their access
 * list, and a project's admins its cases. A case outside the actor's reach is reported exactly like
 * a case that does not exist, so its id cannot be probed — by the answer or by its time: one query
 * asks the access list and the project's admins by the asked id before any case row is read
 * (getCaseAskedBy), the same query for a real id and an unknown one.
 */
export async function loadVisibleCase(db: Kysely<Database>, actor: Actor, id: string): Promise<Case> {
  const asker = askerOf(actor);
  const c = asker === undefined ? undefined : await getCaseAskedBy(db, id, asker);
  return visibleOrNotFound(db, id, c);
}

/**
 * `loadVisibleCase` for a read outside a transaction (a request that reads a case): the same
 * conditions, asked together with the other requests' reads on PostgreSQL (store/coalesce.ts).
 */
export async function readVisibleCase(store: Store, actor: Actor, id: string): Promise<Case> {
  const asker = askerOf(actor);
  const c = asker === undefined ? undefined : await lookUpCase(store, id, asker);
  return store.read((db) => visibleOrNotFound(db, id, c));
}

/** Whose rights a read of a case is asked under: null for an instance admin (every case); undefined: nobody's. */
const askerOf = (actor: Actor): string | null | undefined => (actor.role === 'admin' ? null : actor.userId || undefined);

async function visibleOrNotFound(db: Kysely<Database>, id: string, c: Case | undefined): Promise<Case> {
  if (!c) throw new DomainError('not_found', `case ${id} not found`);
  return withOutboxStatuses(db, c);
}
