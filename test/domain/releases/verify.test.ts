import { describe, expect, it } from 'vitest';
import { fixNote, fixVerdict, type FixCheck } from '../../../src/domain/releases/verify.js';

const FIX = 'a'.repeat(40);
const PICK = 'b'.repeat(40);

function check(partial: Omit<FixCheck, 'note'>): FixCheck {
  return { ...partial, note: fixNote(partial, FIX) };
}

const direct = check({ tag: 'v1.34.0', exists: true, commit: 'c'.repeat(40), contains: true, how: 'direct', via: FIX });
const picked = check({ tag: 'v1.33.4', exists: true, commit: 'd'.repeat(40), contains: true, how: 'cherry-pick', via: PICK });
const noted = check({ tag: 'v1.30.2', exists: true, commit: 'e'.repeat(40), contains: true, how: 'cherry-pick-noted', via: PICK });
const lacking = check({ tag: 'v1.31.2', exists: true, commit: 'f'.repeat(40), contains: false, how: null, via: null });
const missing = check({ tag: 'v9.9.9', exists: false, commit: null, contains: false, how: null, via: null });

describe('fixNote', () => {
  it('says how each tag carries the fix, or that it does not', () => {
    expect(direct.note).toBe('v1.34.0 contains aaaaaaaaaaaa');
    expect(picked.note).toBe('v1.33.4 contains bbbbbbbbbbbb, a cherry-pick of aaaaaaaaaaaa (same patch)');
    expect(noted.note).toBe(
      'v1.30.2 contains bbbbbbbbbbbb, which says it was cherry-picked from aaaaaaaaaaaa but changes something else: review it',
    );
    expect(lacking.note).toBe('v1.31.2 contains neither aaaaaaaaaaaa nor a cherry-pick of it');
    expect(missing.note).toBe('v9.9.9 does not exist');
  });
});

describe('fixVerdict', () => {
  it('is ok only when every tag carries the fix', () => {
    expect(fixVerdict(FIX, [direct, picked, noted])).toEqual({
      ok: true,
      lacking: [],
      sentence: 'all 3 tags contain the fix aaaaaaaaaaaa',
    });
    expect(fixVerdict(FIX, [picked]).sentence).toBe('the tag contains the fix aaaaaaaaaaaa');
  });

  it('names the tags that lack it and why, in the order asked', () => {
    expect(fixVerdict(FIX, [picked, lacking, missing])).toEqual({
      ok: false,
      lacking: ['v1.31.2', 'v9.9.9'],
      sentence: '2 of 3 tags lack the fix aaaaaaaaaaaa: v1.31.2 (no fix, no cherry-pick of it), v9.9.9 (no such tag)',
    });
    expect(fixVerdict(FIX, [lacking]).sentence).toBe('1 of 1 tag lacks the fix aaaaaaaaaaaa: v1.31.2 (no fix, no cherry-pick of it)');
  });
});
