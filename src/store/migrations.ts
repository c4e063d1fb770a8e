/**
 * Schema migrations, inline (a static map: nothing to find on disk, so it bundles). The same
 * migrations run on SQLite and PostgreSQL: only portable types (text, integer) and app-generated ids.
 *
 * Rules for new migrations: add a new key that sorts after the last one ('0002_…'); never edit a
 * migration that has shipped. Migrations use `ifNotExists` where they can because SQLite DDL is not
 * run inside the migrator's transaction.
 */
import { type Kysely, type Migration, sql } from 'kysely';
import { isPostgres } from './portable-sql.js';
import { GENESIS_HASH } from './schema.js';

export const migrations: Record<string, Migration> = {
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
        .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('queued', 'sending', 'sent', 'failed', 'unknown', 'copied')`))
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
  // Who knows (issue 4, parts 4-5): the distributors list's members (removal keeps the row, so the
  // register can say who was on the list when a notice went out), what people told whom, leaks,
  // the members' answers on the disclosure date and the agreed dates. See docs/register.md.
  '0004_register': {
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .createTable('distributors')
        .ifNotExists()
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('organisation', 'text', (c) => c.notNull())
        .addColumn('contact', 'text', (c) => c.notNull())
        .addColumn('criteria', 'text', (c) => c.notNull())
        .addColumn('vouched_by', 'text')
        .addColumn('terms_accepted_at', 'text')
        .addColumn('added_at', 'text', (c) => c.notNull())
        .addColumn('added_by', 'text', (c) => c.notNull())
        .addColumn('removed_at', 'text')
        .addColumn('removed_by', 'text')
        .execute();

      await db.schema
        .createTable('case_disclosures')
        .ifNotExists()
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id'))
        .addColumn('recipient', 'text', (c) => c.notNull())
        .addColumn('channel', 'text', (c) => c.notNull())
        .addColumn('what', 'text', (c) => c.notNull())
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('accepted_terms', 'integer', (c) => c.notNull())
        .addColumn('recorded_by', 'text', (c) => c.notNull())
        .addColumn('recorded_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('case_disclosures_case_id_idx').ifNotExists().on('case_disclosures').column('case_id').execute();

      await db.schema
        .createTable('leak_incidents')
        .ifNotExists()
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id'))
        .addColumn('what', 'text', (c) => c.notNull())
        .addColumn('leaked_to', 'text', (c) => c.notNull())
        .addColumn('reported_by', 'text', (c) => c.notNull())
        .addColumn('reported_at', 'text', (c) => c.notNull())
        .addColumn('follow_up', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('open', 'closed')`))
        .addColumn('recorded_by', 'text', (c) => c.notNull())
        .addColumn('recorded_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addColumn('closed_at', 'text')
        .execute();
      await db.schema.createIndex('leak_incidents_case_id_idx').ifNotExists().on('leak_incidents').column('case_id').execute();

      // The latest answer per member and case; earlier answers live in the case's events.
      await db.schema
        .createTable('distributor_answers')
        .ifNotExists()
        .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id'))
        .addColumn('distributor_id', 'text', (c) => c.notNull().references('distributors.id'))
        .addColumn('answer', 'text', (c) => c.notNull().check(sql`answer in ('ack', 'objection')`))
        .addColumn('reason', 'text')
        .addColumn('ends_at', 'text', (c) => c.notNull())
        .addColumn('time_zone', 'text', (c) => c.notNull())
        .addColumn('recorded_by', 'text', (c) => c.notNull())
        .addColumn('recorded_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('distributor_answers_pk', ['case_id', 'distributor_id'])
        .execute();

      await db.schema
        .createTable('embargo_agreements')
        .ifNotExists()
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id'))
        .addColumn('ends_at', 'text', (c) => c.notNull())
        .addColumn('time_zone', 'text', (c) => c.notNull())
        .addColumn('agreed_by', 'text', (c) => c.notNull())
        .addColumn('agreed_at', 'text', (c) => c.notNull())
        .addColumn('objected', 'text', (c) => c.notNull())
        .addColumn('not_answered', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('embargo_agreements_case_id_idx').ifNotExists().on('embargo_agreements').column('case_id').execute();
    },
  },
  // The reporter portal and the public report form (issue 4, parts 6-7): one active link per case,
  // stored as the SHA-256 of its secret only, and the reporter's replies. See docs/portal.md.
  '0005_portal': {
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .createTable('portal_links')
        .ifNotExists()
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id'))
        .addColumn('secret_hash', 'text', (c) => c.notNull().unique())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text')
        .addColumn('revoked_at', 'text')
        .addColumn('revoked_by', 'text')
        .addColumn('last_used_at', 'text')
        .execute();
      await db.schema.createIndex('portal_links_case_id_idx').ifNotExists().on('portal_links').column('case_id').execute();

      await db.schema
        .createTable('reporter_replies')
        .ifNotExists()
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id'))
        .addColumn('link_id', 'text', (c) => c.notNull().references('portal_links.id'))
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('reporter_replies_case_id_idx')
        .ifNotExists()
        .on('reporter_replies')
        .columns(['case_id', 'created_at'])
        .execute();
    },
  },
  // GitHub integration (issue 6, docs/github.md): one connection per project (the token encrypted
  // with AES-256-GCM, src/app/secret-box.ts), the sync state of each case's advisory, and the
  // GitHub login of each user (the advisory's collaborating_users need logins).
  '0006_github': {
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .createTable('github_connections')
        .ifNotExists()
        .addColumn('project', 'text', (c) => c.primaryKey())
        .addColumn('repo_owner', 'text', (c) => c.notNull())
        .addColumn('repo_name', 'text', (c) => c.notNull())
        .addColumn('token_ciphertext', 'text', (c) => c.notNull())
        .addColumn('token_nonce', 'text', (c) => c.notNull())
        .addColumn('token_tag', 'text', (c) => c.notNull())
        .addColumn('api_url', 'text', (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('checked_by', 'text')
        .addColumn('checked_at', 'text')
        .addColumn('check_ok', 'integer', (c) => c.notNull())
        .addColumn('check_result', 'text', (c) => c.notNull())
        .addColumn('github_login', 'text')
        .execute();

      await db.schema
        .createTable('github_advisory_links')
        .ifNotExists()
        .addColumn('case_id', 'text', (c) => c.primaryKey().references('cases.id'))
        .addColumn('ghsa_id', 'text', (c) => c.notNull())
        .addColumn('etag', 'text')
        .addColumn('last_synced_at', 'text')
        .addColumn('last_pushed_hash', 'text')
        .addColumn('last_pushed_at', 'text')
        .addColumn('remote_state', 'text')
        .execute();
      await db.schema.createIndex('github_advisory_links_ghsa_idx').ifNotExists().on('github_advisory_links').column('ghsa_id').execute();

      // SQLite runs this DDL outside the migrator's transaction: skip the column if a first try added it.
      if (!(await hasColumn(db, 'users', 'github_login'))) {
        await db.schema.alterTable('users').addColumn('github_login', 'text').execute();
      }
    },
  },
  // Projects (issue 11, docs/projects.md): a project record per open-source project with the settings
  // that override its playbook's, its members and their roles, and a distributors list per project.
  // An install from before this change gets one project per distinct `cases.project` value (the
  // playbook most of its cases follow, every existing user a member) and its one distributors list
  // goes to the project with the most cases. No event is written or changed: the chain stays as it was.
  '0007_projects': {
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .createTable('projects')
        .ifNotExists()
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('repository', 'text')
        .addColumn('playbook', 'text', (c) => c.notNull())
        .addColumn('settings', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addColumn('revision', 'integer', (c) => c.notNull())
        .addColumn('archived_at', 'text')
        .execute();

      await db.schema
        .createTable('project_members')
        .ifNotExists()
        .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id'))
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
        .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('admin', 'member')`))
        .addColumn('added_by', 'text', (c) => c.notNull())
        .addColumn('added_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('project_members_pk', ['project_id', 'user_id'])
        .execute();
      await db.schema.createIndex('project_members_user_id_idx').ifNotExists().on('project_members').column('user_id').execute();
      await db.schema.createIndex('cases_project_idx').ifNotExists().on('cases').columns(['project', 'created_at']).execute();

      if (!(await hasColumn(db, 'distributors', 'project'))) {
        await db.schema.alterTable('distributors').addColumn('project', 'text').execute();
      }

      // The install as it was: one project per case project value, named after it.
      const cases: { project: string; state: string }[] = await db.selectFrom('cases').select(['project', 'state']).execute();
      const byProject = new Map<string, Map<string, number>>();
      for (const c of cases) {
        const playbook = String((JSON.parse(c.state) as { playbook?: unknown }).playbook ?? c.project);
        const counts = byProject.get(c.project) ?? new Map<string, number>();
        counts.set(playbook, (counts.get(playbook) ?? 0) + 1);
        byProject.set(c.project, counts);
      }
      const at = new Date().toISOString();
      const users: { id: string }[] = await db.selectFrom('users').select('id').execute();
      const existing = new Set((await db.selectFrom('projects').select('id').execute()).map((r: { id: string }) => r.id));
      const total = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);
      for (const [id, counts] of byProject) {
        if (existing.has(id)) continue;
        const playbook = [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]![0];
        await db
          .insertInto('projects')
          .values({
            id,
            name: id.charAt(0).toUpperCase() + id.slice(1),
            repository: null,
            playbook,
            settings: '{}',
            created_at: at,
            created_by: 'embargo (migration 0007)',
            updated_at: at,
            revision: 1,
            archived_at: null,
          })
          .execute();
        for (const u of users) {
          await db
            .insertInto('project_members')
            .values({ project_id: id, user_id: u.id, role: 'member', added_by: 'embargo (migration 0007)', added_at: at })
            .execute();
        }
      }
      const largest = [...byProject].sort((a, b) => total(b[1]) - total(a[1]) || a[0].localeCompare(b[0]))[0]?.[0];
      if (largest) await db.updateTable('distributors').set({ project: largest }).where('project', 'is', null).execute();
    },
  },
  '0008_scale': {
    async up(db: Kysely<any>): Promise<void> {
      // Summary copies for lists (a list used to parse every case's whole state for two fields).
      if (!(await hasColumn(db, 'cases', 'playbook'))) await db.schema.alterTable('cases').addColumn('playbook', 'text').execute();
      if (!(await hasColumn(db, 'cases', 'embargo'))) await db.schema.alterTable('cases').addColumn('embargo', 'text').execute();
      const rows: { id: string; codename: string; state: string; created_at: string }[] = await db
        .selectFrom('cases')
        .select(['id', 'codename', 'state', 'created_at'])
        .orderBy('created_at')
        .orderBy('id')
        .execute();
      // Codenames become unique. With 1,296 two-word names the old pick fell back to a numbered
      // name past ~1,300 cases, which could repeat: the later case of a pair gets a suffix.
      const taken = new Set<string>();
      for (const r of rows) {
        const state = JSON.parse(r.state) as { codename?: string; playbook?: string; embargo?: unknown };
        let codename = r.codename;
        for (let n = 2; taken.has(codename); n++) codename = `${r.codename}-${n}`;
        taken.add(codename);
        state.codename = codename;
        await db
          .updateTable('cases')
          .set({
            codename,
            state: codename === r.codename ? r.state : JSON.stringify(state),
            playbook: String(state.playbook ?? ''),
            embargo: state.embargo ? JSON.stringify(state.embargo) : null,
          })
          .where('id', '=', r.id)
          .execute();
      }
      await db.schema.createIndex('cases_codename_key').ifNotExists().unique().on('cases').column('codename').execute();

      if (isPostgres(db)) {
        // Single-row and small tables updated often (docs/architecture.md, "PostgreSQL"): room on
        // each page for the next version of a row (HOT updates, no index touched), and a vacuum
        // after a fixed number of dead rows rather than a fraction of a table that stays tiny.
        for (const table of ['chain_head', 'case_counters', 'api_tokens', 'sessions', 'settings']) {
          await sql`alter table ${sql.id(table)} set (fillfactor = 50, autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 200, autovacuum_analyze_scale_factor = 0, autovacuum_analyze_threshold = 200)`.execute(
            db,
          );
        }
      }
    },
  },
  // The retrospective's notes and action items (issue 15, item 5). Action items stay on the open
  // list until done, across cases, so they are rows of their own rather than part of the case state.
  '0011_retro': {
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .createTable('retrospectives')
        .ifNotExists()
        .addColumn('case_id', 'text', (c) => c.primaryKey().references('cases.id'))
        .addColumn('notes', 'text', (c) => c.notNull())
        .addColumn('written_by', 'text', (c) => c.notNull())
        .addColumn('written_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('retro_actions')
        .ifNotExists()
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id'))
        .addColumn('text', 'text', (c) => c.notNull())
        .addColumn('owner', 'text')
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('done_by', 'text')
        .addColumn('done_at', 'text')
        .execute();
      await db.schema.createIndex('retro_actions_case_idx').ifNotExists().on('retro_actions').column('case_id').execute();
    },
  },
  // Issue 15: the durable job queue, notification preferences and webhooks, calendar feeds, and the
  // cursor of the notification fan-out over the event log.
  '0009_jobs_clocks': {
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .createTable('jobs')
        .ifNotExists()
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('payload', 'text', (c) => c.notNull())
        .addColumn('idempotency_key', 'text', (c) => c.notNull().unique())
        .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('queued', 'running', 'done', 'failed')`))
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('max_attempts', 'integer', (c) => c.notNull())
        .addColumn('run_at', 'text', (c) => c.notNull())
        .addColumn('attempt_token', 'text')
        .addColumn('claimed_by', 'text')
        .addColumn('claimed_until', 'text')
        .addColumn('last_error', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('finished_at', 'text')
        .execute();
      await db.schema.createIndex('jobs_due_idx').ifNotExists().on('jobs').columns(['status', 'run_at']).execute();

      await db.schema
        .createTable('notification_settings')
        .ifNotExists()
        .addColumn('user_id', 'text', (c) => c.primaryKey().references('users.id'))
        .addColumn('mail_address', 'text')
        .addColumn('mail_events', 'text', (c) => c.notNull())
        .addColumn('webhook_url', 'text')
        .addColumn('webhook_secret_ciphertext', 'text')
        .addColumn('webhook_secret_nonce', 'text')
        .addColumn('webhook_secret_tag', 'text')
        .addColumn('webhook_events', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('calendar_feeds')
        .ifNotExists()
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
        .addColumn('token_hash', 'text', (c) => c.notNull().unique())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('revoked_at', 'text')
        .execute();

      await db.schema
        .createTable('job_cursors')
        .ifNotExists()
        .addColumn('name', 'text', (c) => c.primaryKey())
        .addColumn('value', 'text', (c) => c.notNull())
        .execute();
      // The distributors notice carries the disclosure time as an .ics attachment.
      if (!(await hasColumn(db, 'outbox_messages', 'calendar'))) {
        await db.schema.alterTable('outbox_messages').addColumn('calendar', 'text').execute();
      }
      // An existing install is told of what happens from now on, not of its whole history.
      const head = await db.selectFrom('chain_head').select('last_seq').where('id', '=', 1).executeTakeFirst();
      await db
        .insertInto('job_cursors')
        .values({ name: 'notifications', value: String(Number(head?.last_seq ?? 0)) })
        .onConflict((oc: any) => oc.column('name').doNothing())
        .execute();
    },
  },
  // Each case keeps what a list shows of it as JSON (issue 16): a page of the list is then one text
  // per case for the driver to hand over, not nine columns made into a JavaScript object each.
  '0012_case_summaries': {
    async up(db: Kysely<any>): Promise<void> {
      if (!(await hasColumn(db, 'cases', 'summary'))) await db.schema.alterTable('cases').addColumn('summary', 'text').execute();
      const rows: {
        id: string;
        title: string;
        codename: string;
        project: string;
        playbook: string | null;
        status: string;
        embargo: string | null;
        updated_at: string;
        created_at: string;
      }[] = await db
        .selectFrom('cases')
        .select(['id', 'title', 'codename', 'project', 'playbook', 'status', 'embargo', 'updated_at', 'created_at'])
        .execute();
      for (const r of rows) {
        const summary = {
          id: r.id,
          title: r.title,
          codename: r.codename,
          project: r.project,
          playbook: r.playbook ?? '',
          status: r.status,
          embargo: r.embargo === null ? null : JSON.parse(r.embargo),
          updatedAt: r.updated_at,
          createdAt: r.created_at,
        };
        await db
          .updateTable('cases')
          .set({ summary: JSON.stringify(summary) })
          .where('id', '=', r.id)
          .execute();
      }
    },
  },
};

/**
 * Whether a table of the current schema has a column. Asked of the one table only: Kysely's
 * introspection lists every schema's tables on PostgreSQL, and fails when another schema is dropped
 * meanwhile (as the test suite does in parallel).
 */
async function hasColumn(db: Kysely<any>, table: string, column: string): Promise<boolean> {
  try {
    const pg = await sql<{ n: number }>`select count(*)::int as n from information_schema.columns
      where table_schema = current_schema() and table_name = ${table} and column_name = ${column}`.execute(db);
    return Number(pg.rows[0]?.n ?? 0) > 0;
  } catch {
    // SQLite: no information_schema; its own pragma (a table-valued function) answers.
    const lite = await sql<{ n: number }>`select count(*) as n from pragma_table_info(${table}) where name = ${column}`.execute(db);
    return Number(lite.rows[0]?.n ?? 0) > 0;
  }
}
