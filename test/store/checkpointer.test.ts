/**
 * The server's SQLite checkpoints run on a worker thread (store/checkpointer.ts): the committing
 * connection checkpoints only past 4,000 pages of log, yet what is committed reaches the database
 * file well before that, the log stays bounded under writes that never pause, and closing stops
 * the worker with every row kept.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/store.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'embargo-ckpt-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const size = (file: string) => statSync(file).size;

describe('background checkpoints (SQLite, the server)', () => {
  it('copies committed pages into the database file from another thread and keeps the log from growing', async () => {
    const store = await openStore({ dataDir: dir, backgroundCheckpoints: true });
    const file = path.join(dir, 'embargo.db');
    try {
      const auto = await sql<{ wal_autocheckpoint: number }>`pragma wal_autocheckpoint`.execute(store.db);
      expect(auto.rows[0]?.wal_autocheckpoint).toBe(4000);
      await store.write((tx) => sql`create table filler (x text)`.execute(tx));
      const before = size(file);
      const fill = async () => {
        for (let i = 0; i < 20; i++) {
          await store.write((tx) =>
            sql`with recursive n(i) as (select 1 union all select i + 1 from n where i < 50) insert into filler select hex(randomblob(2000)) from n`.execute(
              tx,
            ),
          );
        }
      };
      // 4 MB (about 1,000 pages) a fill: far below the committing connection's bound, so only the
      // worker's checkpoints carry the pages into the database file.
      for (let round = 1; round <= 2; round++) {
        await fill();
        await expect.poll(() => size(file), { timeout: 5000 }).toBeGreaterThan(before + round * 4_000_000);
      }
      // 28 MB more without a pause: the log stays within its bound (4,000 pages of 4 KB and their headers).
      for (let round = 0; round < 7; round++) await fill();
      expect(size(`${file}-wal`)).toBeLessThan(4000 * 4120 + 1_000_000);
    } finally {
      await store.close();
    }
    const reopened = await openStore({ dataDir: dir });
    try {
      const n = await sql<{ n: number }>`select count(*) as n from filler`.execute(reopened.db);
      expect(Number(n.rows[0]?.n)).toBe(9000);
      const auto = await sql<{ wal_autocheckpoint: number }>`pragma wal_autocheckpoint`.execute(reopened.db);
      expect(auto.rows[0]?.wal_autocheckpoint).toBe(1000);
    } finally {
      await reopened.close();
    }
  });
});
