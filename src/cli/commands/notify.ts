/**
 * `embargo notify show|set USER`: what a person is told of, by mail and by signed webhook.
 * `embargo calendar create|list|revoke USER`: their ICS feeds (docs/notifications.md, docs/clocks.md).
 */
import type { Command } from 'commander';
import { answer } from '../../client/client.js';
import { NOTIFICATION_KINDS } from '../../domain/notifications/types.js';
import type { Context, JsonOption } from '../context.js';
import { usageError } from '../errors.js';
import { shortTime } from '../format.js';
import { printTable } from '../output.js';

type Kind = (typeof NOTIFICATION_KINDS)[number];

function kindsArg(value: string, previous: Kind[] | undefined): Kind[] {
  const kinds = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (kinds.length === 1 && kinds[0] === 'all') return [...NOTIFICATION_KINDS];
  if (kinds.length === 1 && kinds[0] === 'none') return [];
  const bad = kinds.find((k) => !(NOTIFICATION_KINDS as readonly string[]).includes(k));
  if (bad !== undefined) throw usageError(`"${bad}" is not a notification kind; use all, none or ${NOTIFICATION_KINDS.join(', ')}`);
  return [...new Set([...(previous ?? []), ...(kinds as Kind[])])];
}

interface SetOptions extends JsonOption {
  mail?: string | false;
  mailEvents?: Kind[];
  webhook?: string | false;
  webhookSecretStdin?: boolean;
  webhookEvents?: Kind[];
}

export function registerNotify(program: Command, ctx: Context): void {
  const notify = program.command('notify').description('Choose which notifications come by mail and which by signed webhook');
  const show = (p: {
    username: string;
    mail: { address: string | null; events: string[] };
    webhook: { url: string | null; events: string[]; hasSecret: boolean };
  }) => {
    ctx.out.line(`${ctx.out.colors.bold(p.username)}`);
    ctx.out.line(`  mail     ${p.mail.address ?? '—'}: ${p.mail.events.join(', ') || 'nothing'}`);
    ctx.out.line(
      `  webhook  ${p.webhook.url ?? '—'}${p.webhook.hasSecret ? ' (signed)' : ''}: ${p.webhook.events.join(', ') || 'nothing'}`,
    );
    ctx.out.line(ctx.out.colors.dim(`  kinds: ${NOTIFICATION_KINDS.join(', ')}`));
  };
  notify
    .command('show')
    .description("A person's notification choices")
    .argument('<user>', 'username')
    .option('--json', 'print the choices as JSON')
    .action(async (user: string, opts: JsonOption, cmd: Command) => {
      const p = await answer((await ctx.api(cmd)).GET('/api/v1/users/{username}/notifications', { params: { path: { username: user } } }));
      if (opts.json) return ctx.out.json(p);
      show(p);
    });
  notify
    .command('set')
    .description('Change what a person is told of (options left out stay as they are)')
    .argument('<user>', 'username')
    .option('--mail <address>', 'where notification mail goes')
    .option('--no-mail', 'no notification mail')
    .option('--mail-events <kinds>', 'kinds by mail: all, none or a comma list (repeatable)', kindsArg)
    .option('--webhook <url>', 'a Slack-compatible webhook (https://)')
    .option('--no-webhook', 'no webhook')
    .option('--webhook-secret-stdin', 'read the HMAC key that signs each delivery from stdin (16 to 256 characters)')
    .option('--webhook-events <kinds>', 'kinds by webhook: all, none or a comma list (repeatable)', kindsArg)
    .option('--json', 'print the choices as JSON')
    .action(async (user: string, opts: SetOptions, cmd: Command) => {
      const secret = opts.webhookSecretStdin ? (await ctx.readFile('-')).toString('utf8').trim() : undefined;
      const mail = {
        ...(opts.mail !== undefined ? { address: opts.mail === false ? null : opts.mail } : {}),
        ...(opts.mailEvents ? { events: opts.mailEvents } : {}),
      };
      const webhook = {
        ...(opts.webhook !== undefined ? { url: opts.webhook === false ? null : opts.webhook } : {}),
        ...(secret !== undefined ? { secret } : {}),
        ...(opts.webhookEvents ? { events: opts.webhookEvents } : {}),
      };
      if (Object.keys(mail).length + Object.keys(webhook).length === 0)
        throw usageError('nothing to change: give --mail, --mail-events, --webhook, …');
      const body = { ...(Object.keys(mail).length ? { mail } : {}), ...(Object.keys(webhook).length ? { webhook } : {}) };
      const p = await answer(
        (await ctx.api(cmd)).PUT('/api/v1/users/{username}/notifications', { params: { path: { username: user } }, body }),
      );
      if (opts.json) return ctx.out.json(p);
      show(p);
    });

  const calendar = program
    .command('calendar')
    .description("A person's calendar feeds (ICS): embargo ends and clock deadlines, by codename");
  calendar
    .command('create')
    .description('A new feed URL to subscribe to; it is printed once')
    .argument('<user>', 'username')
    .option('--json', 'print {id, url, createdAt} as JSON')
    .action(async (user: string, opts: JsonOption, cmd: Command) => {
      const f = await answer(
        (await ctx.api(cmd)).POST('/api/v1/users/{username}/calendar-feeds', { params: { path: { username: user } } }),
      );
      if (opts.json) return ctx.out.json(f);
      ctx.out.line(`Calendar feed ${f.id}; subscribe to:`);
      ctx.out.line(`  ${ctx.out.colors.bold(f.url)}`);
      ctx.out.line(
        ctx.out.colors.yellow(
          'Keep it secret: anyone with it sees the dates of your cases. Only its hash is stored; revoke it with embargo calendar revoke.',
        ),
      );
    });
  calendar
    .command('list')
    .description("A person's feeds (not their URLs)")
    .argument('<user>', 'username')
    .option('--json', 'print the feeds as JSON')
    .action(async (user: string, opts: JsonOption, cmd: Command) => {
      const feeds = await answer(
        (await ctx.api(cmd)).GET('/api/v1/users/{username}/calendar-feeds', { params: { path: { username: user } } }),
      );
      if (opts.json) return ctx.out.json(feeds);
      if (feeds.length === 0) return ctx.out.line(`No calendar feeds: embargo calendar create ${user}`);
      printTable(ctx.out, [['ID', 'CREATED', 'REVOKED'], ...feeds.map((f) => [f.id, shortTime(f.createdAt), shortTime(f.revokedAt)])]);
    });
  calendar
    .command('revoke')
    .description('Revoke a feed: its URL answers 404 from now on')
    .argument('<user>', 'username')
    .argument('<id>', 'feed id (embargo calendar list USER)')
    .action(async (user: string, id: string, _opts: unknown, cmd: Command) => {
      await answer(
        (await ctx.api(cmd)).DELETE('/api/v1/users/{username}/calendar-feeds/{feedId}', {
          params: { path: { username: user, feedId: id } },
        }),
      );
      ctx.out.line(`Revoked calendar feed ${id}.`);
    });
}
