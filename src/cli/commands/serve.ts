/** `embargo serve`: runs the web UI and the API on the local database until SIGINT or SIGTERM. */
import type { Command } from 'commander';
import type { Context } from '../context.js';
import { CliError, EXIT_FAILURE, usageError } from '../errors.js';

function portArg(value: string): string {
  if (!/^\d{1,5}$/.test(value) || Number(value) > 65535) throw usageError(`--port "${value}" is not a port number from 0 to 65535`);
  return value;
}

function hostArg(value: string): string {
  if (value.trim() === '' || /\s/.test(value))
    throw usageError(`--host "${value}" is not a host name or address, e.g. 127.0.0.1 or 0.0.0.0`);
  return value;
}

export function registerServe(program: Command, ctx: Context): void {
  program
    .command('serve')
    .description('Run the Embargo web UI and API on the local database (HOST, PORT, DATABASE_URL, EMBARGO_DATA_DIR, EMBARGO_PUBLIC_URL)')
    .option('--host <host>', 'address to listen on (default: HOST or 127.0.0.1)', hostArg)
    .option('--port <port>', 'port to listen on (default: PORT or 8080)', portArg)
    .action(async (opts: { host?: string; port?: string }, cmd: Command) => {
      if (ctx.globals(cmd).server)
        throw usageError('serve runs the server itself on the local database; drop --server (or unset EMBARGO_SERVER)');
      // Flags win over the environment; going through the config keeps the public URL in step with --port.
      // The server, the jobs and the store load only now: no other command pays for them.
      const { serve, ServeError } = await import('../../boot/serve.js');
      const { localConfig } = await import('../../boot/in-process.js');
      const overrides = { ...(opts.host ? { HOST: opts.host } : {}), ...(opts.port ? { PORT: opts.port } : {}) };
      const config = localConfig({ ...ctx.env, ...overrides }, ctx.world.cwd);
      const { out, world } = ctx;
      try {
        await serve(config, {
          line: out.line,
          note: out.note,
          log: world.stdout,
          colors: out.colors,
          onSignal: (listener) => world.onSignal(listener),
          exit: (code) => world.exit(code),
        });
      } catch (err) {
        throw err instanceof ServeError ? new CliError(err.message, EXIT_FAILURE) : err;
      }
    });
}
