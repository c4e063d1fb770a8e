/**
 * Whether the environment names a local database that exists, without opening it: the leak guard
 * uses the local case terms only then (a fresh checkout has none, and must not create one).
 */
import { existsSync } from 'node:fs';
import { configFromEnv } from '../app/config.js';
import { resolveDatabaseTarget } from '../store/store.js';

export function localDatabaseExists(env: NodeJS.ProcessEnv): boolean {
  const config = configFromEnv(env);
  const target = resolveDatabaseTarget({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  return target.kind === 'postgres' || existsSync(target.file);
}
