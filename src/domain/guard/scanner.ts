/**
 * The scanner: one text in, the leaks in it out. Built once per run from the configuration and the
 * terms file, then called for every commit message, changelog line, branch name or PR text.
 *
 * It runs over millions of commit messages, so the common case — a message with no id and no
 * term — costs one regex test for ids, one pass over the characters to cut words, and per word a
 * cache lookup plus a few integer operations for its 1-, 2- and 3-word n-grams. A word is hashed
 * (SHA-256) only the first time it is seen.
 */
import type { GuardConfig } from './config.js';
import { composeHi, composeLo, idKey, keyFromHex, keyOf, MAX_GRAM, saltedParts } from './hash.js';
import { findIds, idContext, type IdContext, type IdMatch } from './ids.js';
import type { Level, RuleId } from './rules.js';
import type { TermsFile } from './terms-file.js';
import { foldText, forEachWord, isIdentifierGap, originalOffset, wordsOf, type FoldedText } from './text.js';

/** One leak in one text. Offsets and positions refer to the text as it was given. */
export interface TextFinding {
  rule: RuleId;
  severity: Level;
  /** Safe to print: never contains a term that came from the hashed list. */
  message: string;
  hint?: string;
  /** The case it belongs to, when known. */
  caseId?: string;
  /** The matched text, only when showing it reveals nothing new (never for hashed matches). */
  match?: string;
  /** True when the matched text is a secret the guard knows only by its hash: mask it when shown. */
  secret: boolean;
  start: number;
  end: number;
  /** 1-based line and column (UTF-16 code units) of the start; end column is exclusive. */
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  /** The finding's line with every secret span masked, cut to a readable length. */
  excerpt: string;
}

export interface GuardScanner {
  scan(text: string): TextFinding[];
  /** Public ids seen (and allowed) so far. */
  readonly allowedIds: number;
  /** Number of embargoed cases the terms cover. */
  readonly caseCount: number;
}

const EXCERPT_WIDTH = 160;
const MASK = '*';
const WORD_CACHE_LIMIT = 1 << 19;

const ID_HINTS: Record<Exclude<IdContext, null>, string> = {
  'ghsa-merge':
    "this is GitHub's default message for merging a temporary private fork; reword the merge commit (git commit --amend) before it leaves the fork",
  'cherry-pick': 'a cherry-pick title carries the id; give the forward-port a pithy message of its own',
  'advisory-url': 'an advisory link names the vulnerability; leave it out until the advisory is published',
};

/**
 * Revealing words, phrases and prefixes, in the shapes the per-word loop can test cheaply: each
 * word a phrase uses gets a small integer id, and phrases are compared id by id.
 */
class RevealingWords {
  readonly singles = new Set<string>();
  readonly prefixes: string[] = [];
  /** Lowercased word -> id, for the words phrases are made of. */
  readonly phraseWordIds = new Map<string, number>();
  /** Phrases (as word ids) by the id of their last word. */
  readonly phrasesByLastId = new Map<number, number[][]>();

  constructor(entries: readonly string[]) {
    for (const entry of entries) {
      const raw = entry.trim();
      if (raw.endsWith('*')) {
        const prefix = wordsOf(raw.slice(0, -1)).join('');
        if (prefix) this.prefixes.push(prefix);
        continue;
      }
      const words = wordsOf(raw);
      if (words.length === 0) continue;
      if (words.length === 1) this.singles.add(words[0]!);
      else if (words.length <= MAX_GRAM) {
        const ids = words.map((w) => this.phraseWordIds.get(w) ?? this.phraseWordIds.set(w, this.phraseWordIds.size).get(w)!);
        const last = ids[ids.length - 1]!;
        this.phrasesByLastId.set(last, [...(this.phrasesByLastId.get(last) ?? []), ids]);
      }
    }
  }

  isRevealing(lower: string): boolean {
    return this.singles.has(lower) || this.prefixes.some((p) => lower.startsWith(p));
  }

  maxPhraseWords(): number {
    let max = 1;
    for (const list of this.phrasesByLastId.values()) for (const p of list) max = Math.max(max, p.length);
    return max;
  }
}

/** FNV-1a over text[start, end): the word cache's key. */
function spellingHash(text: string, start: number, end: number): number {
  let h = FNV_OFFSET;
  for (let i = start; i < end; i++) h = Math.imul(h ^ text.charCodeAt(i), FNV_PRIME);
  return h;
}

const FNV_OFFSET = 0x811c9dc5 | 0;
const FNV_PRIME = 0x01000193;

/**
 * What the scanner knows about each word it has seen, by exact spelling ("Fix" and "fix" are two
 * entries with the same salted hash): an open-addressing table keyed by FNV-1a of the characters,
 * checked in place, so a hit allocates nothing. Only a miss lowercases the word and hashes it with
 * the salt. Emptied when it fills up (a history full of unique tokens).
 */
class WordCache {
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

/**
 * A bitmap over the high 20 bits' worth of term keys: one bit test rules out nearly every n-gram
 * before the map of term keys is consulted.
 */
class KeyFilter {
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

interface Span {
  start: number;
  end: number;
}

/** A finding before it is placed in lines and columns. */
type Raw = Omit<TextFinding, 'line' | 'column' | 'endLine' | 'endColumn' | 'excerpt'>;

/**
 * The per-word part of a scan: n-gram hashes against the case terms, revealing words and phrases.
 * One instance per scanner, reset for every text, so scanning a text allocates nothing unless it
 * finds something.
 */
class WordPass {
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
  terms: Raw[] | null = null;
  words: Raw[] | null = null;

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

  private wordFinding(start: number, end: number): Raw {
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

/** 0 separator, 1 lowercase, 2 capital, 3 digit. */
const ASCII_CLASS = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  if (c >= 97 && c <= 122) ASCII_CLASS[c] = 1;
  else if (c >= 65 && c <= 90) ASCII_CLASS[c] = 2;
  else if (c >= 48 && c <= 57) ASCII_CLASS[c] = 3;
}

export function createScanner(config: GuardConfig, terms: TermsFile | null): GuardScanner {
  const severity = config.severity;
  const salt = terms?.salt ?? '';
  const termCases = new Map<number, string[]>();
  const prefilter = new KeyFilter();
  const idCases = new Map<number, string[]>();
  const embargoedCaseIds = new Set<string>();
  const publicIds = new Set<string>([...config.publicIds, ...(terms?.publicIds ?? [])]);
  for (const c of terms?.cases ?? []) {
    embargoedCaseIds.add(c.caseId);
    for (const hex of c.terms) {
      const key = keyFromHex(hex)!;
      termCases.set(key, [...(termCases.get(key) ?? []), c.caseId]);
      prefilter.add(Math.floor(key / 2 ** 21) | 0);
    }
    for (const hex of c.ids) {
      const key = keyFromHex(hex)!;
      idCases.set(key, [...(idCases.get(key) ?? []), c.caseId]);
    }
  }
  const checkTerms = termCases.size > 0 && severity['case-term'] !== 'off';
  const revealing = new RevealingWords(severity['revealing-word'] === 'off' ? [] : config.revealingWords);
  const checkWords = checkTerms || revealing.singles.size + revealing.phrasesByLastId.size + revealing.prefixes.length > 0;
  const pass = new WordPass(
    new WordCache(salt, revealing),
    revealing,
    prefilter,
    termCases,
    checkTerms,
    severity['case-term'] === 'off' ? 'error' : severity['case-term'],
    severity['revealing-word'] === 'off' ? 'warning' : severity['revealing-word'],
  );
  let allowedIds = 0;

  function idFinding(id: IdMatch, text: string): Raw | null {
    const context = idContext(text, id.start);
    const hint = context ? ID_HINTS[context] : undefined;
    const base = { start: id.start, end: id.end };
    if (id.kind === 'case') {
      if (embargoedCaseIds.has(id.canonical)) {
        if (severity['case-id'] === 'off') return null;
        return {
          ...base,
          rule: 'case-id',
          severity: severity['case-id'],
          message: `${id.canonical} is the id of a case under embargo`,
          caseId: id.canonical,
          match: id.canonical,
          secret: false,
        };
      }
      if (severity['unknown-case-id'] === 'off') return null;
      return {
        ...base,
        rule: 'unknown-case-id',
        severity: severity['unknown-case-id'],
        message: `${id.canonical} is an Embargo case id (not of a case the guard knows to be under embargo)`,
        caseId: id.canonical,
        match: id.canonical,
        secret: false,
      };
    }
    const label = id.kind === 'cve' ? 'a CVE id' : 'a GHSA id';
    const cases = idCases.size > 0 ? idCases.get(idKey(salt, id.canonical)) : undefined;
    if (cases) {
      if (severity['embargoed-id'] === 'off') return null;
      return {
        ...base,
        rule: 'embargoed-id',
        severity: severity['embargoed-id'],
        message: `${label} of embargoed case ${cases.join(', ')}`,
        ...(hint ? { hint } : {}),
        caseId: cases[0]!,
        secret: true,
      };
    }
    if (publicIds.has(id.canonical)) {
      allowedIds++;
      return null;
    }
    if (severity['unknown-id'] === 'off') return null;
    return {
      ...base,
      rule: 'unknown-id',
      severity: severity['unknown-id'],
      message: `${id.canonical} is not known to be public`,
      hint: hint ?? "if it is public (e.g. a dependency's CVE), list it under public-ids in .embargo-guard.yml or in a --public-ids file",
      match: id.canonical,
      secret: false,
    };
  }

  function scan(original: string): TextFinding[] {
    const folded: FoldedText = foldText(original);
    const text = folded.text;
    let found: Raw[] | null = null;
    // Runs of non-space text around ids (a URL, "GHSA-…"): revealing words inside them are the id's.
    let idRuns: Span[] | null = null;

    const ids = findIds(text);
    for (const id of ids) {
      const f = idFinding(id, text);
      (idRuns ??= []).push(nonSpaceRun(text, id.start, id.end));
      if (f) (found ??= []).push(f);
    }

    if (checkWords) {
      pass.run(text, folded.map === null);
      const termHits = pass.terms ? mergeSpans(pass.terms) : [];
      if (termHits.length > 0) (found ??= []).push(...termHits);
      if (pass.words) {
        const taken: Span[] = [...(idRuns ?? []), ...termHits];
        const kept = mergeSpans(pass.words).filter((w) => !taken.some((t) => w.start < t.end && t.start < w.end));
        if (kept.length > 0) (found ??= []).push(...kept);
      }
    }

    if (!found) return [];
    return locate(original, folded, found);
  }

  return {
    scan,
    get allowedIds() {
      return allowedIds;
    },
    caseCount: embargoedCaseIds.size,
  };
}

/** The run of non-whitespace characters around [start, end). */
function nonSpaceRun(text: string, start: number, end: number): Span {
  let s = start;
  let e = end;
  while (s > 0 && !/\s/.test(text[s - 1]!)) s--;
  while (e < text.length && !/\s/.test(text[e]!)) e++;
  return { start: s, end: e };
}

/** Overlapping findings of the same rule become one, spanning both (the n-gram and its joined form). */
function mergeSpans(hits: Raw[]): Raw[] {
  const sorted = [...hits].sort((a, b) => a.start - b.start || b.end - a.end);
  const out: Raw[] = [];
  for (const h of sorted) {
    const last = out[out.length - 1];
    if (last && last.rule === h.rule && h.start < last.end) {
      if (h.end > last.end) out[out.length - 1] = { ...last, end: h.end };
      if (h.message !== last.message && last.rule === 'case-term') {
        out[out.length - 1] = { ...out[out.length - 1]!, message: mergeCaseMessages(out[out.length - 1]!.message, h.message) };
      }
      continue;
    }
    out.push(h);
  }
  return out;
}

function mergeCaseMessages(a: string, b: string): string {
  const ids = new Set([...a.matchAll(/EMB-\d{4}-\d+/g), ...b.matchAll(/EMB-\d{4}-\d+/g)].map((m) => m[0]));
  return `matches an embargoed term of case ${[...ids].sort().join(', ')}`;
}

/** Positions (line, column) in the original text, and a masked excerpt of each finding's line. */
function locate(original: string, folded: FoldedText, raw: Raw[]): TextFinding[] {
  const spans = raw.map((f) => ({ ...f, start: originalOffset(folded, f.start), end: originalOffset(folded, f.end) }));
  const secrets = spans.filter((f) => f.secret);
  return spans
    .sort((a, b) => a.start - b.start)
    .map((f) => {
      const lineStart = original.lastIndexOf('\n', f.start - 1) + 1;
      const line = countNewlines(original, 0, f.start) + 1;
      const endLineStart = original.lastIndexOf('\n', Math.max(f.end - 1, f.start)) + 1;
      const endLine = line + countNewlines(original, f.start, f.end);
      let lineEnd = original.indexOf('\n', f.start);
      if (lineEnd < 0) lineEnd = original.length;
      return {
        ...f,
        line,
        column: f.start - lineStart + 1,
        endLine,
        endColumn: f.end - endLineStart + 1,
        excerpt: excerptOf(original, lineStart, lineEnd, f, secrets),
      };
    });
}

function countNewlines(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = text.indexOf('\n', from); i >= 0 && i < to; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

function excerptOf(original: string, lineStart: number, lineEnd: number, f: Span, secrets: Span[]): string {
  let chars = original.slice(lineStart, lineEnd).replace(/\r$/, '').split('');
  for (const s of secrets) {
    for (let i = Math.max(s.start, lineStart); i < Math.min(s.end, lineEnd); i++) chars[i - lineStart] = MASK;
  }
  const at = f.start - lineStart;
  let from = 0;
  if (chars.length > EXCERPT_WIDTH) {
    from = Math.max(0, Math.min(at - 40, chars.length - EXCERPT_WIDTH));
    chars = chars.slice(from, from + EXCERPT_WIDTH);
  }
  const text = chars.join('').replace(/\t/g, ' ').trimEnd();
  return `${from > 0 ? '…' : ''}${text}${from + EXCERPT_WIDTH < lineEnd - lineStart ? '…' : ''}`;
}
