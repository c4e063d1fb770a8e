import { describe, expect, it } from 'vitest';
import { timeOrderedId } from '../../src/store/time-ordered-id.js';

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('timeOrderedId (UUIDv7 for the audit log)', () => {
  it('is a version 7, variant 1 UUID that carries its millisecond', () => {
    const at = Date.UTC(2026, 11, 6, 21, 30, 0, 123);
    const id = timeOrderedId(at);
    expect(id).toMatch(UUID_V7);
    expect(Number.parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBe(at);
  });

  it('sorts by time, so new ids append to the index instead of landing on random pages', () => {
    const ids = [0, 1, 2, 1000, 86_400_000].map((d) => timeOrderedId(Date.UTC(2026, 0, 1) + d));
    expect([...ids].sort()).toEqual(ids);
  });

  it('stays unique and unpredictable within one millisecond', () => {
    const at = Date.now();
    const ids = Array.from({ length: 100_000 }, () => timeOrderedId(at));
    expect(new Set(ids).size).toBe(ids.length);
    // 74 random bits: the part after the time differs between any two ids of the same millisecond.
    const tails = new Set(ids.map((id) => id.slice(15)));
    expect(tails.size).toBe(ids.length);
    for (const id of ids.slice(0, 1000)) expect(id).toMatch(UUID_V7);
  });
});
