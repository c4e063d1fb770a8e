/**
 * Queries on every request's path, built once per dialect and run again with new values. Building
 * and compiling a Kysely query costs more than SQLite takes to run it (a fifth of a case read's
 * CPU time went to query building); the SQL text of a query of fixed shape never changes, only its
 * values. Values are named: `build` gets a stand-in for each and the compiled parameters that are
 * stand-ins are filled in per run; any other parameter (a constant of the query) stays as built.
 *
 *   const tokenByHash = prepared((db, p: { hash: string }) =>
 *     db.selectFrom('api_tokens').selectAll().where('token_hash', '=', p.hash));
 *   const rows = await tokenByHash(db, { hash });
 *
 * Only for shapes that do not depend on the values (no `in` lists, no optional clauses).
 */
import { createHash } from 'node:crypto';
import { CompiledQuery, type Compilable, type Kysely } from 'kysely';
import type { Database } from './schema.js';

const STAND_IN = '\u0000embargo-prepared:';

interface Compiled {
  sql: string;
  /** Per parameter: the name of the value it takes, or the constant it keeps. */
  slots: ({ name: string } | { value: unknown })[];
}

/** Rows of a select (or of `returning`), and how many rows a write changed. */
export interface PreparedResult<R> {
  rows: R[];
  changed: number;
}

export function prepared<P extends object, R>(
  build: (db: Kysely<Database>, p: P) => Compilable<R>,
  options: { oneColumn?: boolean } = {},
): (db: Kysely<Database>, params: P) => Promise<PreparedResult<R>> {
  // Per dialect: a transaction's handle shares its database's adapter.
  const byAdapter = new WeakMap<object, Compiled>();
  const compile = (db: Kysely<Database>): Compiled => {
    const standIns = new Proxy({} as P, { get: (_t, key) => `${STAND_IN}${String(key)}` });
    const c = build(db, standIns).compile();
    if (c.sql.includes(STAND_IN)) throw new Error(`prepared(): a value became part of the SQL text: ${c.sql}`);
    statementNames.set(c.sql, `embargo_${createHash('sha256').update(c.sql).digest('hex').slice(0, 24)}`);
    if (options.oneColumn) oneColumnTexts.add(c.sql);
    return {
      sql: c.sql,
      slots: c.parameters.map((v) => (typeof v === 'string' && v.startsWith(STAND_IN) ? { name: v.slice(STAND_IN.length) } : { value: v })),
    };
  };
  const compiledFor = (db: Kysely<Database>, params: P): Compilable<R> | CompiledQuery<R> => {
    // A handle with plugins (a test recording queries) may rewrite the query: built for it alone.
    if (db.getExecutor().plugins.length > 0) return build(db, params);
    const adapter = db.getExecutor().adapter;
    let c = byAdapter.get(adapter);
    if (!c) {
      c = compile(db);
      byAdapter.set(adapter, c);
    }
    const values = c.slots.map((s) => ('name' in s ? (params as Record<string, unknown>)[s.name] : s.value));
    return CompiledQuery.raw(c.sql, values);
  };
  return async (db, params) => {
    const query = compiledFor(db, params);
    const direct = directRunners.get(db);
    if (direct && 'sql' in query) {
      const result = direct(query.sql, query.parameters) as PreparedResult<R> | undefined;
      if (result) return result;
    }
    const result = await db.executeQuery<R>(query);
    return { rows: result.rows, changed: Number(result.numAffectedRows ?? 0n) };
  };
}

/**
 * Runs a query's SQL at once, when the database can answer it now without Kysely (undefined: it
 * cannot, the query goes through Kysely). On SQLite's single connection: a read on the root handle
 * when no transaction is open (it sees what is committed, as it would after waiting for Kysely's
 * lock on the connection), and any query on the handle of the transaction that holds it. Kysely's
 * way to the connection (its lock, the executor's steps, five promises) cost more than SQLite took
 * to answer the two reads of a case read (the token, the case).
 */
export type DirectRunner = (sql: string, parameters: readonly unknown[]) => PreparedResult<unknown> | undefined;

/** Per handle: a root handle, or a transaction's while it runs. */
const directRunners = new WeakMap<Kysely<Database>, DirectRunner>();

/** Lets prepared queries on `db` be run by `runner`, until `stopRunningDirectly`. */
export function runDirectly(db: Kysely<Database>, runner: DirectRunner): void {
  directRunners.set(db, runner);
}

export function stopRunningDirectly(db: Kysely<Database>): void {
  directRunners.delete(db);
}

/**
 * A select of one column whose rows are wanted as that column's values, in the query's order: a
 * page of a list as its texts. The drivers hand the values over without making an object per row
 * (answersOneColumn; on SQLite, a row object per case took a sixth of a list query's time).
 */
export function preparedColumn<P extends object, V>(
  build: (db: Kysely<Database>, p: P) => Compilable<Record<string, V>>,
): (db: Kysely<Database>, params: P) => Promise<V[]> {
  const query = prepared(build, { oneColumn: true });
  return async (db, params) => (await query(db, params)).rows.map(columnValue) as V[];
}

/**
 * SQLite answers the value itself, PostgreSQL a one-item array. The drivers answer so for the SQL
 * text, on a handle with plugins too: a plugin that rewrites rows does not fit these queries.
 */
const columnValue = (row: unknown): unknown => (Array.isArray(row) ? row[0] : row);

/** SQL texts of preparedColumn's queries. */
const oneColumnTexts = new Set<string>();

/** Whether the driver should answer this SQL's rows as values (SQLite: pluck; PostgreSQL: rowMode array). */
export function answersOneColumn(sql: string): boolean {
  return oneColumnTexts.has(sql);
}

/** The SQL texts of prepared queries and their statement names (on PostgreSQL: statementName). */
const statementNames = new Map<string, string>();

/**
 * The name to run this SQL under as a server-side prepared statement, when it is the text of a
 * prepared query: PostgreSQL then parses and plans it once per connection instead of on every run
 * (half a millisecond of the server's CPU for a list's query). Other queries' texts vary without
 * bound (lists of values, batches of rows) and stay unnamed.
 */
export function statementName(sql: string): string | undefined {
  return statementNames.get(sql);
}
