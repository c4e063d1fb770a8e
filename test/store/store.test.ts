import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import BetterSqlite3 from 'better-sqlite3';
import { sql } from 'kysely';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { getCase, insertCase, nextCaseId } from '../../src/store/cases.js';
import { appendEvents, listEvents, verifyChain } from '../../src/store/events.js';
import { migrationNames } from '../../src/store/migrate.js';
import { GENESIS_HASH } from '../../src/store/schema.js';
import { getSetting, setSetting } from '../../src/store/settings.js';
import { type Store, openStore, resolveDatabaseTarget } from '../../src/store/store.js';
import { storeFactories } from '../support/databases.js';
import { makeCase } from './fixtures/data.js';
import type { DomainEvent } from '../../src/domain/events.js';

// The chain is indifferent to what an event says: any action and details, cast to the union.
const testEvent = (action: string, caseId: string | null, details: Record<string, unknown> = {}): DomainEvent =>
  ({ action, caseId, details }) as unknown as DomainEvent;

const at = new Date('2026-03-01T10:00:00.000Z');

describe.each(storeFactories())('store on $name', (factory) => {
  let store: Store;
  beforeEach(async () => {
    store = await factory.open();
  });
  afterEach(async () => {
    await store.close();
  });

  it('reports its dialect and starts with an empty chain', async () => {
    expect(store.dialect).toBe(factory.dialect);
    const head = await store.db.selectFrom('chain_head').selectAll().execute();
    expect(head).toEqual([{ id: 1, last_seq: 0, last_hash: GENESIS_HASH }]);
    expect(await verifyChain(store.db)).toEqual({ ok: true, checked: 0 });
  });

  it('runs migrations idempotently (open the same database twice)', async () => {
    await store.write((tx) => setSetting(tx, 'instance', 'one'));
    const again = await factory.reopen(store);
    try {
      expect(await getSetting(again.db, 'instance')).toBe('one');
      const migrations = await sql<{ name: string }>`select name from kysely_migration`.execute(again.db);
      expect(migrations.rows.map((r) => r.name)).toEqual([...migrationNames]);
      expect(migrationNames[0]).toBe('0001_initial');
      expect(await again.db.selectFrom('chain_head').selectAll().execute()).toHaveLength(1);
    } finally {
      await again.close();
    }
    // The original keeps working after the second store closed.
    expect(await getSetting(store.db, 'instance')).toBe('one');
  });

  it('commits a write when fn resolves', async () => {
    const result = await store.write(async (tx) => {
      await insertCase(tx, makeCase({ id: 'EMB-2026-0001' }));
      await appendEvents(tx, { actor: 'alice', at, events: [testEvent('case.created', 'EMB-2026-0001', {})] });
      return 'done';
    });
    expect(result).toBe('done');
    expect((await getCase(store.db, 'EMB-2026-0001'))?.id).toBe('EMB-2026-0001');
    expect(await listEvents(store.db)).toHaveLength(1);
  });

  it('rolls back everything when fn throws: no events, no state change', async () => {
    await store.write(async (tx) => {
      await setSetting(tx, 'k', 'before');
      await appendEvents(tx, { actor: 'alice', at, events: [testEvent('setup', null, {})] });
    });
    const headBefore = await store.db.selectFrom('chain_head').selectAll().executeTakeFirstOrThrow();

    await expect(
      store.write(async (tx) => {
        const id = await nextCaseId(tx, 2026);
        await insertCase(tx, makeCase({ id }));
        await setSetting(tx, 'k', 'after');
        await appendEvents(tx, {
          actor: 'alice',
          at,
          events: [testEvent('case.created', id, { a: 1 }), testEvent('case.edited', id, { b: 2 })],
        });
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');

    expect(await listEvents(store.db)).toHaveLength(1);
    expect(await getCase(store.db, 'EMB-2026-0001')).toBeUndefined();
    expect(await getSetting(store.db, 'k')).toBe('before');
    expect(await store.db.selectFrom('chain_head').selectAll().executeTakeFirstOrThrow()).toEqual(headBefore);
    expect(await store.db.selectFrom('case_counters').selectAll().execute()).toEqual([]);
    // The counter was rolled back too: the next id is still 0001.
    expect(await store.write((tx) => nextCaseId(tx, 2026))).toBe('EMB-2026-0001');
    expect(await verifyChain(store.db)).toEqual({ ok: true, checked: 1 });
  });

  it('refuses nested store.write / store.read inside a write, and rolls the outer write back', async () => {
    await expect(
      store.write(async (tx) => {
        await setSetting(tx, 'nested', 'yes');
        await store.write(async () => undefined);
      }),
    ).rejects.toThrow(/inside store\.write\(\): use the transaction handle/);
    await expect(store.write(async () => store.read(async () => 1))).rejects.toThrow(/store\.read\(\) was called inside/);
    expect(await getSetting(store.db, 'nested')).toBeUndefined();
  });

  it('refuses appendEvents outside store.write', async () => {
    await expect(appendEvents(store.db, { actor: 'alice', at, events: [testEvent('x', null, {})] })).rejects.toThrow(/inside store\.write/);
    await expect(
      store.db.transaction().execute((tx) => appendEvents(tx, { actor: 'alice', at, events: [testEvent('x', null, {})] })),
    ).rejects.toThrow(/inside store\.write/);
  });

  // On PostgreSQL the writes get connections of their own from the pool, so only the writer lock
  // keeps them apart: each reads the chain head, yields, then appends. (On SQLite the one connection
  // runs one transaction at a time; the writer lock itself is checked by the next test.)
  it('serializes concurrent writes: 10 parallel writes get one unforked chain and 10 distinct case ids', async () => {
    const ids = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        store.write(async (tx) => {
          const before = await listEvents(tx);
          // Yield between statements so the writes would interleave if they were not serialized.
          await new Promise((r) => setTimeout(r, 1));
          await appendEvents(tx, { actor: `writer-${i}`, at, events: [testEvent('case.noted', null, { seen: before.length })] });
          const id = await nextCaseId(tx, 2026);
          await insertCase(tx, makeCase({ id, title: `parallel ${i}` }));
          return id;
        }),
      ),
    );
    expect([...ids].sort()).toEqual(Array.from({ length: 10 }, (_, i) => `EMB-2026-${String(i + 1).padStart(4, '0')}`));
    const events = await listEvents(store.db);
    expect(events.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    // Each write saw every event of the writes before it.
    expect(events.map((e) => (e.details as { seen?: number }).seen)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(await verifyChain(store.db)).toEqual({ ok: true, checked: 10 });
  });

  it('holds the writer lock from the start of a write, before fn runs a statement, until it commits', async () => {
    const probe = await writerLockProbe(store);
    try {
      expect(await probe.lockIsFree()).toBe(true);
      expect(await store.write(() => probe.lockIsFree())).toBe(false);
      expect(await probe.lockIsFree()).toBe(true);
      await expect(
        store.write(async () => {
          throw new Error('refused');
        }),
      ).rejects.toThrow('refused');
      expect(await probe.lockIsFree()).toBe(true);
    } finally {
      await probe.close();
    }
  });

  it('counts case ids per year', async () => {
    const ids = await store.write(async (tx) => [
      await nextCaseId(tx, 2026),
      await nextCaseId(tx, 2026),
      await nextCaseId(tx, 2027),
      await nextCaseId(tx, 2026),
    ]);
    expect(ids).toEqual(['EMB-2026-0001', 'EMB-2026-0002', 'EMB-2027-0001', 'EMB-2026-0003']);
  });

  // PostgreSQL: two pools, the row lock on chain_head. (SQLite across processes: see below; two
  // SQLite connections in ONE process cannot wait for each other, as better-sqlite3 is synchronous.)
  // Registered only where it applies, so the SQLite run reports no skipped test.
  const onPostgres = factory.dialect === 'postgres' ? it : () => undefined;
  onPostgres('serializes writes from two Store instances on one database', async () => {
    const other = await factory.reopen(store);
    try {
      const all = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          (i % 2 ? other : store).write(async (tx) => {
            // Chain first: the case counter's row lock would serialize the writes by itself.
            await listEvents(tx);
            await new Promise((r) => setTimeout(r, 2));
            await appendEvents(tx, { actor: `w${i}`, at, events: [testEvent('x', null, {})] });
            return nextCaseId(tx, 2026);
          }),
        ),
      );
      expect(new Set(all).size).toBe(10);
      expect(await verifyChain(store.db)).toEqual({ ok: true, checked: 10 });
    } finally {
      await other.close();
    }
  });
});

/**
 * A second connection to the store's database that asks, without waiting, whether it could take the
 * writer lock now: SQLite's write lock (BEGIN IMMEDIATE), PostgreSQL's row lock on chain_head.
 */
async function writerLockProbe(store: Store): Promise<{ lockIsFree(): Promise<boolean>; close(): Promise<void> }> {
  if (store.dialect === 'sqlite') {
    const { rows } = await sql<{ name: string; file: string }>`pragma database_list`.execute(store.db);
    const raw = new BetterSqlite3(rows.find((r) => r.name === 'main')!.file, { timeout: 0 });
    return {
      async lockIsFree() {
        try {
          raw.exec('begin immediate');
        } catch (err) {
          if ((err as { code?: string }).code === 'SQLITE_BUSY') return false;
          throw err;
        }
        raw.exec('rollback');
        return true;
      },
      async close() {
        raw.close();
      },
    };
  }
  const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(store.db);
  const client = new pg.Client({ connectionString: process.env.EMBARGO_TEST_DATABASE_URL });
  await client.connect();
  return {
    async lockIsFree() {
      await client.query('begin');
      try {
        await client.query(`select last_seq from "${rows[0]!.schema}".chain_head where id = 1 for update nowait`);
        return true;
      } catch (err) {
        if ((err as { code?: string }).code === '55P03') return false; // lock_not_available
        throw err;
      } finally {
        await client.query('rollback');
      }
    },
    close: () => client.end(),
  };
}

describe('SQLite across processes', () => {
  it('two processes writing one file neither deadlock nor fork the chain', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'embargo-procs-'));
    try {
      // Create and migrate first, so the children only write.
      await (await openStore({ dataDir: dir })).close();
      const script = fileURLToPath(new URL('./fixtures/writer.ts', import.meta.url));
      const run = (name: string) =>
        new Promise<string>((resolve, reject) => {
          const child = spawn(process.execPath, ['--import', 'tsx', script, dir, name, '25'], {
            stdio: ['ignore', 'pipe', 'pipe'],
          });
          let out = '';
          let err = '';
          child.stdout.on('data', (d) => (out += d));
          child.stderr.on('data', (d) => (err += d));
          child.on('error', reject);
          child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`writer ${name} exited ${code}: ${err}`))));
        });
      await Promise.all([run('a'), run('b')]);
      const store = await openStore({ dataDir: dir });
      try {
        const events = await listEvents(store.db, { limit: 1000 });
        expect(events).toHaveLength(50);
        expect(new Set(events.map((e) => e.caseId)).size).toBe(50);
        expect(await verifyChain(store.db)).toEqual({ ok: true, checked: 50 });
      } finally {
        await store.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('openStore / resolveDatabaseTarget', () => {
  it('defaults to ./data/embargo.db, or dataDir/embargo.db', () => {
    expect(resolveDatabaseTarget({})).toEqual({ kind: 'sqlite', file: path.resolve('data', 'embargo.db') });
    expect(resolveDatabaseTarget({ dataDir: '/srv/emb' })).toEqual({ kind: 'sqlite', file: '/srv/emb/embargo.db' });
  });

  it('accepts sqlite:PATH, sqlite://PATH and plain file paths', () => {
    expect(resolveDatabaseTarget({ databaseUrl: 'sqlite:/tmp/x.db' })).toEqual({ kind: 'sqlite', file: '/tmp/x.db' });
    expect(resolveDatabaseTarget({ databaseUrl: 'sqlite:///tmp/x.db' })).toEqual({ kind: 'sqlite', file: '/tmp/x.db' });
    expect(resolveDatabaseTarget({ databaseUrl: 'sqlite:rel/x.db' })).toEqual({ kind: 'sqlite', file: path.resolve('rel/x.db') });
    expect(resolveDatabaseTarget({ databaseUrl: '/var/lib/embargo/e.db', dataDir: '/ignored' })).toEqual({
      kind: 'sqlite',
      file: '/var/lib/embargo/e.db',
    });
  });

  it('accepts postgres:// and postgresql://', () => {
    expect(resolveDatabaseTarget({ databaseUrl: 'postgres://u@h/db' }).kind).toBe('postgres');
    expect(resolveDatabaseTarget({ databaseUrl: 'postgresql://u@h/db' }).kind).toBe('postgres');
  });

  it('rejects other URLs with a clear sentence (and hides the password)', async () => {
    await expect(openStore({ databaseUrl: 'mysql://bob:hunter2@db/emb' })).rejects.toThrow(
      /is not supported: use postgres:\/\/… or postgresql:\/\/… for PostgreSQL, or sqlite:PATH/,
    );
    await expect(openStore({ databaseUrl: 'mysql://bob:hunter2@db/emb' })).rejects.not.toThrow(/hunter2/);
  });

  it('opens a sqlite: URL, creating directories, with WAL and foreign keys on', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'embargo-url-'));
    try {
      const file = path.join(dir, 'nested', 'deeper', 'e.db');
      const store = await openStore({ databaseUrl: `sqlite:${file}` });
      try {
        const mode = await sql<{ journal_mode: string }>`pragma journal_mode`.execute(store.db);
        expect(mode.rows[0]?.journal_mode).toBe('wal');
        const fk = await sql<{ foreign_keys: number }>`pragma foreign_keys`.execute(store.db);
        expect(fk.rows[0]?.foreign_keys).toBe(1);
        const sync = await sql<{ synchronous: number }>`pragma synchronous`.execute(store.db);
        // NORMAL: the log is synced by the store on a pool thread before a write is answered (walSync).
        expect(sync.rows[0]?.synchronous).toBe(1);
        const busy = await sql<{ timeout: number }>`pragma busy_timeout`.execute(store.db);
        expect(busy.rows[0]?.timeout).toBe(5000);
      } finally {
        await store.close();
        await store.close(); // twice is fine
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('rejects a PostgreSQL schema name that is not a plain lowercase identifier (before connecting)', async () => {
    await expect(openStore({ databaseUrl: 'postgres://nobody@127.0.0.1:1/none', schema: 'Bad-Name' })).rejects.toThrow(
      /The schema name "Bad-Name" is not allowed/,
    );
  });

  it('rejects the schema option on SQLite', async () => {
    await expect(openStore({ databaseUrl: 'sqlite::memory:', schema: 'x' })).rejects.toThrow(/PostgreSQL only/);
  });
});
