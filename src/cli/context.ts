/**
 * What every command gets: the client for the mode it runs in (local database or --server), the
 * output, and the environment. Commands are written once against EmbargoClient.
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { type Config, configFromEnv } from '../app/config.js';
import { isCaseId } from '../domain/case/case-id.js';
import type { EmbargoClient } from './client.js';
import { usageError } from './errors.js';
import { createOutput, type Output } from './output.js';
import { resolvePath, type Stdin, type World } from './world.js';

export interface GlobalOptions {
  server?: string;
  token?: string;
}

export interface JsonOption {
  json?: boolean;
}

type ClientModule = typeof import('./client.js');

export class Context {
  private client: EmbargoClient | undefined;
  private clients: ClientModule | undefined;

  readonly env: NodeJS.ProcessEnv;
  readonly stdin: Stdin;

  constructor(
    readonly world: World,
    readonly out: Output = createOutput(world),
  ) {
    this.env = world.env;
    this.stdin = world.stdin;
  }

  /** A path from the command line, resolved against the world's working directory (not the process's). */
  resolvePath(file: string): string {
    return resolvePath(this.world, file);
  }

  /** A file named on the command line, "-" meaning all of stdin. */
  readFile(file: string): Buffer {
    return file === '-' ? this.world.readStdin() : readFileSync(this.resolvePath(file));
  }

  /** The settings from the world's environment; a relative data or playbooks directory is taken from the world's cwd. */
  config(overrides: NodeJS.ProcessEnv = {}): Config {
    const config = configFromEnv({ ...this.env, ...overrides });
    return {
      ...config,
      dataDir: this.resolvePath(config.dataDir),
      playbooksDir: config.playbooksDir === undefined ? undefined : this.resolvePath(config.playbooksDir),
    };
  }

  static root(cmd: Command): Command {
    let root = cmd;
    while (root.parent) root = root.parent;
    return root;
  }

  globals(cmd: Command): GlobalOptions {
    const opts = Context.root(cmd).opts<GlobalOptions>();
    return { server: opts.server || undefined, token: opts.token || undefined };
  }

  /**
   * Imports the clients (and with them the app, the store and the HTTP code), which offline
   * commands and the help never need: the program calls this before a command that may use one.
   */
  async loadClients(): Promise<void> {
    this.clients ??= await import('./client.js');
  }

  /** Where the command works: the server named by --server/EMBARGO_SERVER, else the local database. */
  clientFor(cmd: Command): EmbargoClient {
    if (this.client) return this.client;
    if (!this.clients) throw new Error(`embargo ${cmd.name()} is offline: it has no client (see CLIENTLESS_COMMANDS in program.ts)`);
    const { HttpClient, isInsecureRemote, LocalClient, parseServerUrl } = this.clients;
    const root = Context.root(cmd);
    const { server, token } = this.globals(cmd);
    if (server) {
      const url = parseServerUrl(server);
      if (!token) {
        throw usageError(
          `--server ${server} needs an API token: pass --token or set EMBARGO_TOKEN (an admin creates one with "embargo token create --name NAME --user YOU" on the server's machine)`,
        );
      }
      if (isInsecureRemote(url))
        this.out.note(`embargo: warning: ${url.origin} is plain http; the API token crosses the network unencrypted`);
      this.client = new HttpClient(url, token);
    } else {
      if (token && root.getOptionValueSource('token') === 'cli') {
        throw usageError('--token is for talking to a server: add --server URL (without --server, embargo works on the local database)');
      }
      this.client = new LocalClient(this.config());
    }
    return this.client;
  }

  async close(): Promise<void> {
    const c = this.client;
    this.client = undefined;
    await c?.close();
  }
}

/** Case ids as the API spells them; "emb-2026-0001" is accepted and upper-cased. */
export function caseIdArg(value: string): string {
  const id = value.trim().toUpperCase();
  if (!isCaseId(id)) throw usageError(`"${value}" is not a case id like EMB-2026-0001`);
  return id;
}

/** For repeatable options: --cvss A --cvss B gives [A, B]. */
export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** Checks usage that commander cannot express (one of two options, pairs). */
export function requireUsage(ok: boolean, message: string): void {
  if (!ok) throw usageError(message);
}
