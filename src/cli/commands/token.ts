/** `embargo token create|list|revoke`: API tokens for scripts, CI and the CLI's --server mode. */
import type { Command } from 'commander';
import { CliError, EXIT_FAILURE, usageError } from '../errors.js';
import { type Answer, ApiError, answer } from '../../client/client.js';
import type { Context, JsonOption } from '../context.js';
import { shortTime } from '../format.js';
import { printTable } from '../output.js';

/** What an API token may do (the API's enum; the server checks it too). */
const SCOPES = ['read', 'write', 'guard'] as const;
type Scope = (typeof SCOPES)[number];

function scopeArg(value: string, previous: Scope[] | undefined): Scope[] {
  const scopes = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const bad = scopes.find((s) => !SCOPES.includes(s as Scope));
  if (bad !== undefined || scopes.length === 0) throw usageError(`--scope "${value}" is not a scope; use ${SCOPES.join(', ')}`);
  return [...(previous ?? []), ...(scopes as Scope[])];
}

function tokenIdArg(value: string): string {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value)) {
    throw usageError(`"${value}" is not a token id; ids look like 1b4e28ba-2fa1-41d2-883f-0016d3cca427 (see embargo token list)`);
  }
  return value.toLowerCase();
}

/**
 * Through --server a token is the caller's own; only an admin issues one for someone else (issue 13,
 * item 16). Say how a new member gets theirs instead of a bare refusal.
 */
function anotherUsersToken(user: string): CliError {
  return new CliError(
    `only an admin can create a token for another user (${user}). A new member gets one in either of two ways: an admin runs embargo token create --name NAME --user ${user} (on the server, or through --server with an admin's token) and hands it over privately; or ${user} signs in to the web app with their password and creates their own under Settings (an admin adds the member first: embargo user add --username ${user})`,
    EXIT_FAILURE,
  );
}

export function registerToken(program: Command, ctx: Context): void {
  const token = program.command('token').description('Create, list and revoke API tokens');

  token
    .command('create')
    .description('Create an API token; it is printed once and never again')
    .requiredOption('--name <name>', 'what the token is for, e.g. "ci" or "laptop"')
    .option('--scope <scope>', `what it may do: ${SCOPES.join(', ')} (repeatable; default: read and write)`, scopeArg)
    .option('--user <name>', "whose token it is (required without --server; through --server: default yours, another user's for admins)")
    .option('--json', 'print {id, name, scopes, token} as JSON')
    .action(async (opts: { name: string; scope?: Scope[]; user?: string } & JsonOption, cmd: Command) => {
      const remote = ctx.isRemote(cmd);
      if (!remote && !opts.user) {
        throw usageError('say which user the token is for with --user NAME (without --server there is no signed-in user)');
      }
      const api = await ctx.api(cmd);
      const scopes = opts.scope ? { scopes: [...new Set(opts.scope)] } : {};
      // Your own token through --server; a named user's through the admin route (the local admin has no account).
      const issued = opts.user
        ? await answer(api.POST('/api/v1/admin/tokens', { body: { name: opts.name, username: opts.user, ...scopes } })).catch((err) => {
            throw remote && err instanceof ApiError && err.status === 403 ? anotherUsersToken(opts.user!) : err;
          })
        : await answer(api.POST('/api/v1/tokens', { body: { name: opts.name, ...scopes } }));
      if (opts.json) return ctx.out.json(issued);
      const c = ctx.out.colors;
      ctx.out.line(`Created API token "${issued.name}" (id ${issued.id}, scopes: ${issued.scopes.join(', ')}).`);
      ctx.out.line('');
      ctx.out.line(`  ${c.bold(issued.token)}`);
      ctx.out.line('');
      ctx.out.line(c.yellow('Copy it now: it will not be shown again. Only its hash is stored.'));
    });

  token
    .command('list')
    .description('List API tokens (never their secrets)')
    .option('--user <name>', "only this user's tokens (admins; default without --server: every user's, through --server: yours)")
    .option('--json', 'print {tokens: [...]} as JSON')
    .action(async (opts: { user?: string } & JsonOption, cmd: Command) => {
      const api = await ctx.api(cmd);
      // Locally, or with --user: the admin route (whose token each is); through --server without it: your own.
      const result: { tokens: (Answer<'/api/v1/tokens', 'get'>['tokens'][number] & { username?: string })[] } =
        opts.user !== undefined || !ctx.isRemote(cmd)
          ? await answer(api.GET('/api/v1/admin/tokens', { params: { query: opts.user !== undefined ? { username: opts.user } : {} } }))
          : await answer(api.GET('/api/v1/tokens'));
      if (opts.json) return ctx.out.json(result);
      if (result.tokens.length === 0) return ctx.out.line('No API tokens.');
      const withOwner = result.tokens.some((t) => t.username !== undefined);
      const rows = [
        ['ID', ...(withOwner ? ['USER'] : []), 'NAME', 'SCOPES', 'CREATED', 'LAST USED', 'STATE'],
        ...result.tokens.map((t) => [
          t.id,
          ...(withOwner ? [t.username ?? ''] : []),
          t.name,
          t.scopes.join(','),
          shortTime(t.createdAt),
          shortTime(t.lastUsedAt),
          t.revokedAt ? `revoked ${shortTime(t.revokedAt)}` : 'active',
        ]),
      ];
      printTable(ctx.out, rows);
    });

  token
    .command('revoke')
    .description('Revoke an API token; anything using it stops working at once')
    .argument('<id>', 'the token id (from token list)', tokenIdArg)
    .option('--json', 'print {id, revoked: true} as JSON')
    .action(async (id: string, opts: JsonOption, cmd: Command) => {
      await answer((await ctx.api(cmd)).DELETE('/api/v1/tokens/{tokenId}', { params: { path: { tokenId: id } } }));
      if (opts.json) return ctx.out.json({ id, revoked: true });
      ctx.out.line(`Revoked API token ${id}.`);
    });
}
