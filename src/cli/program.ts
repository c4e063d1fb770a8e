/**
 * The `embargo` command line: the program and its commands. Without --server it works on the local database (DATABASE_URL or
 * EMBARGO_DATA_DIR) as the local admin; with --server URL and an API token it talks to the API.
 * Exit codes: 0 ok, 1 failure or finding, 2 usage mistake.
 */
import { readFileSync } from 'node:fs';
import { Command, CommanderError, Help, Option } from 'commander';
import { ReceiptAnswer } from '../client/client.js';
import { COMMAND_GROUPS, groupOf, type CommandGroup, type LoadedGroup } from './command-groups.js';
import { Context } from './context.js';
import { EXIT_OK, EXIT_USAGE, formatError, toCliError } from './errors.js';
import { helpHasColors, type World } from './world.js';

function packageVersion(): string {
  try {
    // Two levels below package.json: src/cli/program.ts, and in the bundle, which puts dist/cli/program.js in import.meta.url.
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string };
    return pkg.version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

/** The global options an environment variable stands in for when the flag is not given. */
const ENV_OPTIONS = [
  ['server', 'EMBARGO_SERVER'],
  ['token', 'EMBARGO_TOKEN'],
] as const;

/**
 * The program with every top-level command: those of `loaded` registered in full, the others as
 * stubs that only show in the help (see command-groups.ts).
 */
export function buildProgram(ctx: Context, loaded: ReadonlyMap<CommandGroup, LoadedGroup> = new Map()): Command {
  const { world } = ctx;
  const stubUsage = new Map<Command, string>();
  const program = new Command('embargo');
  program
    .description("Run an open-source project's security (CVE) response, from the private report to the retrospective.")
    .version(packageVersion(), '-V, --version')
    // Not commander's .env(): it reads process.env, and the environment is the world's.
    .addOption(new Option('--server <url>', 'talk to this Embargo server instead of the local database (env: EMBARGO_SERVER)'))
    .addOption(new Option('--token <token>', 'API token for --server (env: EMBARGO_TOKEN)'))
    // Inherited by every subcommand created below: usage errors throw instead of exiting, and
    // print as one `embargo: …` sentence on stderr.
    .exitOverride()
    .configureOutput({
      writeOut: (s) => void world.stdout.write(s),
      writeErr: (s) => void world.stderr.write(s),
      // Commander falls back to 80 columns when the width is unknown (not a terminal).
      getOutHelpWidth: () => (world.stdout.isTTY ? world.stdout.columns : undefined) as number,
      getErrHelpWidth: () => (world.stderr.isTTY ? world.stderr.columns : undefined) as number,
      getOutHasColors: () => helpHasColors(world.stdout, world.env),
      getErrHasColors: () => helpHasColors(world.stderr, world.env),
      outputError: (s, write) => write(`embargo: ${s.replace(/^error: /, '')}`),
    })
    .showSuggestionAfterError(true)
    // Inherited too: a stub shows the usage its module would give it.
    .configureHelp({
      subcommandTerm(this: Help, cmd: Command): string {
        const usage = stubUsage.get(cmd);
        return usage === undefined ? Help.prototype.subcommandTerm.call(this, cmd) : usage ? `${cmd.name()} ${usage}` : cmd.name();
      },
    })
    .hook('preSubcommand', () => {
      for (const [key, name] of ENV_OPTIONS) {
        const value = world.env[name];
        if (value !== undefined && program.getOptionValueSource(key) !== 'cli') program.setOptionValueWithSource(key, value, 'env');
      }
    })
    .addHelpText(
      'after',
      `
Without --server, commands work directly on the local database (DATABASE_URL, or EMBARGO_DATA_DIR,
default ./data/embargo.db) as the local admin. With --server URL (or EMBARGO_SERVER) they use the
REST API with an API token (--token or EMBARGO_TOKEN).

Exit codes: 0 ok, 1 failure or finding (refused by a gate, not found, audit log broken), 2 usage.`,
    );

  for (const group of COMMAND_GROUPS) {
    const module = loaded.get(group);
    if (module) {
      module.register(program, ctx);
      continue;
    }
    for (const { name, usage, description } of group.commands) {
      const stub = program
        .command(name)
        .description(description)
        .allowUnknownOption()
        .allowExcessArguments()
        .action(() => {
          throw new Error(`embargo ${name} was run without its module loaded (a bug in command-groups.ts)`);
        });
      stubUsage.set(stub, usage);
    }
  }
  return program;
}

/** Runs one command line in `world` (main.ts passes the real process) and returns the exit code; never throws. */
export async function run(world: World): Promise<number> {
  const ctx = new Context(world);
  let loaded: LoadedGroup | undefined;
  try {
    const group = groupOf(world.argv);
    loaded = group && (await group.load());
    const program = buildProgram(ctx, group && loaded ? new Map([[group, loaded]]) : undefined);
    await program.parseAsync([...world.argv], { from: 'user' });
    return EXIT_OK;
  } catch (err) {
    // Commander already printed its message (or the help); only the exit code is left to decide.
    if (err instanceof CommanderError) return err.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
    // The change was made; the token may not read the case, so the answer is the receipt.
    if (err instanceof ReceiptAnswer) {
      world.stdout.write(world.argv.includes('--json') ? `${JSON.stringify(err.receipt, null, 2)}\n` : `${err.message}.\n`);
      return EXIT_OK;
    }
    const cliError = toCliError(err);
    if (!loaded?.isReported?.(err)) world.stderr.write(formatError(cliError));
    if (world.env.EMBARGO_DEBUG && err instanceof Error && err.stack) world.stderr.write(`${err.stack}\n`);
    return cliError.exitCode;
  } finally {
    await ctx.close().catch(() => {});
  }
}
