/**
 * Issue 14, item 11: a backup reads one consistent snapshot while the server keeps writing. A second
 * connection appends audit events as fast as it can while the snapshot reads the chain head, waits,
 * and reads the events: within the snapshot the head and the last event still agree, and nothing
 * appended meanwhile shows, although the writer went on.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { event } from '../../src/domain/events.js';
import { appendEvents } from '../../src/store/events.js';
import { dumpTable, inReadSnapshot } from '../../src/store/snapshot.js';
import type { Store } from '../../src/store/store.js';
import { type StoreFactory, storeFactories } from '../support/databases.js';

const probe = (store: Store, n: number) =>
  store.write((tx) => appendEvents(tx, { actor: 'writer', at: new Date(), events: [event('case.read', null, { what: `probe ${n}` })] }));

describe.each(storeFactories())('a snapshot read while another connection writes ($name)', (factory: StoreFactory) => {
  let reader: Store;
  let writer: Store;

  beforeAll(async () => {
    reader = await factory.open();
    writer = await factory.reopen(reader);
    for (let i = 0; i < 3; i++) await probe(writer, i);
  });
  afterAll(async () => {
    await writer.close();
    await reader.close();
  });

  it('sees the head and the events as of its start, however many are appended meanwhile', async () => {
    const seen = await inReadSnapshot(reader.db, reader.dialect, async (tx) => {
      const head = await tx.selectFrom('chain_head').select('last_seq').executeTakeFirstOrThrow();
      // Another connection appends while the snapshot is open (the reader takes no lock that stops it).
      for (let i = 0; i < 5; i++) await probe(writer, 100 + i);
      const events = await dumpTable(tx, reader.dialect, 'events');
      return { head: Number(head.last_seq), events: events.rows.map((r) => Number(r[0])) };
    });
    expect(seen.head).toBe(3);
    expect(seen.events).toEqual([1, 2, 3]);
    const after = await reader.db.selectFrom('chain_head').select('last_seq').executeTakeFirstOrThrow();
    expect(Number(after.last_seq)).toBe(8);
  });
});
