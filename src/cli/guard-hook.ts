/**
 * Entry of the git hooks `embargo guard install` writes (run as `node dist/cli/guard-hook.js`):
 *
 *   guard-hook.js commit-msg --git-dir DIR --terms FILE [--strict] -- MESSAGE-FILE
 *   guard-hook.js pre-push   --git-dir DIR --terms FILE [--private-remote URL …] [--strict] -- REMOTE URL   (refs on stdin)
 *
 * Kept apart from the `embargo` program so a commit does not wait for commander, the database
 * layer and the server to load: it imports the guard's pure rules, the terms file reader and the
 * git readers, nothing else. Exit 0 lets git go on, 1 stops it (a leak), 2 stops it (the guard
 * itself could not run: a broken terms file, an unreadable message).
 */
import { readTermsFile, GuardInputError, loadRepoConfig, parsePrePushInput, prePush, runGuard } from './guard-scan.js';
import { humanReport, type Paint } from '../domain/guard/report.js';
import type { TermsFile } from '../domain/guard/terms-file.js';

const STALE_DAYS = 7;

interface HookArgs {
  hook: string;
  gitDir: string | null;
  terms: string | null;
  privateRemotes: string[];
  strict: boolean;
  positional: string[];
}

function parseArgs(argv: string[]): HookArgs {
  const [hook = '', ...rest] = argv;
  const args: HookArgs = { hook, gitDir: null, terms: null, privateRemotes: [], strict: false, positional: [] };
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i]!;
    if (a === '--') {
      args.positional = rest.slice(i + 1);
      break;
    }
    const value = () => {
      const v = rest[++i];
      if (v === undefined) throw new GuardInputError(`${a} needs a value`);
      return v;
    };
    if (a === '--git-dir') args.gitDir = value();
    else if (a === '--terms') args.terms = value();
    else if (a === '--private-remote') args.privateRemotes.push(value());
    else if (a === '--strict') args.strict = true;
    else throw new GuardInputError(`unknown hook option ${a}`);
  }
  return args;
}

const ansi = (code: number) => (s: string) => `\x1b[${code}m${s}\x1b[39;22m`;
const paint: Paint =
  process.stderr.isTTY && !('NO_COLOR' in process.env)
    ? { red: ansi(31), yellow: ansi(33), dim: (s) => `\x1b[2m${s}\x1b[22m`, bold: (s) => `\x1b[1m${s}\x1b[22m`, green: ansi(32) }
    : { red: (s) => s, yellow: (s) => s, dim: (s) => s, bold: (s) => s, green: (s) => s };

const say = (line: string) => process.stderr.write(`${line}\n`);

/** The URL without a password or token in it, for messages. */
function redactUrl(url: string): string {
  return url.replace(/\/\/([^/@:]*):[^@/]*@/, '//$1:***@');
}

async function loadTerms(file: string | null): Promise<TermsFile | null> {
  if (!file) return null;
  try {
    const terms = await readTermsFile(file);
    const age = (Date.now() - Date.parse(terms.generatedAt)) / 86_400_000;
    if (age > STALE_DAYS)
      say(
        `embargo guard: note: the terms in ${file} are ${Math.floor(age)} days old; fetch them again (embargo guard terms export --out ${file})`,
      );
    return terms;
  } catch (err) {
    if (err instanceof GuardInputError && /no such file/.test(err.message)) {
      say(
        `embargo guard: note: no terms file at ${file}, so only ids and revealing words are checked; fetch it with embargo guard terms export --out ${file}`,
      );
      return null;
    }
    throw err;
  }
}

async function readStdin(): Promise<string> {
  let text = '';
  for await (const chunk of process.stdin.setEncoding('utf8')) text += chunk;
  return text;
}

async function main(argv: string[]): Promise<number> {
  const args = parseArgs(argv);
  const repo = process.cwd();
  const [terms, { config }] = await Promise.all([loadTerms(args.terms), loadRepoConfig(repo, { cacheDir: args.gitDir ?? undefined })]);
  const run = { repo, config, terms, strict: args.strict };

  if (args.hook === 'commit-msg') {
    const file = args.positional[0];
    if (!file) throw new GuardInputError('the commit-msg hook needs the message file');
    let report = await runGuard({ messageFiles: [file] }, run);
    if (report.findings.length > 0) {
      // Comment lines were taken to start with "#"; only now is it worth asking git (a process
      // start) whether core.commentChar says otherwise, and scanning again if it does.
      const { commentChar } = await import('../integrations/git/history.js');
      const char = await commentChar(repo);
      if (char !== '#') report = await runGuard({ messageFiles: [file] }, { ...run, commentChar: char });
    }
    if (report.findings.length === 0) return 0;
    say(
      report.ok
        ? 'embargo guard: this commit message hints at a security fix:'
        : 'embargo guard: this commit message would leak an embargo:',
    );
    for (const line of humanReport(report, paint)) say(`  ${line}`);
    if (report.ok) return 0;
    say(`Reword it (the message is kept in ${file}: git commit -e -F ${file}), or skip the check once with --no-verify.`);
    return 1;
  }

  if (args.hook === 'pre-push') {
    const [remote = '', url = remote] = args.positional;
    const updates = parsePrePushInput(await readStdin());
    const result = await prePush(remote, url, updates, { ...run, privateRemotes: args.privateRemotes });
    const report = result.report;
    if (result.privateRemote || report.findings.length === 0) return 0;
    const where = remote && remote !== url ? `${remote} (${redactUrl(url)})` : redactUrl(url);
    say(
      report.ok
        ? `embargo guard: pushing to ${where}; note:`
        : `embargo guard: refusing to push to ${where}, which is not a private remote:`,
    );
    for (const line of humanReport(report, paint)) say(`  ${line}`);
    if (report.ok) return 0;
    say('Push branches of an embargoed case only to the private remote (a GitHub advisory fork, or one named under');
    say('private-remotes in .embargo-guard.yml or with embargo guard install --private-remote URL); rename the branch,');
    say('reword the commits or take the line out of the file before they go public, or skip the check once with --no-verify.');
    return 1;
  }

  throw new GuardInputError(`unknown hook "${args.hook}"; expected commit-msg or pre-push`);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    say(`embargo guard: ${err instanceof Error ? err.message : String(err)}`);
    if (process.env.EMBARGO_DEBUG && err instanceof Error && err.stack) say(err.stack);
    process.exitCode = 2;
  },
);
