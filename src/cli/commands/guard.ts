/**
 * `embargo guard`: scans commit messages, branch names, PR text and changelog lines for embargo
 * leaks (exit 0 clean, 1 findings, 2 the guard could not run), manages the team's case terms, and
 * installs the git hooks.
 */
import { existsSync, readFileSync } from 'node:fs';
import { chmod, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Option, type Command } from 'commander';
import { answer, detailed } from '../../client/client.js';
import { applyGuardConfig } from '../../domain/guard/config.js';
import { humanReport, jsonReport, sarifReport } from '../../domain/guard/report.js';
import type { RuleSeverity } from '../../domain/guard/rules.js';
import type { TermsFile } from '../../domain/guard/terms-file.js';
import { wordsOf } from '../../domain/guard/text.js';
import { HookError, installHooks, uninstallHooks, type HookOutcome } from '../../integrations/git/hooks.js';
import { commentChar, repoPaths } from '../../integrations/git/history.js';
import { CliError, EXIT_FAILURE, EXIT_USAGE, usageError } from '../errors.js';
import { caseIdArg, collect, type Context } from '../context.js';
import { shortTime } from '../format.js';
import { loadRepoConfig, readPublicIds, readTermsFile, runGuard, type GuardSources } from '../guard-scan.js';
import { printTable } from '../output.js';

/** Exit 1 without a second message: the findings were already printed as the result. */
class GuardFinding extends CliError {}

/** True for findings already reported on stdout: main exits 1 without printing anything more. */
export const isGuardFinding = (err: unknown) => err instanceof GuardFinding;

interface ScanFlags {
  messageFile?: string[];
  range?: string[];
  diff?: boolean;
  all?: boolean;
  branch?: string[];
  text?: string[];
  repo?: string;
  terms?: string;
  project?: string;
  publicIds?: string[];
  config?: string;
  strict?: boolean;
  unknownIds?: RuleSeverity;
  json?: boolean;
  sarif?: boolean;
  quiet?: boolean;
}

function packageVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version?: string };
    return pkg.version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

/** Anything that stops the guard from running is exit 2, whatever layer it came from. */
function asGuardError(err: unknown): CliError {
  if (err instanceof GuardFinding) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new CliError(message, EXIT_USAGE, err instanceof CliError ? err.bullets : []);
}

/**
 * The command the hooks run: the compiled entry next to this file (dist/cli/guard-hook.js), or,
 * when Embargo itself runs from its TypeScript sources, the source entry through tsx.
 */
export function hookCommand(): string[] {
  const self = fileURLToPath(import.meta.url);
  const cliDir = path.dirname(path.dirname(self));
  if (self.endsWith('.ts')) {
    const tsx = import.meta.resolve('tsx');
    return [process.execPath, '--import', tsx, path.join(cliDir, 'guard-hook.ts')];
  }
  return [process.execPath, path.join(cliDir, 'guard-hook.js')];
}

/** Only one project's terms, when a project is named. */
const termsQuery = (project: string | undefined) => ({ params: { query: project === undefined ? {} : { project } } });

/** Where the terms come from: a file, the server (--server), the local database if there is one, or nowhere. */
async function loadTerms(ctx: Context, cmd: Command, flags: ScanFlags): Promise<{ terms: TermsFile | null; from: string }> {
  if (flags.terms) return { terms: await readTermsFile(ctx.resolvePath(flags.terms)), from: flags.terms };
  const fromApi = async () => ({
    terms: await answer((await ctx.api(cmd)).GET('/api/v1/guard/terms', termsQuery(flags.project))),
    from: ctx.where(cmd),
  });
  if (ctx.isRemote(cmd)) return fromApi();
  const { localDatabaseExists } = await import('../../boot/local-database.js');
  return localDatabaseExists(ctx.env, ctx.world.cwd) ? fromApi() : { terms: null, from: '' };
}

async function readText(ctx: Context, file: string): Promise<{ path: string; text: string }> {
  if (file === '-') {
    let text = '';
    for await (const chunk of ctx.stdin.setEncoding('utf8')) text += chunk;
    return { path: 'stdin', text };
  }
  try {
    return { path: file, text: await readFile(ctx.resolvePath(file), 'utf8') };
  } catch (err) {
    throw usageError(`cannot read ${file}: ${(err as Error).message}`);
  }
}

async function scanAction(ctx: Context, cmd: Command): Promise<void> {
  const flags = cmd.opts<ScanFlags>();
  const out = ctx.out;
  const sources: GuardSources = {
    messageFiles: flags.messageFile ?? [],
    ranges: flags.range ?? [],
    branches: flags.branch ?? [],
    diff: flags.diff ?? false,
    all: flags.all ?? false,
  };
  const nothing =
    !sources.messageFiles!.length && !sources.ranges!.length && !sources.branches!.length && !sources.all && !(flags.text ?? []).length;
  if (nothing)
    throw usageError(
      'say what to scan: --message-file FILE, --range A..B, --all, --branch NAME or --text FILE|- (see embargo guard --help)',
    );
  if (flags.diff && !sources.ranges!.length && !sources.all)
    throw usageError('--diff goes with --range A..B or --all: it scans the changelog lines those commits add');
  if (flags.json && flags.sarif) throw usageError('choose one of --json and --sarif');
  for (const r of sources.ranges!) if (r.startsWith('-')) throw usageError(`--range "${r}" is not a revision range; write A..B`);

  let report: Awaited<ReturnType<typeof runGuard>>;
  try {
    const repo = ctx.resolvePath(flags.repo ?? '.');
    const needsGit = sources.ranges!.length > 0 || Boolean(sources.all);
    let top: string | null = null;
    try {
      top = (await repoPaths(repo)).top;
    } catch (err) {
      // PR text and branch names can be checked outside a repository; commits cannot.
      if (needsGit) throw new CliError(`${repo} is not a git repository: ${(err as Error).message}`, EXIT_USAGE);
    }
    let { config } = await loadRepoConfig(top, flags.config ? { explicitFile: ctx.resolvePath(flags.config) } : {});
    const extraIds = (await Promise.all((flags.publicIds ?? []).map((f) => readPublicIds(ctx.resolvePath(f))))).flat();
    if (extraIds.length > 0) config = { ...config, publicIds: [...config.publicIds, ...extraIds] };
    if (flags.unknownIds) config = applyGuardConfig(config, { 'unknown-ids': flags.unknownIds }, '--unknown-ids');
    const { terms } = await loadTerms(ctx, cmd, flags);
    if (!terms && !flags.quiet) {
      out.note(
        'embargo guard: note: no case terms (give --terms FILE, or --server with a guard token); checking ids and revealing words only',
      );
    }
    sources.texts = await Promise.all((flags.text ?? []).map((f) => readText(ctx, f)));

    const tty = Boolean(ctx.world.stderr.isTTY);
    const started = Date.now();
    const onProgress = flags.quiet
      ? undefined
      : (n: number) => {
          const rate = Math.round(n / Math.max((Date.now() - started) / 1000, 0.001));
          const line = `embargo guard: ${n.toLocaleString('en-US')} commits scanned (${rate.toLocaleString('en-US')}/s)`;
          if (tty) ctx.world.stderr.write(`\r${line}`);
          else if (n % 100_000 === 0) out.note(line);
        };
    report = await runGuard(sources, {
      repo,
      config,
      terms,
      strict: flags.strict ?? false,
      commentChar: sources.messageFiles!.length > 0 && top ? await commentChar(repo).catch(() => '#') : '#',
      onProgress,
    });
    if (tty && onProgress && report.scanned.commits >= 10_000) ctx.world.stderr.write('\r\x1b[K');
  } catch (err) {
    throw asGuardError(err);
  }

  if (flags.sarif) out.json(sarifReport(report, { version: packageVersion() }));
  else if (flags.json) out.json(jsonReport(report));
  else for (const line of humanReport(report, out.colors)) out.line(line);
  if (!report.ok) throw new GuardFinding('', EXIT_FAILURE);
}

function describeOutcome(o: HookOutcome): string {
  switch (o.action) {
    case 'installed':
      return `installed ${o.path}`;
    case 'updated':
      return `updated ${o.path}`;
    case 'chained':
      return `installed ${o.path}; the hook that was there is now ${path.basename(o.chained!)} and runs first`;
    case 'removed':
      return `removed ${o.path}`;
    case 'restored':
      return `removed ${o.path} and put back the hook it chained`;
    case 'absent':
      return `no ${o.hook} hook in ${path.dirname(o.path)}`;
    case 'not-ours':
      return `left ${o.path} alone: it is not Embargo's`;
  }
}

/** Finds a case's term by its id or by any spelling of it. */
function pickTerm(terms: { id: string; term: string }[], wanted: string): { id: string; term: string } | undefined {
  const key = wordsOf(wanted).join('');
  return terms.find((t) => t.id === wanted.trim().toLowerCase() || (key !== '' && wordsOf(t.term).join('') === key));
}

export function registerGuard(program: Command, ctx: Context): void {
  const out = ctx.out;
  const c = out.colors;
  const guard = program
    .command('guard')
    .description('Scan commit messages, branch names, PR text and changelogs for embargo leaks; exit 0 clean, 1 findings, 2 error')
    .option('--message-file <file>', 'a commit message file (what the commit-msg hook gets; repeatable)', collect)
    .option('--range <A..B>', 'the messages of the commits in a range (repeatable)', collect)
    .option('--diff', 'with --range/--all: also the lines those commits add to changelog and release-note files')
    .option('--all', 'every commit on every ref, and every ref name (progress on stderr)')
    .option('--branch <name>', 'a branch name (repeatable)', collect)
    .option('--text <file>', 'a text such as a PR title and body; - reads stdin (repeatable)', collect)
    .option('--repo <path>', 'the git repository (default: the current directory)')
    .option('--terms <file>', 'a terms file from embargo guard terms export (default: from --server, else the local database if any)')
    .option('--project <id>', "with terms from the server or database: only this project's cases")
    .option('--public-ids <file>', 'CVE/GHSA ids that are public already, one per line (repeatable)', collect)
    .option('--config <file>', 'settings file (default: .embargo-guard.yml at the top of the repository)')
    .addOption(
      new Option('--unknown-ids <level>', 'severity of a CVE/GHSA id not known to be public or embargoed (default: error)').choices([
        'error',
        'warning',
        'off',
      ]),
    )
    .option('--strict', 'warnings fail too')
    .option('--json', 'print the report as JSON')
    .option('--sarif', 'print the report as SARIF 2.1.0 (for code-scanning upload)')
    .option('--quiet', 'no progress and no notes on stderr')
    .addHelpText(
      'after',
      `
Examples:
  embargo guard --range origin/main..HEAD --diff --branch "$BRANCH" --text pr.txt
  embargo guard --all --terms terms.json --sarif > guard.sarif
  embargo guard install                      # commit-msg and pre-push hooks in this repository
  embargo guard terms add EMB-2026-0007 rewriteCookiePath "cookie path rewrite"`,
    )
    .action(async (_opts: ScanFlags, cmd: Command) => scanAction(ctx, cmd));

  const terms = guard.command('terms').description("Manage a case's guard terms, and export the terms file for hooks and CI");

  terms
    .command('export')
    .description("Write the terms file: salted hashes of the embargoed cases' terms and ids, never clear text (needs the guard scope)")
    .requiredOption('--out <file>', 'where to write it (- for stdout)')
    .option('--project <id>', "only this project's cases: what one repository's hooks need")
    .action(async (_opts: unknown, cmd: Command) => {
      const opts = cmd.optsWithGlobals<{ out: string; project?: string }>();
      const file = await answer((await ctx.api(cmd)).GET('/api/v1/guard/terms', termsQuery(opts.project)));
      const text = `${JSON.stringify(file, null, 2)}\n`;
      if (opts.out === '-') return void ctx.world.stdout.write(text);
      await writeFile(ctx.resolvePath(opts.out), text, { mode: 0o600 });
      await chmod(ctx.resolvePath(opts.out), 0o600);
      out.line(
        `Wrote the guard terms of ${file.cases.length} embargoed case${file.cases.length === 1 ? '' : 's'} (salted hashes only) and ${file.publicIds.length} public id${file.publicIds.length === 1 ? '' : 's'} to ${opts.out}.`,
      );
    });

  terms
    .command('add')
    .description('Add words that would give a case away (function names, config keys): one to three words, or one identifier each')
    .argument('<id>', 'case id', caseIdArg)
    .argument('<terms...>', 'the terms')
    .option('--json', 'print {terms, added} as JSON')
    .action(async (id: string, words: string[], _opts: unknown, cmd: Command) => {
      const api = await ctx.api(cmd);
      const result = await detailed(
        api.POST('/api/v1/cases/{caseId}/guard-terms', { params: { path: { caseId: id } }, body: { terms: words } }),
      );
      if (cmd.optsWithGlobals().json) return out.json(result);
      const kept = words.length - result.added;
      out.line(
        `Added ${result.added} term${result.added === 1 ? '' : 's'} to ${id}${kept > 0 ? ` (${kept} it had already)` : ''}; it has ${result.terms.length}.`,
      );
      out.line(c.dim('Hooks and CI see them after the terms file is fetched again (embargo guard terms export).'));
    });

  terms
    .command('list')
    .description("A case's guard terms in clear text (people on the case only; the read is audited)")
    .argument('<id>', 'case id', caseIdArg)
    .option('--json', 'print {terms} as JSON')
    .action(async (id: string, _opts: unknown, cmd: Command) => {
      const result = await answer((await ctx.api(cmd)).GET('/api/v1/cases/{caseId}/guard-terms', { params: { path: { caseId: id } } }));
      if (cmd.optsWithGlobals().json) return out.json(result);
      if (result.terms.length === 0)
        return out.line(
          `${id} has no guard terms; its codename and ids are checked anyway. Add some with embargo guard terms add ${id} TERM…`,
        );
      const rows = [['ID', 'TERM', 'ADDED BY', 'ADDED'], ...result.terms.map((t) => [t.id, t.term, t.addedBy, shortTime(t.addedAt)])];
      printTable(out, rows);
    });

  terms
    .command('remove')
    .description('Remove guard terms from a case, by the term (any spelling) or its id')
    .argument('<id>', 'case id', caseIdArg)
    .argument('<terms...>', 'the terms or their ids')
    .option('--json', 'print {terms} as JSON')
    .action(async (id: string, wanted: string[], _opts: unknown, cmd: Command) => {
      const api = await ctx.api(cmd);
      let current = (await answer(api.GET('/api/v1/cases/{caseId}/guard-terms', { params: { path: { caseId: id } } }))).terms;
      const missing = wanted.filter((w) => !pickTerm(current, w));
      if (missing.length > 0) {
        throw new CliError(`${id} has no guard term ${missing.map((m) => `"${m}"`).join(', ')}; nothing was removed`, EXIT_FAILURE);
      }
      for (const w of wanted) {
        const t = pickTerm(current, w);
        if (t) {
          const path = { caseId: id, termId: t.id };
          current = (await detailed(api.DELETE('/api/v1/cases/{caseId}/guard-terms/{termId}', { params: { path } }))).terms;
        }
      }
      if (cmd.optsWithGlobals().json) return out.json({ terms: current });
      out.line(`Removed ${wanted.length} term${wanted.length === 1 ? '' : 's'} from ${id}; it has ${current.length}.`);
    });

  guard
    .command('install')
    .description('Install the commit-msg and pre-push hooks in a repository (an existing hook is kept and run first)')
    .option('--repo <path>', 'the repository (default: the current directory)')
    .option('--terms <file>', 'the terms file the hooks read (default: <git dir>/embargo-guard-terms.json)')
    .option('--private-remote <url>', 'a remote (glob with *) branches of embargoed cases may be pushed to (repeatable)', collect)
    .option('--no-chain', 'refuse instead of chaining when a hook exists already')
    .option(
      '--strict',
      'warnings stop the commit or push too, and the pre-push hook reads the lines pushed commits add to every file (not only changelogs and docs)',
    )
    .action(async (_opts: unknown, cmd: Command) => {
      const opts = cmd.optsWithGlobals<{ repo?: string; terms?: string; privateRemote?: string[]; chain?: boolean; strict?: boolean }>();
      const repo = ctx.resolvePath(opts.repo ?? '.');
      let result: Awaited<ReturnType<typeof installHooks>>;
      try {
        result = await installHooks({
          repo,
          command: hookCommand(),
          termsFile: opts.terms,
          privateRemotes: opts.privateRemote ?? [],
          chain: opts.chain !== false,
          strict: opts.strict === true,
        });
      } catch (err) {
        if (err instanceof HookError) throw new CliError(err.message, EXIT_FAILURE, err.instructions);
        throw new CliError(`cannot install the hooks in ${repo}: ${(err as Error).message}`, EXIT_USAGE);
      }
      for (const o of result.hooks) out.line(describeOutcome(o));
      if (!existsSync(result.termsFile)) {
        out.line(c.yellow(`No terms file at ${result.termsFile} yet: until there is one the hooks check ids and revealing words only.`));
        out.line(`Fetch it (and again when cases change): ${c.cyan(`embargo guard terms export --out ${result.termsFile}`)}`);
      }
    });

  guard
    .command('uninstall')
    .description("Remove the guard's hooks from a repository (only ours; a chained hook is put back)")
    .option('--repo <path>', 'the repository (default: the current directory)')
    .action(async (_opts: unknown, cmd: Command) => {
      const opts = cmd.optsWithGlobals<{ repo?: string }>();
      const repo = ctx.resolvePath(opts.repo ?? '.');
      let outcomes: Awaited<ReturnType<typeof uninstallHooks>>;
      try {
        outcomes = await uninstallHooks(repo);
      } catch (err) {
        throw new CliError(`cannot uninstall the hooks in ${repo}: ${(err as Error).message}`, EXIT_USAGE);
      }
      for (const o of outcomes) out.line(describeOutcome(o));
    });
}
