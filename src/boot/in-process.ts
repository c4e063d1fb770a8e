/**
 * The CLI's local mode, wired: the app opened from the environment's configuration, the same
 * Fastify server the network sees built around it with every request trusted as the local admin
 * (local-server.ts), and the typed client whose `fetch` answers through `server.inject` (never a socket). So local
 * and remote commands run the same routes, schemas and presenters, and answer alike.
 * This is a composition root: it may import server, app, store and client.
 */
import { userInfo } from 'node:os';
import path from 'node:path';
import { localActor } from '../app/actor.js';
import { openApp } from '../app/app.js';
import { type Config, configFromEnv } from '../app/config.js';
import { type ApiClient, createApiClient } from '../client/client.js';
import { type Precompiled, PRECOMPILED } from '../server/precompiled.js';
import { type LocalServers, localServers } from './local-server.js';

export interface InProcessApi {
  api: ApiClient;
  /** Closes the server and the database. */
  close(): Promise<void>;
}

/** The OS user running the CLI; the audit log records local changes as `local:<name>`. */
function osUsername(): string {
  try {
    return userInfo().username || process.env.USER || 'unknown';
  } catch {
    return process.env.USER || process.env.USERNAME || 'unknown';
  }
}

/** A fetch that hands the request to the server in process and turns its answer into a Response. */
function injectFetch(servers: LocalServers): (request: Request) => Promise<Response> {
  return async (request) => {
    const url = new URL(request.url);
    const payload = request.body === null ? undefined : Buffer.from(await request.arrayBuffer());
    const server = await servers.serverFor(request.method, url.pathname);
    const reply = await server.inject({
      method: request.method as 'GET',
      url: `${url.pathname}${url.search}`,
      headers: Object.fromEntries(request.headers),
      ...(payload === undefined ? {} : { payload }),
    });
    const headers = new Headers();
    for (const [name, value] of Object.entries(reply.headers)) {
      if (value === undefined) continue;
      for (const v of Array.isArray(value) ? value : [value]) headers.append(name, String(v));
    }
    // A Response for 204/304 must have no body at all, not an empty one.
    const body = reply.statusCode === 204 || reply.statusCode === 304 ? null : reply.rawPayload;
    return new Response(body, { status: reply.statusCode, headers });
  };
}

export interface InProcessOptions {
  osUser?: string;
  /**
   * false: the command reads no case data (the playbooks), so the app runs on a throwaway
   * in-memory database and no database file is created or opened.
   */
  database?: boolean;
  /** The directory relative data and playbook directories are taken from (the CLI's world). */
  cwd?: string;
  /** What the build worked out from the routes (the bundle's PRECOMPILED by default; none in the sources). */
  precompiled?: Precompiled;
}

/** Opens the local database (DATABASE_URL or EMBARGO_DATA_DIR) and the API over it, in process. */
export async function openInProcess(env: NodeJS.ProcessEnv, options: InProcessOptions = {}): Promise<InProcessApi> {
  const config = localConfig(env, options.cwd);
  const app = await openApp(options.database === false ? { ...config, databaseUrl: 'sqlite::memory:' } : config, { lazyPlaybooks: true });
  const servers = localServers(app, localActor(options.osUser ?? osUsername()), options.precompiled ?? PRECOMPILED);
  // The host is never resolved: requests go to inject, which reads only the path and query.
  const api = createApiClient({ baseUrl: 'http://embargo.in-process', fetch: injectFetch(servers) });
  return {
    api,
    close: async () => {
      try {
        await servers.close();
      } finally {
        await app.store.close();
      }
    },
  };
}

/**
 * The settings from an environment, with a relative data or playbooks directory taken from `cwd`
 * (the CLI's working directory, which in tests is not the process's).
 */
export function localConfig(env: NodeJS.ProcessEnv, cwd?: string): Config {
  const config = configFromEnv(env);
  if (cwd === undefined) return config;
  return {
    ...config,
    dataDir: path.resolve(cwd, config.dataDir),
    playbooksDir: config.playbooksDir === undefined ? undefined : path.resolve(cwd, config.playbooksDir),
  };
}
