import { type Kysely, type Selectable, sql } from 'kysely';
import { requestLookup } from './coalesce.js';
import { prepared } from './prepared.js';
import type { Store } from './store.js';
import type { Database, SessionsTable } from './schema.js';
import { JOINED_USER_COLUMNS, joinedUser, type UserRecord } from './users.js';
import { canonicalJson } from './events.js';
import { iso } from './portable-sql.js';

export interface SessionRecord {
  /** SHA-256 hex of the session token (the token itself is never stored). */
  id: string;
  userId: string;
  csrfToken: string;
  createdAt: string;
  expiresAt: string;
  lastSeenAt: string;
  revokedAt: string | null;
}

export interface ActiveSession {
  session: SessionRecord;
  user: UserRecord;
}

function toSessionRecord(row: Selectable<SessionsTable>): SessionRecord {
  return {
    id: row.id,
    userId: row.user_id,
    csrfToken: row.csrf_token,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    lastSeenAt: row.last_seen_at,
    revokedAt: row.revoked_at,
  };
}

export async function insertSession(db: Kysely<Database>, s: SessionRecord): Promise<void> {
  await db
    .insertInto('sessions')
    .values({
      id: s.id,
      user_id: s.userId,
      csrf_token: s.csrfToken,
      created_at: s.createdAt,
      expires_at: s.expiresAt,
      last_seen_at: s.lastSeenAt,
      revoked_at: s.revokedAt,
    })
    .execute();
}

/** Sessions not revoked, of users not disabled, with the user. */
const unrevokedSessions = (db: Kysely<Database>) =>
  db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .selectAll('sessions')
    .select(JOINED_USER_COLUMNS)
    .where('sessions.revoked_at', 'is', null)
    .where('users.disabled_at', 'is', null);

/** Every signed-in request asks it: prepared once (prepared.ts). */
const unrevokedSessionById = prepared((db, p: { idHash: string }) => unrevokedSessions(db).where('sessions.id', '=', p.idHash));

/** PostgreSQL: the same for many ids at once (one array: one statement text for any count). */
const unrevokedSessionsByIds = prepared((db, p: { idHashes: string[] }) =>
  unrevokedSessions(db).where(sql<boolean>`sessions.id = any(${p.idHashes}::text[])`),
);

type SessionRow = Awaited<ReturnType<typeof unrevokedSessionById>>['rows'][number];

const activeSession = (row: SessionRow): ActiveSession => ({ session: toSessionRecord(row), user: joinedUser(row) });

const unexpired = (found: ActiveSession | undefined, now: Date | string) =>
  found && found.session.expiresAt > iso(now) ? found : undefined;

/**
 * The session with this id (the token's SHA-256 hex) if it is not revoked, has not expired at `now`,
 * and its user is not disabled; with the user.
 */
export async function findActiveSession(db: Kysely<Database>, idHash: string, now: Date | string): Promise<ActiveSession | undefined> {
  return unexpired(await findUnrevokedSession(db, idHash), now);
}

async function findUnrevokedSession(db: Kysely<Database>, idHash: string): Promise<ActiveSession | undefined> {
  const row = (await unrevokedSessionById(db, { idHash })).rows[0];
  return row && activeSession(row);
}

const lookUpUnrevokedSession = requestLookup(findUnrevokedSession, async (db, idHashes) => {
  const { rows } = await unrevokedSessionsByIds(db, { idHashes });
  return new Map(rows.map((row) => [row.id, activeSession(row)]));
});

/**
 * `findActiveSession` for a request: on PostgreSQL the lookups of requests that arrive together go
 * in one query (coalesce.ts), each still reading what is committed after its request arrived.
 */
export async function lookUpActiveSession(store: Store, idHash: string, now: Date | string): Promise<ActiveSession | undefined> {
  return unexpired(await lookUpUnrevokedSession(store, idHash), now);
}

/** Records activity; optionally slides the expiry. */
export async function touchSession(db: Kysely<Database>, id: string, now: Date | string, expiresAt?: Date | string): Promise<void> {
  await db
    .updateTable('sessions')
    .set({ last_seen_at: iso(now), ...(expiresAt !== undefined ? { expires_at: iso(expiresAt) } : {}) })
    .where('id', '=', id)
    .execute();
}

/** Revokes one session; true when it was active. */
export async function revokeSession(db: Kysely<Database>, id: string, now: Date | string): Promise<boolean> {
  const res = await db
    .updateTable('sessions')
    .set({ revoked_at: iso(now) })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) > 0;
}

/** Revokes every active session of a user (optionally keeping one); returns how many. */
export async function revokeUserSessions(
  db: Kysely<Database>,
  userId: string,
  now: Date | string,
  opts: { exceptId?: string } = {},
): Promise<number> {
  let q = db
    .updateTable('sessions')
    .set({ revoked_at: iso(now) })
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null);
  if (opts.exceptId !== undefined) q = q.where('id', '!=', opts.exceptId);
  const res = await q.executeTakeFirst();
  return Number(res.numUpdatedRows);
}

/** Deletes sessions that expired or were revoked before `before` (housekeeping); returns how many. */
export async function deleteStaleSessions(db: Kysely<Database>, before: Date | string): Promise<number> {
  const cutoff = iso(before);
  const res = await db
    .deleteFrom('sessions')
    .where((eb) => eb.or([eb('expires_at', '<', cutoff), eb('revoked_at', '<', cutoff)]))
    .executeTakeFirst();
  return Number(res.numDeletedRows);
}

/**
 * Failed sign-ins of an existing account since `since`, counted from the log (shared by every
 * instance, kept across restarts). Such a failure's details are exactly `{"username": …}` in the
 * log's canonical JSON; an unknown username is recorded without it and counts for no account.
 */
export async function countSignInFailures(db: Kysely<Database>, username: string, since: Date): Promise<number> {
  const row = await db
    .selectFrom('events')
    .select((eb) => eb.fn.countAll<string | number>().as('n'))
    .where('action', '=', 'session.sign-in-failed')
    .where('at', '>=', since.toISOString())
    .where('details', '=', canonicalJson({ username }))
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}
