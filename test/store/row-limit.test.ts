/**
 * No query of the store binds a bare `LIMIT ?` (portable-sql.ts, rowLimit). The SQLite that
 * better-sqlite3 bundles reads such a parameter while it prepares the statement, and then prepares
 * the statement again on every run (a value is bound on every run): the case list's query was
 * compiled anew on every request. The queries with a variable limit (the case list, the event
 * list and the audit check's pages, the outbox's and the job queue's claims) are run here on
 * SQLite and the SQL texts SQLite is asked to prepare are read off the driver.
 */
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localActor } from '../../src/app/actor.js';
import { createCase, listCasePage } from '../../src/app/cases.js';
import { listEvents, verifyChain } from '../../src/store/events.js';
import { claimJobs } from '../../src/store/jobs.js';
import { claimDueMessages } from '../../src/store/outbox.js';
import { rowLimit } from '../../src/store/portable-sql.js';
import type { Store } from '../../src/store/store.js';
import { startApp, type TestApp } from '../support/app.js';
import { sqliteFactory } from '../support/databases.js';

type Prepare = (this: BetterSqlite3.Database, source: string) => BetterSqlite3.Statement;

describe('a variable LIMIT on SQLite', () => {
  let t: TestApp;
  let store: Store;
  const prepared: string[] = [];
  const original = BetterSqlite3.prototype.prepare as Prepare;

  beforeAll(async () => {
    t = await startApp(sqliteFactory().open);
    store = t.app.store;
    await createCase(t.app, localActor('test'), { title: 'One case' });
    (BetterSqlite3.prototype as { prepare: Prepare }).prepare = function (source) {
      prepared.push(source);
      return original.call(this, source);
    };
  });
  afterAll(async () => {
    (BetterSqlite3.prototype as { prepare: Prepare }).prepare = original;
    await t.close();
  });

  it('is never a bare parameter in the queries that take one', async () => {
    const actor = localActor('test');
    // Two page sizes: a limit in the SQL text would show as two texts.
    expect((await listCasePage(t.app, actor, { limit: 1 })).cases).toHaveLength(1);
    expect((await listCasePage(t.app, actor, { limit: 7 })).cases).toHaveLength(1);
    expect((await listEvents(store.db, { limit: 3 })).length).toBeGreaterThan(0);
    expect((await verifyChain(store.db)).ok).toBe(true);
    const now = new Date();
    await store.write((tx) => claimDueMessages(tx, { workerId: 'w', now, leaseMs: 1000, limit: 5, dialect: 'sqlite' }));
    await claimJobs(store, { workerId: 'w', now, leaseMs: 1000, limit: 5 });

    const limited = prepared.filter((text) => /\blimit\b/i.test(text));
    expect(limited.some((text) => /from "cases"/.test(text))).toBe(true);
    expect(limited.some((text) => /from "events"/.test(text))).toBe(true);
    expect(limited.some((text) => /from "outbox_messages"/.test(text))).toBe(true);
    expect(limited.some((text) => /from "jobs"/.test(text))).toBe(true);
    expect(limited.filter((text) => /\blimit \?/i.test(text))).toEqual([]);
  });

  it('still limits and pages as the value says, on SQLite and in the SQL PostgreSQL is sent', async () => {
    const rows = await store.db.selectFrom('events').select('seq').orderBy('seq').limit(rowLimit(2)).offset(1).execute();
    expect(rows).toHaveLength(2);
    const compiled = store.db.selectFrom('events').select('seq').limit(rowLimit(2)).compile();
    expect(compiled.sql).toMatch(/limit cast\(\? as integer\)$/);
    expect(compiled.parameters).toEqual([2]);
  });
});
