/**
 * The databases every store contract test runs against: SQLite always (a fresh temp directory per
 * open), PostgreSQL when EMBARGO_TEST_DATABASE_URL is set (a fresh random schema per open, dropped on
 * close). Use with `describe.each(storeFactories())`.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { type Store, openStore } from '../../src/store/store.js';

export interface StoreFactory {
  name: string;
  dialect: Store['dialect'];
  /** A store on a fresh, empty, migrated database. Its close() also removes the database. */
  open(): Promise<Store>;
  /**
   * A second Store on the same database as `store` (a new connection / pool; migrations run again).
   * Closing it leaves the database in place; closing the original removes it.
   */
  reopen(store: Store): Promise<Store>;
}

type Opened = { databaseUrl?: string; dataDir?: string; schema?: string };
const opened = new WeakMap<Store, Opened>();

function wrap(store: Store, opts: Opened, cleanup: () => Promise<void>): Store {
  let closing: Promise<void> | undefined;
  const wrapped: Store = {
    ...store,
    write: store.write.bind(store),
    read: store.read.bind(store),
    close: () => (closing ??= store.close().then(cleanup)),
  };
  opened.set(wrapped, opts);
  return wrapped;
}

function optionsOf(store: Store): Opened {
  const opts = opened.get(store);
  if (!opts) throw new Error('reopen() needs a store opened by this factory');
  return opts;
}

export function sqliteFactory(): StoreFactory {
  return {
    name: 'sqlite',
    dialect: 'sqlite',
    async open() {
      const dataDir = mkdtempSync(path.join(os.tmpdir(), 'embargo-store-'));
      const store = await openStore({ dataDir });
      return wrap(store, { dataDir }, async () => rmSync(dataDir, { recursive: true, force: true }));
    },
    async reopen(store) {
      const opts = optionsOf(store);
      return openStore(opts);
    },
  };
}

export function postgresFactory(databaseUrl: string): StoreFactory {
  return {
    name: 'postgres',
    dialect: 'postgres',
    async open() {
      const schema = `emb_t_${randomBytes(6).toString('hex')}`;
      const store = await openStore({ databaseUrl, schema });
      return wrap(store, { databaseUrl, schema }, async () => {
        const client = new pg.Client({ connectionString: databaseUrl });
        await client.connect();
        try {
          await client.query(`drop schema if exists "${schema}" cascade`);
        } finally {
          await client.end();
        }
      });
    },
    async reopen(store) {
      return openStore(optionsOf(store));
    },
  };
}

export function storeFactories(): StoreFactory[] {
  const factories = [sqliteFactory()];
  const url = process.env.EMBARGO_TEST_DATABASE_URL;
  if (url) factories.push(postgresFactory(url));
  return factories;
}
