/**
 * What a backup holds once decrypted: every table of the database as columns and rows, the
 * migrations that made its schema, and the stored secrets (GitHub tokens) opened, so that a restore
 * seals them again under the key of the install it lands in. Pure: reading and writing the tables is
 * the store's; encrypting the file is the app's.
 */
import { invalidInput } from '../errors.js';

export const SNAPSHOT_FORMAT = 'embargo-snapshot/1';

export type Cell = string | number | null;

export interface TableDump {
  columns: string[];
  rows: Cell[][];
}

export interface Snapshot {
  format: typeof SNAPSHOT_FORMAT;
  /** When the read transaction was taken (ISO 8601). */
  takenAt: string;
  /** The database it was read from: sqlite or postgres. */
  dialect: string;
  /** The migrations applied to it, in order; a restore needs a build with exactly these. */
  migrations: string[];
  /** The audit chain's head at the snapshot: the last event and its hash. */
  head: { seq: number; hash: string };
  tables: Record<string, TableDump>;
  /** Project -> its GitHub token in clear (null: it could not be opened with the key of the install). */
  secrets: Record<string, string | null>;
}

/**
 * Tables never carried: sign-in sessions are live bearer credentials of one server (after a restore
 * everyone signs in again), and the migrator's own tables are rebuilt by the migrations.
 */
export const NOT_BACKED_UP = new Set(['sessions']);

/** A snapshot read back from a decrypted file; throws invalid_input naming what is wrong. */
export function parseSnapshot(raw: unknown): Snapshot {
  const bad = (what: string) => invalidInput(`the backup's content is not an Embargo snapshot: ${what}`, { field: 'file' });
  const s = raw as Partial<Record<keyof Snapshot, unknown>> | null;
  if (typeof s !== 'object' || s === null) throw bad('not a JSON object');
  if (s.format !== SNAPSHOT_FORMAT) throw bad(`its format is not "${SNAPSHOT_FORMAT}"`);
  if (typeof s.takenAt !== 'string' || typeof s.dialect !== 'string') throw bad('takenAt or dialect is missing');
  if (!Array.isArray(s.migrations) || !s.migrations.every((m) => typeof m === 'string')) throw bad('migrations is not a list of names');
  const head = s.head as { seq?: unknown; hash?: unknown } | undefined;
  if (!head || !Number.isSafeInteger(head.seq) || typeof head.hash !== 'string') throw bad('head is not {seq, hash}');
  if (typeof s.tables !== 'object' || s.tables === null) throw bad('tables is missing');
  for (const [name, t] of Object.entries(s.tables as Record<string, Partial<TableDump>>)) {
    if (!Array.isArray(t.columns) || !Array.isArray(t.rows)) throw bad(`table ${name} has no columns or rows`);
    if (!t.rows.every((r) => Array.isArray(r) && r.length === t.columns!.length)) throw bad(`a row of table ${name} has the wrong width`);
  }
  if (typeof s.secrets !== 'object' || s.secrets === null) throw bad('secrets is missing');
  return s as Snapshot;
}

/**
 * The tables in an order that inserts every row after the rows it refers to: `refersTo` maps a table
 * to the tables its foreign keys name. Ties keep alphabetical order, so the order is stable.
 */
export function insertionOrder(tables: readonly string[], refersTo: ReadonlyMap<string, readonly string[]>): string[] {
  const known = new Set(tables);
  const done = new Set<string>();
  const order: string[] = [];
  const visit = (table: string, path: Set<string>) => {
    if (done.has(table) || path.has(table)) return; // a cycle (or a self reference) cannot be ordered further
    path.add(table);
    for (const parent of [...(refersTo.get(table) ?? [])].sort()) if (known.has(parent) && parent !== table) visit(parent, path);
    path.delete(table);
    done.add(table);
    order.push(table);
  };
  for (const t of [...tables].sort()) visit(t, new Set());
  return order;
}

/** Rows per table, for the answer of a backup and a restore. */
export const rowCounts = (s: Pick<Snapshot, 'tables'>): Record<string, number> =>
  Object.fromEntries(Object.entries(s.tables).map(([name, t]) => [name, t.rows.length]));
