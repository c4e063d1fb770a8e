/**
 * `embargo backup --out FILE` and `embargo restore FILE` (docs/security.md, "Backup and restore").
 * The server takes the snapshot and encrypts it; this command only carries the file. The passphrase
 * comes from a pipe (--passphrase-stdin), EMBARGO_BACKUP_PASSPHRASE, or a hidden prompt; a key from a
 * file (--key-file, 32 bytes as hex or base64).
 */
import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { answer } from '../../client/client.js';
import type { Context, JsonOption } from '../context.js';
import { CliError, EXIT_USAGE, usageError } from '../errors.js';
import { promptHidden, readFirstLine } from '../password.js';

interface SecretOptions {
  passphraseStdin?: boolean;
  keyFile?: string;
}

/** The passphrase or key, from exactly one source. `twice`: a new passphrase is typed twice. */
async function secretFrom(ctx: Context, opts: SecretOptions, twice: boolean): Promise<{ passphrase: string } | { key: string }> {
  if (opts.keyFile !== undefined) {
    if (opts.passphraseStdin) throw usageError('give --key-file or --passphrase-stdin, not both');
    return { key: ctx.readArg(opts.keyFile, '--key-file').toString('utf8').trim() };
  }
  if (opts.passphraseStdin) {
    if (ctx.stdin.isTTY) throw usageError('--passphrase-stdin reads the passphrase from a pipe');
    const line = await readFirstLine(ctx.stdin);
    if (line === '') throw usageError('--passphrase-stdin was given but stdin held no passphrase');
    return { passphrase: line };
  }
  const fromEnv = ctx.env.EMBARGO_BACKUP_PASSPHRASE;
  if (fromEnv) return { passphrase: fromEnv };
  if (ctx.stdin.isTTY && typeof ctx.stdin.setRawMode === 'function') {
    const first = await promptHidden('Backup passphrase (at least 12 characters): ', ctx.stdin, ctx.world.stderr);
    if (twice && first !== (await promptHidden('Repeat the passphrase: ', ctx.stdin, ctx.world.stderr))) {
      throw new CliError('the two passphrases differ; nothing was written', EXIT_USAGE);
    }
    return { passphrase: first };
  }
  throw usageError(
    'a backup is always encrypted: pipe a passphrase in with --passphrase-stdin, set EMBARGO_BACKUP_PASSPHRASE, give --key-file FILE, or run this in a terminal to be asked',
  );
}

const secretOptions = (cmd: Command) =>
  cmd
    .option('--passphrase-stdin', 'read the passphrase from the first line of stdin (else EMBARGO_BACKUP_PASSPHRASE, else a prompt)')
    .option('--key-file <file>', 'use the key in this file (32 random bytes as hex or base64, e.g. openssl rand -base64 32) instead');

export function registerBackup(program: Command, ctx: Context): void {
  secretOptions(
    program
      .command('backup')
      .description('Write an encrypted backup of the whole database, read in one consistent snapshot while the server runs (admins)')
      .requiredOption('--out <file>', 'the backup file to write (never overwritten; created readable by you only)'),
  )
    .option('--json', 'print {takenAt, seq, rows, warnings} as JSON')
    .action(async (opts: SecretOptions & JsonOption & { out: string }, cmd: Command) => {
      const out = ctx.resolvePath(opts.out);
      const secret = await secretFrom(ctx, opts, true);
      const taken = await answer((await ctx.api(cmd)).POST('/api/v1/backup', { body: secret }));
      try {
        writeFileSync(out, Buffer.from(taken.file, 'base64'), { flag: 'wx', mode: 0o600 });
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        throw new CliError(`${opts.out}: ${code === 'EEXIST' ? 'the file exists; choose a new name' : (err as Error).message}`, 1);
      }
      const { file: _file, ...summary } = taken;
      for (const w of taken.warnings) ctx.out.note(`embargo: warning: ${w}`);
      if (opts.json) return ctx.out.json(summary);
      const rows = Object.values(taken.rows).reduce((a, b) => a + b, 0);
      ctx.out.line(
        `Backup of ${ctx.where(cmd)} written to ${opts.out}: ${rows} rows, audit log up to event ${taken.seq}, taken ${taken.takenAt}.`,
      );
      ctx.out.line('Keep the passphrase (or key) apart from the file: without it the backup cannot be restored.');
    });

  secretOptions(
    program
      .command('restore')
      .description('Restore an encrypted backup into an empty database (DATABASE_URL or EMBARGO_DATA_DIR); refused when it holds data')
      .argument('<file>', 'the backup file (from embargo backup)'),
  )
    .option('--json', 'print {takenAt, from, seq, rows, secretsResealed, warnings} as JSON')
    .action(async (file: string, opts: SecretOptions & JsonOption, cmd: Command) => {
      const content = ctx.readArg(file);
      const secret = await secretFrom(ctx, opts, false);
      const restored = await answer(
        (await ctx.api(cmd)).POST('/api/v1/restore', { body: { file: content.toString('base64'), ...secret } }),
      );
      for (const w of restored.warnings) ctx.out.note(`embargo: warning: ${w}`);
      if (opts.json) return ctx.out.json(restored);
      const rows = Object.values(restored.rows).reduce((a, b) => a + b, 0);
      ctx.out.line(
        `Restored ${rows} rows into ${ctx.where(cmd)} from the ${restored.from} backup taken ${restored.takenAt}; ` +
          `the audit log verifies up to event ${restored.seq}.`,
      );
      if (restored.secretsResealed > 0) {
        ctx.out.line(`${restored.secretsResealed} GitHub token(s) sealed again under this install's secret key.`);
      }
      ctx.out.line('Sign-in sessions are not restored: everyone signs in again. API tokens still work.');
    });
}
