/**
 * The per-word rules of a scan: n-gram hashes against the case terms ("case-term"), revealing words
 * and phrases ("revealing-word"). It runs over every character of every message, so the common
 * case — no term, no revealing word — costs per word a cache lookup plus a few integer operations
 * for its 1-, 2- and 3-word n-grams.
 */
import { composeHi, composeLo, keyOf } from './hash.js';
import type { RawFinding } from './finding.js';
import type { RevealingWords } from './revealing-words.js';
import type { Level } from './rules.js';
import type { KeyFilter } from './terms-index.js';
import { forEachWord, isIdentifierGap } from './text.js';
import { FNV_OFFSET, FNV_PRIME, spellingHash, type WordCache } from './word-cache.js';

/** 0 separator, 1 lowercase, 2 capital, 3 digit. */
const ASCII_CLASS = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  if (c >= 97 && c <= 122) ASCII_CLASS[c] = 1;
  else if (c >= 65 && c <= 90) ASCII_CLASS[c] = 2;
  else if (c >= 48 && c <= 57) ASCII_CLASS[c] = 3;
}

/**
 * The per-word part of a scan: n-gram hashes against the case terms, revealing words and phrases.
 * One instance per scanner, reset for every text, so scanning a text allocates nothing unless it
 * finds something.
 */
export class WordPass {
  private text = '';
  // The previous word's hash halves and start; the previous bigram's (ending at the previous word).
  private haveP1 = false;
  private p1Hi = 0;
  private p1Lo = 0;
  private p1Start = 0;
  private b1Hi = 0;
  private b1Lo = 0;
  private b1Start = -1;
  // Phrase-word ids of the two words before the current one, and where they start.
  private w1 = -1;
  private w2 = -1;
  private w1Start = 0;
  private w2Start = 0;
  // The identifier (words joined by nothing or underscores) the current word belongs to.
  private tokStart = -1;
  private tokEnd = -1;
  private tokWords = 0;
  private tokUnderscore = false;
  terms: RawFinding[] | null = null;
  words: RawFinding[] | null = null;

  constructor(
    private readonly cache: WordCache,
    private readonly revealing: RevealingWords,
    private readonly prefilter: KeyFilter,
    private readonly termCases: Map<number, string[]>,
    private readonly checkTerms: boolean,
    private readonly termLevel: Level,
    private readonly wordLevel: Level,
  ) {}

  run(text: string, ascii: boolean): void {
    this.text = text;
    this.haveP1 = false;
    this.b1Start = -1;
    this.w1 = -1;
    this.w2 = -1;
    this.tokWords = 0;
    this.terms = null;
    this.words = null;
    if (ascii) this.asciiWords(text);
    else forEachWord(text, (start, end) => this.word(start, end, spellingHash(text, start, end)));
    this.closeToken();
  }

  /**
   * forEachWord's ASCII cut, inlined, hashing each lowercase or digit run as it reads it: this loop
   * runs for every character of every message.
   */
  private asciiWords(text: string): void {
    const n = text.length;
    let i = 0;
    while (i < n) {
      let c = text.charCodeAt(i);
      const k = ASCII_CLASS[c]!;
      if (k === 0) {
        i++;
        continue;
      }
      const start = i;
      if (k === 3 || k === 1) {
        let h = Math.imul(FNV_OFFSET ^ c, FNV_PRIME);
        i++;
        while (i < n && ASCII_CLASS[(c = text.charCodeAt(i))] === k) {
          h = Math.imul(h ^ c, FNV_PRIME);
          i++;
        }
        this.word(start, i, h);
        continue;
      }
      // Capitals: "HTTPProxy" is HTTP + Proxy, "Fix" one word, "RCE" one word.
      let j = i + 1;
      while (j < n && ASCII_CLASS[text.charCodeAt(j)] === 2) j++;
      if (j < n && ASCII_CLASS[text.charCodeAt(j)] === 1) {
        if (j - i > 1) this.word(i, j - 1, spellingHash(text, i, j - 1));
        const w = j - 1;
        j++;
        while (j < n && ASCII_CLASS[text.charCodeAt(j)] === 1) j++;
        this.word(w, j, spellingHash(text, w, j));
      } else this.word(i, j, spellingHash(text, i, j));
      i = j;
    }
  }

  private word(start: number, end: number, h: number): void {
    const text = this.text;
    if (this.tokWords > 0 && isIdentifierGap(text, this.tokEnd, start)) {
      if (start > this.tokEnd) this.tokUnderscore = true;
      this.tokWords++;
      this.tokEnd = end;
    } else {
      this.closeToken();
      this.tokStart = start;
      this.tokEnd = end;
      this.tokWords = 1;
      this.tokUnderscore = false;
    }

    const cache = this.cache;
    const e = cache.entryHashed(text, start, end, h);
    if (this.checkTerms) {
      const hi = cache.hi[e]!;
      const lo = cache.lo[e]!;
      this.termHit(hi, lo, start, end);
      if (this.haveP1) {
        if (this.b1Start >= 0)
          this.termHit(composeHi(this.b1Hi, this.b1Lo, hi, lo), composeLo(this.b1Hi, this.b1Lo, hi, lo), this.b1Start, end);
        this.b1Hi = composeHi(this.p1Hi, this.p1Lo, hi, lo);
        this.b1Lo = composeLo(this.p1Hi, this.p1Lo, hi, lo);
        this.b1Start = this.p1Start;
        this.termHit(this.b1Hi, this.b1Lo, this.b1Start, end);
      }
      this.haveP1 = true;
      this.p1Hi = hi;
      this.p1Lo = lo;
      this.p1Start = start;
    }

    if (cache.revealing[e] === 1) (this.words ??= []).push(this.wordFinding(start, end));
    const wid = cache.phraseWord[e]!;
    if (wid >= 0) {
      const phrases = this.revealing.phrasesByLastId.get(wid);
      if (phrases) {
        for (const p of phrases) {
          if (p.length === 2 && p[0] === this.w1) (this.words ??= []).push(this.wordFinding(this.w1Start, end));
          else if (p.length === 3 && p[1] === this.w1 && p[0] === this.w2) (this.words ??= []).push(this.wordFinding(this.w2Start, end));
        }
      }
    }
    this.w2 = this.w1;
    this.w2Start = this.w1Start;
    this.w1 = wid;
    this.w1Start = start;
  }

  private termHit(hi: number, lo: number, start: number, end: number): void {
    if (!this.prefilter.has(hi)) return;
    const cases = this.termCases.get(keyOf(hi, lo));
    if (!cases) return;
    (this.terms ??= []).push({
      rule: 'case-term',
      severity: this.termLevel,
      message: `matches an embargoed term of case ${cases.join(', ')}`,
      caseId: cases[0]!,
      secret: true,
      start,
      end,
    });
  }

  /** A multi-word identifier also reads as one word ("rewritecookiepath"). */
  private closeToken(): void {
    if (this.tokWords > 1 && this.checkTerms) {
      const { text, tokStart, tokEnd, cache } = this;
      const e = this.tokUnderscore
        ? cache.entryOfJoined(text.slice(tokStart, tokEnd).replace(/_/g, ''))
        : cache.entry(text, tokStart, tokEnd);
      this.termHit(cache.hi[e]!, cache.lo[e]!, tokStart, tokEnd);
    }
    this.tokWords = 0;
  }

  private wordFinding(start: number, end: number): RawFinding {
    const match = this.text.slice(start, end);
    return {
      rule: 'revealing-word',
      severity: this.wordLevel,
      message: `"${match}" hints at a security fix`,
      match,
      secret: false,
      start,
      end,
    };
  }
}
