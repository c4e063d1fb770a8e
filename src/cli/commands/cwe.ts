/**
 * `embargo cwe show|search`: MITRE's CWE catalogue, offline (it ships with Embargo; no database,
 * no server). Every output carries MITRE's attribution, as the CWE Terms of Use ask.
 */
import type { Command } from 'commander';
import { DomainError } from '../../domain/errors.js';
import {
  CWE_ATTRIBUTION,
  CWE_CATALOGUE,
  CWE_SOURCE,
  cweUrl,
  findCwe,
  getCwe,
  searchCwe,
  SEARCH_LIMIT_DEFAULT,
  SEARCH_LIMIT_MAX,
  type CweEntry,
  type CweUsage,
} from '../../domain/severity/cwe.js';
import { usageError } from '../errors.js';
import type { Context, JsonOption } from '../context.js';
import { wrap } from '../format.js';
import { table, type Colors } from '../output.js';

const USAGE_HINTS: Record<CweUsage, string> = {
  Allowed: 'may be used to map a vulnerability',
  'Allowed-with-Review': 'may be used to map a vulnerability after careful review',
  Discouraged: 'MITRE discourages mapping vulnerabilities to it; look for a more specific weakness',
  Prohibited: 'MITRE prohibits mapping vulnerabilities to it',
};

function paintUsage(usage: CweUsage, colors: Colors, text: string = usage): string {
  if (usage === 'Allowed') return colors.green(text);
  if (usage === 'Allowed-with-Review') return colors.yellow(text);
  return colors.red(text);
}

const catalogue = { version: CWE_CATALOGUE.version, date: CWE_CATALOGUE.date, descriptionsFrom: CWE_CATALOGUE.descriptionsFrom };

/** The --json shape of one weakness. */
export const cweJson = (e: CweEntry) => ({ ...e, url: cweUrl(e.id) });

function footer(ctx: Context): void {
  ctx.out.line();
  for (const l of wrap(CWE_ATTRIBUTION, 0, '')) ctx.out.line(ctx.out.colors.dim(l));
}

/** Domain refusals of what the user typed are usage mistakes (exit 2); not found stays exit 1. */
function asUsage<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof DomainError && err.code === 'invalid_input') throw usageError(err.message);
    throw err;
  }
}

export function registerCwe(program: Command, ctx: Context): void {
  const cwe = program.command('cwe').description(`Look up weaknesses in MITRE's CWE catalogue (CWE ${CWE_CATALOGUE.version}, offline)`);

  cwe
    .command('show')
    .description("One weakness: name, status, MITRE's mapping usage and description")
    .argument('<id>', 'CWE id, e.g. CWE-79 or 79')
    .option('--json', 'print the weakness with url, catalogue and source (MITRE attribution) as JSON')
    .action((id: string, opts: JsonOption) => {
      const entry = asUsage(() => getCwe(id));
      if (opts.json) return ctx.out.json({ ...cweJson(entry), catalogue, source: CWE_SOURCE });
      const c = ctx.out.colors;
      const rows: [string, string][] = [
        ['status', entry.status],
        ['usage', `${paintUsage(entry.usage, c)} — ${USAGE_HINTS[entry.usage]}`],
      ];
      if (entry.terms?.length) rows.push(['other names', entry.terms.join(', ')]);
      if (entry.alternatives?.length)
        rows.push(['instead', entry.alternatives.map((a) => `${a} ${findCwe(a)?.name ?? ''}`.trim()).join('; ')]);
      ctx.out.line(`${c.bold(entry.id)}  ${entry.name}`);
      for (const [label, value] of rows) ctx.out.line(`  ${c.dim(label.padEnd(11))}  ${value}`);
      const description = entry.description ?? `(no description in CWE ${CWE_CATALOGUE.descriptionsFrom.version}; see the link)`;
      const label = `  ${'description'.padEnd(11)}  `;
      wrap(description, label.length, label).forEach((l, i) => {
        ctx.out.line(i === 0 ? `  ${c.dim('description'.padEnd(11))}  ${l.slice(label.length)}` : l);
      });
      ctx.out.line(`  ${c.dim('link'.padEnd(11))}  ${cweUrl(entry.id)}`);
      footer(ctx);
    });

  cwe
    .command('search')
    .description('Find weaknesses by id, name, other names (e.g. XSS) or description, best match first')
    .argument('<text...>', 'what to look for, e.g. "path traversal" or CWE-22')
    .option('--limit <n>', `at most this many results (1-${SEARCH_LIMIT_MAX})`, String(SEARCH_LIMIT_DEFAULT))
    .option('--json', 'print {query, results: [...], catalogue, source} as JSON')
    .action((words: string[], opts: JsonOption & { limit: string }) => {
      const text = words.join(' ');
      if (!/^\d{1,3}$/.test(opts.limit))
        throw usageError(`--limit must be a whole number from 1 to ${SEARCH_LIMIT_MAX}, not "${opts.limit}"`);
      const limit = Number(opts.limit);
      const hits = asUsage(() => searchCwe(text, limit));
      if (opts.json) return ctx.out.json({ query: text, results: hits.map(cweJson), catalogue, source: CWE_SOURCE });
      const c = ctx.out.colors;
      if (hits.length === 0) {
        ctx.out.line(`no weakness in CWE ${CWE_CATALOGUE.version} matches "${text}"`);
      } else {
        const rows = [
          ['ID', 'USAGE', 'NAME'],
          ...hits.map((h) => [h.id, h.usage, h.status === 'Deprecated' ? `${h.name} (deprecated)` : h.name]),
        ];
        table(rows, (cell, col, r) => (r === 0 ? c.dim(cell) : col === 1 ? paintUsage(hits[r - 1]!.usage, c, cell) : cell)).forEach((l) => {
          ctx.out.line(l);
        });
      }
      footer(ctx);
    });
}
