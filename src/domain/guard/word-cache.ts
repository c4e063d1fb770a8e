/**
 * What the scanner knows about each word it has seen: its salted hash (for the case terms), whether
 * it is a revealing word, and its id in the revealing phrases. A word is lowercased and hashed with
 * SHA-256 only the first time it is seen.
 */
import { saltedParts } from './hash.js';
import type { RevealingWords } from './revealing-words.js';

const WORD_CACHE_LIMIT = 1 << 19;

export const FNV_OFFSET = 0x811c9dc5 | 0;
export const FNV_PRIME = 0x01000193;

/** FNV-1a over text[start, end): the word cache's key. */
export function spellingHash(text: string, start: number, end: number): number {
  let h = FNV_OFFSET;
  for (let i = start; i < end; i++) h = Math.imul(h ^ text.charCodeAt(i), FNV_PRIME);
  return h;
}

/**
 * The words by exact spelling ("Fix" and "fix" are two entries with the same salted hash): an
 * open-addressing table keyed by FNV-1a of the characters, checked in place, so a hit allocates
 * nothing. Only a miss lowercases the word and hashes it with the salt. Emptied when it fills up (a
 * history full of unique tokens).
 */
export class WordCache {
  private slots = new Int32Array(1 << 16).fill(-1);
  private mask = (1 << 16) - 1;
  private spelling: string[] = [];
  hi = new Int32Array(1 << 15);
  lo = new Int32Array(1 << 15);
  revealing = new Uint8Array(1 << 15);
  phraseWord = new Int32Array(1 << 15);

  constructor(
    private readonly salt: string,
    private readonly words: RevealingWords,
  ) {}

  /** The entry of text[start, end). */
  entry(text: string, start: number, end: number): number {
    return this.entryHashed(text, start, end, spellingHash(text, start, end));
  }

  /** The same, with the word's spellingHash already computed (the ASCII cut does it as it reads). */
  entryHashed(text: string, start: number, end: number, h: number): number {
    const len = end - start;
    const mask = this.mask;
    const slots = this.slots;
    for (let slot = (h ^ (h >>> 16)) & mask; ; slot = (slot + 1) & mask) {
      const e = slots[slot]!;
      if (e < 0) return this.add(text.slice(start, end), slot);
      const known = this.spelling[e]!;
      if (known.length === len && text.startsWith(known, start)) return e;
    }
  }

  /** The entry of a word given as a string already (an identifier with its underscores dropped). */
  entryOfJoined(word: string): number {
    return this.entry(word, 0, word.length);
  }

  private add(spelled: string, slot: number): number {
    if (this.spelling.length >= WORD_CACHE_LIMIT) {
      this.slots.fill(-1);
      this.spelling = [];
      return this.entryOfJoined(spelled);
    }
    const idx = this.spelling.length;
    if (idx >= this.hi.length) this.grow();
    const lower = spelled.toLowerCase();
    const parts = saltedParts(this.salt, lower);
    this.hi[idx] = parts.hi | 0;
    this.lo[idx] = parts.lo;
    this.revealing[idx] = this.words.isRevealing(lower) ? 1 : 0;
    this.phraseWord[idx] = this.words.phraseWordIds.get(lower) ?? -1;
    this.spelling.push(spelled);
    this.slots[slot] = idx;
    // Keep the table at most half full.
    if (this.spelling.length * 2 > this.slots.length) this.rehash();
    return idx;
  }

  private rehash(): void {
    const slots = new Int32Array(this.slots.length * 2).fill(-1);
    const mask = slots.length - 1;
    this.spelling.forEach((w, idx) => {
      const h = spellingHash(w, 0, w.length);
      let slot = (h ^ (h >>> 16)) & mask;
      while (slots[slot]! >= 0) slot = (slot + 1) & mask;
      slots[slot] = idx;
    });
    this.slots = slots;
    this.mask = mask;
  }

  private grow(): void {
    const n = this.hi.length * 2;
    const hi = new Int32Array(n);
    hi.set(this.hi);
    this.hi = hi;
    const lo = new Int32Array(n);
    lo.set(this.lo);
    this.lo = lo;
    const rev = new Uint8Array(n);
    rev.set(this.revealing);
    this.revealing = rev;
    const pw = new Int32Array(n);
    pw.set(this.phraseWord);
    this.phraseWord = pw;
  }
}
