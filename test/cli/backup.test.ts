/**
 * Issue 14, item 11: `embargo backup` and `embargo restore` round-trip a populated install on SQLite
 * and PostgreSQL and from one to the other. After a restore the data is the same row for row, the
 * audit chain and a signed checkpoint verify, and the GitHub token opens under the new install's
 * own secret key. A wrong passphrase, a tampered file and a database that holds data are refused.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSecretBox } from '../../src/app/secret-box.js';
import { getConnection, saveConnection } from '../../src/store/github.js';
import { dumpTable, listTables } from '../../src/store/snapshot.js';
import { openStore, type Store } from '../../src/store/store.js';
import { connectionRecord } from '../support/github-connection.js';
import { cliWith, tempDir } from './run-cli.js';

const PG = process.env.EMBARGO_TEST_DATABASE_URL;
const PASSPHRASE = 'a long backup passphrase';
/** One audit key for every install: it is kept outside the database, and a restore does not carry it. */
const AUDIT_KEY = randomBytes(32).toString('base64');

interface Install {
  name: string;
  dir: string;
  env: Record<string, string>;
  cli: ReturnType<typeof cliWith>;
  open(): Promise<Store>;
  drop(): Promise<void>;
}

async function pgAdmin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: PG });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

async function install(kind: 'sqlite' | 'postgres'): Promise<Install> {
  const dir = tempDir('embargo-backup-');
  if (kind === 'sqlite') {
    const env = { EMBARGO_DATA_DIR: dir, EMBARGO_AUDIT_KEY: AUDIT_KEY };
    return {
      name: kind,
      dir,
      env,
      cli: cliWith(env),
      open: () => openStore({ dataDir: dir }),
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const schema = `emb_b_${randomBytes(6).toString('hex')}`;
  await pgAdmin((c) => c.query(`create schema "${schema}"`));
  const url = new URL(PG!);
  url.searchParams.set('options', `-c search_path=${schema}`);
  const env = { EMBARGO_DATA_DIR: dir, DATABASE_URL: url.toString(), EMBARGO_AUDIT_KEY: AUDIT_KEY };
  return {
    name: kind,
    dir,
    env,
    cli: cliWith(env),
    open: () => openStore({ databaseUrl: PG!, schema }),
    drop: async () => {
      rmSync(dir, { recursive: true, force: true });
      await pgAdmin((c) => c.query(`drop schema if exists "${schema}" cascade`));
    },
  };
}

/** Every table but the sessions, as rows; the events and chain head only up to `seq`. */
async function contents(inst: Install, seq: number) {
  const store = await inst.open();
  try {
    const out: Record<string, unknown> = {};
    for (const table of await listTables(store.db, store.dialect)) {
      if (table === 'sessions' || table === 'chain_head') continue;
      const dump = await dumpTable(store.db, store.dialect, table);
      if (table === 'events') dump.rows = dump.rows.filter((r) => Number(r[0]) <= seq);
      if (table === 'github_connections') {
        // Sealed again under another key: the ciphertext differs by design.
        const sealed = ['token_ciphertext', 'token_nonce', 'token_tag'].map((c) => dump.columns.indexOf(c));
        dump.rows = dump.rows.map((r) => r.map((v, i) => (sealed.includes(i) ? '(sealed)' : v)));
      }
      out[table] = dump;
    }
    return out;
  } finally {
    await store.close();
  }
}

const kinds = PG ? (['sqlite', 'postgres'] as const) : (['sqlite'] as const);

describe.each(kinds)('backup of a populated install on %s', (sourceKind) => {
  let source: Install;
  let caseId: string;
  let file: string;
  let checkpoint: string;
  let backedUpTo: number;
  const targets: Install[] = [];

  beforeAll(async () => {
    source = await install(sourceKind);
    const { cli } = source;
    await cli.ok(['user', 'add', '--username', 'alice', '--admin', '--password-stdin'], { input: 'correct horse battery staple\n' });
    await cli.ok(['token', 'create', '--name', 'ci', '--user', 'alice']);
    caseId = (
      await cli.json<{ id: string }>([
        'case',
        'new',
        '--title',
        'Tenant escapes its namespace',
        '--reporter-name',
        'Ada',
        '--reporter-contact',
        'ada@example.org',
      ])
    ).id;
    await cli.ok(['case', 'edit', caseId, '--affected', '1.20.0..1.33.4', '--cwe', 'CWE-284']);
    await cli.ok(['case', 'plan', caseId, '--line', '1.33=1.33.4']);
    await cli.ok(['case', 'embargo', caseId, '--at', '2030-12-01 17:00', '--tz', 'Europe/Berlin']);
    await cli.ok(['message', 'send', caseId, '--kind', 'reporter-ack']);
    // A GitHub connection, its token sealed under this install's secret key.
    const store = await source.open();
    try {
      const sealed = openSecretBox({ dataDir: source.dir }).seal('ghp_backup_round_trip', 'contour');
      await store.write((tx) => saveConnection(tx, connectionRecord('contour', sealed)));
    } finally {
      await store.close();
    }
    checkpoint = path.join(source.dir, 'checkpoint.json');
    await cli.ok(['audit', 'checkpoint', '--out', checkpoint]);
    file = path.join(source.dir, 'embargo.backup');
    const taken = await cli.json<{ seq: number; rows: Record<string, number> }>(['backup', '--out', file, '--passphrase-stdin'], {
      input: `${PASSPHRASE}\n`,
    });
    backedUpTo = taken.seq;
  }, 120_000);

  afterAll(async () => {
    await source?.drop();
    for (const t of targets) await t.drop();
  });

  it('writes an encrypted file, readable by its owner only, that names no case detail', async () => {
    expect(backedUpTo).toBeGreaterThan(5);
    const bytes = readFileSync(file);
    expect(bytes.subarray(0, 17).toString()).toBe('EMBARGO-BACKUP/1\n');
    for (const secret of ['Tenant escapes', 'ada@example.org', 'ghp_backup_round_trip', caseId]) {
      expect(bytes.includes(Buffer.from(secret))).toBe(false);
    }
    const { statSync } = await import('node:fs');
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it.each(kinds)(
    'restores into an empty %s database: the same rows, the chain and the checkpoint verify, the token opens',
    async (targetKind) => {
      const target = await install(targetKind);
      targets.push(target);
      const restored = await target.cli.json<{ from: string; seq: number; secretsResealed: number; warnings: string[] }>(
        ['restore', file, '--passphrase-stdin'],
        { input: `${PASSPHRASE}\n` },
      );
      expect(restored).toMatchObject({ from: sourceKind, seq: backedUpTo, secretsResealed: 1, warnings: [] });

      expect(await contents(target, backedUpTo)).toEqual(await contents(source, backedUpTo));
      const verify = await target.cli.json<{ ok: boolean; checked: number }>(['audit', 'verify']);
      expect(verify).toEqual({ ok: true, checked: backedUpTo + 1, firstBroken: null });
      const held = await target.cli.run(['audit', 'verify', '--checkpoint', checkpoint]);
      expect(held.code, held.stdout + held.stderr).toBe(0);
      expect(held.stdout).toMatch(/holds the checkpoint of event \d+ .* unchanged/);

      const shown = await target.cli.json<{ case: { title: string; releasePlan: unknown[] } }>(['case', 'show', caseId]);
      expect(shown.case.title).toBe('Tenant escapes its namespace');
      // The token, sealed under the new install's own key (its key file differs from the source's).
      expect(readFileSync(path.join(target.dir, 'secret.key'), 'utf8')).not.toBe(readFileSync(path.join(source.dir, 'secret.key'), 'utf8'));
      const store = await target.open();
      try {
        const c = await store.read((db) => getConnection(db, 'contour'));
        expect(openSecretBox({ dataDir: target.dir }).open(c!.sealedToken, 'contour')).toBe('ghp_backup_round_trip');
      } finally {
        await store.close();
      }

      // A second restore into the now populated database is refused with a sentence, and changes nothing.
      const before = (await target.cli.json<{ checked: number }>(['audit', 'verify'])).checked;
      const again = await target.cli.run(['restore', file, '--passphrase-stdin'], { input: `${PASSPHRASE}\n` });
      expect(again.code).toBe(1);
      expect(again.stderr).toMatch(
        /^embargo: a backup is restored only into an empty database, and this one holds data \(.*1 rows? in cases/,
      );
      expect((await target.cli.json<{ checked: number }>(['audit', 'verify'])).checked).toBe(before);
    },
    120_000,
  );

  it('refuses a wrong passphrase and a tampered file, and the empty database stays empty', async () => {
    const target = await install(sourceKind);
    targets.push(target);
    const wrong = await target.cli.run(['restore', file, '--passphrase-stdin'], { input: 'not the passphrase at all\n' });
    // Bad input (a 400): exit 2, like every refused argument.
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toBe(
      'embargo: the backup cannot be opened: the passphrase is wrong, or the file was altered; nothing was restored\n',
    );

    const bytes = readFileSync(file);
    const tampered = Buffer.from(bytes);
    tampered[tampered.length - 40]! ^= 0x01;
    const tamperedFile = path.join(target.dir, 'tampered.backup');
    writeFileSync(tamperedFile, tampered);
    const altered = await target.cli.run(['restore', tamperedFile, '--passphrase-stdin'], { input: `${PASSPHRASE}\n` });
    expect(altered.code).toBe(2);
    expect(altered.stderr).toContain('the passphrase is wrong, or the file was altered; nothing was restored');

    // A header edited to ask for less work is caught by the same authentication.
    const header = Buffer.from(bytes.toString('latin1').replace('"N":131072', '"N":65536'), 'latin1');
    const headerFile = path.join(target.dir, 'header.backup');
    writeFileSync(headerFile, header);
    expect((await target.cli.run(['restore', headerFile, '--passphrase-stdin'], { input: `${PASSPHRASE}\n` })).stderr).toContain(
      'the file was altered',
    );

    const notBackup = path.join(target.dir, 'plain.txt');
    writeFileSync(notBackup, 'hello\n');
    const plain = await target.cli.run(['restore', notBackup, '--passphrase-stdin'], { input: `${PASSPHRASE}\n` });
    expect(plain.code).toBe(2);
    expect(plain.stderr).toBe('embargo: this is not an Embargo backup file, or it is damaged: it does not start with EMBARGO-BACKUP/1\n');

    expect((await target.cli.json<{ cases: unknown[] }>(['case', 'list'])).cases).toEqual([]);
    const ok = await target.cli.run(['restore', file, '--passphrase-stdin'], { input: `${PASSPHRASE}\n` });
    expect(ok.code, ok.stderr).toBe(0);
  }, 120_000);
});

describe('backup with a key file', () => {
  let inst: Install;
  let target: Install;
  beforeAll(async () => {
    inst = await install('sqlite');
    target = await install('sqlite');
  });
  afterAll(async () => {
    await inst.drop();
    await target.drop();
  });

  it('encrypts with the key, which restores it and a passphrase does not; never overwrites a file', async () => {
    await inst.cli.ok(['case', 'new', '--title', 'Key file backup']);
    const keyFile = path.join(inst.dir, 'backup.key');
    writeFileSync(keyFile, `${randomBytes(32).toString('hex')}\n`);
    const out = path.join(inst.dir, 'k.backup');
    await inst.cli.ok(['backup', '--out', out, '--key-file', keyFile]);
    const twice = await inst.cli.run(['backup', '--out', out, '--key-file', keyFile]);
    expect(twice.code).toBe(1);
    expect(twice.stderr).toContain('the file exists; choose a new name');
    const noSecret = await inst.cli.run(['backup', '--out', path.join(inst.dir, 'x.backup')]);
    expect(noSecret.code).toBe(2);
    expect(noSecret.stderr).toContain('a backup is always encrypted');

    const withPassphrase = await target.cli.run(['restore', out, '--passphrase-stdin'], { input: `${PASSPHRASE}\n` });
    expect(withPassphrase.stderr).toBe('embargo: this backup was encrypted with a key, not a passphrase: give the key\n');
    const restored = await target.cli.run(['restore', out, '--key-file', keyFile]);
    expect(restored.code, restored.stderr).toBe(0);
    expect((await target.cli.json<{ cases: { title: string }[] }>(['case', 'list'])).cases.map((c) => c.title)).toEqual([
      'Key file backup',
    ]);
  }, 60_000);
});
