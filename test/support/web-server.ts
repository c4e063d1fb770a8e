/**
 * A real Embargo server on a socket for the browser tests: SQLite in a temp directory, the real
 * Fastify server serving the production build of the web app (dist/web, built by the global setup),
 * optionally the outbox worker on a real SMTP sink and a GitHub API URL (the suite's fake GitHub).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { createApp, type App } from '../../src/app/app.js';
import { configFromEnv } from '../../src/app/config.js';
import { mailTransportFromConfig } from '../../src/app/outbox.js';
import { startOutboxWorker, type RunningWorker } from '../../src/jobs/outbox-worker.js';
import { buildServer } from '../../src/server/server.js';
import { openStore } from '../../src/store/store.js';

export interface WebServer {
  url: string;
  app: App;
  server: FastifyInstance;
  dataDir: string;
  /** Moves the server's clock (the browser's stays real). */
  setNow(at: string | Date): void;
  close(): Promise<void>;
}

export async function startWebServer(options: { env?: Record<string, string>; startAt?: string } = {}): Promise<WebServer> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'embargo-web-'));
  const store = await openStore({ dataDir });
  let now = options.startAt ? new Date(options.startAt) : null;
  const config = configFromEnv({ EMBARGO_DATA_DIR: dataDir, ...options.env });
  const app = await createApp(store, config, { clock: () => now ?? new Date() });
  const server = await buildServer(app, { signInPerMinute: 1000, reportsPerHour: 1000 });
  await server.listen({ host: '127.0.0.1', port: 0 });
  const transport = mailTransportFromConfig(config);
  const worker: RunningWorker | null = transport
    ? startOutboxWorker({ store, transport, intervalMs: 200, clock: () => app.clock() })
    : null;
  return {
    url: `http://127.0.0.1:${(server.server.address() as AddressInfo).port}`,
    app,
    server,
    dataDir,
    setNow: (at) => {
      now = new Date(at);
    },
    close: async () => {
      await worker?.stop();
      await server.close();
      await store.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
