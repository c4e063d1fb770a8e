import type { Kysely } from 'kysely';
import { notFound } from '../domain/errors.js';
import type { Database } from './schema.js';
import { hasNul, iso } from './portable-sql.js';

export interface AccessEntry {
  userId: string;
  username: string;
  displayName: string;
  grantedBy: string;
  grantedAt: string;
}

/**
 * Puts a user on a case's access list. Returns false when they already were (nothing changes).
 * Throws DomainError not_found for an unknown case or user.
 */
export async function grantAccess(
  db: Kysely<Database>,
  a: { caseId: string; userId: string; grantedBy: string; grantedAt: Date | string },
): Promise<boolean> {
  const c = await db.selectFrom('cases').select('id').where('id', '=', a.caseId).executeTakeFirst();
  if (!c) throw notFound(`case ${a.caseId} not found`);
  const u = await db.selectFrom('users').select('id').where('id', '=', a.userId).executeTakeFirst();
  if (!u) throw notFound(`user ${a.userId} not found`);
  const res = await db
    .insertInto('case_access')
    .values({ case_id: a.caseId, user_id: a.userId, granted_by: a.grantedBy, granted_at: iso(a.grantedAt) })
    .onConflict((oc) => oc.columns(['case_id', 'user_id']).doNothing())
    .executeTakeFirst();
  return Number(res.numInsertedOrUpdatedRows ?? 0) > 0;
}

/** Takes a user off a case's access list; false when they were not on it. */
export async function revokeAccess(db: Kysely<Database>, caseId: string, userId: string): Promise<boolean> {
  const res = await db.deleteFrom('case_access').where('case_id', '=', caseId).where('user_id', '=', userId).executeTakeFirst();
  return Number(res.numDeletedRows) > 0;
}

/** The access list of a case with usernames, ordered by username. */
export async function listAccess(db: Kysely<Database>, caseId: string): Promise<AccessEntry[]> {
  if (hasNul(caseId)) return [];
  const rows = await db
    .selectFrom('case_access')
    .innerJoin('users', 'users.id', 'case_access.user_id')
    .select(['case_access.user_id', 'users.username', 'users.display_name', 'case_access.granted_by', 'case_access.granted_at'])
    .where('case_access.case_id', '=', caseId)
    .orderBy('users.username')
    .execute();
  return rows.map((r) => ({
    userId: r.user_id,
    username: r.username,
    displayName: r.display_name,
    grantedBy: r.granted_by,
    grantedAt: r.granted_at,
  }));
}

/** The ids of the cases on a user's access list. */
export async function caseIdsOnAccessList(db: Kysely<Database>, userId: string): Promise<string[]> {
  if (hasNul(userId)) return [];
  const rows = await db.selectFrom('case_access').select('case_id').where('user_id', '=', userId).execute();
  return rows.map((r) => r.case_id);
}
