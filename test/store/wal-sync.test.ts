/**
 * SQLite commits with synchronous = NORMAL and the store syncs the log itself, off the main thread,
 * before it answers: a write is acknowledged only once its commit is on disk, and a failed sync
 * fails the writes it was for instead of acknowledging them.
 */
import { mkdtempSync, readdirSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore, sqliteGroupCommit, type Store, walSync } from '../../src/store/store.js';

let dir: string;
let store: Store;
beforeEach(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'embargo-walsync-'));
  store = await openStore({ dataDir: dir });
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const noLock = async () => {};

describe('syncing the log before answering (SQLite)', () => {
  it('syncs a real log file, and counts a log already removed (closed and checkpointed) as synced', async () => {
    await store.write(async (tx) => {
      await sql`create table t (x integer)`.execute(tx);
    });
    await expect(walSync(path.join(dir, 'embargo.db-wal'))()).resolves.toBeUndefined();
    await expect(walSync(path.join(dir, 'no-such.db-wal'))()).resolves.toBeUndefined();
    // A path that cannot be a file is an error, not a silent success.
    writeFileSync(path.join(dir, 'file'), '');
    await expect(walSync(path.join(dir, 'file', 'x-wal'))()).rejects.toThrow(/ENOTDIR/);
  });

  it('opens the log file once, keeps it for the next syncs, and lets go of it when closed', async () => {
    await store.write(async (tx) => {
      await sql`create table t (x integer)`.execute(tx);
    });
    const wal = path.join(dir, 'embargo.db-wal');
    // Open descriptors of this process on the log: SQLite's own, and the store's syncer's.
    const openOnLog = () =>
      readdirSync('/proc/self/fd').filter((fd) => {
        try {
          return readlinkSync(`/proc/self/fd/${fd}`) === wal;
        } catch {
          return false;
        }
      }).length;
    const before = openOnLog();
    const sync = walSync(wal);
    await sync();
    await sync();
    await Promise.all([sync(), sync()]);
    expect(openOnLog()).toBe(before + 1);
    await sync.close();
    expect(openOnLog()).toBe(before);
    // Closed is not broken: a later sync opens the file again.
    await sync();
    expect(openOnLog()).toBe(before + 1);
    await sync.close();
  });

  it('answers a committed write only after its sync has finished', async () => {
    let finishSync!: () => void;
    let syncs = 0;
    const write = sqliteGroupCommit(store.db, noLock, () => {
      syncs += 1;
      return new Promise<void>((resolve) => {
        finishSync = resolve;
      });
    });
    let answered = false;
    const pending = write(async (tx) => {
      await sql`create table t (x integer)`.execute(tx);
      return 'done';
    }).then((v) => {
      answered = true;
      return v;
    });
    // The commit is done (another connection's view: the table exists) but the answer waits for the disk.
    await expect.poll(() => syncs).toBe(1);
    const tables = await sql<{ name: string }>`select name from sqlite_master where name = 't'`.execute(store.db);
    expect(tables.rows).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 20));
    expect(answered).toBe(false);
    finishSync();
    await expect(pending).resolves.toBe('done');
  });

  it('fails every write of a group whose sync fails, saying that it was committed but not synced', async () => {
    const write = sqliteGroupCommit(store.db, noLock, async () => {
      throw new Error('EIO: i/o error, fdatasync');
    });
    const results = await Promise.allSettled([1, 2, 3].map((i) => write(async () => i)));
    for (const r of results) {
      expect(r.status).toBe('rejected');
      expect(String((r as PromiseRejectedResult).reason)).toMatch(/committed but could not be synced to disk: EIO/);
    }
  });
});
