import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DomainEvent } from '../../src/domain/case/types.js';
import { appendEvents, canonicalJson, hashEvent, listEvents, verifyChain } from '../../src/store/events.js';
import { GENESIS_HASH } from '../../src/store/schema.js';
import type { Store } from '../../src/store/store.js';
import { storeFactories } from '../support/databases.js';

const at = new Date('2026-03-01T10:00:00.000Z');

// The chain is indifferent to what an event says: any action and details, cast to the union.
const ev = (action: string, caseId: string | null = null, details: Record<string, unknown> = {}): DomainEvent =>
  ({ action, caseId, details }) as unknown as DomainEvent;

describe('canonical JSON and event hashes', () => {
  it('sorts keys at every level and drops undefined', () => {
    expect(canonicalJson({ b: 1, a: { d: [{ z: 1, y: 2 }], c: undefined } })).toBe('{"a":{"d":[{"y":2,"z":1}]},"b":1}');
    expect(canonicalJson(undefined)).toBe('{}');
  });

  // Pinned: the hashes of existing audit logs depend on this exact material, so any change to it
  // must fail here. Computed outside Node with
  //   printf '%s' '[1,"7d1c…","2026-03-01T10:00:00.000Z","alice",…]' | sha256sum
  it('hashes the canonical array [seq, id, at, actor, action, caseId, detailsJson, prevHash] (pinned)', () => {
    const first = {
      seq: 1,
      id: '7d1c3f9e-2b4a-4c8e-9f10-3a5b6c7d8e9f',
      at: '2026-03-01T10:00:00.000Z',
      actor: 'alice',
      action: 'case.created',
      caseId: 'EMB-2026-0001',
      detailsJson: canonicalJson({ title: 'XSS in Zoë’s form' }),
      prevHash: GENESIS_HASH,
    };
    expect(first.detailsJson).toBe('{"title":"XSS in Zoë’s form"}');
    expect(hashEvent(first)).toBe('ff26aba0bcbe986f97c41e6d8ed5449c5fbeceb6121b2ec91d5e34e9a238f42a');
    const second = {
      seq: 2,
      id: '0a9b8c7d-6e5f-4a3b-8c2d-1e0f9a8b7c6d',
      at: '2026-03-01T10:05:00.000Z',
      actor: 'bob',
      action: 'user.created',
      caseId: null,
      detailsJson: '{}',
      prevHash: 'ff26aba0bcbe986f97c41e6d8ed5449c5fbeceb6121b2ec91d5e34e9a238f42a',
    };
    expect(hashEvent(second)).toBe('392f6508c76d7b09122ded2f7907682fa936f69ad6714b3262e8a0a880162015');
    // Every field is part of the material.
    for (const change of [{ seq: 3 }, { caseId: 'EMB-2026-0001' }, { detailsJson: '{ }' }, { prevHash: GENESIS_HASH }]) {
      expect(hashEvent({ ...second, ...change })).not.toBe('392f6508c76d7b09122ded2f7907682fa936f69ad6714b3262e8a0a880162015');
    }
  });
});

describe.each(storeFactories())('event log on $name', (factory) => {
  let store: Store;
  beforeEach(async () => {
    store = await factory.open();
  });
  afterEach(async () => {
    await store.close();
  });

  /** Appends n events, one write per event, cycling through two cases. */
  async function seed(n: number) {
    for (let i = 1; i <= n; i++) {
      await store.write((tx) =>
        appendEvents(tx, { actor: 'alice', at, events: [ev(`step.${i}`, i % 2 ? 'EMB-2026-0001' : 'EMB-2026-0002', { i })] }),
      );
    }
  }

  it('appends events with seq, ids and a hash chain, and updates the chain head', async () => {
    const first = await store.write((tx) =>
      appendEvents(tx, {
        actor: 'alice',
        at,
        events: [ev('case.created', 'EMB-2026-0001', { title: 'XSS', nested: { b: 2, a: 1 } }), ev('user.created', null, {})],
      }),
    );
    const second = await store.write((tx) => appendEvents(tx, { actor: 'bob', at, events: [ev('case.read', 'EMB-2026-0001')] }));
    const all = [...first, ...second];
    expect(all.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(new Set(all.map((e) => e.id)).size).toBe(3);
    expect(all[0]).toMatchObject({
      at: '2026-03-01T10:00:00.000Z',
      actor: 'alice',
      action: 'case.created',
      caseId: 'EMB-2026-0001',
      details: { title: 'XSS', nested: { a: 1, b: 2 } },
      prevHash: GENESIS_HASH,
    });
    expect(all[0]?.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(all[1]?.prevHash).toBe(all[0]?.hash);
    expect(all[2]?.prevHash).toBe(all[1]?.hash);
    const head = await store.db.selectFrom('chain_head').selectAll().executeTakeFirstOrThrow();
    expect(head).toEqual({ id: 1, last_seq: 3, last_hash: all[2]?.hash });
    expect(await listEvents(store.db)).toEqual(all);
    expect(await store.write((tx) => appendEvents(tx, { actor: 'x', at, events: [] }))).toEqual([]);
    expect(await verifyChain(store.db)).toEqual({ ok: true, checked: 3 });
  });

  it('lists events by case, after a seq, in either order, with a limit', async () => {
    await seed(6);
    const seqs = (es: { seq: number }[]) => es.map((e) => e.seq);
    expect(seqs(await listEvents(store.db, { caseId: 'EMB-2026-0001' }))).toEqual([1, 3, 5]);
    expect(seqs(await listEvents(store.db, { afterSeq: 4 }))).toEqual([5, 6]);
    expect(seqs(await listEvents(store.db, { caseId: 'EMB-2026-0002', afterSeq: 2, limit: 1 }))).toEqual([4]);
    expect(seqs(await listEvents(store.db, { order: 'desc', limit: 2 }))).toEqual([6, 5]);
    expect(seqs(await listEvents(store.db, { beforeSeq: 3 }))).toEqual([1, 2]);
  });

  it('verifies a long chain page by page', async () => {
    await store.write((tx) =>
      appendEvents(tx, { actor: 'bulk', at, events: Array.from({ length: 2345 }, (_, i) => ev('bulk', null, { i })) }),
    );
    expect(await verifyChain(store.db)).toEqual({ ok: true, checked: 2345 });
    // Break one on the third page.
    await sql`update events set actor = 'mallory' where seq = 2100`.execute(store.db);
    expect(await verifyChain(store.db)).toEqual({
      ok: false,
      checked: 2099,
      firstBroken: { seq: 2100, reason: 'event 2100 was edited: its hash does not match its content' },
    });
  });

  describe('detects tampering', () => {
    beforeEach(async () => {
      await seed(5);
      expect(await verifyChain(store.db)).toEqual({ ok: true, checked: 5 });
    });

    it('an edited event (details changed)', async () => {
      await sql`update events set details = ${'{"i":999}'} where seq = 3`.execute(store.db);
      expect(await verifyChain(store.db)).toEqual({
        ok: false,
        checked: 2,
        firstBroken: { seq: 3, reason: 'event 3 was edited: its hash does not match its content' },
      });
    });

    it('an edited event whose hash was recomputed (the next event no longer follows it)', async () => {
      const row = await store.db.selectFrom('events').selectAll().where('seq', '=', 2).executeTakeFirstOrThrow();
      const hash = hashEvent({ ...row, caseId: row.case_id, detailsJson: '{"i":"forged"}', prevHash: row.prev_hash });
      await sql`update events set details = ${'{"i":"forged"}'}, hash = ${hash} where seq = 2`.execute(store.db);
      const result = await verifyChain(store.db);
      expect(result.ok).toBe(false);
      expect(result.checked).toBe(2);
      expect(result.firstBroken?.seq).toBe(3);
      expect(result.firstBroken?.reason).toMatch(/^event 3 does not follow event 2: /);
    });

    it('a deleted event in the middle', async () => {
      await sql`delete from events where seq = 3`.execute(store.db);
      expect(await verifyChain(store.db)).toEqual({
        ok: false,
        checked: 2,
        firstBroken: { seq: 3, reason: 'event 3 is missing (deleted): event 4 does not follow event 2' },
      });
    });

    it('several deleted events, including the first', async () => {
      await sql`delete from events where seq in (1, 2)`.execute(store.db);
      expect(await verifyChain(store.db)).toEqual({
        ok: false,
        checked: 0,
        firstBroken: { seq: 1, reason: 'events 1 to 2 are missing (deleted): the log starts at event 3' },
      });
    });

    it('a deleted event at the end (tail)', async () => {
      await sql`delete from events where seq = 5`.execute(store.db);
      expect(await verifyChain(store.db)).toEqual({
        ok: false,
        checked: 4,
        firstBroken: {
          seq: 5,
          reason: 'event 5 is missing (deleted): the log ends at event 4 but the chain head records event 5',
        },
      });
    });

    it('every event deleted', async () => {
      await sql`delete from events`.execute(store.db);
      expect(await verifyChain(store.db)).toEqual({
        ok: false,
        checked: 0,
        firstBroken: { seq: 1, reason: 'events 1 to 5 are missing (deleted): the log is empty but the chain head records 5 events' },
      });
    });

    it('a deleted tail whose chain head was wound back by seq only', async () => {
      await sql`delete from events where seq = 5`.execute(store.db);
      await sql`update chain_head set last_seq = 4 where id = 1`.execute(store.db);
      expect(await verifyChain(store.db)).toEqual({
        ok: false,
        checked: 3,
        firstBroken: { seq: 4, reason: 'event 4 does not match the chain head: the last event was replaced or the head was changed' },
      });
    });

    it('two events swapped (reordered)', async () => {
      // Three steps: PostgreSQL checks the primary key row by row.
      await sql`update events set seq = -1 where seq = 2`.execute(store.db);
      await sql`update events set seq = 2 where seq = 3`.execute(store.db);
      await sql`update events set seq = 3 where seq = -1`.execute(store.db);
      const result = await verifyChain(store.db);
      expect(result).toMatchObject({ ok: false, checked: 1, firstBroken: { seq: 2 } });
      expect(result.firstBroken?.reason).toBe(
        'event 2 is out of order: it was written after the event now stored as 3, which comes later in the log (events were reordered)',
      );
    });

    it('an event added behind the chain head', async () => {
      const last = await store.db.selectFrom('events').selectAll().where('seq', '=', 5).executeTakeFirstOrThrow();
      const forged = {
        seq: 6,
        id: 'forged',
        at: last.at,
        actor: 'mallory',
        action: 'x',
        case_id: null,
        details: '{}',
        prev_hash: last.hash,
      };
      const hash = hashEvent({ ...forged, caseId: null, detailsJson: '{}', prevHash: last.hash });
      await store.db
        .insertInto('events')
        .values({ ...forged, hash })
        .execute();
      expect(await verifyChain(store.db)).toEqual({
        ok: false,
        checked: 5,
        firstBroken: {
          seq: 6,
          reason: 'event 6 was not appended by Embargo: the chain head ends at event 5 (events were added to the end directly)',
        },
      });
    });

    it('reports only the first broken link', async () => {
      await sql`update events set actor = 'mallory' where seq = 4`.execute(store.db);
      await sql`delete from events where seq = 2`.execute(store.db);
      expect((await verifyChain(store.db)).firstBroken?.seq).toBe(2);
    });
  });

  it('keeps appending a valid chain after a rolled-back write', async () => {
    await seed(2);
    await expect(
      store.write(async (tx) => {
        await appendEvents(tx, { actor: 'alice', at, events: [ev('lost')] });
        throw new Error('nope');
      }),
    ).rejects.toThrow('nope');
    await seed(1);
    expect((await listEvents(store.db)).map((e) => e.action)).toEqual(['step.1', 'step.2', 'step.1']);
    expect(await verifyChain(store.db)).toEqual({ ok: true, checked: 3 });
  });
});
