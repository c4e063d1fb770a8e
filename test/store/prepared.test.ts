/**
 * Queries prepared once per dialect (store/prepared.ts): the named values are filled in per run,
 * the query's own constants stay, writes say how many rows they changed, and a value that would
 * become part of the SQL text is refused rather than baked into every later run.
 */
import { type KyselyPlugin, sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { prepared, preparedColumn } from '../../src/store/prepared.js';
import { openStore, type Store } from '../../src/store/store.js';
import { storeFactories } from '../support/databases.js';

const settingByName = prepared((db, p: { name: string }) =>
  db.selectFrom('settings').select(['key', 'value']).where('key', '=', p.name).where('value', '!=', 'hidden'),
);
const valuesFrom = preparedColumn((db, p: { prefix: string }) =>
  db.selectFrom('settings').select('value').where('key', 'like', p.prefix).orderBy('key', 'desc'),
);
const renameValue = prepared((db, p: { name: string; value: string }) =>
  db.updateTable('settings').set({ value: p.value }).where('key', '=', p.name),
);

describe.each(storeFactories())('prepared queries on $name', (factory) => {
  let store: Store;
  beforeEach(async () => {
    store = await factory.open();
    await store.write(async (tx) => {
      await tx
        .insertInto('settings')
        .values([
          { key: 'prepared-a', value: 'one' },
          { key: 'prepared-b', value: 'hidden' },
        ])
        .execute();
    });
  });
  afterEach(() => store.close());

  it('fills in each run its own values and keeps the constants of the query', async () => {
    expect((await settingByName(store.db, { name: 'prepared-a' })).rows).toEqual([{ key: 'prepared-a', value: 'one' }]);
    // The constant ('hidden' is never answered) held on the second run, from the cached SQL.
    expect((await settingByName(store.db, { name: 'prepared-b' })).rows).toEqual([]);
    expect((await settingByName(store.db, { name: 'no-such' })).rows).toEqual([]);
  });

  it('runs inside a write transaction and counts the rows a write changed', async () => {
    const changed = await store.write(async (tx) => {
      const a = await renameValue(tx, { name: 'prepared-a', value: 'two' });
      const none = await renameValue(tx, { name: 'no-such', value: 'x' });
      return [a.changed, none.changed];
    });
    expect(changed).toEqual([1, 0]);
    expect((await settingByName(store.db, { name: 'prepared-a' })).rows[0]?.value).toBe('two');
  });

  it("answers a one-column query's values in the query's order, on the root handle, in a transaction and through a plugin", async () => {
    await store.write((tx) => tx.insertInto('settings').values({ key: 'prepared-c', value: '{"x":1}' }).execute());
    const expected = ['{"x":1}', 'hidden', 'one'];
    expect(await valuesFrom(store.db, { prefix: 'prepared-%' })).toEqual(expected);
    expect(await store.write((tx) => valuesFrom(tx, { prefix: 'prepared-%' }))).toEqual(expected);
    // A handle with a plugin (a test recording queries) builds the query for itself: the same SQL, the same answer.
    const seen: string[] = [];
    const recorder: KyselyPlugin = {
      transformQuery: ({ node }) => {
        seen.push(node.kind);
        return node;
      },
      transformResult: async ({ result }) => result,
    };
    expect(await valuesFrom(store.db.withPlugin(recorder), { prefix: 'prepared-%' })).toEqual(expected);
    expect(seen).toEqual(['SelectQueryNode']);
    expect(await valuesFrom(store.db, { prefix: 'none-%' })).toEqual([]);
    // The other prepared queries keep their row objects.
    expect((await settingByName(store.db, { name: 'prepared-c' })).rows).toEqual([{ key: 'prepared-c', value: '{"x":1}' }]);
  });

  it('a read on the root handle never sees a write that is not committed, and waits for no write that is not running', async () => {
    let letGo!: () => void;
    const held = new Promise<void>((resolve) => {
      letGo = resolve;
    });
    let inside!: () => void;
    const entered = new Promise<void>((resolve) => {
      inside = resolve;
    });
    const write = store.write(async (tx) => {
      await renameValue(tx, { name: 'prepared-a', value: 'uncommitted' });
      // Inside the transaction its own change is seen (SQLite: the query runs at once on its connection).
      expect((await settingByName(tx, { name: 'prepared-a' })).rows[0]?.value).toBe('uncommitted');
      inside();
      await held;
    });
    await entered;
    let answered: string | undefined;
    const read = settingByName(store.db, { name: 'prepared-a' }).then((r) => {
      answered = r.rows[0]?.value;
      return answered;
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    // PostgreSQL answers from its snapshot ("one"); SQLite's one connection waits for the transaction.
    expect(answered === undefined || answered === 'one').toBe(true);
    letGo();
    await write;
    expect(['one', 'uncommitted']).toContain(await read);
    if (factory.name === 'sqlite') expect(await read).toBe('uncommitted');
    expect((await settingByName(store.db, { name: 'prepared-a' })).rows[0]?.value).toBe('uncommitted');
  });

  // Streams are SQLite's alone (the PostgreSQL dialect here has no cursor): registered only there.
  const onSqlite = factory.name === 'sqlite' ? it : () => {};
  onSqlite('a read while a stream holds the connection waits for the stream instead of failing', async () => {
    const streamed: string[] = [];
    let read: Promise<unknown> | undefined;
    for await (const row of store.db.selectFrom('settings').select('key').where('key', 'like', 'prepared-%').orderBy('key').stream()) {
      streamed.push(row.key);
      read ??= settingByName(store.db, { name: 'prepared-a' });
    }
    expect(streamed).toEqual(['prepared-a', 'prepared-b']);
    expect(await read).toEqual({ rows: [{ key: 'prepared-a', value: 'one' }], changed: 0 });
  });

  it('refuses a query in which a value would become SQL text', async () => {
    const unsafe = prepared((db, p: { column: string }) => db.selectFrom('settings').select(sql.raw(p.column).as('x')));
    await expect(unsafe(store.db, { column: 'name' })).rejects.toThrow(/a value became part of the SQL text/);
  });
});

// PostgreSQL runs prepared queries as named statements; registered only where it applies.
const pgUrl = process.env.EMBARGO_TEST_DATABASE_URL;
describe.runIf(pgUrl)('prepared queries as named statements on PostgreSQL', () => {
  const schema = `emb_t_named_${process.pid}`;
  let store: Store;
  beforeEach(async () => {
    // One connection, so the statements it has prepared can be asked of it.
    store = await openStore({ databaseUrl: pgUrl, schema, poolSize: 1 });
    await store.write((tx) => tx.insertInto('settings').values({ key: 'prepared-a', value: 'one' }).execute());
  });
  afterEach(async () => {
    await sql`drop schema ${sql.id(schema)} cascade`.execute(store.db);
    await store.close();
  });

  it('parses the query once per connection, under its name', async () => {
    await settingByName(store.db, { name: 'prepared-a' });
    await settingByName(store.db, { name: 'prepared-a' });
    const named = await sql<{ name: string; statement: string }>`select name, statement from pg_prepared_statements`.execute(store.db);
    const ours = named.rows.filter((r) => r.statement.includes('"settings"'));
    expect(ours).toHaveLength(1);
    expect(ours[0]?.name).toMatch(/^embargo_[0-9a-f]{24}$/);
  });

  it('still answers when the table changed shape under a prepared statement (a newer instance migrating)', async () => {
    const everything = prepared((db, p: { key: string }) => db.selectFrom('settings').selectAll().where('key', '=', p.key));
    expect((await everything(store.db, { key: 'prepared-a' })).rows).toEqual([{ key: 'prepared-a', value: 'one' }]);
    await sql`alter table settings add column added_later text`.execute(store.db);
    expect((await everything(store.db, { key: 'prepared-a' })).rows).toEqual([{ key: 'prepared-a', value: 'one', added_later: null }]);
  });
});
