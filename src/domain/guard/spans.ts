/** Assembling a text's findings: overlapping hits merged, revealing words inside an id's run dropped. */
import type { RawFinding, Span } from './finding.js';

/** The run of non-whitespace characters around [start, end). */
export function nonSpaceRun(text: string, start: number, end: number): Span {
  let s = start;
  let e = end;
  while (s > 0 && !/\s/.test(text[s - 1]!)) s--;
  while (e < text.length && !/\s/.test(text[e]!)) e++;
  return { start: s, end: e };
}

/** Overlapping findings of the same rule become one, spanning both (the n-gram and its joined form). */
export function mergeSpans(hits: RawFinding[]): RawFinding[] {
  const sorted = [...hits].sort((a, b) => a.start - b.start || b.end - a.end);
  const out: RawFinding[] = [];
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

/** The word findings that overlap none of the taken spans (ids' runs, term hits). */
export function outside(words: RawFinding[], taken: Span[]): RawFinding[] {
  return words.filter((w) => !taken.some((t) => w.start < t.end && t.start < w.end));
}
