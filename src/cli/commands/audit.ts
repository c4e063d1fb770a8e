/** `embargo audit verify`: checks the hash chain of the whole audit log. */
import type { Command } from 'commander';
import { answer } from '../../client/client.js';
import { CliError, EXIT_FAILURE } from '../errors.js';
import type { Context, JsonOption } from '../context.js';

/** Exit 1 without a second message: the finding was already printed as the result. */
class Finding extends CliError {}

export function registerAudit(program: Command, ctx: Context): void {
  const audit = program.command('audit').description('Check the audit log');

  audit
    .command('verify')
    .description('Check that no audit event was edited, removed or reordered (admins); exit 1 if the log is broken')
    .option('--json', 'print {ok, checked, firstBroken} as JSON')
    .action(async (opts: JsonOption, cmd: Command) => {
      const result = await answer((await ctx.api(cmd)).GET('/api/v1/audit/verify'));
      const c = ctx.out.colors;
      if (opts.json) ctx.out.json(result);
      else if (result.ok) ctx.out.line(c.green(`audit log intact: ${result.checked} event${result.checked === 1 ? '' : 's'} checked`));
      else {
        const at = result.firstBroken;
        ctx.out.line(c.red(`audit log broken at event ${at?.seq ?? result.checked + 1}: ${at?.reason ?? 'unknown reason'}`));
      }
      if (!result.ok) throw new Finding('', EXIT_FAILURE);
    });
}

/** True for a finding already reported on stdout: main exits 1 without printing it again. */
export const isSilentFinding = (err: unknown) => err instanceof Finding;
