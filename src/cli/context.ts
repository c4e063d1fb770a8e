/**
 * What every command gets: the typed API client for the mode it runs in, the output, and the world
 * it runs in (environment, working directory, standard streams). With --server the client talks
 * HTTP with the API token; without, the same Fastify app answers in process (src/boot, loaded only
 * then) as the local admin. Commands are written once.
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { type ApiClient, createApiClient } from '../client/client.js';
import { isCaseId } from '../domain/case/case-id.js';
import { CliError, EXIT_FAILURE, usageError } from './errors.js';
import { httpFetch, isInsecureRemote, parseServerUrl, serverBase } from './http.js';
import { createOutput, type Output } from './output.js';
import { resolvePath, type Stdin, type World } from './world.js';

export interface GlobalOptions {
  server?: string;
  token?: string;
}

export interface JsonOption {
  json?: boolean;
}

interface Connection {
  api: ApiClient;
  remote: boolean;
  close(): Promise<void>;
}

export class Context {
  private connection: Promise<Connection> | undefined;

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

  /**
   * The file an option or argument names, or a usage error (exit 2) that says which and why:
   * "--from-eml x.eml: no such file". `flag` is left out for a plain argument.
   */
  readArg(file: string, flag?: string): Buffer {
    try {
      return this.readFile(file);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (err as Error).message;
      throw usageError(`${flag ? `${flag} ` : ''}${file}: ${why}`);
    }
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

  /** True when the command talks to a server (--server/EMBARGO_SERVER), false on the local database. */
  isRemote(cmd: Command): boolean {
    return this.globals(cmd).server !== undefined;
  }

  /** Where the data is, for messages: the server's address or "the local database". */
  where(cmd: Command): string {
    const { server } = this.globals(cmd);
    return server ? serverBase(parseServerUrl(server)) : 'the local database';
  }

  /**
   * The API where the command works: the server named by --server/EMBARGO_SERVER, else the local
   * database through the same app in process. Opened once per run.
   */
  async api(cmd: Command, options: { database?: boolean } = {}): Promise<ApiClient> {
    this.connection ??= this.connect(cmd, options.database ?? true);
    return (await this.connection).api;
  }

  /** `database` false: the command reads no case data, so the local mode opens no database file. */
  private async connect(cmd: Command, database: boolean): Promise<Connection> {
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
      const base = serverBase(url);
      const api = createApiClient({ baseUrl: base, fetch: httpFetch(base), headers: { authorization: `Bearer ${token}` } });
      return { api, remote: true, close: async () => {} };
    }
    if (token && root.getOptionValueSource('token') === 'cli') {
      throw usageError('--token is for talking to a server: add --server URL (without --server, embargo works on the local database)');
    }
    if (database) await this.checkDatabase();
    // Loaded now, not at start: the server, the app and the database driver are only needed here.
    const { openInProcess } = await import('../boot/in-process.js');
    const local = await openInProcess(this.env, { database, cwd: this.world.cwd });
    return { ...local, remote: false };
  }

  /**
   * Names the local database on a terminal, and refuses to create a new one while a server on the
   * configured port runs on another (EMBARGO_NEW_DATABASE=1 creates it anyway).
   */
  private async checkDatabase(): Promise<void> {
    const { checkLocalDatabase } = await import('../boot/local-database.js');
    const db = checkLocalDatabase(this.env, this.world.cwd);
    if (db.otherServer && this.env.EMBARGO_NEW_DATABASE !== '1') {
      const port = db.otherServer.port;
      throw new CliError(
        `the server on port ${port} uses ${db.otherServer.database}, but this command would create a new, empty database (${db.words}). Work on the server's: --server http://localhost:${port} with a token, or set EMBARGO_DATA_DIR (or DATABASE_URL) as the server has it; to create the new database anyway, set EMBARGO_NEW_DATABASE=1`,
        EXIT_FAILURE,
      );
    }
    if (this.world.stderr.isTTY) this.out.note(`embargo: ${db.isNew ? 'creating a new local database' : 'local database'}: ${db.words}`);
  }

  async close(): Promise<void> {
    const c = this.connection;
    this.connection = undefined;
    await (await c?.catch(() => undefined))?.close();
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
