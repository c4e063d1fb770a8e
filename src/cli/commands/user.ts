/** `embargo user add|list`: accounts. Locally the first user is the bootstrap admin. */
import { type Command, Option } from 'commander';
import { usageError } from '../errors.js';
import { answer } from '../../client/client.js';
import { type Context, collect, type JsonOption } from '../context.js';
import { printTable } from '../output.js';
import { shortTime } from '../format.js';
import { obtainPassword } from '../password.js';

interface UserEditFlags extends JsonOption {
  githubLogin?: string;
  role?: 'admin' | 'member';
  displayName?: string;
  disable?: boolean;
  enable?: boolean;
}

export function registerUser(program: Command, ctx: Context): void {
  const user = program.command('user').description('Add and list users');

  user
    .command('add')
    .description('Add a user; the password comes from stdin (--password-stdin), EMBARGO_PASSWORD, or a hidden prompt')
    .requiredOption('--username <name>', 'user name: 2-39 lower-case letters, digits, dots, dashes or underscores')
    .option('--admin', 'make the user an admin (sees every case, manages users and access)')
    .option('--display-name <text>', 'name shown in the UI (default: the user name)')
    .option(
      '--project <id[:admin]>',
      'a project to join, as member or with :admin as its admin (repeatable; default: the only project)',
      collect,
    )
    .option('--password-stdin', 'read the password from the first line of stdin')
    .option('--json', 'print the new user as JSON')
    .action(
      async (
        opts: { username: string; admin?: boolean; displayName?: string; passwordStdin?: boolean; project?: string[] } & JsonOption,
        cmd: Command,
      ) => {
        const password = await obtainPassword({
          passwordStdin: Boolean(opts.passwordStdin),
          env: ctx.env,
          stdin: ctx.stdin,
          prompt: ctx.world.stderr,
        });
        const api = await ctx.api(cmd);
        const created = await answer(
          api.POST('/api/v1/users', {
            body: {
              username: opts.username,
              password,
              role: opts.admin ? 'admin' : 'member',
              ...(opts.displayName !== undefined ? { displayName: opts.displayName } : {}),
              ...(opts.project !== undefined ? { projects: opts.project } : {}),
            },
          }),
        );
        if (opts.json) return ctx.out.json(created);
        ctx.out.line(
          `Added ${created.role} ${ctx.out.colors.bold(created.username)}${created.displayName !== created.username ? ` (${created.displayName})` : ''}.`,
        );
        const joined = (created.projects ?? []).map((p) => `${p.project}${p.role === 'admin' ? ' (admin)' : ''}`);
        if (joined.length > 0) ctx.out.line(`Member of ${joined.join(', ')}.`);
        else if (created.role !== 'admin')
          ctx.out.note('embargo: they belong to no project yet; add them with embargo project member add PROJECT USER');
      },
    );

  user
    .command('edit')
    .description(
      "Change a user: their GitHub login, which the advisory's collaborators need (admins: anyone; members: themselves); their role, display name, or disable them (admins)",
    )
    .argument('<username>', 'the user')
    .option('--github-login <login>', 'their GitHub login ("" clears it)')
    .addOption(new Option('--role <role>', 'admin (sees every case, manages users) or member').choices(['admin', 'member']))
    .option('--display-name <text>', 'the name shown for them')
    .addOption(
      new Option('--disable', 'no sign-in any more; their sessions and tokens are refused (the log keeps their name)').conflicts('enable'),
    )
    .option('--enable', 'let a disabled user sign in again')
    .option('--json', 'print the changed user as JSON')
    .action(async (username: string, opts: UserEditFlags, cmd: Command) => {
      const change = {
        ...(opts.role ? { role: opts.role } : {}),
        ...(opts.displayName !== undefined ? { displayName: opts.displayName } : {}),
        ...(opts.disable ? { disabled: true } : opts.enable ? { disabled: false } : {}),
      };
      if (opts.githubLogin === undefined && Object.keys(change).length === 0) {
        throw usageError('say what to change: --github-login, --role, --display-name, --disable or --enable');
      }
      const api = await ctx.api(cmd);
      const result: Record<string, unknown> = {};
      if (opts.githubLogin !== undefined) {
        const login = opts.githubLogin.trim() === '' ? null : opts.githubLogin;
        const r = await answer(api.PUT('/api/v1/users/{username}/github-login', { params: { path: { username } }, body: { login } }));
        Object.assign(result, r);
        if (!opts.json)
          ctx.out.line(
            r.githubLogin ? `${r.username}'s GitHub login is @${r.githubLogin}.` : `${r.username} has no GitHub login on record.`,
          );
      }
      if (Object.keys(change).length > 0) {
        const u = await answer(api.PATCH('/api/v1/users/{username}', { params: { path: { username } }, body: change }));
        Object.assign(result, u);
        if (!opts.json) {
          const standing = u.disabledAt ? `disabled (was ${u.role})` : u.role === 'admin' ? 'an admin' : 'a member';
          ctx.out.line(`${u.username} (${u.displayName}) is ${standing}.`);
        }
      }
      if (opts.json) ctx.out.json(result);
    });

  user
    .command('list')
    .description('List users (admins)')
    .option('--json', 'print {users: [...]} as JSON')
    .action(async (opts: JsonOption, cmd: Command) => {
      const result = await answer((await ctx.api(cmd)).GET('/api/v1/users'));
      if (opts.json) return ctx.out.json(result);
      if (result.users.length === 0) return ctx.out.line('No users yet: add the first with embargo user add --admin --username YOU');
      const rows = [
        ['USERNAME', 'ROLE', 'DISPLAY NAME', 'GITHUB', 'CREATED'],
        ...result.users.map((u) => [
          u.disabledAt ? `${u.username} (disabled)` : u.username,
          u.role,
          u.displayName,
          u.githubLogin ? `@${u.githubLogin}` : '-',
          shortTime(u.createdAt),
        ]),
      ];
      printTable(ctx.out, rows);
    });
}
