/**
 * Schema migrations, inline (a static map: nothing to find on disk, so it bundles). The same
 * migrations run on SQLite and PostgreSQL: only portable types (text, integer) and app-generated ids.
 *
 * Rules for new migrations: add a new key that sorts after the last one ('0002_…'); never edit a
 * migration that has shipped. Migrations use `ifNotExists` where they can because SQLite DDL is not
 * run inside the migrator's transaction.
 */
import { type Kysely, type Migration, type MigrationProvider, Migrator, sql } from 'kysely';
import { GENESIS_HASH } from './schema.js';

const migrations: Record<string, Migration> = {
  '0001_initial': {
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .createTable('users')
        .ifNotExists()
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('username', 'text', (c) => c.notNull().unique())
        .addColumn('display_name', 'text', (c) => c.notNull())
        .addColumn('password_hash', 'text', (c) => c.notNull())
        .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('admin', 'member')`))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('disabled_at', 'text')
        .execute();

      await db.schema
        .createTable('sessions')
        .ifNotExists()
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
        .addColumn('csrf_token', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .addColumn('last_seen_at', 'text', (c) => c.notNull())
        .addColumn('revoked_at', 'text')
        .execute();
      await db.schema.createIndex('sessions_user_id_idx').ifNotExists().on('sessions').column('user_id').execute();

      await db.schema
        .createTable('api_tokens')
        .ifNotExists()
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('token_hash', 'text', (c) => c.notNull().unique())
        .addColumn('scopes', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('last_used_at', 'text')
        .addColumn('revoked_at', 'text')
        .execute();
      await db.schema.createIndex('api_tokens_user_id_idx').ifNotExists().on('api_tokens').column('user_id').execute();

      await db.schema
        .createTable('cases')
        .ifNotExists()
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('project', 'text', (c) => c.notNull())
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('codename', 'text', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('revision', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('cases_created_at_idx').ifNotExists().on('cases').columns(['created_at', 'id']).execute();
      await db.schema.createIndex('cases_status_idx').ifNotExists().on('cases').column('status').execute();

      await db.schema
        .createTable('case_access')
        .ifNotExists()
        .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id'))
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
        .addColumn('granted_by', 'text', (c) => c.notNull())
        .addColumn('granted_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('case_access_pk', ['case_id', 'user_id'])
        .execute();
      await db.schema.createIndex('case_access_user_id_idx').ifNotExists().on('case_access').column('user_id').execute();

      await db.schema
        .createTable('case_counters')
        .ifNotExists()
        .addColumn('year', 'integer', (c) => c.primaryKey())
        .addColumn('last', 'integer', (c) => c.notNull())
        .execute();

      // No foreign key to cases: the audit log must outlive anything it talks about, and an event may
      // be appended before the row it describes within one transaction.
      await db.schema
        .createTable('events')
        .ifNotExists()
        .addColumn('seq', 'integer', (c) => c.primaryKey())
        .addColumn('id', 'text', (c) => c.notNull().unique())
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('actor', 'text', (c) => c.notNull())
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('case_id', 'text')
        .addColumn('details', 'text', (c) => c.notNull())
        .addColumn('prev_hash', 'text', (c) => c.notNull())
        .addColumn('hash', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('events_case_id_idx').ifNotExists().on('events').column('case_id').execute();

      await db.schema
        .createTable('chain_head')
        .ifNotExists()
        .addColumn('id', 'integer', (c) => c.primaryKey().check(sql`id = 1`))
        .addColumn('last_seq', 'integer', (c) => c.notNull())
        .addColumn('last_hash', 'text', (c) => c.notNull())
        .execute();
      await db
        .insertInto('chain_head')
        .values({ id: 1, last_seq: 0, last_hash: GENESIS_HASH })
        .onConflict((oc) => oc.column('id').doNothing())
        .execute();

      await db.schema
        .createTable('settings')
        .ifNotExists()
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('value', 'text', (c) => c.notNull())
        .execute();
    },
  },
  // Leak-guard terms per case (issue 5). The key is unique per case so a term added twice in two
  // spellings ("rewriteCookiePath", "rewrite cookie path") is one term.
  '0002_guard_terms': {
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .createTable('guard_terms')
        .ifNotExists()
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id'))
        .addColumn('term', 'text', (c) => c.notNull())
        .addColumn('term_key', 'text', (c) => c.notNull())
        .addColumn('added_by', 'text', (c) => c.notNull())
        .addColumn('added_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('guard_terms_case_key_unique', ['case_id', 'term_key'])
        .execute();
    },
  },
  // The mail outbox (issue 4, delivery). Rows are written in the same transaction as the change that
  // causes the mail; the worker (src/jobs/outbox-worker.ts) delivers them. See docs/mail.md.
  '0003_outbox': {
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .createTable('outbox_messages')
        .ifNotExists()
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('case_id', 'text')
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('idempotency_key', 'text', (c) => c.notNull().unique())
        .addColumn('from_address', 'text', (c) => c.notNull())
        .addColumn('to_addresses', 'text', (c) => c.notNull())
        .addColumn('cc_addresses', 'text', (c) => c.notNull())
        .addColumn('subject', 'text', (c) => c.notNull())
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('headers', 'text', (c) => c.notNull())
        .addColumn('message_id', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) =>
          c.notNull().check(sql`status in ('queued', 'sending', 'sent', 'failed', 'unknown', 'copied')`),
        )
        .addColumn('attempts', 'integer', (c) => c.notNull())
        .addColumn('next_attempt_at', 'text', (c) => c.notNull())
        .addColumn('last_error', 'text')
        .addColumn('smtp_response', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('sent_at', 'text')
        .addColumn('sent_by', 'text')
        .addColumn('attempt_token', 'text')
        .addColumn('claimed_by', 'text')
        .addColumn('claimed_until', 'text')
        .execute();
      await db.schema
        .createIndex('outbox_messages_due_idx')
        .ifNotExists()
        .on('outbox_messages')
        .columns(['status', 'next_attempt_at'])
        .execute();
      await db.schema.createIndex('outbox_messages_case_id_idx').ifNotExists().on('outbox_messages').column('case_id').execute();
    },
  },
};

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
    db,
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

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
