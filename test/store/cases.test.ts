import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DomainError } from '../../src/domain/errors.js';
import { grantAccess, listAccess, revokeAccess } from '../../src/store/access.js';
import { countCases, getCase, getCaseAskedBy, insertCase, listCases, lookUpCase, updateCase } from '../../src/store/cases.js';
import { putMember } from '../../src/store/projects.js';
import { deleteSetting, getSetting, setSetting } from '../../src/store/settings.js';
import type { Store } from '../../src/store/store.js';
import { insertUser } from '../../src/store/users.js';
import { storeFactories } from '../support/databases.js';
import { queriesSent } from '../support/pg-queries.js';
import { makeCase, makeUser } from './fixtures/data.js';

describe.each(storeFactories())('cases, access and settings on $name', (factory) => {
  let store: Store;
  beforeEach(async () => {
    store = await factory.open();
    await store.write(async (tx) => {
      await insertUser(tx, makeUser({ id: 'u-alice', username: 'alice', role: 'admin' }));
      await insertUser(tx, makeUser({ id: 'u-bob', username: 'bob', displayName: 'Bob B.' }));
      await insertUser(tx, makeUser({ id: 'u-carol', username: 'carol' }));
    });
  });
  afterEach(async () => {
    await store.close();
  });

  describe('cases', () => {
    it('round-trips the whole Case document', async () => {
      const c = makeCase({ id: 'EMB-2026-0001', title: 'Ünïcode — title "quoted"', steps: {} });
      await store.write((tx) => insertCase(tx, c));
      expect(await getCase(store.db, 'EMB-2026-0001')).toEqual(c);
      expect(await getCase(store.db, 'EMB-2026-0404')).toBeUndefined();
      const row = await store.db.selectFrom('cases').selectAll().where('id', '=', c.id).executeTakeFirstOrThrow();
      expect(row).toMatchObject({ project: 'contour', title: c.title, status: 'triage', codename: c.codename, revision: 1 });
    });

    it('refuses a duplicate id with a conflict', async () => {
      await store.write((tx) => insertCase(tx, makeCase({ id: 'EMB-2026-0001' })));
      await expect(store.write((tx) => insertCase(tx, makeCase({ id: 'EMB-2026-0001' })))).rejects.toMatchObject({
        code: 'conflict',
        message: 'case EMB-2026-0001 already exists, or another case has the codename quiet-otter-emb-2026-0001',
      });
    });

    it('refuses a second case with a codename already taken (a unique index), and keeps the summary columns', async () => {
      await store.write((tx) => insertCase(tx, makeCase({ id: 'EMB-2026-0001', codename: 'amber-heron-brook' })));
      await expect(
        store.write((tx) => insertCase(tx, makeCase({ id: 'EMB-2026-0002', codename: 'amber-heron-brook' }))),
      ).rejects.toMatchObject({
        code: 'conflict',
      });
      expect(await getCase(store.db, 'EMB-2026-0002')).toBeUndefined();
      const row = await store.db.selectFrom('cases').select(['playbook', 'embargo']).executeTakeFirstOrThrow();
      expect(row).toEqual({
        playbook: 'contour',
        embargo: JSON.stringify({ endsAt: '2026-12-01T16:00:00.000Z', timeZone: 'Europe/Berlin' }),
      });
    });

    it('updates at the expected revision and refuses a stale one', async () => {
      const c = makeCase({ id: 'EMB-2026-0001' });
      await store.write((tx) => insertCase(tx, c));
      const v2 = { ...c, title: 'renamed', status: 'fixing', revision: 2, updatedAt: '2026-01-03T00:00:00.000Z' };
      await store.write((tx) => updateCase(tx, v2, 1));
      expect(await getCase(store.db, c.id)).toEqual(v2);

      // Someone else still holding revision 1 tries to save.
      const stale = { ...c, title: 'lost update', revision: 2 };
      const err = await store.write((tx) => updateCase(tx, stale, 1)).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DomainError);
      expect(err).toMatchObject({
        code: 'conflict',
        message: 'case EMB-2026-0001 was changed by someone else; reload and try again',
      });
      expect((await getCase(store.db, c.id))?.title).toBe('renamed');
      const row = await store.db.selectFrom('cases').select(['status', 'revision']).where('id', '=', c.id).executeTakeFirstOrThrow();
      expect(row).toEqual({ status: 'fixing', revision: 2 });
    });

    it('reports an unknown case as not_found and a non-increasing revision as a bug', async () => {
      await expect(store.write((tx) => updateCase(tx, makeCase({ id: 'EMB-2026-0999', revision: 2 }), 1))).rejects.toMatchObject({
        code: 'not_found',
      });
      await store.write((tx) => insertCase(tx, makeCase({ id: 'EMB-2026-0001' })));
      await expect(store.write((tx) => updateCase(tx, makeCase({ id: 'EMB-2026-0001', revision: 1 }), 1))).rejects.toThrow(
        /must be greater than the expected revision/,
      );
    });

    describe('listCases', () => {
      beforeEach(async () => {
        await store.write(async (tx) => {
          await insertCase(
            tx,
            makeCase({
              id: 'EMB-2026-0001',
              title: 'XSS in the admin panel',
              codename: 'amber-fox',
              createdAt: '2026-01-01T00:00:00.000Z',
            }),
          );
          await insertCase(
            tx,
            makeCase({
              id: 'EMB-2026-0002',
              title: 'Path traversal',
              codename: 'blue-heron',
              status: 'fixing',
              createdAt: '2026-01-02T00:00:00.000Z',
            }),
          );
          await insertCase(
            tx,
            makeCase({
              id: 'EMB-2026-0003',
              title: '100% CPU on crafted header',
              codename: 'calm-lynx',
              createdAt: '2026-01-03T00:00:00.000Z',
            }),
          );
          await insertCase(
            tx,
            makeCase({
              id: 'EMB-2026-0004',
              title: '100 percent: snake_case_bug',
              codename: 'dark-owl',
              createdAt: '2026-01-04T00:00:00.000Z',
            }),
          );
          await grantAccess(tx, { caseId: 'EMB-2026-0001', userId: 'u-bob', grantedBy: 'alice', grantedAt: '2026-01-05T00:00:00.000Z' });
          await grantAccess(tx, { caseId: 'EMB-2026-0003', userId: 'u-bob', grantedBy: 'alice', grantedAt: '2026-01-05T00:00:00.000Z' });
          await grantAccess(tx, { caseId: 'EMB-2026-0002', userId: 'u-carol', grantedBy: 'alice', grantedAt: '2026-01-05T00:00:00.000Z' });
        });
      });
      const ids = (cs: { id: string }[]) => cs.map((c) => c.id);

      it('lists newest first, with limit and offset', async () => {
        expect(ids(await listCases(store.db))).toEqual(['EMB-2026-0004', 'EMB-2026-0003', 'EMB-2026-0002', 'EMB-2026-0001']);
        expect(ids(await listCases(store.db, { limit: 2, offset: 1 }))).toEqual(['EMB-2026-0003', 'EMB-2026-0002']);
        expect(await countCases(store.db)).toBe(4);
      });

      it('shows a member only the cases on their access list', async () => {
        expect(ids(await listCases(store.db, { visibleTo: 'u-bob' }))).toEqual(['EMB-2026-0003', 'EMB-2026-0001']);
        expect(ids(await listCases(store.db, { visibleTo: 'u-carol' }))).toEqual(['EMB-2026-0002']);
        expect(await listCases(store.db, { visibleTo: 'u-alice' })).toEqual([]);
        expect(await countCases(store.db, { visibleTo: 'u-bob' })).toBe(2);
      });

      it('searches id, title and codename case-insensitively', async () => {
        expect(ids(await listCases(store.db, { q: 'xss' }))).toEqual(['EMB-2026-0001']);
        expect(ids(await listCases(store.db, { q: 'HERON' }))).toEqual(['EMB-2026-0002']);
        expect(ids(await listCases(store.db, { q: 'emb-2026-000' }))).toHaveLength(4);
        expect(ids(await listCases(store.db, { q: '0003' }))).toEqual(['EMB-2026-0003']);
        expect(ids(await listCases(store.db, { q: 'path', visibleTo: 'u-bob' }))).toEqual([]);
        expect(ids(await listCases(store.db, { q: 'a', status: 'fixing' }))).toEqual(['EMB-2026-0002']);
      });

      it('treats %, _ and \\ in the query literally', async () => {
        expect(ids(await listCases(store.db, { q: '100%' }))).toEqual(['EMB-2026-0003']);
        expect(ids(await listCases(store.db, { q: '%' }))).toEqual(['EMB-2026-0003']);
        expect(ids(await listCases(store.db, { q: 'snake_case' }))).toEqual(['EMB-2026-0004']);
        expect(ids(await listCases(store.db, { q: 'e_c' }))).toEqual(['EMB-2026-0004']);
        expect(ids(await listCases(store.db, { q: 'h_r' }))).toEqual([]); // would match "heron"/"header" as a wildcard
        expect(await listCases(store.db, { q: '\\' })).toEqual([]);
        expect(await countCases(store.db, { q: '%' })).toBe(1);
      });

      it('finds nothing (and does not fail) for text with a NUL character, on every database', async () => {
        expect(await listCases(store.db, { visibleTo: '\u0000nobody' })).toEqual([]);
        expect(await listCases(store.db, { q: 'x\u0000' })).toEqual([]);
        expect(await countCases(store.db, { status: '\u0000' })).toBe(0);
        expect(await getCase(store.db, 'EMB-2026-0001\u0000')).toBeUndefined();
        expect(await getCaseAskedBy(store.db, 'EMB-2026-0001', 'u-bob\u0000')).toBeUndefined();
        expect(await listAccess(store.db, '\u0000')).toEqual([]);
        expect(await getSetting(store.db, '\u0000')).toBeUndefined();
      });

      it('filters by status', async () => {
        expect(ids(await listCases(store.db, { status: 'fixing' }))).toEqual(['EMB-2026-0002']);
        expect(await countCases(store.db, { status: 'triage' })).toBe(3);
      });
    });
  });

  describe('access lists', () => {
    beforeEach(async () => {
      await store.write((tx) => insertCase(tx, makeCase({ id: 'EMB-2026-0001' })));
    });

    it("reads the cases asked together each under its asker's rights, in one query a kind on PostgreSQL", async () => {
      const at = new Date('2026-01-05T00:00:00.000Z');
      await store.write(async (tx) => {
        await tx
          .insertInto('projects')
          .values({
            id: 'gateway',
            name: 'Gateway',
            repository: null,
            playbook: 'contour',
            settings: '{}',
            created_at: at.toISOString(),
            created_by: 'alice',
            updated_at: at.toISOString(),
            revision: 1,
            archived_at: null,
          } as never)
          .execute();
        await insertCase(tx, makeCase({ id: 'EMB-2026-0002', project: 'gateway' }));
        await grantAccess(tx, { caseId: 'EMB-2026-0001', userId: 'u-bob', grantedBy: 'alice', grantedAt: at });
        await putMember(tx, { projectId: 'gateway', userId: 'u-carol', role: 'admin', addedBy: 'alice', addedAt: at });
      });
      const asked: [string, string | null][] = [
        ['EMB-2026-0001', 'u-bob'], // on its access list
        ['EMB-2026-0002', 'u-bob'], // on neither list
        ['EMB-2026-0002', 'u-carol'], // an admin of its project
        ['EMB-2026-0001', 'u-carol'], // on neither list
        ['EMB-2026-9999', 'u-bob'], // no such case
        ['EMB-2026-0002', null], // an instance admin: every case
        ['EMB-2026-9999', null],
        ['EMB-2026-0001', 'u-bob\u0000'],
      ];
      const { value: found, sent } = await queriesSent(() =>
        Promise.all(asked.map(([id, userId]) => lookUpCase(store, id, userId).then((c) => c?.id))),
      );
      expect(found).toEqual(['EMB-2026-0001', undefined, 'EMB-2026-0002', undefined, undefined, 'EMB-2026-0002', undefined, undefined]);
      expect(sent.filter((q) => q.text.includes('cases')).length).toBe(factory.dialect === 'postgres' ? 2 : 0);
      // A revocation holds for the next read.
      await store.write((tx) => revokeAccess(tx, 'EMB-2026-0001', 'u-bob'));
      expect(await lookUpCase(store, 'EMB-2026-0001', 'u-bob')).toBeUndefined();
    });

    it('grants, lists with usernames, checks and revokes', async () => {
      expect(
        await store.write((tx) =>
          grantAccess(tx, {
            caseId: 'EMB-2026-0001',
            userId: 'u-carol',
            grantedBy: 'alice',
            grantedAt: new Date('2026-01-05T00:00:00.000Z'),
          }),
        ),
      ).toBe(true);
      expect(
        await store.write((tx) =>
          grantAccess(tx, { caseId: 'EMB-2026-0001', userId: 'u-bob', grantedBy: 'alice', grantedAt: '2026-01-06T00:00:00.000Z' }),
        ),
      ).toBe(true);
      // Granting again changes nothing.
      expect(
        await store.write((tx) =>
          grantAccess(tx, { caseId: 'EMB-2026-0001', userId: 'u-bob', grantedBy: 'carol', grantedAt: '2026-01-07T00:00:00.000Z' }),
        ),
      ).toBe(false);
      expect(await listAccess(store.db, 'EMB-2026-0001')).toEqual([
        { userId: 'u-bob', username: 'bob', displayName: 'Bob B.', grantedBy: 'alice', grantedAt: '2026-01-06T00:00:00.000Z' },
        { userId: 'u-carol', username: 'carol', displayName: 'carol', grantedBy: 'alice', grantedAt: '2026-01-05T00:00:00.000Z' },
      ]);
      expect((await getCaseAskedBy(store.db, 'EMB-2026-0001', 'u-bob'))?.id).toBe('EMB-2026-0001');
      expect(await getCaseAskedBy(store.db, 'EMB-2026-0001', 'u-alice')).toBeUndefined();
      expect(await store.write((tx) => revokeAccess(tx, 'EMB-2026-0001', 'u-bob'))).toBe(true);
      expect(await store.write((tx) => revokeAccess(tx, 'EMB-2026-0001', 'u-bob'))).toBe(false);
      expect(await getCaseAskedBy(store.db, 'EMB-2026-0001', 'u-bob')).toBeUndefined();
      expect((await listAccess(store.db, 'EMB-2026-0001')).map((a) => a.username)).toEqual(['carol']);
    });

    it('reports an unknown case or user as not_found', async () => {
      const grant = (caseId: string, userId: string) =>
        store.write((tx) => grantAccess(tx, { caseId, userId, grantedBy: 'alice', grantedAt: '2026-01-05T00:00:00.000Z' }));
      await expect(grant('EMB-2026-0404', 'u-bob')).rejects.toMatchObject({ code: 'not_found', message: 'case EMB-2026-0404 not found' });
      await expect(grant('EMB-2026-0001', 'u-ghost')).rejects.toMatchObject({ code: 'not_found', message: 'user u-ghost not found' });
    });
  });

  describe('settings', () => {
    it('gets, sets (upsert) and deletes', async () => {
      expect(await getSetting(store.db, 'smtp.host')).toBeUndefined();
      await store.write((tx) => setSetting(tx, 'smtp.host', 'mail.example.org'));
      await store.write((tx) => setSetting(tx, 'smtp.host', 'mx.example.org'));
      expect(await getSetting(store.db, 'smtp.host')).toBe('mx.example.org');
      await store.write((tx) => setSetting(tx, 'json', JSON.stringify({ on: 1 })));
      expect(JSON.parse((await getSetting(store.db, 'json')) ?? 'null')).toEqual({ on: 1 });
      expect(await store.write((tx) => deleteSetting(tx, 'smtp.host'))).toBe(true);
      expect(await store.write((tx) => deleteSetting(tx, 'smtp.host'))).toBe(false);
      expect(await getSetting(store.db, 'smtp.host')).toBeUndefined();
    });
  });
});

const pgUrl = process.env.EMBARGO_TEST_DATABASE_URL;
describe.skipIf(!pgUrl)('the case reads asked together on PostgreSQL', () => {
  let store: Store;
  beforeEach(async () => {
    store = await storeFactories()
      .find((f) => f.dialect === 'postgres')!
      .open();
    await store.write(async (tx) => {
      await insertUser(tx, makeUser({ id: 'u-carol', username: 'carol' }));
      await insertCase(tx, makeCase({ id: 'EMB-2026-0001' }));
    });
  });
  afterEach(async () => {
    await store.close();
  });

  it("never reads the row of a case asked together by someone on neither list (PostgreSQL's plan)", async () => {
    const { value: found, sent } = await queriesSent(() =>
      Promise.all(['EMB-2026-0001', 'EMB-2026-9999'].map((id) => lookUpCase(store, id, 'u-carol'))),
    );
    expect(found).toEqual([undefined, undefined]);
    const asked = sent.find((q) => q.text.includes('unnest'));
    expect(asked).toBeDefined();
    const schema = (await store.db.selectNoFrom((eb) => eb.fn<string>('current_schema', []).as('s')).executeTakeFirstOrThrow()).s;
    const client = new pg.Client({ connectionString: pgUrl, options: `-c search_path=${schema}` });
    await client.connect();
    let plan: string;
    try {
      plan = JSON.stringify((await client.query(`explain (analyze, format json) ${asked!.text}`, asked!.values)).rows);
    } finally {
      await client.end();
    }
    // The scan of `cases` that reads the answer (alias "cases", not "of_project") never ran.
    const scans = [...plan.matchAll(/"Relation Name":"cases","Alias":"(\w+)"[^}]*?"Actual Loops":(\d+)/g)].map((m) => [m[1], Number(m[2])]);
    expect(scans).toContainEqual(['cases', 0]);
  });
});
