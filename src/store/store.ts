/**
 * Opening the database: SQLite (the default, one file under the data directory) or PostgreSQL, with
 * the same schema and queries on both. All writes go through `Store.write`, which serializes them
 * behind one writer lock (the chain_head row) so the audit hash chain can never fork.
 */
import { closeSync, mkdirSync, openSync } from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, PostgresDialect, type PostgresPool, type PostgresPoolClient, SqliteDialect, sql } from 'kysely';
import { migrateToLatest } from './migrate.js';
import { startCheckpointer } from './checkpointer.js';
import { answersOneColumn, type DirectRunner, prepared, runDirectly, statementName } from './prepared.js';
import { sqliteGroupCommit, walSync } from './group-commit.js';
import { enterWrite, insideWrite, leaveWrite } from './write-scope.js';

export { type LogSync, sqliteGroupCommit, walSync } from './group-commit.js';
import type { Database } from './schema.js';

export type StoreDialect = 'sqlite' | 'postgres';

export interface Store {
  /** The root handle: reads outside a transaction. Do not write through it; use `write`. */
  db: Kysely<Database>;
  dialect: StoreDialect;
  /**
   * Runs `fn` in ONE transaction that first takes the writer lock; commits when `fn` resolves, rolls
   * back when it throws (and rethrows). Use only `tx` inside `fn`: calling `store.read`/`store.write`
   * from inside would wait for the lock this transaction holds, so it throws instead.
   */
  write<T>(fn: (tx: Kysely<Database>) => Promise<T>): Promise<T>;
  /** Runs `fn` against the root handle (no transaction, no lock). */
  read<T>(fn: (db: Kysely<Database>) => Promise<T>): Promise<T>;
  /** Closes the connection(s). Safe to call twice. */
  close(): Promise<void>;
}

export interface OpenStoreOptions {
  /**
   * Where the data lives. Unset, `sqlite:PATH` or a plain file path: SQLite.
   * `postgres://…` or `postgresql://…`: PostgreSQL.
   */
  databaseUrl?: string;
  /** Directory for the default SQLite file `embargo.db` (default `./data`). */
  dataDir?: string;
  /** PostgreSQL only: schema to use (created if missing), e.g. one per test. */
  schema?: string;
  /**
   * SQLite only: checkpoint the log on a worker thread instead of in the COMMIT that fills it
   * (checkpointer.ts). For the server; a CLI command that runs for a moment keeps SQLite's own.
   */
  backgroundCheckpoints?: boolean;
  /** PostgreSQL only: connections kept in the pool (default 10, as pg's). */
  poolSize?: number;
}

const lockChainHead = prepared((tx, _p: Record<string, never>) =>
  tx.selectFrom('chain_head').select('last_seq').where('id', '=', 1).forUpdate(),
);
const touchChainHead = prepared((tx, _p: Record<string, never>) =>
  tx.updateTable('chain_head').set({ last_seq: sql<number>`last_seq` }).where('id', '=', 1),
);

type Target = { kind: 'sqlite'; file: string } | { kind: 'postgres'; url: string };

/** Works out which database a URL names: `serve` says which one it uses, and the leak guard looks for a local one. */
export function resolveDatabaseTarget(opts: Pick<OpenStoreOptions, 'databaseUrl' | 'dataDir'>): Target {
  const url = opts.databaseUrl?.trim();
  if (!url) {
    return { kind: 'sqlite', file: path.resolve(opts.dataDir ?? './data', 'embargo.db') };
  }
  if (/^postgres(ql)?:\/\//i.test(url)) return { kind: 'postgres', url };
  if (/^sqlite:/i.test(url)) {
    let rest = url.slice('sqlite:'.length);
    if (rest.startsWith('//')) rest = rest.slice(2);
    if (!rest) {
      throw new Error(`The database URL "${url}" names no file: write sqlite:PATH, e.g. sqlite:./data/embargo.db.`);
    }
    return { kind: 'sqlite', file: rest === ':memory:' ? rest : path.resolve(rest) };
  }
  // Any other scheme (two or more letters, so Windows drive letters still count as paths).
  const scheme = /^([a-z][a-z0-9+.-]+):/i.exec(url);
  if (scheme) {
    throw new Error(
      `The database URL "${redact(url)}" is not supported: use postgres://… or postgresql://… for ` +
        `PostgreSQL, or sqlite:PATH (or leave it unset) for SQLite.`,
    );
  }
  return { kind: 'sqlite', file: path.resolve(url) };
}

export async function openStore(opts: OpenStoreOptions = {}): Promise<Store> {
  const target = resolveDatabaseTarget(opts);
  if (target.kind === 'sqlite') {
    if (opts.schema) {
      throw new Error('The "schema" option is for PostgreSQL only; SQLite has one schema per file.');
    }
    return openSqlite(target.file, opts.backgroundCheckpoints === true);
  }
  return openPostgres(target.url, opts.schema, opts.poolSize);
}

async function openSqlite(file: string, backgroundCheckpoints: boolean): Promise<Store> {
  if (file !== ':memory:') {
    mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    // A new database holds embargoed details: readable by its owner only. SQLite gives its -wal and
    // -shm files the database file's mode. An existing file keeps the mode its operator chose.
    closeSync(openSync(file, 'a', 0o600));
  }
  let database: BetterSqlite3.Database;
  try {
    database = new BetterSqlite3(file);
  } catch (err) {
    throw new Error(`The SQLite database ${file} could not be opened: ${(err as Error).message}`, { cause: err });
  }
  try {
    // busy_timeout first: switching to WAL needs a lock another process may hold.
    database.pragma('busy_timeout = 5000');
    if (file !== ':memory:') database.pragma('journal_mode = WAL');
    // NORMAL: a commit writes the log but does not sync it on this thread; Store.write syncs it on a
    // pool thread before it answers (walSync below), so every acknowledged write is still on disk.
    database.pragma('synchronous = NORMAL');
    database.pragma('foreign_keys = ON');
    // Each write of the group commit runs in a savepoint, and SQLite keeps the pages a savepoint
    // changes in a journal of their own; past 64 KiB that journal went to a temporary file, and a
    // batch of read records (one page of the case_id index per case read) always passed it: half of
    // the batch's insert time and of the process's system time were writes to that file.
    database.pragma('temp_store = MEMORY');
  } catch (err) {
    database.close();
    throw new Error(`The SQLite database ${file} could not be set up: ${(err as Error).message}`, { cause: err });
  }
  const statements = withStatementCache(database);
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: statements }) });
  const run = (stmt: BetterSqlite3.Statement, parameters: readonly unknown[]) =>
    stmt.reader ? { rows: stmt.all(parameters) as unknown[], changed: 0 } : { rows: [], changed: stmt.run(parameters).changes };
  runDirectly(db, (text, parameters) => {
    // A transaction open on the connection: its queries come first, and its changes are not committed.
    if (database.inTransaction) return undefined;
    const stmt = statements.prepare(text);
    if (!stmt.readonly) return undefined;
    try {
      return run(stmt, parameters);
    } catch (err) {
      // A Kysely stream has the connection (an iterator is open on it): wait for it like Kysely does.
      if (err instanceof TypeError && /busy executing a query/.test(err.message)) return undefined;
      throw err;
    }
  });
  // The handle of a store.write's transaction, which holds the connection: each of its queries at once.
  const inTransaction: DirectRunner = (text, parameters) =>
    database.inTransaction ? run(statements.prepare(text), parameters) : undefined;
  const store = await finishOpen(db, 'sqlite', { walFile: file === ':memory:' ? undefined : `${file}-wal`, inTransaction });
  if (!backgroundCheckpoints || file === ':memory:') return store;
  // The worker keeps the log copied; this connection checkpoints only if the log outgrows 4,000
  // pages (16 MB), which happens when writes never pause long enough for a worker's checkpoint to
  // finish before the next write (SQLite starts the log over only after a complete checkpoint): a
  // bound on the log's size, and by then most pages are copied already.
  database.pragma(`wal_autocheckpoint = ${LOG_PAGES_BOUND}`);
  const checkpointer = startCheckpointer(file, 200, (message) => {
    console.error(`embargo: a background checkpoint of ${file} failed: ${message}`);
  });
  const close = store.close;
  let closed: Promise<void> | undefined;
  store.close = () => {
    closed ??= checkpointer.stop().then(close);
    return closed;
  };
  return store;
}

/** With background checkpoints: the log's size past which the committing connection checkpoints too. */
const LOG_PAGES_BOUND = 4000;

/** Statements kept per database; past this many distinct SQL texts the cache starts again. */
const STATEMENT_CACHE_SIZE = 1000;

/**
 * Kysely prepares every statement again on every query; preparing was a tenth of a case read's CPU
 * time. Kept per SQL text: one connection runs one statement at a time (Kysely's mutex; a stream
 * holds the connection until it ends), so a cached statement is never busy when it is reused. A
 * preparedColumn query's statement answers its column's values (pluck), not a row object each.
 */
function withStatementCache(database: BetterSqlite3.Database): { close(): void; prepare(sql: string): BetterSqlite3.Statement } {
  const statements = new Map<string, BetterSqlite3.Statement>();
  return {
    close: () => {
      statements.clear();
      database.close();
    },
    prepare(text: string) {
      let stmt = statements.get(text);
      if (!stmt) {
        if (statements.size >= STATEMENT_CACHE_SIZE) statements.clear();
        stmt = database.prepare(text);
        if (answersOneColumn(text)) stmt.pluck();
        statements.set(text, stmt);
      }
      return stmt;
    },
  };
}

async function openPostgres(url: string, schema: string | undefined, poolSize = 10): Promise<Store> {
  if (schema !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
    throw new Error(`The schema name "${schema}" is not allowed: use lowercase letters, digits and _, not starting with a digit.`);
  }
  // Imported here, not with the module: a SQLite installation (and every CLI start) never loads pg.
  const { default: pg } = await import('pg');
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  });
  // An idle client losing its connection (server restart) must not crash the process; the next
  // query reconnects or fails with its own error.
  pool.on('error', (err) => {
    console.error(`embargo: PostgreSQL connection error: ${err.message}`);
  });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: withNamedStatements(pool) }) });
  let migrationTableSchema: string;
  try {
    if (schema) {
      await sql`create schema if not exists ${sql.id(schema)}`.execute(db);
      migrationTableSchema = schema;
    } else {
      const row = await sql<{ schema: string | null }>`select current_schema() as schema`.execute(db);
      const current = row.rows[0]?.schema;
      if (!current) {
        throw new Error("PostgreSQL has no current schema (check search_path and the user's rights).");
      }
      migrationTableSchema = current;
    }
  } catch (err) {
    await db.destroy().catch(() => {});
    throw new Error(`The PostgreSQL database at ${redact(url)} could not be used: ${(err as Error).message}`, {
      cause: err,
    });
  }
  return finishOpen(db, 'postgres', { migrationTableSchema });
}

/**
 * The pool as Kysely sees it, with the queries of prepared() run as named statements (parsed and
 * planned once per connection). A named statement whose table changed shape under it (a newer
 * instance migrating) fails with "cached plan must not change result type": run unnamed instead
 * (outside a transaction; inside one, PostgreSQL has aborted it and the error stands). The rows of
 * a preparedColumn query come as arrays, not objects.
 */
function withNamedStatements(pool: import('pg').Pool): PostgresPool {
  // One wrapper per connection: Kysely keeps its own state per client object it is handed.
  const wrappers = new WeakMap<import('pg').PoolClient, PostgresPoolClient>();
  const wrap = (client: import('pg').PoolClient): PostgresPoolClient => ({
    query: ((text: string | object, values?: readonly unknown[]) => {
      if (typeof text !== 'string') return client.query(text as never);
      const name = statementName(text);
      if (!name) return client.query(text, values as unknown[]);
      // A one-column query's rows come as arrays (preparedColumn takes the value out).
      const run = (config: { name?: string; text: string; values: unknown[] }): Promise<unknown> =>
        answersOneColumn(text) ? client.query({ ...config, rowMode: 'array' }) : client.query(config);
      return run({ name, text, values: values as unknown[] }).catch((err: Error & { code?: string }) => {
        if (err.code !== '0A000') throw err;
        return run({ text, values: values as unknown[] });
      });
    }) as unknown as PostgresPoolClient['query'],
    release: (destroy?: boolean) => client.release(destroy),
  });
  return {
    async connect() {
      const client = await pool.connect();
      let wrapper = wrappers.get(client);
      if (!wrapper) {
        wrapper = wrap(client);
        wrappers.set(client, wrapper);
      }
      return wrapper;
    },
    end: () => pool.end(),
  };
}

async function finishOpen(
  db: Kysely<Database>,
  dialect: StoreDialect,
  opts: { migrationTableSchema?: string; walFile?: string; inTransaction?: DirectRunner },
): Promise<Store> {
  try {
    await migrateToLatest(db, { migrationTableSchema: opts.migrationTableSchema });
  } catch (err) {
    await db.destroy().catch(() => {});
    throw err;
  }

  let closed: Promise<void> | undefined;

  const assertNotNested = (what: string) => {
    if (insideWrite.inside()) {
      throw new Error(
        `store.${what}() was called inside store.write(): use the transaction handle passed to the ` +
          `outer write (a nested call would wait for the lock the outer write holds).`,
      );
    }
  };

  const takeWriterLock = async (tx: Kysely<Database>) => {
    // PostgreSQL: the chain_head row locked FOR UPDATE. SQLite: an UPDATE as the first statement takes
    // the write lock up front (waiting busy_timeout for another process), instead of upgrading a read
    // lock later, which fails with SQLITE_BUSY.
    const res = await (dialect === 'postgres' ? lockChainHead : touchChainHead)(tx, {});
    if (res.rows.length + res.changed !== 1) {
      throw new Error('The chain_head row is missing: the database was not migrated or was tampered with.');
    }
  };

  /** One write in its own transaction (PostgreSQL: its own connection from the pool). */
  const writeAlone = <T>(fn: (tx: Kysely<Database>) => Promise<T>): Promise<T> =>
    insideWrite.run(() =>
      db.transaction().execute(async (tx) => {
        enterWrite(tx);
        try {
          await takeWriterLock(tx);
          return await fn(tx);
        } finally {
          leaveWrite(tx);
        }
      }),
    );
  const logSync = walSync(opts.walFile);
  const groupCommit = dialect === 'sqlite' ? sqliteGroupCommit(db, takeWriterLock, logSync, opts.inTransaction) : undefined;

  return {
    db,
    dialect,
    async write<T>(fn: (tx: Kysely<Database>) => Promise<T>): Promise<T> {
      assertNotNested('write');
      if (closed) throw new Error('The store is closed.');
      return groupCommit ? groupCommit(fn) : writeAlone(fn);
    },
    async read<T>(fn: (db: Kysely<Database>) => Promise<T>): Promise<T> {
      assertNotNested('read');
      if (closed) throw new Error('The store is closed.');
      return fn(db);
    },
    close(): Promise<void> {
      closed ??= db.destroy().finally(() => logSync.close());
      return closed;
    },
  };
}

/** The URL without its password, for messages. */
function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return url.replace(/\/\/([^:/@]*):[^@]*@/, '//$1:***@');
  }
}
