/** A person's calendar feeds: the token's SHA-256 only, never the token. */
import type { Kysely } from 'kysely';
import { hasNul } from './portable-sql.js';
import type { Database } from './schema.js';

export interface CalendarFeed {
  id: string;
  userId: string;
  createdAt: string;
  revokedAt: string | null;
}

const present = (r: { id: string; user_id: string; created_at: string; revoked_at: string | null }): CalendarFeed => ({
  id: r.id,
  userId: r.user_id,
  createdAt: r.created_at,
  revokedAt: r.revoked_at,
});

export async function insertCalendarFeed(db: Kysely<Database>, f: CalendarFeed & { tokenHash: string }): Promise<void> {
  await db
    .insertInto('calendar_feeds')
    .values({ id: f.id, user_id: f.userId, token_hash: f.tokenHash, created_at: f.createdAt, revoked_at: null })
    .execute();
}

export async function listCalendarFeeds(db: Kysely<Database>, userId: string): Promise<CalendarFeed[]> {
  const rows = await db.selectFrom('calendar_feeds').selectAll().where('user_id', '=', userId).orderBy('created_at').execute();
  return rows.map(present);
}

/** The live feed a token hash opens, with its owner. */
export async function calendarFeedByHash(db: Kysely<Database>, tokenHash: string): Promise<CalendarFeed | null> {
  if (hasNul(tokenHash)) return null;
  const r = await db
    .selectFrom('calendar_feeds')
    .selectAll()
    .where('token_hash', '=', tokenHash)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return r ? present(r) : null;
}

export async function revokeCalendarFeed(db: Kysely<Database>, userId: string, id: string, at: Date): Promise<boolean> {
  if (hasNul(id)) return false;
  const res = await db
    .updateTable('calendar_feeds')
    .set({ revoked_at: at.toISOString() })
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}
