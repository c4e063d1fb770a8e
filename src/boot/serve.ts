/**
 * The composition root of `embargo serve`: opens the app on the configured database, builds the
 * HTTP server on it, starts the outbox worker when SMTP is configured, and takes all of it down on
 * SIGINT or SIGTERM. The CLI imports this module only when it serves, so no other command loads
 * Fastify, the jobs or the store's drivers for it.
 */
import { openApp, type App } from '../app/app.js';
import type { Config } from '../app/config.js';
import { mailTransportFromConfig } from '../app/outbox.js';
import { keyFilePath, openSecretBox } from '../app/secret-box.js';
import { issueSetupLink } from '../app/setup.js';
import { describeSmtp, parseSmtpUrl } from '../integrations/mail/smtp.js';
import type { RunningWorker } from '../jobs/outbox-worker.js';
import { startJobRunner } from '../jobs/runner.js';
import { backgroundWork } from '../app/background.js';
import { newWorkerId } from '../app/job-queue.js';
import { buildServer } from '../server/server.js';
import { resolveDatabaseTarget } from '../store/store.js';
import { noteRunningServer } from './running-server.js';

type Paint = (text: string) => string;

/** What serving needs from the process that runs it (the CLI passes its world). */
export interface ServeIo {
  /** Lines for people (the start-up message) and the request log, on stdout. */
  line(text?: string): void;
  /** Notes on stderr (shutting down, a failed close). */
  note(text: string): void;
  /** Where the server's JSON request log goes. */
  log: { write(text: string): unknown };
  colors: { bold: Paint; cyan: Paint; dim: Paint };
  /** Calls `listener` on SIGINT and SIGTERM until the returned function is called. */
  onSignal(listener: (signal: NodeJS.Signals) => void): () => void;
  /** Ends the process now (a second signal while shutting down). */
  exit(code: number): void;
}

/** The setup page with the secret in the fragment, which browsers never send to a server (nor to its log). */
export function setupUrl(publicUrl: string, secret: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/setup#${secret}`;
}

/** Why the server did not start, in one sentence (no stack trace is worth printing for it). */
export class ServeError extends Error {}

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

/**
 * The key that encrypts stored secrets (GitHub tokens), settled before anything listens: the key
 * file is created (mode 0600) on the first start, and a bad key or a readable key file stops the
 * start with a sentence instead of failing the first GitHub connection later.
 */
function secretKeySource(config: Config): string {
  try {
    openSecretBox(config);
  } catch (err) {
    throw new ServeError((err as Error).message);
  }
  return config.secretKey ? 'EMBARGO_SECRET_KEY' : `${keyFilePath(config.dataDir)} (mode 0600)`;
}

/** Serves until SIGINT or SIGTERM, then resolves once the server, the worker and the database are closed. */
export async function serve(config: Config, io: ServeIo): Promise<void> {
  const keySource = secretKeySource(config);
  const app = await openApp(config, { backgroundCheckpoints: true });
  let server: Awaited<ReturnType<typeof buildServer>>;
  try {
    server = await buildServer(app, {
      // Request URLs are rewritten by the server itself (a portal link holds its secret in the path).
      logger: {
        level: 'info',
        stream: io.log,
        redact: { paths: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["x-portal-token"]'], censor: '[redacted]' },
      },
      reportsPerHour: config.reportsPerHour,
      trustProxy: config.trustProxy,
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
    throw new ServeError(`cannot listen on ${config.host}:${config.port}: ${why}`);
  }

  // The background worker: the job queue (notifications, reminders, the advisory sync) and, when
  // SMTP is configured, the outbox; otherwise messages wait in the outbox for a person to copy them
  // into the list's web interface and mark them sent.
  const transport = mailTransportFromConfig(config);
  const workerId = newWorkerId();
  const worker: RunningWorker = startJobRunner({
    store: app.store,
    workerId,
    clock: app.clock,
    ...backgroundWork(app, { transport, workerId }),
  });

  // Tells a local CLI in another terminal which database this server uses (running-server.ts).
  const forgetNote = noteRunningServer(config.port, describeDatabase(config));
  const c = io.colors;
  io.line(`Embargo is running at ${c.bold(config.publicUrl)}`);
  io.line(`Database: ${describeDatabase(config)}`);
  io.line(`Secrets key: ${keySource}`);
  io.line(
    `Mail: ${config.smtpUrl ? describeSmtp(parseSmtpUrl(config.smtpUrl)) : 'no EMBARGO_SMTP_URL; messages wait in the outbox to be copied and marked as sent'}`,
  );
  const setup = await issueSetupLink(app);
  if (setup) {
    io.line('');
    io.line("No users yet. Choose the first admin's username and password in the browser with this one-time link");
    io.line(`(it works once, until ${setup.expiresAt}; a restart prints a new one):`);
    io.line(`  ${c.cyan(setupUrl(config.publicUrl, setup.secret))}`);
    io.line(`Or on the command line: ${c.cyan('npx embargo user add --admin --username YOU')}, then open ${config.publicUrl} and sign in.`);
  }
  io.line(c.dim('Press Ctrl-C to stop.'));

  try {
    await waitForShutdown(server, app, worker, io);
  } finally {
    forgetNote();
  }
}

function waitForShutdown(server: { close(): Promise<unknown> }, app: App, worker: RunningWorker | null, io: ServeIo): Promise<void> {
  return new Promise((resolve) => {
    let stopping = false;
    const stop = (signal: NodeJS.Signals) => {
      if (stopping) {
        io.note(`embargo: ${signal} again, stopping now`);
        io.exit(1);
        return;
      }
      stopping = true;
      io.note(`embargo: ${signal} received, shutting down`);
      void (async () => {
        await server.close().catch((err: Error) => io.note(`embargo: stopping the server failed: ${err.message}`));
        await worker?.stop().catch((err: Error) => io.note(`embargo: stopping the outbox worker failed: ${err.message}`));
        await app.store.close().catch((err: Error) => io.note(`embargo: closing the database failed: ${err.message}`));
        unlisten();
        resolve();
      })();
    };
    const unlisten = io.onSignal(stop);
  });
}
