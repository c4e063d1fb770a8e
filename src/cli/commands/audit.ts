/**
 * `embargo audit verify` checks the hash chain of the whole audit log; `audit checkpoint` signs its
 * head with the audit key, and `audit verify --checkpoint FILE` proves the log still holds that
 * checkpoint unchanged (docs/security.md says what each detects).
 */
import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { answer } from '../../client/client.js';
import { CliError, EXIT_FAILURE, usageError } from '../errors.js';
import type { Context, JsonOption } from '../context.js';

/** Exit 1 without a second message: the finding was already printed as the result. */
class Finding extends CliError {}

export function registerAudit(program: Command, ctx: Context): void {
  const audit = program.command('audit').description('Check the audit log');

  audit
    .command('verify')
    .description('Check that no audit event was edited, removed or reordered (admins); exit 1 if the log is broken')
    .option('--checkpoint <file>', 'also prove the log still holds this signed checkpoint (from embargo audit checkpoint) unchanged')
    .option('--json', 'print {ok, checked, firstBroken} (with --checkpoint: {ok, checked, checkpoint, problem}) as JSON')
    .action(async (opts: JsonOption & { checkpoint?: string }, cmd: Command) => {
      const c = ctx.out.colors;
      if (opts.checkpoint !== undefined) {
        let body: unknown;
        try {
          body = JSON.parse(ctx.readArg(opts.checkpoint, '--checkpoint').toString('utf8'));
        } catch (err) {
          if (err instanceof SyntaxError) throw usageError(`--checkpoint ${opts.checkpoint}: not a checkpoint (not JSON)`);
          throw err;
        }
        const result = await answer((await ctx.api(cmd)).POST('/api/v1/audit/checkpoints/verify', { body: body as never }));
        if (opts.json) ctx.out.json(result);
        else if (result.ok) {
          ctx.out.line(
            c.green(
              `audit log intact: ${result.checked} events checked; it holds the checkpoint of event ${result.checkpoint.seq} (signed ${result.checkpoint.signedAt}) unchanged`,
            ),
          );
        } else ctx.out.line(c.red(`audit checkpoint of event ${result.checkpoint.seq} not held: ${result.problem}`));
        if (!result.ok) throw new Finding('', EXIT_FAILURE);
        return;
      }
      const result = await answer((await ctx.api(cmd)).GET('/api/v1/audit/verify'));
      if (opts.json) ctx.out.json(result);
      else if (result.ok) ctx.out.line(c.green(`audit log intact: ${result.checked} event${result.checked === 1 ? '' : 's'} checked`));
      else {
        const at = result.firstBroken;
        ctx.out.line(c.red(`audit log broken at event ${at?.seq ?? result.checked + 1}: ${at?.reason ?? 'unknown reason'}`));
      }
      if (!result.ok) throw new Finding('', EXIT_FAILURE);
    });

  audit
    .command('checkpoint')
    .description("Sign the audit log's head with the audit key (admins); keep the checkpoint elsewhere: a file, a git repository, a mail")
    .option('--out <file>', 'write the checkpoint to this file instead of stdout')
    .action(async (opts: { out?: string }, cmd: Command) => {
      const checkpoint = await answer((await ctx.api(cmd)).POST('/api/v1/audit/checkpoints'));
      const text = `${JSON.stringify(checkpoint, null, 2)}\n`;
      if (opts.out === undefined) return ctx.out.line(text.trimEnd());
      writeFileSync(ctx.resolvePath(opts.out), text);
      ctx.out.line(`checkpoint of event ${checkpoint.seq} written to ${opts.out}; keep a copy where the server cannot change it`);
    });
}

/** True for a finding already reported on stdout: main exits 1 without printing it again. */
export const isSilentFinding = (err: unknown) => err instanceof Finding;
