/**
 * `embargo case portal-link CASE [--revoke]` and `embargo case replies CASE`: the reporter's private
 * link to their case, and what they wrote back through it (docs/portal.md).
 */
import type { Command } from 'commander';
import { answer, detailed } from '../../client/client.js';
import { usageError } from '../errors.js';
import { caseIdArg, requireUsage, type Context, type JsonOption } from '../context.js';
import { shortTime } from '../format.js';

function daysArg(value: string): number {
  const n = Number(value);
  if (!/^\d{1,3}$/.test(value) || n < 1 || n > 365) throw usageError(`--expires-in "${value}" is not a number of days from 1 to 365`);
  return n;
}

export function registerPortal(program: Command, ctx: Context): void {
  const out = ctx.out;
  const c = out.colors;
  const kase = program.commands.find((cmd) => cmd.name() === 'case');
  if (!kase) throw new Error('registerPortal needs the case command registered first');

  kase
    .command('portal-link')
    .description("Give the case's reporter a private link to follow it (status, messages, replies, credit); the old link stops working")
    .argument('<id>', 'case id', caseIdArg)
    .option('--expires-in <days>', 'the link stops working after this many days (default: never; revoke it instead)', daysArg)
    .option('--revoke', 'revoke the link instead: it stops working at once')
    .option('--json', 'print the result as JSON')
    .action(async (id: string, opts: { expiresIn?: number; revoke?: boolean } & JsonOption, cmd: Command) => {
      requireUsage(!(opts.revoke && opts.expiresIn !== undefined), 'use --revoke or --expires-in, not both');
      const api = await ctx.api(cmd);
      const caseId = { params: { path: { caseId: id } } };
      if (opts.revoke) {
        const result = await detailed(api.DELETE('/api/v1/cases/{caseId}/portal-link', caseId));
        if (opts.json) return out.json(result);
        return out.line(
          result.revoked ? `Revoked the portal link of ${c.bold(id)}; it no longer opens.` : `${id} had no active portal link.`,
        );
      }
      const issued = await detailed(
        api.POST('/api/v1/cases/{caseId}/portal-link', {
          ...caseId,
          body: opts.expiresIn !== undefined ? { expiresInDays: opts.expiresIn } : {},
        }),
      );
      if (opts.json) return out.json(issued);
      out.line(`Portal link for the reporter of ${c.bold(id)} (shown only now; send it to them privately):`);
      out.line(`  ${issued.url}`);
      out.line(
        issued.expiresAt
          ? `It works until ${shortTime(issued.expiresAt)}.`
          : `It works until you revoke it: embargo case portal-link ${id} --revoke`,
      );
      if (issued.replaced > 0) out.line(c.dim('The previous link no longer works.'));
    });

  kase
    .command('replies')
    .description('What the reporter wrote through the portal (the read is audited)')
    .argument('<id>', 'case id', caseIdArg)
    .option('--json', 'print {replies: [...]} as JSON')
    .action(async (id: string, opts: JsonOption, cmd: Command) => {
      const result = await answer((await ctx.api(cmd)).GET('/api/v1/cases/{caseId}/replies', { params: { path: { caseId: id } } }));
      if (opts.json) return out.json(result);
      if (result.replies.length === 0) return out.line(`The reporter of ${id} has not replied through the portal.`);
      for (const r of result.replies) {
        out.line(c.bold(`${shortTime(r.at)}  reply ${r.id}`));
        out.line(r.body);
        out.line('');
      }
    });
}
