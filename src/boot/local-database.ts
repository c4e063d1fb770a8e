/**
 * Whether the environment names a local database that exists, without opening it: the leak guard
 * uses the local case terms only then (a fresh checkout has none, and must not create one).
 */
import { existsSync } from 'node:fs';
import { resolveDatabaseTarget } from '../store/store.js';
import { localConfig } from './in-process.js';
import { runningServer, type RunningServer } from './running-server.js';

export function localDatabaseExists(env: NodeJS.ProcessEnv, cwd?: string): boolean {
  const config = localConfig(env, cwd);
  const target = resolveDatabaseTarget({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  return target.kind === 'postgres' || existsSync(target.file);
}

export interface LocalDatabaseCheck {
  /** The database in words, as `embargo serve` says it: "SQLite /abs/data/embargo.db" or "PostgreSQL". */
  words: string;
  /** The SQLite file does not exist yet: opening it creates a new, empty database. */
  isNew: boolean;
  /** A server on the configured port that uses another database (only looked for when isNew). */
  otherServer: RunningServer | null;
}

/**
 * What the local CLI is about to open (issue 13, item 15): named on a terminal, and checked against a
 * running server before a new file is created, since a second terminal without the server's
 * EMBARGO_DATA_DIR would otherwise start a second, empty database without a word.
 */
export function checkLocalDatabase(env: NodeJS.ProcessEnv, cwd?: string): LocalDatabaseCheck {
  const config = localConfig(env, cwd);
  const target = resolveDatabaseTarget({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  if (target.kind === 'postgres') return { words: 'PostgreSQL (DATABASE_URL)', isNew: false, otherServer: null };
  const words = `SQLite ${target.file}`;
  const isNew = target.file !== ':memory:' && !existsSync(target.file);
  const server = isNew ? runningServer(config.port) : null;
  return { words, isNew, otherServer: server && server.database !== words ? server : null };
}
