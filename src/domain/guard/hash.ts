/**
 * Salted hashes of words and word n-grams, so a terms file can say "this n-gram is embargoed"
 * without saying what the n-gram is.
 *
 * A word's hash is SHA-256 over `salt ":" word`, cut to 53 bits (a JavaScript number holds it
 * exactly). An n-gram's hash (n ≤ 3) combines its words' hashes with a fixed mixing function, so
 * the scanner hashes each distinct word once and gets every n-gram for a few integer operations.
 * Anyone holding the file can still test guesses (hash a candidate word with the file's salt and
 * compare): the hashes keep terms out of plain sight — repositories, CI logs, screens — they are
 * not a vault against someone who can guess the words. The salt is fresh for every export, so two
 * exports cannot be compared hash by hash.
 */
import { hash as sha256 } from 'node:crypto';

/** Largest n-gram the guard hashes. */
export const MAX_GRAM = 3;

const LOW_BITS = 2 ** 21;

/** The two halves of a 53-bit key: the high 32 bits and the low 21 bits. */
export interface KeyParts {
  hi: number;
  lo: number;
}

/** Per-salt seeds for words made of digits only (see saltedParts). */
const digitSeeds = new Map<string, [number, number]>();

function isDigits(text: string): boolean {
  if (text.length === 0) return false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

function seededFnv(seed: number, text: string): number {
  let h = seed;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return fmix32(h);
}

/**
 * SHA-256(salt ":" text), first 53 bits, as its two halves. A word of digits only (a PR number, a
 * port) has too little entropy for any hash to hide, and histories are full of distinct ones, so it
 * gets a salted FNV-1a with murmur3's finalizer instead: the same key on both sides, a fraction of
 * the cost.
 */
export function saltedParts(salt: string, text: string): KeyParts {
  if (isDigits(text)) {
    let seeds = digitSeeds.get(salt);
    if (!seeds) {
      const d = sha256('sha256', `${salt}:digits`, 'buffer');
      seeds = [d.readUInt32BE(0), d.readUInt32BE(4)];
      digitSeeds.set(salt, seeds);
    }
    return { hi: seededFnv(seeds[0], text), lo: seededFnv(seeds[1], text) >>> 11 };
  }
  const digest = sha256('sha256', `${salt}:${text}`, 'buffer');
  return { hi: digest.readUInt32BE(0), lo: digest.readUInt32BE(4) >>> 11 };
}

export function keyOf(hi: number, lo: number): number {
  return (hi >>> 0) * LOW_BITS + (lo & 0x1fffff);
}

/**
 * murmur3's finalizer: every input bit affects every output bit. Returns a signed 32-bit integer
 * (V8 keeps those unboxed; an unsigned one above 2^31 would be a heap number per call).
 */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h | 0;
}

// Extending an n-gram's key by one more word needs no cryptographic strength (its inputs are
// already salted SHA-256 output): one multiply-xorshift round per half keeps it cheap, since the
// scanner does it twice per word of every commit message.

/** Extends an n-gram's key by one more word: hi half. */
export function composeHi(hi1: number, lo1: number, hi2: number, lo2: number): number {
  const h = Math.imul(hi1 ^ Math.imul(lo1, 0x27d4eb2f), 0x9e3779b1) ^ hi2 ^ Math.imul(lo2, 0x85ebca77);
  return h ^ (h >>> 15);
}

/** Extends an n-gram's key by one more word: lo half (21 bits). */
export function composeLo(hi1: number, lo1: number, hi2: number, lo2: number): number {
  const h = Math.imul(lo1 ^ Math.imul(hi2, 0x165667b1), 0xc2b2ae3d) ^ hi1 ^ Math.imul(lo2, 0x7feb352d);
  return (h ^ (h >>> 13)) >>> 11;
}

/** The key of a word sequence (1 to MAX_GRAM words). */
export function gramKey(salt: string, words: readonly string[]): number {
  let { hi, lo } = saltedParts(salt, words[0]!);
  for (let i = 1; i < words.length; i++) {
    const next = saltedParts(salt, words[i]!);
    const h = composeHi(hi, lo, next.hi, next.lo);
    lo = composeLo(hi, lo, next.hi, next.lo);
    hi = h;
  }
  return keyOf(hi, lo);
}

/** The key of an advisory id in canonical form (a namespace of its own: words have no hyphens). */
export function idKey(salt: string, canonical: string): number {
  const { hi, lo } = saltedParts(salt, `id:${canonical.toUpperCase()}`);
  return keyOf(hi, lo);
}

export const keyToHex = (key: number): string => key.toString(16).padStart(14, '0');

export function keyFromHex(hex: string): number | null {
  if (!/^[0-9a-f]{14}$/.test(hex)) return null;
  const key = Number.parseInt(hex, 16);
  return Number.isSafeInteger(key) ? key : null;
}
