/** What the scanner finds: one leak in one text, first as a span, then placed in lines and columns. */
import type { Level, RuleId } from './rules.js';

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

/** A finding before it is placed in lines and columns (offsets into the folded text). */
export type RawFinding = Omit<TextFinding, 'line' | 'column' | 'endLine' | 'endColumn' | 'excerpt'>;

export interface Span {
  start: number;
  end: number;
}
