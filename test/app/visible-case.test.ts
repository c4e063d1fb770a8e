/**
 * Issue 14, item 9 (in part): an outsider's 404 for a real case id and for an unknown one took
 * different paths (the real one also read and parsed the case, ~6 % slower). Now both run the same
 * one query, whose access conditions name only the asked id (so the database answers them before
 * it reads a case row): the queries are recorded and compared.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KyselyPlugin, RootOperationNode } from 'kysely';
import { addUser, createApiToken, tokenActor } from '../../src/app/accounts.js';
import { localActor } from '../../src/app/actor.js';
import { createCase } from '../../src/app/cases.js';
import { loadVisibleCase } from '../../src/app/visible-case.js';
import { PASSWORD, startApp, type TestApp } from '../support/app.js';
import { storeFactories } from '../support/databases.js';

/** Records which tables each query reads, in order. */
function recorder() {
  const tables: string[] = [];
  const plugin: KyselyPlugin = {
    transformQuery: ({ node }) => {
      tables.push(
        `${node.kind}:${JSON.stringify((node as RootOperationNode & { from?: unknown }).from ?? null).match(/"name":"(\w+)"/)?.[1]}`,
      );
      return node;
    },
    transformResult: async ({ result }) => result,
  };
  return { tables, plugin };
}

describe.each(storeFactories())('an outsider probing case ids ($name)', ({ open }) => {
  let t: TestApp;
  let realId: string;

  beforeAll(async () => {
    t = await startApp(open);
    realId = (await createCase(t.app, localActor('test'), { title: 'Exists' })).id;
    await addUser(t.app, localActor('test'), { username: 'mallory', password: PASSWORD });
  });
  afterAll(() => t.close());

  it('takes the same path for a real id and an unknown one: one query, asking access by the id', async () => {
    const { token } = await createApiToken(t.app, localActor('test'), { name: 'probe', username: 'mallory' });
    const mallory = (await tokenActor(t.app, token))!;
    const paths: string[][] = [];
    for (const id of [realId, 'EMB-2026-9999']) {
      const { tables, plugin } = recorder();
      await expect(loadVisibleCase(t.app.store.db.withPlugin(plugin), mallory, id)).rejects.toMatchObject({ code: 'not_found' });
      paths.push(tables);
    }
    expect(paths[0]).toEqual(['SelectQueryNode:cases']);
    expect(paths[1]).toEqual(paths[0]);
  });
});
