/** Keyset paging of the case list and the once-a-minute token use, on SQLite and PostgreSQL. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { insertCase, listCases } from '../../src/store/cases.js';
import type { Store } from '../../src/store/store.js';
import { insertToken, touchToken } from '../../src/store/tokens.js';
import { insertUser } from '../../src/store/users.js';
import { storeFactories } from '../support/databases.js';
import { makeCase, makeUser } from './fixtures/data.js';

describe.each(storeFactories())('reads on $name', (factory) => {
  let store: Store;
  beforeEach(async () => {
    store = await factory.open();
  });
  afterEach(async () => {
    await store.close();
  });

  it('pages after a position in (created_at, id) order, ties broken by id', async () => {
    await store.write(async (tx) => {
      for (let i = 1; i <= 7; i++) {
        // Three share an instant.
        const createdAt = i <= 3 ? '2026-11-01T00:00:00.000Z' : `2026-11-0${i}T00:00:00.000Z`;
        await insertCase(tx, makeCase({ id: `EMB-2026-000${i}`, createdAt, updatedAt: createdAt }));
      }
    });
    const all = (await listCases(store.db, { limit: 100 })).map((c) => c.id);
    expect(all.slice(0, 4)).toEqual(['EMB-2026-0007', 'EMB-2026-0006', 'EMB-2026-0005', 'EMB-2026-0004']);
    expect(new Set(all.slice(4))).toEqual(new Set(['EMB-2026-0001', 'EMB-2026-0002', 'EMB-2026-0003']));
    const seen: string[] = [];
    let after: { createdAt: string; id: string } | undefined;
    for (;;) {
      const page = await listCases(store.db, { limit: 2, after });
      if (page.length === 0) break;
      seen.push(...page.map((c) => c.id));
      const last = page[page.length - 1]!;
      after = { createdAt: last.createdAt, id: last.id };
    }
    expect(seen).toEqual(all);
  });

  it("records a token's use only when the recorded one is old enough (or missing, or ahead of now)", async () => {
    await store.write(async (tx) => {
      await insertUser(tx, makeUser({ id: 'u-bob', username: 'bob' }));
      await insertToken(tx, {
        id: 't-1',
        userId: 'u-bob',
        name: 'ci',
        tokenHash: 'a'.repeat(64),
        scopes: ['read'],
        createdAt: '2026-03-01T00:00:00.000Z',
        lastUsedAt: null,
        revokedAt: null,
      });
    });
    const touch = (now: string, since: string) => store.write((tx) => touchToken(tx, 't-1', now, since));
    const used = async () =>
      (await store.db.selectFrom('api_tokens').select('last_used_at').where('id', '=', 't-1').executeTakeFirstOrThrow()).last_used_at;
    expect(await touch('2026-03-01T10:00:00.000Z', '2026-03-01T09:59:00.000Z')).toBe(true);
    expect(await touch('2026-03-01T10:00:30.000Z', '2026-03-01T09:59:30.000Z')).toBe(false);
    expect(await used()).toBe('2026-03-01T10:00:00.000Z');
    expect(await touch('2026-03-01T10:01:00.000Z', '2026-03-01T10:00:00.000Z')).toBe(true);
    expect(await used()).toBe('2026-03-01T10:01:00.000Z');
    // The clock was set back: the use "in the future" is replaced.
    expect(await touch('2026-03-01T09:00:00.000Z', '2026-03-01T08:59:00.000Z')).toBe(true);
    expect(await used()).toBe('2026-03-01T09:00:00.000Z');
  });
});
