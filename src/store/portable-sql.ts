/**
 * What SQLite and PostgreSQL do differently, smoothed over once for every repository: their
 * unique-violation codes, the type of COUNT(*), NUL characters in text, LIKE wildcards, times
 * stored as ISO-8601 text, and a LIMIT's value. Internal to the store.
 */
import { type Kysely, PostgresAdapter, type RawBuilder, sql } from 'kysely';
import type { Database } from './schema.js';

/** True for a UNIQUE / PRIMARY KEY violation on SQLite or PostgreSQL. */
export function isUniqueViolation(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const code = (err as { code?: unknown }).code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

/** COUNT(*) is a number on SQLite and a string (bigint) on PostgreSQL. */
export function toCount(value: unknown): number {
  const n = Number(value ?? 0);
  if (!Number.isFinite(n)) throw new Error(`Unexpected count from the database: ${String(value)}`);
  return n;
}

/** Accepts a Date or an ISO string; stores ISO-8601 UTC text. */
export function iso(value: Date | string): string {
  return typeof value === 'string' ? value : value.toISOString();
}

/** Escapes LIKE wildcards so user text matches literally (use with `escape '\'`). */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * True when any value contains a NUL character. PostgreSQL rejects NUL in text parameters (an error)
 * while SQLite would compare it; lookups by such a value find nothing on both, without a query.
 */
export function hasNul(...values: (string | null | undefined)[]): boolean {
  return values.some((v) => typeof v === 'string' && v.includes('\u0000'));
}

/** True on PostgreSQL: for the few queries written per dialect (JSON building, locks). */
export function isPostgres(db: Kysely<Database>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

/**
 * A LIMIT's value, given to the database as it runs the query, not as it prepares it. SQLite (the
 * 3.5x that better-sqlite3 bundles) reads a bound `LIMIT ?` while it prepares a statement, to plan
 * with it, and so prepares the statement again whenever a value is bound: every run, since a
 * value is bound on every run. A list page's query was compiled anew on every request (a tenth of
 * the server's CPU time under load). A CAST is not a bare parameter: SQLite plans without the
 * value, as it did before, and PostgreSQL takes it the same.
 */
export function rowLimit(n: number): RawBuilder<number> {
  return sql<number>`cast(${n} as integer)`;
}
