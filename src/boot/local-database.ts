/**
 * Whether the environment names a local database that exists, without opening it: the leak guard
 * uses the local case terms only then (a fresh checkout has none, and must not create one).
 */
import { existsSync } from 'node:fs';
import { resolveDatabaseTarget } from '../store/store.js';
import { localConfig } from './in-process.js';

export function localDatabaseExists(env: NodeJS.ProcessEnv, cwd?: string): boolean {
  const config = localConfig(env, cwd);
  const target = resolveDatabaseTarget({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  return target.kind === 'postgres' || existsSync(target.file);
}
