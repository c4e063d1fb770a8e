/**
 * Reading every table in one consistent snapshot, and writing a snapshot into an empty database.
 * The tables are found by asking the database (not from a fixed list), so a table a later migration
 * adds is carried without a change here. Only portable values are stored (text, integers, null:
 * schema.ts), so rows read from SQLite go into PostgreSQL unchanged and back.
 */
import { type Kysely, sql } from 'kysely';
import type { Cell, TableDump } from '../domain/backup/snapshot.js';
import type { TargetContents } from '../domain/backup/empty-target.js';
import type { Database } from './schema.js';
import type { StoreDialect } from './store.js';

// biome-ignore lint/suspicious/noExplicitAny: tables are named at run time
type AnyDb = Kysely<any>;

/** The application's tables (the migrator's own excepted), by name. */
export async function listTables(db: Kysely<Database>, dialect: StoreDialect): Promise<string[]> {
  const rows =
    dialect === 'postgres'
      ? await sql<{ name: string }>`select table_name as name from information_schema.tables
          where table_schema = current_schema() and table_type = 'BASE TABLE'`.execute(db)
      : await sql<{ name: string }>`select name from sqlite_master where type = 'table'`.execute(db);
  return rows.rows
    .map((r) => r.name)
    .filter((n) => !n.startsWith('sqlite_') && !n.startsWith('kysely_'))
    .sort();
}

export async function listColumns(db: Kysely<Database>, dialect: StoreDialect, table: string): Promise<string[]> {
  const rows =
    dialect === 'postgres'
      ? await sql<{ name: string }>`select column_name as name from information_schema.columns
          where table_schema = current_schema() and table_name = ${table} order by ordinal_position`.execute(db)
      : await sql<{ name: string }>`select name from pragma_table_info(${table}) order by cid`.execute(db);
  return rows.rows.map((r) => r.name);
}

/** Table -> the tables its foreign keys refer to. */
export async function foreignKeys(db: Kysely<Database>, dialect: StoreDialect, tables: readonly string[]): Promise<Map<string, string[]>> {
  const refers = new Map<string, string[]>();
  if (dialect === 'postgres') {
    const rows = await sql<{ child: string; parent: string }>`select distinct tc.table_name as child, ccu.table_name as parent
      from information_schema.table_constraints tc
      join information_schema.constraint_column_usage ccu
        on ccu.constraint_name = tc.constraint_name and ccu.constraint_schema = tc.constraint_schema
      where tc.constraint_type = 'FOREIGN KEY' and tc.table_schema = current_schema()`.execute(db);
    for (const r of rows.rows) refers.set(r.child, [...(refers.get(r.child) ?? []), r.parent]);
    return refers;
  }
  for (const table of tables) {
    const rows = await sql<{ parent: string }>`select "table" as parent from pragma_foreign_key_list(${table})`.execute(db);
    refers.set(
      table,
      rows.rows.map((r) => r.parent),
    );
  }
  return refers;
}

export async function appliedMigrations(db: Kysely<Database>): Promise<string[]> {
  const rows = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(db);
  return rows.rows.map((r) => r.name);
}

/** Every row of `table`, in a stable order (the first column). */
export async function dumpTable(db: Kysely<Database>, dialect: StoreDialect, table: string): Promise<TableDump> {
  const columns = await listColumns(db, dialect, table);
  const rows = await (db as AnyDb).selectFrom(table).selectAll().orderBy(sql.ref(columns[0]!)).execute();
  return { columns, rows: rows.map((r: Record<string, unknown>) => columns.map((c) => cell(r[c], table, c))) };
}

function cell(value: unknown, table: string, column: string): Cell {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  throw new Error(`${table}.${column} holds a ${typeof value}; a backup carries only text, numbers and null`);
}

/**
 * Runs `fn` in a read-only transaction that sees one snapshot of the database: REPEATABLE READ on
 * PostgreSQL (every statement sees the data as of the first), a read transaction on SQLite (in WAL
 * mode it keeps reading the database as it was when it began, while the server goes on writing).
 */
export async function inReadSnapshot<T>(db: Kysely<Database>, dialect: StoreDialect, fn: (tx: Kysely<Database>) => Promise<T>): Promise<T> {
  if (dialect === 'postgres') {
    return db.transaction().setIsolationLevel('repeatable read').setAccessMode('read only').execute(fn);
  }
  return db.transaction().execute(fn);
}

/** What a restore must know of the database before it writes. */
export async function targetContents(db: Kysely<Database>, dialect: StoreDialect): Promise<TargetContents> {
  const rows: Record<string, number> = {};
  for (const table of await listTables(db, dialect)) {
    const r = await (db as AnyDb).selectFrom(table).select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow();
    rows[table] = Number(r.n);
  }
  const bootstrap = await db
    .selectFrom('events')
    .select(sql<number>`count(*)`.as('n'))
    .where('action', '=', 'project.created')
    .where('actor', '=', 'embargo')
    .executeTakeFirstOrThrow();
  const settings = await db.selectFrom('settings').select('key').execute();
  return { rows, bootstrapEvents: Number(bootstrap.n), settingKeys: settings.map((s) => s.key) };
}

/** Empties the tables a fresh start filled (FRESH_TABLES), inside the restore's transaction. */
export async function clearTables(tx: Kysely<Database>, tables: readonly string[]): Promise<void> {
  for (const table of tables) await (tx as AnyDb).deleteFrom(table).execute();
}

/** Inserts a table's rows, in chunks that stay under both databases' limits on bound values. */
export async function loadTable(tx: Kysely<Database>, table: string, dump: TableDump): Promise<void> {
  const perChunk = Math.max(1, Math.floor(2000 / Math.max(1, dump.columns.length)));
  for (let i = 0; i < dump.rows.length; i += perChunk) {
    const values = dump.rows.slice(i, i + perChunk).map((row) => Object.fromEntries(dump.columns.map((c, j) => [c, row[j]])));
    await (tx as AnyDb).insertInto(table).values(values).execute();
  }
}
