/**
 * Kill -9 of the server in the middle of a burst of writes loses no acknowledged write: every case
 * the server answered 201 for is in the database afterwards, whole, and the audit chain still
 * verifies. A real child process, really killed, on SQLite and on PostgreSQL.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { addUser, createApiToken } from '../../src/app/accounts.js';
import { localActor } from '../../src/app/actor.js';
import { createApp } from '../../src/app/app.js';
import { configFromEnv } from '../../src/app/config.js';
import { freePort } from '../support/free-port.js';
import { getCase } from '../../src/store/cases.js';
import { verifyChain } from '../../src/store/events.js';
import { openStore, type OpenStoreOptions } from '../../src/store/store.js';

const ROOT = path.resolve(import.meta.dirname, '../..');

async function waitForHealth(base: string, child: ChildProcess, output: () => string): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error(`server exited early: ${output()}`);
    try {
      if ((await fetch(`${base}/api/v1/health`)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`server did not come up: ${output()}`);
}

interface Target {
  name: string;
  /** Environment for the child server, and options to open the same database here. */
  setup(): Promise<{ env: Record<string, string>; store: OpenStoreOptions; cleanup(): Promise<void> }>;
}

const targets: Target[] = [
  {
    name: 'sqlite',
    async setup() {
      const dataDir = mkdtempSync(path.join(os.tmpdir(), 'embargo-kill-'));
      return {
        env: { EMBARGO_DATA_DIR: dataDir },
        store: { dataDir },
        cleanup: async () => rmSync(dataDir, { recursive: true, force: true }),
      };
    },
  },
];
const pgUrl = process.env.EMBARGO_TEST_DATABASE_URL;
if (pgUrl) {
  targets.push({
    name: 'postgres',
    async setup() {
      const schema = `emb_kill_${randomBytes(5).toString('hex')}`;
      const admin = new pg.Client({ connectionString: pgUrl });
      await admin.connect();
      await admin.query(`create schema "${schema}"`);
      await admin.end();
      const url = new URL(pgUrl);
      url.searchParams.set('options', `-c search_path=${schema}`);
      return {
        env: { DATABASE_URL: url.toString() },
        store: { databaseUrl: pgUrl, schema },
        async cleanup() {
          const c = new pg.Client({ connectionString: pgUrl });
          await c.connect();
          await c.query(`drop schema if exists "${schema}" cascade`);
          await c.end();
        },
      };
    },
  });
}

let child: ChildProcess | undefined;
afterEach(() => {
  child?.kill('SIGKILL');
  child = undefined;
});

describe.each(targets)('kill -9 during a burst of writes ($name)', (target) => {
  it('keeps every acknowledged write and an intact audit chain', async () => {
    const { env, store: storeOptions, cleanup } = await target.setup();
    try {
      // A user and token, made directly on the database before the server starts.
      const setupStore = await openStore(storeOptions);
      const app = await createApp(setupStore, configFromEnv({}));
      await addUser(app, localActor('test'), { username: 'burst', password: 'a long enough password' });
      const { token } = await createApiToken(app, localActor('test'), { name: 'burst', username: 'burst' });
      await setupStore.close();

      const port = await freePort();
      const base = `http://127.0.0.1:${port}`;
      let output = '';
      child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'serve', '--port', String(port)], {
        cwd: ROOT,
        env: { ...process.env, ...env, PORT: String(port) },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child.stdout!.on('data', (d) => (output += d));
      child.stderr!.on('data', (d) => (output += d));
      await waitForHealth(base, child, () => output);

      // Eight writers send cases as fast as the server takes them; the kill comes mid-burst.
      const acknowledged: { id: string; title: string; revision: number }[] = [];
      let stop = false;
      let failedAfterKill = 0;
      const writer = async (w: number) => {
        for (let i = 0; !stop; i++) {
          try {
            const res = await fetch(`${base}/api/v1/cases`, {
              method: 'POST',
              headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
              body: JSON.stringify({ title: `burst ${w}-${i}` }),
            });
            if (res.status === 201) {
              const body = (await res.json()) as { id: string; title: string; revision: number };
              acknowledged.push(body);
            } else throw new Error(`unexpected ${res.status}: ${await res.text()}`);
          } catch (err) {
            if (child?.exitCode === null && !child.killed) throw err;
            failedAfterKill++;
            return;
          }
        }
      };
      const writers = Array.from({ length: 8 }, (_, w) => writer(w));
      while (acknowledged.length < 60) await new Promise((r) => setTimeout(r, 5));
      child.kill('SIGKILL');
      await new Promise((r) => child!.once('exit', r));
      stop = true;
      await Promise.all(writers);
      expect(child.signalCode).toBe('SIGKILL');
      expect(failedAfterKill).toBeGreaterThan(0); // the kill really landed mid-burst

      const after = await openStore(storeOptions);
      try {
        for (const ack of acknowledged) {
          const stored = await getCase(after.db, ack.id);
          expect(stored?.title, ack.id).toBe(ack.title);
          expect(stored?.revision).toBe(ack.revision);
        }
        const chain = await verifyChain(after.db);
        expect(chain).toMatchObject({ ok: true });
        // Each acknowledged case has its creation event in the chain.
        const created = await after.db.selectFrom('events').select('case_id').where('action', '=', 'case.created').execute();
        const ids = new Set(created.map((e) => e.case_id));
        for (const ack of acknowledged) expect(ids.has(ack.id), ack.id).toBe(true);
      } finally {
        await after.close();
      }
    } finally {
      await cleanup();
    }
  }, 90_000);
});
