/**
 * Writes that arrive together commit together (SQLite's group commit) and reads' records are
 * appended in batches (recordEvents), without giving up what each write and each read was promised:
 * a write that fails is undone alone, every caller gets its own answer, and a record's promise
 * resolves only once the record is committed.
 */
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DomainEvent } from '../../src/domain/events.js';
import { getCase, insertCase } from '../../src/store/cases.js';
import { appendEvents, listEvents, recordEvents, verifyChain } from '../../src/store/events.js';
import type { Store } from '../../src/store/store.js';
import { storeFactories } from '../support/databases.js';
import { queriesSent } from '../support/pg-queries.js';
import { makeCase } from './fixtures/data.js';

const read = (caseId: string): DomainEvent => ({ action: 'case.read', caseId, details: { what: 'details' } }) as unknown as DomainEvent;
const at = new Date('2026-03-01T10:00:00.000Z');

describe.each(storeFactories())('writes and records together on $name', (factory) => {
  let store: Store;
  beforeEach(async () => {
    store = await factory.open();
  });
  afterEach(async () => {
    await store.close();
  });

  it('undoes a failing write alone while the writes queued with it commit, each answered with its own value', async () => {
    const ids = Array.from({ length: 12 }, (_, i) => `EMB-2026-${String(i + 1).padStart(4, '0')}`);
    const outcomes = await Promise.allSettled(
      ids.map((id, i) =>
        store.write(async (tx) => {
          await insertCase(tx, makeCase({ id, codename: `word-${i}` }));
          await appendEvents(tx, { actor: `user${i}`, at, events: [read(id)] });
          if (i % 4 === 3) throw new Error(`write ${i} fails after writing`);
          return i;
        }),
      ),
    );
    outcomes.forEach((o, i) => {
      if (i % 4 === 3) expect(o).toEqual({ status: 'rejected', reason: new Error(`write ${i} fails after writing`) });
      else expect(o).toEqual({ status: 'fulfilled', value: i });
    });
    for (const [i, id] of ids.entries()) {
      expect(Boolean(await getCase(store.db, id)), id).toBe(i % 4 !== 3);
    }
    const events = await listEvents(store.db, { limit: 100 });
    // PostgreSQL commits them in whatever order the pool's connections take the lock.
    expect(events.map((e) => e.actor).sort()).toEqual(
      ids
        .map((_, i) => `user${i}`)
        .filter((_, i) => i % 4 !== 3)
        .sort(),
    );
    expect(await verifyChain(store.db)).toEqual({ ok: true, checked: 9 });
  });

  it('appends many reads recorded at once in order with their own actors, and resolves each after its commit', async () => {
    const other = await factory.reopen(store);
    try {
      const records = Array.from({ length: 40 }, (_, i) =>
        recordEvents(store, { actor: `reader${i}`, at, events: [read(`EMB-2026-${i}`)] }).then(async () => {
          // Committed: another connection sees it the moment the promise resolves.
          const seen = await listEvents(other.db, { caseId: `EMB-2026-${i}` });
          return seen.map((e) => e.actor);
        }),
      );
      expect(await Promise.all(records)).toEqual(Array.from({ length: 40 }, (_, i) => [`reader${i}`]));
      expect(await verifyChain(store.db)).toEqual({ ok: true, checked: 40 });
    } finally {
      await other.close();
    }
  });

  it('refuses a record without an actor before queueing it', async () => {
    expect(() => recordEvents(store, { actor: '', at, events: [read('EMB-2026-1')] })).toThrow('actor is required');
    expect(await listEvents(store.db)).toEqual([]);
  });
});

const pgUrl = process.env.EMBARGO_TEST_DATABASE_URL;
describe.skipIf(!pgUrl)('a read record on PostgreSQL', () => {
  it('is not answered while another instance holds the writer lock, and is once the lock is free', async () => {
    const factory = storeFactories().find((f) => f.dialect === 'postgres')!;
    const store = await factory.open();
    const schema = (await store.db.selectNoFrom((eb) => eb.fn<string>('current_schema', []).as('s')).executeTakeFirstOrThrow()).s;
    const holder = new pg.Client({ connectionString: pgUrl, options: `-c search_path=${schema}` });
    await holder.connect();
    try {
      await holder.query('begin');
      await holder.query('select last_seq from chain_head where id = 1 for update');
      let answered = false;
      const recorded = recordEvents(store, { actor: 'reader', at, events: [read('EMB-2026-1')] }).then(() => {
        answered = true;
      });
      await new Promise((r) => setTimeout(r, 300));
      expect(answered).toBe(false);
      await holder.query('commit');
      await recorded;
      expect((await listEvents(store.db)).map((e) => e.actor)).toEqual(['reader']);
    } finally {
      await holder.end();
      await store.close();
    }
  });

  it('appends a batch of records in one statement once it knows the head: no transaction, no lock held across round trips', async () => {
    const factory = storeFactories().find((f) => f.dialect === 'postgres')!;
    const store = await factory.open();
    const records = (who: string) =>
      Promise.all(Array.from({ length: 10 }, (_, i) => recordEvents(store, { actor: `${who}${i}`, at, events: [read(`EMB-2026-${i}`)] })));
    try {
      // The first batch reads the head; the next ones chain onto the head the last one wrote.
      expect((await queriesSent(() => records('a'))).sent.length).toBe(2);
      const { sent } = await queriesSent(() => records('b'));
      expect(sent).toHaveLength(1);
      expect(sent[0]!.text).toMatch(/^with "moved" as \(update "chain_head"/);
      expect(await verifyChain(store.db)).toEqual({ ok: true, checked: 20 });
    } finally {
      await store.close();
    }
  });

  it('chains the records of two instances and the changes between them into one log, each record after what was committed before it', async () => {
    const factory = storeFactories().find((f) => f.dialect === 'postgres')!;
    const first = await factory.open();
    const second = await factory.reopen(first);
    try {
      const records = (store: Store, who: string, n: number) =>
        Promise.all(Array.from({ length: n }, (_, i) => recordEvents(store, { actor: `${who}${i}`, at, events: [read(`EMB-2026-${i}`)] })));
      await records(first, 'a', 10);
      // A change on the other instance moves the head the first one last wrote.
      await second.write((tx) => appendEvents(tx, { actor: 'changer', at, events: [read('EMB-2026-77')] }));
      await records(first, 'b', 10);
      // Both instances at once, with a change holding the writer lock meanwhile.
      const change = second.write(async (tx) => {
        await appendEvents(tx, { actor: 'slow changer', at, events: [read('EMB-2026-78')] });
        await new Promise((r) => setTimeout(r, 200));
      });
      await new Promise((r) => setTimeout(r, 50));
      await Promise.all([records(first, 'c', 15), records(second, 'd', 15), change]);

      const events = await listEvents(first.db, { limit: 1000 });
      const actors = events.map((e) => e.actor);
      expect(actors.slice(0, 11)).toEqual([...Array.from({ length: 10 }, (_, i) => `a${i}`), 'changer']);
      expect(actors.slice(11, 21)).toEqual(Array.from({ length: 10 }, (_, i) => `b${i}`));
      // The records asked while the change held the lock wait for it and come after it.
      expect(actors[21]).toBe('slow changer');
      expect(actors.slice(22).sort()).toEqual(
        [...Array.from({ length: 15 }, (_, i) => `c${i}`), ...Array.from({ length: 15 }, (_, i) => `d${i}`)].sort(),
      );
      expect(await verifyChain(first.db)).toEqual({ ok: true, checked: 52 });
    } finally {
      await second.close();
      await first.close();
    }
  });
});
