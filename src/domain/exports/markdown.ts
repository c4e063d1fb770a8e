/**
 * A readable advisory in Markdown (GitHub-flavoured: tables): title, ids and severity, the
 * description (summary and impact, written by the team in markdown), affected and patched versions
 * per release line, workarounds, references and credits. Values that are not the team's markdown —
 * names, versions, ids, URLs — are escaped so they cannot start a link, a table cell or HTML.
 */
import type { Case } from '../case/types.js';
import {
  creditTypeWords,
  cvssScores,
  embargoNotice,
  cweName,
  headlineScore,
  publicCredits,
  recordedRanges,
  requireFields,
  referenceUrls,
  type LineRange,
  type PublicCredit,
} from './common.js';

/**
 * Escapes what could turn inline plain text into markup: emphasis, code, links and images (the
 * brackets), table cells (the pipe), strike-through, HTML tags and entities. Other punctuation
 * stays: this text never starts a line, where dots, dashes or ">" would begin a block.
 */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_[\]|~<]|&(?=#?[A-Za-z0-9]+;)/g, (ch) => (ch === '<' ? '&lt;' : ch === '&' ? '&amp;' : `\\${ch}`));
}

/** A table cell: escaped, on one line. */
const cell = (text: string) => escapeMarkdown(text.replace(/\s+/g, ' ').trim());

/** `code`, with a fence longer than any backtick run inside. */
function code(text: string): string {
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

/** An autolink for a URL that was checked to be http(s) when it was stored. */
const link = (url: string) => `<${url.replace(/[<>\s]/g, encodeURIComponent)}>`;

/**
 * One release line's row. A range with no fix ends where the next range starts (older lines that
 * get no patch), and says what to upgrade to.
 */
function tableRow(r: LineRange, next: LineRange | undefined): string {
  if (r.fixed) return `| ${cell(r.line)} | ${code(`>= ${r.introduced}, < ${r.fixed}`)} | ${cell(r.fixed)} |`;
  if (!next) return `| ${cell(r.line)} | ${code(`>= ${r.introduced}`)} | no fix planned |`;
  const [major, minor] = next.introduced.split('.').map(Number) as [number, number];
  const below = minor > 0 && next.introduced === `${major}.${minor}.0` ? `${major}.${minor - 1}` : null;
  const lines = below && below !== r.line ? `${r.line} to ${below}` : r.line;
  const upgrade = next.fixed ? `none; upgrade to ${cell(next.fixed)} or later` : 'none';
  return `| ${cell(lines)} | ${code(`>= ${r.introduced}, < ${next.introduced}`)} | ${upgrade} |`;
}

function creditLine(k: PublicCredit): string {
  if (k.anonymous || k.name === null) return `- An anonymous ${creditTypeWords(k.type)}`;
  const who = k.company ? `${cell(k.name)} (${cell(k.company)})` : cell(k.name);
  return `- ${who}${k.login ? ` (@${cell(k.login)})` : ''}, ${creditTypeWords(k.type)}`;
}

export function markdownAdvisory(c: Case): string {
  requireFields('md', c, ['description']);
  const out: string[] = [`# ${cell(c.title)}`, ''];
  if (!c.publishedAt) out.push(`> **${embargoNotice(c)}**`, '');
  const scores = cvssScores(c);
  const headline = headlineScore(scores);
  const facts: string[] = [];
  if (c.ghsaId) facts.push(`**GHSA:** ${cell(c.ghsaId)}`);
  if (c.cveId) facts.push(`**CVE:** ${cell(c.cveId)}`);
  if (c.package) facts.push(`**Package:** ${code(c.package.name)} (${cell(c.package.ecosystem)})`);
  if (headline) facts.push(`**Severity:** ${headline.severity} (${headline.score.toFixed(1)})`);
  if (c.publishedAt) facts.push(`**Published:** ${c.publishedAt.slice(0, 10)}`);
  if (facts.length > 0) out.push(facts.join('  \n'), '');

  out.push('## Summary and impact', '', c.description || cell(c.title), '');

  out.push('## Affected and patched versions', '');
  const ranges = recordedRanges(c);
  if (ranges.length === 0) {
    out.push('Not determined yet.', '');
  } else {
    const name = c.package ? code(c.package.name) : 'the package';
    out.push(`Versions of ${name} affected, by release line:`, '');
    out.push('| Release line | Affected versions | Patched version |', '| --- | --- | --- |');
    ranges.forEach((r, i) => {
      out.push(tableRow(r, ranges[i + 1]));
    });
    out.push('');
  }

  if (scores.length > 0 || c.severity.cwe.length > 0) {
    out.push('## Severity', '');
    for (const s of scores)
      out.push(`- ${code(s.vector)}: ${s.score.toFixed(1)} ${s.severity}${s.nomenclature ? ` (${s.nomenclature})` : ''}`);
    for (const id of c.severity.cwe) {
      const name = cweName(id);
      out.push(`- ${cell(id)}${name ? `: ${cell(name)}` : ''}`);
    }
    out.push('');
  }

  if (c.workarounds) out.push('## Workarounds', '', c.workarounds, '');

  const refs = referenceUrls(c);
  if (refs.length > 0) out.push('## References', '', ...refs.map((u) => `- ${link(u)}`), '');

  const credits = publicCredits(c);
  if (credits.length > 0) out.push('## Credits', '', ...credits.map(creditLine), '');

  return `${out.join('\n').trimEnd()}\n`;
}
