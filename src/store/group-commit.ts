/**
 * SQLite's writes: the group commit that runs the writes arriving together in one transaction, and
 * the sync of the log that makes a commit durable before anyone is answered.
 */
import { type FileHandle, open } from 'node:fs/promises';
import { type Kysely, sql } from 'kysely';
import { type DirectRunner, runDirectly, stopRunningDirectly } from './prepared.js';
import type { Database } from './schema.js';
import { enterWrite, insideWrite, leaveWrite } from './write-scope.js';

interface QueuedWrite {
  fn: (tx: Kysely<Database>) => Promise<unknown>;
  resolve(value: unknown): void;
  reject(err: unknown): void;
}

/** Syncs the log to disk; `close` lets go of the file when the store closes. */
export interface LogSync {
  (): Promise<void>;
  close(): Promise<void>;
}

/**
 * Makes the committed log durable: fdatasync of the -wal file on a pool thread (libuv's), so the one
 * thread that serves every request does not wait for the disk (~0.2–2 ms a sync; a sixth of a case
 * read's time when SQLite synced in COMMIT with synchronous = FULL). A sync that starts after a
 * COMMIT returned covers that commit and every one before it. Nothing to sync in memory.
 *
 * The file is opened once and kept: opening and closing it for every sync were two more trips to
 * the pool, for each group of writes, before the writes could be answered. SQLite keeps the same
 * -wal file while any connection is open (it starts the log over inside it), and this store's
 * connection stays open until `close`.
 */
export function walSync(walFile: string | undefined): LogSync {
  let file: Promise<FileHandle | undefined> | undefined;
  const opened = (path: string) =>
    open(path, 'r').catch((err: NodeJS.ErrnoException) => {
      file = undefined;
      // Gone: the last connection closed, which checkpoints the log into the database and syncs it.
      if (err.code === 'ENOENT') return undefined;
      throw err;
    });
  const sync = async () => {
    if (!walFile) return;
    file ??= opened(walFile);
    await (await file)?.datasync();
  };
  return Object.assign(sync, {
    async close() {
      const handle = await file?.catch(() => undefined);
      file = undefined;
      await handle?.close();
    },
  });
}

/**
 * SQLite's group commit. One commit per write capped the server at a few hundred writes — an
 * audited read is one — a second. Writes that arrive while another is queued run one after the
 * other in ONE transaction, each inside its own savepoint: a write that throws is rolled back alone
 * (to its savepoint) and rejected; the others commit together. Nobody is answered before the COMMIT
 * has returned AND the log is synced to disk (`sync`), so every acknowledged write, and every read's
 * record, survives a crash of the machine, not only of the process; a failed COMMIT or sync rejects
 * the whole group. The next group runs while the last one's sync is still on the disk. The group
 * starts on the next turn of the event loop (setImmediate), so the requests that arrived together
 * are queued together. `inTransaction` runs the prepared queries of the group's transaction at once
 * (prepared.ts, runDirectly).
 */
export function sqliteGroupCommit(
  db: Kysely<Database>,
  takeWriterLock: (tx: Kysely<Database>) => Promise<void>,
  sync: () => Promise<void>,
  inTransaction?: DirectRunner,
): <T>(fn: (tx: Kysely<Database>) => Promise<T>) => Promise<T> {
  let queue: QueuedWrite[] = [];
  let scheduled = false;

  const runGroup = async (group: QueuedWrite[]) => {
    const outcomes: ({ ok: true; value: unknown } | { ok: false; err: unknown })[] = [];
    try {
      await db.transaction().execute(async (tx) => {
        enterWrite(tx);
        if (inTransaction) runDirectly(tx, inTransaction);
        try {
          await takeWriterLock(tx);
          for (const w of group) {
            await sql`savepoint embargo_write`.execute(tx);
            try {
              const value = await insideWrite.run(() => w.fn(tx));
              await sql`release embargo_write`.execute(tx);
              outcomes.push({ ok: true, value });
            } catch (err) {
              await sql`rollback to embargo_write`.execute(tx);
              await sql`release embargo_write`.execute(tx);
              outcomes.push({ ok: false, err });
            }
          }
        } finally {
          leaveWrite(tx);
          stopRunningDirectly(tx);
        }
      });
    } catch (err) {
      // Nothing of the group was committed.
      for (const w of group) w.reject(err);
      return;
    }
    // Not awaited: the next group may commit meanwhile; this one is answered once it is on disk.
    sync().then(
      () =>
        group.forEach((w, i) => {
          const o = outcomes[i]!;
          if (o.ok) w.resolve(o.value);
          else w.reject(o.err);
        }),
      (err) => {
        const failed = new Error(`The write was committed but could not be synced to disk: ${(err as Error).message}`, { cause: err });
        for (const w of group) w.reject(failed);
      },
    );
  };

  const drain = async () => {
    while (queue.length > 0) {
      const group = queue;
      queue = [];
      await runGroup(group);
    }
    scheduled = false;
  };

  return <T>(fn: (tx: Kysely<Database>) => Promise<T>): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      queue.push({ fn, resolve: resolve as (value: unknown) => void, reject });
      if (!scheduled) {
        scheduled = true;
        setImmediate(() => void drain());
      }
    });
}
