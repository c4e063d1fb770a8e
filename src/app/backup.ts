/**
 * `embargo backup` and `embargo restore`: the whole database in one consistent snapshot, encrypted
 * (backup-file.ts), and restored only into an empty database, on SQLite or PostgreSQL whichever it
 * came from. The audit log travels row for row (its hashes and sequence numbers unchanged), so the
 * chain and every signed checkpoint still verify after a restore. GitHub tokens, sealed at rest with
 * the install's secret key, travel opened inside the encrypted file and are sealed again with the
 * key of the install they are restored into: a backup does not depend on the old secret key.
 */
import { backupRestored, backupTaken } from '../domain/backup/events.js';
import { FRESH_TABLES, notEmptyBecause } from '../domain/backup/empty-target.js';
import { insertionOrder, NOT_BACKED_UP, parseSnapshot, rowCounts, SNAPSHOT_FORMAT, type Snapshot } from '../domain/backup/snapshot.js';
import { conflict, invalidInput } from '../domain/errors.js';
import { appendEvents, verifyChain } from '../store/events.js';
import { listConnections, saveConnection } from '../store/github.js';
import { migrationNames } from '../store/migrate.js';
import {
  appliedMigrations,
  clearTables,
  dumpTable,
  foreignKeys,
  inReadSnapshot,
  listColumns,
  listTables,
  loadTable,
  targetContents,
} from '../store/snapshot.js';
import { requireAdmin, requireAdminWork, requireScope, type Actor } from './actor.js';
import type { App } from './app.js';
import { openAuditKey } from './audit-key.js';
import { type BackupSecret, checkBackupSecret, openBackup, sealBackup } from './backup-file.js';
import { secretBox } from './github/connection.js';

export interface BackupTaken {
  /** The encrypted file. */
  file: Buffer;
  takenAt: string;
  /** The last event the backup holds. */
  seq: number;
  rows: Record<string, number>;
  /** Things the operator should know (a token that could not be opened). */
  warnings: string[];
}

export async function takeBackup(app: App, actor: Actor, secret: BackupSecret): Promise<BackupTaken> {
  requireAdmin(actor);
  requireScope(actor, 'read');
  checkBackupSecret(secret);
  const { store } = app;
  const warnings: string[] = [];
  const snapshot = await inReadSnapshot(store.db, store.dialect, async (tx): Promise<Snapshot> => {
    const head = await tx.selectFrom('chain_head').select(['last_seq', 'last_hash']).where('id', '=', 1).executeTakeFirstOrThrow();
    const tables: Snapshot['tables'] = {};
    for (const table of await listTables(tx, store.dialect)) {
      if (!NOT_BACKED_UP.has(table)) tables[table] = await dumpTable(tx, store.dialect, table);
    }
    const secrets: Record<string, string | null> = {};
    for (const c of await listConnections(tx)) {
      try {
        secrets[c.project] = secretBox(app).open(c.sealedToken, c.project);
      } catch {
        secrets[c.project] = null;
        warnings.push(
          `the GitHub token of project ${c.project} cannot be opened with this install's secret key; after a restore, connect it again`,
        );
      }
    }
    return {
      format: SNAPSHOT_FORMAT,
      takenAt: app.clock().toISOString(),
      dialect: store.dialect,
      migrations: await appliedMigrations(tx),
      head: { seq: Number(head.last_seq), hash: head.last_hash },
      tables,
      secrets,
    };
  });
  const file = sealBackup(Buffer.from(JSON.stringify(snapshot), 'utf8'), secret);
  const rows = rowCounts(snapshot);
  const total = Object.values(rows).reduce((a, b) => a + b, 0);
  await store.write((tx) =>
    appendEvents(tx, {
      actor: actor.name,
      at: app.clock(),
      events: [backupTaken(snapshot.head.seq, total, 'passphrase' in secret ? 'passphrase' : 'key')],
    }),
  );
  return { file, takenAt: snapshot.takenAt, seq: snapshot.head.seq, rows, warnings };
}

export interface Restored {
  takenAt: string;
  /** The database the backup was taken from. */
  from: string;
  seq: number;
  rows: Record<string, number>;
  /** GitHub tokens sealed again under this install's secret key. */
  secretsResealed: number;
  warnings: string[];
}

export async function restoreBackup(app: App, actor: Actor, input: { file: Buffer } & BackupSecret): Promise<Restored> {
  requireAdminWork(actor);
  const secret: BackupSecret = 'passphrase' in input ? { passphrase: input.passphrase } : { key: input.key };
  let content: unknown;
  try {
    content = JSON.parse(openBackup(input.file, secret).toString('utf8'));
  } catch (err) {
    if (err instanceof SyntaxError) throw invalidInput("the backup's content is not JSON", { field: 'file' });
    throw err;
  }
  const snapshot = parseSnapshot(content);
  if (snapshot.migrations.join(',') !== migrationNames.join(',')) {
    throw conflict(
      `this backup was taken by an Embargo whose database schema differs from this one's (its last migration is ` +
        `${snapshot.migrations.at(-1) ?? 'none'}, this one's ${migrationNames.at(-1)}): restore it with the version that took it, then upgrade`,
    );
  }
  const { store } = app;
  const warnings: string[] = [];
  const box = secretBox(app);
  const result = await store.write(async (tx) => {
    const why = notEmptyBecause(await targetContents(tx, store.dialect));
    if (why) throw conflict(why);
    const present = await listTables(tx, store.dialect);
    for (const [table, dump] of Object.entries(snapshot.tables)) {
      if (!present.includes(table)) throw conflict(`the backup holds a table this database lacks (${table}); nothing was restored`);
      const columns = await listColumns(tx, store.dialect, table);
      const missing = dump.columns.filter((c) => !columns.includes(c));
      if (missing.length > 0) throw conflict(`the backup's table ${table} has columns this database lacks (${missing.join(', ')})`);
    }
    await clearTables(
      tx,
      present.filter((t) => FRESH_TABLES.has(t)),
    );
    const order = insertionOrder(Object.keys(snapshot.tables), await foreignKeys(tx, store.dialect, present));
    for (const table of order) await loadTable(tx, table, snapshot.tables[table]!);

    let resealed = 0;
    for (const c of await listConnections(tx)) {
      const token = snapshot.secrets[c.project];
      if (typeof token !== 'string') continue;
      await saveConnection(tx, { ...c, sealedToken: box.seal(token, c.project) });
      resealed += 1;
    }
    const chain = await verifyChain(tx);
    if (!chain.ok || chain.checked !== snapshot.head.seq) {
      throw conflict(
        `the backup's audit log does not verify (broken at event ${chain.firstBroken?.seq ?? chain.checked + 1}); nothing was restored`,
      );
    }
    const rows = rowCounts(snapshot);
    const total = Object.values(rows).reduce((a, b) => a + b, 0);
    await appendEvents(tx, {
      actor: actor.name,
      at: app.clock(),
      events: [backupRestored(snapshot.takenAt, snapshot.dialect, snapshot.head.seq, total)],
    });
    return { rows, resealed };
  });
  const signers = checkpointKeys(snapshot);
  const ours = openAuditKey(app.config);
  if (signers.length > 0 && !signers.includes(ours.publicKey)) {
    warnings.push(
      `the audit checkpoints in this log were signed with another audit key than this install's (${ours.source}): ` +
        'copy audit.key from the old install into the data directory (or set EMBARGO_AUDIT_KEY to it) for audit verify --checkpoint to hold',
    );
  }
  return {
    takenAt: snapshot.takenAt,
    from: snapshot.dialect,
    seq: snapshot.head.seq,
    rows: result.rows,
    secretsResealed: result.resealed,
    warnings,
  };
}

/** The public keys that signed the log's checkpoints (each `audit.checkpointed` event names its key). */
function checkpointKeys(snapshot: Snapshot): string[] {
  const events = snapshot.tables.events;
  if (!events) return [];
  const action = events.columns.indexOf('action');
  const details = events.columns.indexOf('details');
  const keys = new Set<string>();
  for (const row of events.rows) {
    if (row[action] !== 'audit.checkpointed') continue;
    const key = (JSON.parse(String(row[details])) as { publicKey?: unknown }).publicKey;
    if (typeof key === 'string') keys.add(key);
  }
  return [...keys];
}
