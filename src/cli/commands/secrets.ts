/** `embargo secrets rotate`: every stored secret sealed again under a new key, in one transaction. */
import type { Command } from 'commander';
import { answer } from '../../client/client.js';
import type { Context, JsonOption } from '../context.js';
import { usageError } from '../errors.js';
import { readFirstLine } from '../password.js';

export function registerSecrets(program: Command, ctx: Context): void {
  const secrets = program.command('secrets').description('Rotate the key that encrypts stored secrets (GitHub tokens)');

  secrets
    .command('rotate')
    .description(
      'Seal every stored secret again under a new key, in one transaction (admins): a key file gets a random new key; with EMBARGO_SECRET_KEY give the new one on stdin, then set the variable to it',
    )
    .option('--new-key-stdin', 'read the new key (32 bytes, hex or base64) from the first line of stdin')
    .option('--json', 'print {rotated, keySource} as JSON')
    .action(async (opts: { newKeyStdin?: boolean } & JsonOption, cmd: Command) => {
      let newKey: string | undefined;
      if (opts.newKeyStdin) {
        if (ctx.stdin.isTTY)
          throw usageError('--new-key-stdin reads the key from a pipe, e.g. embargo secrets rotate --new-key-stdin < new.key');
        newKey = (await readFirstLine(ctx.stdin)).trim();
        if (newKey === '') throw usageError('the new key is empty');
      }
      const result = await answer((await ctx.api(cmd)).POST('/api/v1/secrets/rotate', { body: newKey === undefined ? {} : { newKey } }));
      if (opts.json) return ctx.out.json(result);
      ctx.out.line(
        `${result.rotated} stored secret${result.rotated === 1 ? '' : 's'} sealed again under the new key (${result.keySource}).`,
      );
      if (result.keySource === 'EMBARGO_SECRET_KEY') ctx.out.line('Set EMBARGO_SECRET_KEY to the new key before the next start.');
    });
}
