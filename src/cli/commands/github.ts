/**
 * `embargo github connect|status|check|disconnect`: a project's GitHub connection. The token comes
 * from a file or stdin, never a flag (flags end up in shell history and `ps`), and no command ever
 * prints it, not even in part: status says "token set, checked <time>".
 */
import { answer } from '../../client/client.js';
import type { Command } from 'commander';
import { type Context, type JsonOption, requireUsage } from '../context.js';
import { usageError } from '../errors.js';
import { printTable } from '../output.js';
import { readFirstLine } from '../password.js';

function tokenFromFile(ctx: Context, path: string): string {
  return ctx.readArg(path, '--token-file').toString('utf8').split(/\r?\n/)[0]!.trim();
}

export function registerGitHub(program: Command, ctx: Context): void {
  const out = ctx.out;
  const c = out.colors;
  const github = program
    .command('github')
    .description('Connect projects to their GitHub repositories (the advisory commands use the connection)');

  github
    .command('connect')
    .description(
      "Connect a project to its repository (admins): the token is checked (GET /user, the repository's advisories), then stored encrypted",
    )
    .requiredOption('--project <slug>', 'the project, e.g. contour')
    .requiredOption('--repo <owner/name>', 'the GitHub repository, e.g. projectcontour/contour')
    .option('--token-file <path>', 'read the token from the first line of this file')
    .option('--token-stdin', 'read the token from the first line of stdin')
    .option('--api-url <url>', 'GitHub API base URL (default: EMBARGO_GITHUB_API_URL, else https://api.github.com)')
    .option('--json', 'print the connection (without the token) as JSON')
    .action(
      async (
        opts: { project: string; repo: string; tokenFile?: string; tokenStdin?: boolean; apiUrl?: string } & JsonOption,
        cmd: Command,
      ) => {
        requireUsage(
          Boolean(opts.tokenFile) !== Boolean(opts.tokenStdin),
          'give the token with --token-file FILE or --token-stdin (exactly one; never as a flag value)',
        );
        let token: string;
        if (opts.tokenFile) token = tokenFromFile(ctx, opts.tokenFile);
        else {
          if (ctx.stdin.isTTY)
            throw usageError('--token-stdin reads the token from a pipe, e.g. embargo github connect … --token-stdin < token.txt');
          token = (await readFirstLine(ctx.stdin)).trim();
        }
        if (token === '') throw usageError('the token is empty');
        const api = await ctx.api(cmd);
        const view = await answer(
          api.PUT('/api/v1/github/connections/{project}', {
            params: { path: { project: opts.project } },
            body: { repository: opts.repo, token, ...(opts.apiUrl ? { apiUrl: opts.apiUrl } : {}) },
          }),
        );
        if (opts.json) return out.json(view);
        out.line(
          `Connected ${c.bold(view.project)} to ${view.repository} (${view.apiUrl}) as ${view.login ?? 'an unknown user'}: ${view.status}.`,
        );
      },
    );

  github
    .command('status')
    .description("Each project's repository and whether its token passed the last check (never the token)")
    .option('--json', 'print {connections: [...]} as JSON')
    .action(async (opts: JsonOption, cmd: Command) => {
      const r = await answer((await ctx.api(cmd)).GET('/api/v1/github/connections'));
      if (opts.json) return out.json(r);
      if (r.connections.length === 0)
        return out.line(
          'No project is connected to GitHub: advisory commands work in manual mode. Connect one with embargo github connect.',
        );
      printTable(out, [
        ['PROJECT', 'REPOSITORY', 'AS', 'STATUS'],
        ...r.connections.map((v) => [v.project, v.repository, v.login ?? '-', v.status]),
      ]);
    });

  github
    .command('check')
    .description("Check a project's stored token again (admins); the result is recorded")
    .requiredOption('--project <slug>', 'the project')
    .option('--json', 'print the connection as JSON')
    .action(async (opts: { project: string } & JsonOption, cmd: Command) => {
      const api = await ctx.api(cmd);
      const view = await answer(api.POST('/api/v1/github/connections/{project}/check', { params: { path: { project: opts.project } } }));
      if (opts.json) return out.json(view);
      out.line(`${view.project}: ${view.status}.`);
    });

  github
    .command('disconnect')
    .description("Remove a project's connection and its token (admins); its advisory commands go back to manual mode")
    .requiredOption('--project <slug>', 'the project')
    .action(async (opts: { project: string }, cmd: Command) => {
      await answer((await ctx.api(cmd)).DELETE('/api/v1/github/connections/{project}', { params: { path: { project: opts.project } } }));
      out.line(`Disconnected ${opts.project} from GitHub; its stored token is deleted.`);
    });
}
