/**
 * `embargo export` (a case as OSV, CVE JSON 5, CSAF 2.0, a GitHub advisory body or Markdown), and
 * the case-file commands `embargo case import FILE` and `embargo case show ID --format case`.
 * `export --from FILE` works offline: it builds the case in memory from the file and never opens
 * the database or talks to a server.
 */
import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { caseFromFile, parseCaseFile } from '../../domain/case-file/index.js';
import { EXPORT_FORMATS, FORMAT_NAMES, parseExportFormat, renderExport, type ExportFormat } from '../../domain/exports/index.js';
import { answer, detailed } from '../../client/client.js';
import { caseIdArg, requireUsage, type Context, type JsonOption } from '../context.js';
import { usageError } from '../errors.js';

/** Reads a file given on the command line ("-" is stdin), with a sentence when it cannot. */

/** Writes an output file readable by its owner only: advisories are embargoed until published. */
function writeOutput(ctx: Context, path: string, text: string): void {
  try {
    writeFileSync(ctx.resolvePath(path), text, { mode: 0o600 });
  } catch (err) {
    throw usageError(`--out ${path}: ${(err as Error).message}`);
  }
}

function formatArg(value: string): ExportFormat {
  return parseExportFormat(value);
}

export function registerExport(program: Command, ctx: Context): void {
  const out = ctx.out;
  program
    .command('export')
    .description(`Write a case as an advisory: ${EXPORT_FORMATS.join(', ')} (with --from FILE: offline, from a case file)`)
    .argument('[id]', 'case id, e.g. EMB-2026-0007 (the read is audited)', caseIdArg)
    .requiredOption('--format <format>', `${EXPORT_FORMATS.join(' | ')}`, formatArg)
    .option('--from <file>', 'build the case from a case file instead of the database (- for stdin)')
    .option('--out <file>', 'write the document to this file (mode 600) instead of stdout')
    .addHelpText(
      'after',
      `
Formats: osv (OSV JSON), cve5 (a full CVE JSON 5.1 record; needs a CVE id), csaf (CSAF 2.0),
ghsa (the body of GitHub's create/update repository advisory request), md (Markdown).

Examples:
  embargo export EMB-2026-0007 --format osv --out advisory.osv.json
  embargo export --from case.yaml --format csaf`,
    )
    .action(async (id: string | undefined, opts: { format: ExportFormat; from?: string; out?: string }, cmd: Command) => {
      requireUsage((id === undefined) !== (opts.from === undefined), 'name a case id or give --from FILE (not both)');
      let text: string;
      if (opts.from !== undefined) {
        const kase = caseFromFile(parseCaseFile(ctx.readArg(opts.from, '--from').toString('utf8')), new Date());
        text = renderExport(kase, opts.format).text;
      } else {
        const api = await ctx.api(cmd);
        text = await answer(
          api.GET('/api/v1/cases/{caseId}/export', { params: { path: { caseId: id! }, query: { format: opts.format } }, parseAs: 'text' }),
        );
      }
      if (opts.out === undefined) return out.line(text.replace(/\n$/, ''));
      writeOutput(ctx, opts.out, text);
      // "the GitHub advisory advisory" said nothing twice: the ghsa format is the request body.
      const what = opts.format === 'ghsa' ? 'the GitHub advisory request body' : `the ${FORMAT_NAMES[opts.format]} advisory`;
      out.note(`Wrote ${what} of ${id ?? opts.from} to ${opts.out}.`);
    });
}

/** `case import FILE`, added to the `case` command group. */
export function registerCaseImport(kase: Command, ctx: Context): void {
  const out = ctx.out;
  kase
    .command('import')
    .description('Open a case from a case file, or update the case its id names (one transaction; see docs/case-file.md)')
    .argument('<file>', 'the case file, YAML or JSON (- for stdin)')
    .option('--json', 'print {case, created, changed} as JSON')
    .action(async (file: string, opts: JsonOption, cmd: Command) => {
      const text = ctx.readArg(file, 'import').toString('utf8');
      const result = await detailed((await ctx.api(cmd)).POST('/api/v1/case-files', { body: { file: text } }));
      if (opts.json) return out.json(result);
      const c = result.case;
      if (result.created)
        out.line(`Opened ${out.colors.bold(c.id)} "${c.title}" from ${file} (codename ${c.codename}, status ${c.status}).`);
      else if (result.changed.length === 0) out.line(`${out.colors.bold(c.id)} already matches ${file}; nothing changed.`);
      else out.line(`Updated ${out.colors.bold(c.id)} from ${file} (revision ${c.revision}): ${result.changed.join(', ')}.`);
    });
}

/** `case show ID --format case`: the case file on stdout. */
export async function printCaseFile(ctx: Context, cmd: Command, id: string): Promise<void> {
  const api = await ctx.api(cmd);
  const text = await answer(api.GET('/api/v1/cases/{caseId}/case-file', { params: { path: { caseId: id } }, parseAs: 'text' }));
  ctx.out.line(text.replace(/\n$/, ''));
}
