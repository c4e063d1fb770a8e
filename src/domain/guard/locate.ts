/** Where a finding is: line and column in the text as given, and its line as a masked excerpt. */
import type { RawFinding, Span, TextFinding } from './finding.js';
import { type FoldedText, originalOffset } from './text.js';

const EXCERPT_WIDTH = 160;
const MASK = '*';

/** Positions (line, column) in the original text, and a masked excerpt of each finding's line. */
export function locate(original: string, folded: FoldedText, raw: RawFinding[]): TextFinding[] {
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
