/** `embargo serve`: runs the web UI and the API on the local database until SIGINT or SIGTERM. */
import type { Command } from 'commander';
import { hasUsers } from '../../app/accounts.js';
import { openApp, type App } from '../../app/app.js';
import type { Config } from '../../app/config.js';
import { mailTransportFromConfig } from '../../app/outbox.js';
import { keyFilePath, openSecretBox } from '../../app/secret-box.js';
import { describeSmtp, parseSmtpUrl } from '../../integrations/mail/smtp.js';
import { startOutboxWorker, type RunningWorker } from '../../jobs/outbox-worker.js';
import { buildServer } from '../../server/server.js';
import { resolveDatabaseTarget } from '../../store/store.js';
import { CliError, EXIT_FAILURE, usageError } from '../errors.js';
import type { Context } from '../context.js';

function portArg(value: string): string {
  if (!/^\d{1,5}$/.test(value) || Number(value) > 65535) throw usageError(`--port "${value}" is not a port number from 0 to 65535`);
  return value;
}

function hostArg(value: string): string {
  if (value.trim() === '' || /\s/.test(value))
    throw usageError(`--host "${value}" is not a host name or address, e.g. 127.0.0.1 or 0.0.0.0`);
  return value;
}

/** The database in words, never with credentials: a SQLite path, or "PostgreSQL at host/db". */
export function describeDatabase(config: Pick<Config, 'databaseUrl' | 'dataDir'>): string {
  const target = resolveDatabaseTarget({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  if (target.kind === 'sqlite') return `SQLite ${target.file}`;
  try {
    const url = new URL(target.url);
    return `PostgreSQL at ${url.hostname}${url.port ? `:${url.port}` : ''}${url.pathname.length > 1 ? url.pathname : ''}`;
  } catch {
    return 'PostgreSQL';
  }
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
      // Flags win over the environment; going through configFromEnv keeps the public URL in step with --port.
      const config = ctx.config({ ...(opts.host ? { HOST: opts.host } : {}), ...(opts.port ? { PORT: opts.port } : {}) });
      await serve(config, ctx);
    });
}

/**
 * The key that encrypts stored secrets (GitHub tokens), settled before anything listens: the key
 * file is created (mode 0600) on the first start, and a bad key or a readable key file stops the
 * start with a sentence instead of failing the first GitHub connection later.
 */
function secretKeySource(config: Config): string {
  try {
    openSecretBox(config);
  } catch (err) {
    throw new CliError((err as Error).message, EXIT_FAILURE);
  }
  return config.secretKey ? 'EMBARGO_SECRET_KEY' : `${keyFilePath(config.dataDir)} (mode 0600)`;
}

async function serve(config: Config, ctx: Context): Promise<void> {
  const { out } = ctx;
  const keySource = secretKeySource(config);
  const app = await openApp(config);
  let server: Awaited<ReturnType<typeof buildServer>>;
  try {
    server = await buildServer(app, {
      // Request URLs are rewritten by the server itself (a portal link holds its secret in the path).
      logger: {
        level: 'info',
        redact: { paths: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["x-portal-token"]'], censor: '[redacted]' },
      },
      reportsPerHour: config.reportsPerHour,
    });
  } catch (err) {
    await app.store.close();
    throw err;
  }
  try {
    await server.listen({ host: config.host, port: config.port });
  } catch (err) {
    await server.close().catch(() => {});
    await app.store.close();
    const code = (err as { code?: string }).code;
    const why = code === 'EADDRINUSE' ? 'the address is already in use' : code === 'EACCES' ? 'permission denied' : (err as Error).message;
    throw new CliError(`cannot listen on ${config.host}:${config.port}: ${why}`, EXIT_FAILURE);
  }

  // Mail goes out through the outbox worker only when SMTP is configured; otherwise messages wait
  // in the outbox for a person to copy them into the list's web interface and mark them sent.
  const transport = mailTransportFromConfig(config);
  const worker = transport ? startOutboxWorker({ store: app.store, transport }) : null;

  const c = out.colors;
  out.line(`Embargo is running at ${c.bold(config.publicUrl)}`);
  out.line(`Database: ${describeDatabase(config)}`);
  out.line(`Secrets key: ${keySource}`);
  out.line(
    `Mail: ${config.smtpUrl ? describeSmtp(parseSmtpUrl(config.smtpUrl)) : 'no EMBARGO_SMTP_URL; messages wait in the outbox to be copied and marked as sent'}`,
  );
  if (!(await hasUsers(app))) {
    out.line('');
    out.line('No users yet. To sign in the first time:');
    out.line(`  1. ${c.cyan('npx embargo user add --admin --username YOU')}   (asks for a password)`);
    out.line(`  2. open ${config.publicUrl} and sign in as YOU`);
  }
  out.line(c.dim('Press Ctrl-C to stop.'));

  await waitForShutdown(server, app, worker, ctx);
}

function waitForShutdown(server: { close(): Promise<unknown> }, app: App, worker: RunningWorker | null, ctx: Context): Promise<void> {
  return new Promise((resolve) => {
    let stopping = false;
    const stop = (signal: NodeJS.Signals) => {
      if (stopping) {
        ctx.out.note(`embargo: ${signal} again, stopping now`);
        ctx.world.exit(1);
      }
      stopping = true;
      ctx.out.note(`embargo: ${signal} received, shutting down`);
      void (async () => {
        await server.close().catch((err: Error) => ctx.out.note(`embargo: stopping the server failed: ${err.message}`));
        await worker?.stop().catch((err: Error) => ctx.out.note(`embargo: stopping the outbox worker failed: ${err.message}`));
        await app.store.close().catch((err: Error) => ctx.out.note(`embargo: closing the database failed: ${err.message}`));
        unlisten();
        resolve();
      })();
    };
    const unlisten = ctx.world.onSignal(stop);
  });
}
