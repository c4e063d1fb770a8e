/**
 * The terms file indexed for scanning: each hashed term and id by its key, with the cases it
 * belongs to, and a bitmap that rules out nearly every n-gram before the map is consulted.
 */
import { keyFromHex } from './hash.js';
import type { TermsFile } from './terms-file.js';

/**
 * A bitmap over the high 20 bits' worth of term keys: one bit test rules out nearly every n-gram
 * before the map of term keys is consulted.
 */
export class KeyFilter {
  private readonly bits = new Uint32Array(1 << 15);

  add(hi: number): void {
    const b = hi & 0xfffff;
    this.bits[b >>> 5]! |= 1 << (b & 31);
  }

  has(hi: number): boolean {
    const b = hi & 0xfffff;
    return (this.bits[b >>> 5]! & (1 << (b & 31))) !== 0;
  }
}

export interface TermsIndex {
  /** Term key → the cases whose term it is. */
  termCases: Map<number, string[]>;
  /** The high halves of termCases' keys. */
  prefilter: KeyFilter;
  /** CVE/GHSA id key → the cases it belongs to. */
  idCases: Map<number, string[]>;
  embargoedCaseIds: Set<string>;
}

export function indexTerms(terms: TermsFile | null): TermsIndex {
  const index: TermsIndex = { termCases: new Map(), prefilter: new KeyFilter(), idCases: new Map(), embargoedCaseIds: new Set() };
  for (const c of terms?.cases ?? []) {
    index.embargoedCaseIds.add(c.caseId);
    for (const hex of c.terms) {
      const key = keyFromHex(hex)!;
      index.termCases.set(key, [...(index.termCases.get(key) ?? []), c.caseId]);
      index.prefilter.add(Math.floor(key / 2 ** 21) | 0);
    }
    for (const hex of c.ids) {
      const key = keyFromHex(hex)!;
      index.idCases.set(key, [...(index.idCases.get(key) ?? []), c.caseId]);
    }
  }
  return index;
}
