/**
 * Running the migrations (./migrations.ts holds them): Kysely's Migrator over our static map, with
 * an introspection that looks at the migration schema only, and errors that name what failed.
 */
import { type Kysely, type MigrationProvider, Migrator, sql } from 'kysely';
import { migrations } from './migrations.js';

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};

/** Names of all migrations this build knows, in order. */
export const migrationNames: readonly string[] = Object.keys(migrations).sort();

export interface MigrateOptions {
  /**
   * PostgreSQL: the schema that holds kysely_migration / kysely_migration_lock. Needed when several
   * schemas in one database each hold an Embargo (Kysely otherwise finds another schema's table).
   */
  migrationTableSchema?: string;
}

/** Brings the schema up to date. Throws an Error naming the failed migration. */
export async function migrateToLatest(db: Kysely<any>, opts: MigrateOptions = {}): Promise<void> {
  const migrator = new Migrator({
    db: opts.migrationTableSchema ? withIntrospectionOf(db, opts.migrationTableSchema) : db,
    provider: migrationProvider,
    ...(opts.migrationTableSchema ? { migrationTableSchema: opts.migrationTableSchema } : {}),
  });
  let outcome: Awaited<ReturnType<Migrator['migrateToLatest']>>;
  try {
    outcome = await migrator.migrateToLatest();
  } catch (err) {
    throw new Error(`The database could not be migrated: ${errorMessage(err)}`, { cause: err });
  }
  const { error, results } = outcome;
  if (error !== undefined) {
    const failed = results?.find((r) => r.status === 'Error');
    const where = failed ? `migration "${failed.migrationName}" failed` : 'the migrations could not run';
    throw new Error(`The database could not be migrated: ${where}: ${errorMessage(error)}`, { cause: error });
  }
}

/**
 * The database handle with an introspection that looks at one schema only. Kysely's Migrator asks
 * whether its tables exist by listing every table of every schema on PostgreSQL; that query fails
 * ("schema … does not exist") when another schema is dropped while it runs, as the test suite's
 * parallel files do and as another tenant of a shared database might. The Migrator only needs to
 * know about its own schema. Everything else is the real handle (methods bound to it: Kysely keeps
 * its state in private fields, which a Proxy receiver cannot reach).
 */
function withIntrospectionOf(db: Kysely<any>, schema: string): Kysely<any> {
  const introspection = {
    async getSchemas() {
      const rows = await sql<{ name: string }>`select schema_name as name from information_schema.schemata
        where schema_name = ${schema}`.execute(db);
      return rows.rows.map((r) => ({ name: r.name }));
    },
    async getTables() {
      const rows = await sql<{ name: string }>`select table_name as name from information_schema.tables
        where table_schema = ${schema}`.execute(db);
      return rows.rows.map((r) => ({ name: r.name, schema, isView: false, columns: [] }));
    },
    async getMetadata() {
      return { tables: await this.getTables() };
    },
  };
  return new Proxy(db, {
    get(target, prop) {
      if (prop === 'introspection') return introspection;
      const value = Reflect.get(target, prop, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
