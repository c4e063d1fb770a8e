/**
 * Lookups asked in one turn of the event loop go in one query for their distinct keys; each caller
 * gets its own answer; a lookup asked once a query is on its way is never answered from it.
 */
import { describe, expect, it } from 'vitest';
import { coalesced } from '../../src/store/coalesce.js';

describe('coalesced lookups', () => {
  it('asks the keys of one turn once each, in one query, and answers every caller with its own value', async () => {
    const queries: string[][] = [];
    const lookUp = coalesced(async (keys: string[]) => {
      queries.push(keys);
      return new Map(keys.filter((k) => k !== 'nobody').map((k) => [k, k.toUpperCase()]));
    });
    const answers = await Promise.all(['ann', 'bob', 'ann', 'nobody'].map((k) => lookUp(k)));
    expect(answers).toEqual(['ANN', 'BOB', 'ANN', undefined]);
    expect(queries).toEqual([['ann', 'bob', 'nobody']]);
  });

  it('sends a lookup asked while a query is on its way in a query of its own, which sees the newer state', async () => {
    let state = 'old';
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const queries: string[][] = [];
    const lookUp = coalesced(async (keys: string[]) => {
      queries.push(keys);
      const seen = state;
      if (queries.length === 1) await gate;
      return new Map(keys.map((k) => [k, seen]));
    });
    const first = lookUp('token');
    await new Promise((r) => setImmediate(r));
    state = 'revoked';
    const second = lookUp('token');
    await new Promise((r) => setImmediate(r));
    release();
    expect(await first).toBe('old');
    expect(await second).toBe('revoked');
    expect(queries).toEqual([['token'], ['token']]);
  });

  it("fails every caller of a failed query with its error, and the next turn's lookups go on", async () => {
    let fail = true;
    const lookUp = coalesced(async (keys: string[]) => {
      if (fail) throw new Error('connection lost');
      return new Map(keys.map((k) => [k, 1]));
    });
    const failed = await Promise.allSettled([lookUp('a'), lookUp('b')]);
    expect(failed).toEqual([
      { status: 'rejected', reason: new Error('connection lost') },
      { status: 'rejected', reason: new Error('connection lost') },
    ]);
    fail = false;
    expect(await lookUp('a')).toBe(1);
  });
});
