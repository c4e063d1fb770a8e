import { type Kysely, type Selectable, sql } from 'kysely';
import { requestLookup } from './coalesce.js';
import { conflict, notFound } from '../domain/errors.js';
import type { ApiTokensTable, Database } from './schema.js';
import { JOINED_USER_COLUMNS, joinedUser, type UserRecord } from './users.js';
import { isUniqueViolation, iso } from './portable-sql.js';
import { prepared } from './prepared.js';

export interface TokenRecord {
  id: string;
  userId: string;
  name: string;
  /** One-way hash of the token (the token itself is never stored). */
  tokenHash: string;
  scopes: string[];
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export interface ActiveToken {
  token: TokenRecord;
  user: UserRecord;
}

function parseScopes(text: string): string[] {
  const value: unknown = JSON.parse(text);
  if (!Array.isArray(value) || !value.every((s) => typeof s === 'string')) {
    throw new Error('api_tokens.scopes is not a JSON array of strings');
  }
  return value;
}

function toTokenRecord(row: Selectable<ApiTokensTable>): TokenRecord {
  return {
    id: row.id,
    userId: row.user_id,
    name: row.name,
    tokenHash: row.token_hash,
    scopes: parseScopes(row.scopes),
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
    revokedAt: row.revoked_at,
  };
}

/** Inserts a token. Throws DomainError conflict when the id or hash exists. */
export async function insertToken(db: Kysely<Database>, t: TokenRecord): Promise<void> {
  try {
    await db
      .insertInto('api_tokens')
      .values({
        id: t.id,
        user_id: t.userId,
        name: t.name,
        token_hash: t.tokenHash,
        scopes: JSON.stringify(t.scopes),
        created_at: t.createdAt,
        last_used_at: t.lastUsedAt,
        revoked_at: t.revokedAt,
      })
      .execute();
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict('an API token with this id or hash already exists');
    throw err;
  }
}

/** Every API request asks it: prepared once (prepared.ts). */
const activeTokenByHash = prepared((db, p: { tokenHash: string }) => activeTokens(db).where('api_tokens.token_hash', '=', p.tokenHash));

/** PostgreSQL: the same for many hashes at once (one array: one statement text for any count). */
const activeTokensByHashes = prepared((db, p: { tokenHashes: string[] }) =>
  activeTokens(db).where(sql<boolean>`api_tokens.token_hash = any(${p.tokenHashes}::text[])`),
);

/** Tokens that are not revoked and whose user is not disabled, with the user. */
const activeTokens = (db: Kysely<Database>) =>
  db
    .selectFrom('api_tokens')
    .innerJoin('users', 'users.id', 'api_tokens.user_id')
    .selectAll('api_tokens')
    .select(JOINED_USER_COLUMNS)
    .where('api_tokens.revoked_at', 'is', null)
    .where('users.disabled_at', 'is', null);

type ActiveTokenRow = Awaited<ReturnType<typeof activeTokenByHash>>['rows'][number];

const activeToken = (row: ActiveTokenRow): ActiveToken => ({ token: toTokenRecord(row), user: joinedUser(row) });

/** The token with this hash if it is not revoked and its user is not disabled; with the user. */
export async function findActiveTokenByHash(db: Kysely<Database>, tokenHash: string): Promise<ActiveToken | undefined> {
  const row = (await activeTokenByHash(db, { tokenHash })).rows[0];
  return row ? activeToken(row) : undefined;
}

/**
 * `findActiveTokenByHash` for a request. On PostgreSQL the lookups of requests that arrive together
 * go in one query (coalesce.ts): the token was one of a case read's two round trips. Each lookup
 * still reads what is committed after its request arrived, so a revoked token is refused exactly
 * as before.
 */
export const lookUpActiveToken = requestLookup(findActiveTokenByHash, async (db, tokenHashes) => {
  const { rows } = await activeTokensByHashes(db, { tokenHashes });
  return new Map(rows.map((row) => [row.token_hash, activeToken(row)]));
});

/** A user's tokens, revoked ones included, newest first. */
export async function listTokens(db: Kysely<Database>, userId: string): Promise<TokenRecord[]> {
  const rows = await db
    .selectFrom('api_tokens')
    .selectAll()
    .where('user_id', '=', userId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
  return rows.map(toTokenRecord);
}

/**
 * Revokes a token of this user. Revoking an already revoked token is a no-op; a token that does not
 * exist or belongs to someone else is DomainError not_found.
 */
export async function revokeToken(db: Kysely<Database>, id: string, userId: string, now: Date | string = new Date()): Promise<void> {
  const res = await db
    .updateTable('api_tokens')
    .set({ revoked_at: iso(now) })
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  if (Number(res.numUpdatedRows) > 0) return;
  const exists = await db.selectFrom('api_tokens').select('id').where('id', '=', id).where('user_id', '=', userId).executeTakeFirst();
  if (!exists) throw notFound(`API token ${id} not found`);
}

/**
 * Records the token's last use. With `unlessSince`, only when the recorded use is that old or older
 * (or none, or after `now`): concurrent requests then write it once. ISO-8601 UTC strings compare in time order.
 */
export async function touchToken(db: Kysely<Database>, id: string, now: Date | string, unlessSince?: Date | string): Promise<boolean> {
  let q = db
    .updateTable('api_tokens')
    .set({ last_used_at: iso(now) })
    .where('id', '=', id);
  if (unlessSince !== undefined) {
    const since = iso(unlessSince);
    // A use recorded "in the future" (the clock was set back) is replaced too.
    q = q.where((eb) => eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<=', since), eb('last_used_at', '>', iso(now))]));
  }
  const res = await q.executeTakeFirst();
  return Number(res.numUpdatedRows) > 0;
}

/** A token by id, revoked or not (admins revoking someone else's token need its owner). */
export async function findTokenById(db: Kysely<Database>, id: string): Promise<TokenRecord | undefined> {
  const row = await db.selectFrom('api_tokens').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toTokenRecord(row) : undefined;
}
