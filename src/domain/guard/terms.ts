/**
 * Case terms: the words that would give an embargoed case away (its codename, function names,
 * config keys the team adds). A term is one to three words, or one identifier of any length
 * (`cookieRewritePolicyPathPrefix`, `cookie_rewrite_policy_path_prefix`); it is compared word by
 * word, so its spelling (case, camelCase, snake_case, hyphens, spaces) does not matter.
 */
import { invalidInput } from '../errors.js';
import { gramKey, MAX_GRAM } from './hash.js';
import { canonicalId } from './ids.js';
import { foldText, forEachWord, isIdentifierGap, wordsOf } from './text.js';

export const MAX_TERM_LENGTH = 200;
export const MAX_TERMS_PER_CASE = 200;

/**
 * Words that would stop every other commit if they were a term. A term is meant to be distinctive;
 * these are not, whatever the case is about.
 */
const TOO_COMMON = new Set(
  `a an and the for with from into onto to of in on at by or not no is be it this that fix fixes fixed add adds added update updates
  updated remove removes removed bump test tests docs doc readme merge release version main master change changes refactor cleanup
  bug issue pr commit branch use uses make build ci chore feat`
    .split(/\s+/)
    .filter(Boolean),
);

export interface NormalizedTerm {
  /** The term as the team wrote it (trimmed). */
  term: string;
  /** Its words, lowercased: what is compared. */
  words: string[];
  /** The words joined: how duplicates are recognised ("rewriteCookiePath" = "rewrite cookie path"). */
  key: string;
}

/** Checks and normalizes one term the team adds; throws invalid_input with a sentence saying why not. */
export function normalizeTerm(raw: unknown): NormalizedTerm {
  if (typeof raw !== 'string') throw invalidInput('a term must be text', { field: 'terms' });
  const term = raw.trim();
  if (term === '') throw invalidInput('a term must not be empty', { field: 'terms' });
  if (term.length > MAX_TERM_LENGTH) throw invalidInput(`a term is at most ${MAX_TERM_LENGTH} characters long`, { field: 'terms' });
  if (canonicalId(term)) {
    throw invalidInput(
      `"${term}" is an advisory or case id; record CVE and GHSA ids on the case (embargo case edit) and the guard checks them`,
      {
        field: 'terms',
      },
    );
  }
  const words = wordsOf(term);
  if (words.length === 0) throw invalidInput(`"${term}" has no letters or digits to match`, { field: 'terms' });
  if (words.length > MAX_GRAM && !isOneIdentifier(term)) {
    throw invalidInput(
      `"${term}" has ${words.length} words; a term has at most ${MAX_GRAM} (or is one identifier such as a function name): add its most distinctive part`,
      { field: 'terms' },
    );
  }
  const key = words.join('');
  if (key.length < 3)
    throw invalidInput(`"${term}" is too short to be distinctive; a term has at least 3 letters or digits`, { field: 'terms' });
  if (words.length === 1 && TOO_COMMON.has(key)) {
    throw invalidInput(`"${term}" is too common a word to be a term: it would flag unrelated commits`, { field: 'terms' });
  }
  return { term, words, key };
}

function isOneIdentifier(term: string): boolean {
  const text = foldText(term).text;
  let prevEnd = -1;
  let ok = true;
  forEachWord(text, (start, end) => {
    if (prevEnd >= 0 && !isIdentifierGap(text, prevEnd, start)) ok = false;
    prevEnd = end;
  });
  return ok && /^[\p{L}\p{N}_]+$/u.test(text);
}

/**
 * The hashed keys that stand for one term: its words as an n-gram (when it has 2 or 3), and its
 * words run together as one word, which is how an all-lowercase spelling (`rewritecookiepath`) or
 * a long identifier reads.
 */
export function termKeys(salt: string, words: readonly string[]): number[] {
  const keys = [gramKey(salt, [words.join('')])];
  if (words.length > 1 && words.length <= MAX_GRAM) keys.push(gramKey(salt, words));
  return keys;
}

/** A codename (`amber-heron`) is a case term like any other. */
export function codenameWords(codename: string): string[] {
  return wordsOf(codename);
}
