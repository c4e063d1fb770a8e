/**
 * How the guard reads text: one folding step so that look-alike spellings compare equal, and one
 * word splitter that both the scanner and the term hasher use, so a term and the text it hides in
 * are cut into the same words.
 *
 * Folding works per code point (NFKC, dashes to "-", invisible format characters dropped) and keeps
 * a map back to the original offsets, so every finding points at the text as it was written.
 * Plain ASCII text (nearly every commit message) skips folding entirely.
 */

export interface FoldedText {
  /** The text to match against. */
  text: string;
  /** Offset in `text` -> offset in the original; null when nothing changed (the ASCII fast path). */
  map: Int32Array | null;
}

// eslint-disable-next-line no-control-regex
const NON_ASCII = /[^\x00-\x7f]/;
// Unicode property classes compile slowly; built on first use (most text is ASCII).
let FORMAT_CHAR: RegExp | undefined;
let DASH: RegExp | undefined;

export function foldText(text: string): FoldedText {
  if (!NON_ASCII.test(text)) return { text, map: null };
  let out = '';
  const map: number[] = [];
  let i = 0;
  for (const ch of text) {
    let folded: string;
    if (ch.length === 1 && ch.charCodeAt(0) < 0x80) folded = ch;
    else if ((FORMAT_CHAR ??= /^\p{Cf}$/u).test(ch)) folded = '';
    else if ((DASH ??= /^[\p{Pd}\u2212]$/u).test(ch)) folded = '-';
    else folded = ch.normalize('NFKC');
    for (let k = 0; k < folded.length; k++) map.push(i);
    out += folded;
    i += ch.length;
  }
  map.push(i);
  return { text: out, map: Int32Array.from(map) };
}

/** Maps an offset in folded text back to the original text. */
export function originalOffset(folded: FoldedText, offset: number): number {
  if (!folded.map) return offset;
  return folded.map[Math.min(offset, folded.map.length - 1)]!;
}

/**
 * Calls `emit(start, end)` for every word of `text`, in order: runs of lowercase letters (with one
 * leading capital), runs of capitals (the last one starts the next word when lowercase follows:
 * "HTTPProxy" is "HTTP" + "Proxy"), and runs of digits. Everything else separates words, so
 * `rewriteCookiePath`, `rewrite_cookie_path` and `Rewrite cookie path` are the same three words.
 */
export function forEachWord(text: string, emit: (start: number, end: number) => void): void {
  if (NON_ASCII.test(text)) {
    forEachUnicodeWord(text, emit);
    return;
  }
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    const k = CLASS[c]!;
    if (k === SEP) {
      i++;
      continue;
    }
    const start = i;
    if (k === DIGIT || k === LOWER) {
      i++;
      while (i < n && CLASS[text.charCodeAt(i)] === k) i++;
      emit(start, i);
      continue;
    }
    // Capitals.
    let j = i + 1;
    while (j < n && CLASS[text.charCodeAt(j)] === UPPER) j++;
    if (j < n && CLASS[text.charCodeAt(j)] === LOWER) {
      if (j - i > 1) emit(i, j - 1);
      const w = j - 1;
      j++;
      while (j < n && CLASS[text.charCodeAt(j)] === LOWER) j++;
      emit(w, j);
    } else {
      emit(i, j);
    }
    i = j;
  }
}

const SEP = 0;
const LOWER = 1;
const UPPER = 2;
const DIGIT = 3;
const CLASS = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  if (c >= 97 && c <= 122) CLASS[c] = LOWER;
  else if (c >= 65 && c <= 90) CLASS[c] = UPPER;
  else if (c >= 48 && c <= 57) CLASS[c] = DIGIT;
}

let UNICODE_WORD: RegExp | undefined;

function forEachUnicodeWord(text: string, emit: (start: number, end: number) => void): void {
  UNICODE_WORD ??= /\p{Lu}?[\p{Ll}\p{Lo}\p{Lm}\p{Lt}\p{M}]+|\p{Lu}+(?![\p{Ll}\p{Lo}\p{M}])|\p{N}+/gu;
  UNICODE_WORD.lastIndex = 0;
  for (let m = UNICODE_WORD.exec(text); m; m = UNICODE_WORD.exec(text)) emit(m.index, m.index + m[0].length);
}

/** The words of a (short) text, lowercased: what a term is made of. */
export function wordsOf(text: string): string[] {
  const folded = foldText(text).text;
  const words: string[] = [];
  forEachWord(folded, (s, e) => words.push(folded.slice(s, e).toLowerCase()));
  return words;
}

/**
 * Words joined by nothing but underscores (or nothing at all: camelCase) form one identifier;
 * `cookieRewritePolicyPathPrefix` and `cookie_rewrite_policy_path_prefix` are both one.
 */
export function isIdentifierGap(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (text.charCodeAt(i) !== 95) return false;
  return true;
}
