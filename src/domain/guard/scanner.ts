/**
 * The scanner: one text in, the leaks in it out. Built once per run from the configuration and the
 * terms file, then called for every commit message, changelog line, branch name or PR text.
 *
 * It runs over millions of commit messages, so the common case — a message with no id and no
 * term — costs one regex test for ids, one pass over the characters to cut words, and per word a
 * cache lookup plus a few integer operations for its 1-, 2- and 3-word n-grams. A word is hashed
 * (SHA-256) only the first time it is seen.
 *
 * The parts: finding.ts (what is found), id-rules.ts and word-pass.ts (the matching per rule, over
 * ids and over words, with word-cache.ts, revealing-words.ts and terms-index.ts), spans.ts (merging a
 * text's hits), locate.ts (where each is: line, column, masked excerpt).
 */
import type { GuardConfig } from './config.js';
import type { RawFinding, Span, TextFinding } from './finding.js';
import { IdRules } from './id-rules.js';
import { findIds } from './ids.js';
import { locate } from './locate.js';
import { RevealingWords } from './revealing-words.js';
import { mergeSpans, nonSpaceRun, outside } from './spans.js';
import type { TermsFile } from './terms-file.js';
import { indexTerms } from './terms-index.js';
import { foldText, type FoldedText } from './text.js';
import { WordCache } from './word-cache.js';
import { WordPass } from './word-pass.js';

export type { TextFinding } from './finding.js';

export interface GuardScanner {
  scan(text: string): TextFinding[];
  /** Public ids seen (and allowed) so far. */
  readonly allowedIds: number;
  /** Number of embargoed cases the terms cover. */
  readonly caseCount: number;
}

export function createScanner(config: GuardConfig, terms: TermsFile | null): GuardScanner {
  const severity = config.severity;
  const salt = terms?.salt ?? '';
  const index = indexTerms(terms);
  const ids = new IdRules(severity, salt, index, new Set<string>([...config.publicIds, ...(terms?.publicIds ?? [])]));
  const checkTerms = index.termCases.size > 0 && severity['case-term'] !== 'off';
  const revealing = new RevealingWords(severity['revealing-word'] === 'off' ? [] : config.revealingWords);
  const checkWords = checkTerms || !revealing.isEmpty;
  const pass = new WordPass(
    new WordCache(salt, revealing),
    revealing,
    index.prefilter,
    index.termCases,
    checkTerms,
    severity['case-term'] === 'off' ? 'error' : severity['case-term'],
    severity['revealing-word'] === 'off' ? 'warning' : severity['revealing-word'],
  );

  function scan(original: string): TextFinding[] {
    const folded: FoldedText = foldText(original);
    const text = folded.text;
    let found: RawFinding[] | null = null;
    // Runs of non-space text around ids (a URL, "GHSA-…"): revealing words inside them are the id's.
    let idRuns: Span[] | null = null;

    for (const id of findIds(text)) {
      const f = ids.finding(id, text);
      (idRuns ??= []).push(nonSpaceRun(text, id.start, id.end));
      if (f) (found ??= []).push(f);
    }

    if (checkWords) {
      pass.run(text, folded.map === null);
      const termHits = pass.terms ? mergeSpans(pass.terms) : [];
      if (termHits.length > 0) (found ??= []).push(...termHits);
      if (pass.words) {
        const kept = outside(mergeSpans(pass.words), [...(idRuns ?? []), ...termHits]);
        if (kept.length > 0) (found ??= []).push(...kept);
      }
    }

    if (!found) return [];
    return locate(original, folded, found);
  }

  return {
    scan,
    get allowedIds() {
      return ids.allowed;
    },
    caseCount: index.embargoedCaseIds.size,
  };
}
