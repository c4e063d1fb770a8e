/**
 * The audit log: an append-only, hash-chained list of domain events. Each event's hash covers its
 * content and the previous event's hash; chain_head holds the last seq and hash so that deleting
 * events at the end is detected too. Appends happen only inside `store.write`, which holds the writer
 * lock, so two writers can never both append event N.
 */
import { timeOrderedId } from './time-ordered-id.js';
import { type Kysely, type Selectable, sql } from 'kysely';
import type { DomainEvent } from '../domain/events.js';
import type { Database, EventsTable } from './schema.js';
import type { Store } from './store.js';
import { isWriteTransaction } from './write-scope.js';
import { hasNul, isPostgres, rowLimit } from './portable-sql.js';
import { prepared } from './prepared.js';
import { type ChainHead, canonicalJson, readHead, rowHash } from './chain-links.js';

export { canonicalJson, hashEvent } from './chain-links.js';
export { type ChainVerification, verifyChain } from './chain-verify.js';

/** Where an event sits in the chain: who wrote it, when, and the hashes that link it. */
export interface EventRecord {
  seq: number;
  id: string;
  /** ISO-8601 */
  at: string;
  actor: string;
  prevHash: string;
  hash: string;
}

/**
 * An event as read back: one of the domain's events (switch over `action`) with its place in the
 * chain. The stored JSON is what was appended, so the union's details describe it.
 */
export type StoredEvent = DomainEvent & EventRecord;

function toStoredEvent(row: Selectable<EventsTable>): StoredEvent {
  // Only appendEvents writes rows, and it takes DomainEvents: the action fixes the details' shape.
  return {
    seq: Number(row.seq),
    id: row.id,
    at: row.at,
    actor: row.actor,
    action: row.action,
    caseId: row.case_id,
    details: JSON.parse(row.details),
    prevHash: row.prev_hash,
    hash: row.hash,
  } as StoredEvent;
}

const moveChainHead = prepared((db, p: { seq: number; hash: string; fromSeq: number }) =>
  db.updateTable('chain_head').set({ last_seq: p.seq, last_hash: p.hash }).where('id', '=', 1).where('last_seq', '=', p.fromSeq),
);

/** Events written by one actor at one time: what one unit of work appends. */
export interface EventGroup {
  actor: string;
  at: Date;
  events: DomainEvent[];
}

/**
 * Appends events to the chain, all with the same actor and time. Must be called with the transaction
 * of a `store.write` (which holds the writer lock); throws otherwise.
 */
export function appendEvents(db: Kysely<Database>, input: EventGroup): Promise<StoredEvent[]> {
  return appendEventGroups(db, [input]);
}

/** Appends several units' events in order, in one insert and one update of the chain head. */
async function appendEventGroups(db: Kysely<Database>, groups: readonly EventGroup[]): Promise<StoredEvent[]> {
  if (!isWriteTransaction(db)) {
    throw new Error('appendEvents must be called inside store.write(), with the transaction it passes in.');
  }
  for (const g of groups) checkGroup(g);
  if (groups.every((g) => g.events.length === 0)) return [];
  const head = await readHead(db);
  const rows = chainRows(head, groups);
  await insertEventRows(db, rows);
  const last = rows[rows.length - 1]!;
  const res = await moveChainHead(db, { seq: Number(last.seq), hash: last.hash, fromSeq: head.lastSeq });
  if (res.changed !== 1) {
    throw new Error('The event chain moved while appending: appendEvents must run inside store.write().');
  }
  return rows.map(toStoredEvent);
}

/**
 * Inserts rows with statements whose text is the same for any number of rows: Kysely built a
 * multi-row VALUES for every batch, and SQLite compiled each new batch size as a new statement.
 * SQLite: one row per run of a prepared insert (a run inside the write's transaction is a call into
 * SQLite, prepared.ts); PostgreSQL: one statement for all of them, a round trip being what costs.
 */
async function insertEventRows(db: Kysely<Database>, rows: readonly Selectable<EventsTable>[]): Promise<void> {
  if (isPostgres(db)) {
    await insertEventColumns(db, columnsOf(rows));
    return;
  }
  for (const row of rows) await insertEventRow(db, row);
}

const insertEventRow = prepared((db, p: Selectable<EventsTable>) =>
  db.insertInto('events').values({
    seq: p.seq,
    id: p.id,
    at: p.at,
    actor: p.actor,
    action: p.action,
    case_id: p.case_id,
    details: p.details,
    prev_hash: p.prev_hash,
    hash: p.hash,
  }),
);

const EVENT_COLUMNS = ['seq', 'id', 'at', 'actor', 'action', 'case_id', 'details', 'prev_hash', 'hash'] as const;

/** PostgreSQL: the rows of one array per column, as a table. */
const unnestedEvents = (p: EventColumns) =>
  sql`select * from unnest(${p.seq}::integer[], ${p.id}::text[], ${p.at}::text[], ${p.actor}::text[], ${p.action}::text[], ${p.caseId}::text[], ${p.details}::text[], ${p.prevHash}::text[], ${p.hash}::text[])`;

const insertEventColumns = prepared((db, p: EventColumns) => db.insertInto('events').columns(EVENT_COLUMNS).expression(unnestedEvents(p)));

/** The groups' events as rows of the chain after `head`, each linked to the one before. */
function chainRows(head: ChainHead, groups: readonly EventGroup[]): Selectable<EventsTable>[] {
  let seq = head.lastSeq;
  let prevHash = head.lastHash;
  const rows: Selectable<EventsTable>[] = [];
  for (const g of groups) {
    const at = g.at.toISOString();
    for (const e of g.events) {
      seq += 1;
      const row = {
        seq,
        id: timeOrderedId(),
        at,
        actor: g.actor,
        action: e.action,
        case_id: e.caseId ?? null,
        details: canonicalJson(e.details),
        prev_hash: prevHash,
        hash: '',
      };
      row.hash = rowHash(row);
      prevHash = row.hash;
      rows.push(row);
    }
  }
  return rows;
}

function checkGroup(g: EventGroup): void {
  if (g.events.length === 0) return;
  if (!g.actor) throw new Error('appendEvents: actor is required.');
  for (const e of g.events) if (!e.action) throw new Error('appendEvents: every event needs an action.');
}

interface QueuedRecord {
  group: EventGroup;
  resolve(): void;
  reject(err: unknown): void;
}

/** The waiting records of each store, whether a write is taking them, and (PostgreSQL) the head it last wrote. */
const recorders = new WeakMap<Store, Recorder>();

interface Recorder {
  queue: QueuedRecord[];
  busy: boolean;
  head?: ChainHead;
}

/**
 * Appends a unit's events in a write of their own, batched with every other record waiting: one
 * commit (one sync to disk) for all of them. Resolves once the write has committed, so a caller
 * that answers after it never answers with an unrecorded read. For records that do not depend on
 * the state they are appended to (a read of a case): the writer lock is never held across the
 * read's own round trips (on PostgreSQL, not even across the batch's: appendAfterHead).
 */
export function recordEvents(store: Store, group: EventGroup): Promise<void> {
  checkGroup(group);
  if (group.events.length === 0) return Promise.resolve();
  let recorder = recorders.get(store);
  if (!recorder) {
    recorder = { queue: [], busy: false };
    recorders.set(store, recorder);
  }
  const r = recorder;
  const done = new Promise<void>((resolve, reject) => r.queue.push({ group, resolve, reject }));
  if (!r.busy) {
    r.busy = true;
    // On the next turn of the event loop: the requests that arrived together share the first batch.
    setImmediate(async () => {
      while (r.queue.length > 0) {
        const batch = r.queue.splice(0, RECORD_BATCH);
        try {
          await appendRecords(
            store,
            r,
            batch.map((q) => q.group),
          );
          for (const q of batch) q.resolve();
        } catch (err) {
          for (const q of batch) q.reject(err);
        }
      }
      r.busy = false;
    });
  }
  return done;
}

/**
 * SQLite: one write of the group commit. PostgreSQL: one statement that moves the chain head from
 * the head this instance last saw (or reads now) and inserts the batch after it — one round trip,
 * holding the chain_head row lock for that statement alone instead of across the six round trips
 * of a write. A change or another instance that moved the head meanwhile makes it write nothing:
 * the batch is chained again after the head as it is now. Writers that keep winning leave the
 * batch to a locked write like any other.
 */
async function appendRecords(store: Store, r: Recorder, groups: readonly EventGroup[]): Promise<void> {
  if (store.dialect === 'postgres') {
    for (let attempt = 0; attempt < HEAD_ATTEMPTS; attempt++) {
      const head = r.head ?? (await readHead(store.db));
      const rows = chainRows(head, groups);
      const last = rows[rows.length - 1]!;
      const res = await appendAfterHead(store.db, {
        fromSeq: head.lastSeq,
        fromHash: head.lastHash,
        toSeq: Number(last.seq),
        toHash: last.hash,
        ...columnsOf(rows),
      });
      if (res.changed === rows.length) {
        r.head = { lastSeq: Number(last.seq), lastHash: last.hash };
        return;
      }
      r.head = undefined;
    }
  }
  await store.write((tx) => appendEventGroups(tx, groups));
}

/** Tries of appendAfterHead before a batch waits for the writer lock instead. */
const HEAD_ATTEMPTS = 3;

interface EventColumns {
  seq: number[];
  id: string[];
  at: string[];
  actor: string[];
  action: string[];
  caseId: (string | null)[];
  details: string[];
  prevHash: string[];
  hash: string[];
}

function columnsOf(rows: readonly Selectable<EventsTable>[]): EventColumns {
  return {
    seq: rows.map((r) => Number(r.seq)),
    id: rows.map((r) => r.id),
    at: rows.map((r) => r.at),
    actor: rows.map((r) => r.actor),
    action: rows.map((r) => r.action),
    caseId: rows.map((r) => r.case_id),
    details: rows.map((r) => r.details),
    prevHash: rows.map((r) => r.prev_hash),
    hash: rows.map((r) => r.hash),
  };
}

/**
 * PostgreSQL: the rows (as one array per column, so the statement's text and plan are the same for
 * any batch) inserted only if chain_head moved from `from` to `to`. A data-modifying WITH runs once,
 * whatever reads it; the insert reads its RETURNING. The UPDATE waits for a writer holding the row
 * and then checks its condition against the head that writer left.
 */
const appendAfterHead = prepared((db, p: { fromSeq: number; fromHash: string; toSeq: number; toHash: string } & EventColumns) =>
  db
    .with('moved', (w) =>
      w
        .updateTable('chain_head')
        .set({ last_seq: p.toSeq, last_hash: p.toHash })
        .where('id', '=', 1)
        .where('last_seq', '=', p.fromSeq)
        .where('last_hash', '=', p.fromHash)
        .returning('id'),
    )
    .insertInto('events')
    .columns(EVENT_COLUMNS)
    .expression(sql`${unnestedEvents(p)} where exists (select 1 from moved)`),
);

/** Records per batch: bounds one transaction's time (and the arrays of one PostgreSQL statement). */
const RECORD_BATCH = 1000;

export interface ListEventsOptions {
  caseId?: string;
  /** Only events with seq greater than this. */
  afterSeq?: number;
  /** Only events with seq less than this. */
  beforeSeq?: number;
  /** Default 'asc' (oldest first). */
  order?: 'asc' | 'desc';
  /** Default 100. */
  limit?: number;
  /** Only these actions. */
  actions?: readonly string[];
}

export async function listEvents(db: Kysely<Database>, opts: ListEventsOptions = {}): Promise<StoredEvent[]> {
  const limit = opts.limit ?? 100;
  if (!Number.isInteger(limit) || limit < 0) throw new Error(`Bad limit: ${limit}`);
  if (hasNul(opts.caseId)) return [];
  let q = db.selectFrom('events').selectAll();
  if (opts.caseId !== undefined) q = q.where('case_id', '=', opts.caseId);
  if (opts.afterSeq !== undefined) q = q.where('seq', '>', opts.afterSeq);
  if (opts.beforeSeq !== undefined) q = q.where('seq', '<', opts.beforeSeq);
  if (opts.actions !== undefined) q = q.where('action', 'in', opts.actions.length > 0 ? [...opts.actions] : ['']);
  const rows = await q
    .orderBy('seq', opts.order ?? 'asc')
    .limit(rowLimit(limit))
    .execute();
  return rows.map(toStoredEvent);
}

/** The chain hash stored for event `seq`, or null when there is no such event. */
export async function eventHash(db: Kysely<Database>, seq: number): Promise<string | null> {
  const row = await db.selectFrom('events').select('hash').where('seq', '=', seq).executeTakeFirst();
  return row?.hash ?? null;
}

/** How each of these cases came in: the `report.received` source (form, mail) or GitHub for an imported advisory. */
export async function reportSources(db: Kysely<Database>, caseIds: readonly string[]): Promise<Map<string, string>> {
  const sources = new Map<string, string>();
  const ids = caseIds.filter((id) => !hasNul(id));
  // In slices: a query's parameters are limited (SQLite: 32,766; PostgreSQL: 65,535).
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await db
      .selectFrom('events')
      .select(['case_id', 'action', 'details'])
      .where('action', 'in', ['report.received', 'advisory.imported'])
      .where('case_id', 'in', ids.slice(i, i + 500))
      .execute();
    for (const r of rows) {
      if (!r.case_id) continue;
      const source = r.action === 'advisory.imported' ? 'GitHub' : String((JSON.parse(r.details) as { source?: string }).source ?? 'form');
      sources.set(r.case_id, source);
    }
  }
  return sources;
}
