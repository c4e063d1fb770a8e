/**
 * Revealing words, phrases and prefixes ("security", "heap overflow", "sanitiz*"), in the shapes the
 * per-word loop can test cheaply: each word a phrase uses gets a small integer id, and phrases are
 * compared id by id.
 */
import { MAX_GRAM } from './hash.js';
import { wordsOf } from './text.js';

export class RevealingWords {
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

  /** True when there is nothing to look for (the rule is off or the list empty). */
  get isEmpty(): boolean {
    return this.singles.size + this.phrasesByLastId.size + this.prefixes.length === 0;
  }

  isRevealing(lower: string): boolean {
    return this.singles.has(lower) || this.prefixes.some((p) => lower.startsWith(p));
  }
}
