/**
 * Reads over the API on a real database: a GET writes nothing (a token's last use is recorded at most
 * once a minute, outside the read), `case show`'s overview is one audited read, a change based on an
 * old revision is refused with what changed since, and the case list pages with a cursor.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localActor } from '../../src/app/actor.js';
import { createCase } from '../../src/app/cases.js';
import { listEvents } from '../../src/store/events.js';
import { client, PASSWORD, startApp, userWithToken, type TestApp } from '../support/app.js';
import { storeFactories } from '../support/databases.js';

describe.each(storeFactories())('reads ($name)', ({ open }) => {
  let t: TestApp;
  let admin: ReturnType<typeof client>;
  let tokenId: string;
  let caseId: string;

  /** Everything a request could write: the event log's length and head, and every token's last use. */
  async function writes() {
    const db = t.app.store.db;
    const events = await db
      .selectFrom('events')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    const head = await db.selectFrom('chain_head').select(['last_seq', 'last_hash']).executeTakeFirstOrThrow();
    const tokens = await db.selectFrom('api_tokens').select(['id', 'last_used_at']).orderBy('id').execute();
    const cases = await sql<{ n: number }>`select count(*) as n, max(revision) as r from cases`.execute(db);
    return { events: Number(events.n), head, tokens, cases: cases.rows };
  }

  const lastUsed = async () =>
    (await t.app.store.db.selectFrom('api_tokens').select('last_used_at').where('id', '=', tokenId).executeTakeFirstOrThrow()).last_used_at;

  beforeAll(async () => {
    t = await startApp(open, '2026-11-25T08:00:00Z');
    const { token } = await userWithToken(t.app, 'root', 'admin');
    tokenId = (await t.app.store.db.selectFrom('api_tokens').select('id').executeTakeFirstOrThrow()).id;
    admin = client(t.server, token);
    caseId = (await admin.post('/api/v1/cases', { title: 'Header smuggling in the frobnicator' })).body.id;
  });
  afterAll(() => t.close());

  describe("a token's last use", () => {
    it('is recorded on first use, then at most once a minute, and a GET writes nothing in between', async () => {
      // The POST above used the token: its use is on record.
      expect(await lastUsed()).toBe('2026-11-25T08:00:00.000Z');

      t.setNow('2026-11-25T08:00:30Z');
      const before = await writes();
      expect((await admin.get('/api/v1/cases')).status).toBe(200);
      expect((await admin.get('/api/v1/me')).status).toBeLessThan(500);
      expect(await writes()).toEqual(before);

      t.setNow('2026-11-25T08:01:00Z');
      expect((await admin.get('/api/v1/cases')).status).toBe(200);
      expect(await lastUsed()).toBe('2026-11-25T08:01:00.000Z');

      t.setNow('2026-11-25T08:01:59Z');
      const again = await writes();
      expect((await admin.get('/api/v1/cases')).status).toBe(200);
      expect(await writes()).toEqual(again);

      t.setNow('2026-11-25T08:02:00Z');
      expect((await admin.get('/api/v1/cases')).status).toBe(200);
      expect(await lastUsed()).toBe('2026-11-25T08:02:00.000Z');
    });

    it('is written once when a minute has passed and many requests arrive together, not once per request', async () => {
      // Every request in flight read the same minute-old time; each one writing would queue that
      // many transactions behind the writer lock. The store's writes are counted as they happen.
      const store = t.app.store;
      const write = store.write;
      let writesStarted = 0;
      store.write = ((fn) => {
        writesStarted += 1;
        return write.call(store, fn);
      }) as typeof write;
      try {
        t.setNow('2026-11-25T08:04:00Z');
        const answers = await Promise.all(Array.from({ length: 30 }, () => admin.get('/api/v1/cases')));
        expect(answers.map((a) => a.status)).toEqual(answers.map(() => 200));
        expect(await lastUsed()).toBe('2026-11-25T08:04:00.000Z');
        expect(writesStarted).toBe(1);
      } finally {
        store.write = write;
      }
    });
  });

  describe("a session's last activity", () => {
    it('is recorded at most once a minute: the GETs of a page in between write nothing', async () => {
      t.setNow('2026-11-25T09:00:00Z');
      await userWithToken(t.app, 'sally');
      const signIn = await client(t.server).post('/api/v1/session', { username: 'sally', password: PASSWORD });
      const cookie = `embargo_session=${/embargo_session=([^;]+)/.exec(String(signIn.headers['set-cookie']))?.[1]}`;
      const browser = client(t.server);
      const seen = async () => (await t.app.store.db.selectFrom('sessions').select('last_seen_at').executeTakeFirstOrThrow()).last_seen_at;

      t.setNow('2026-11-25T09:00:40Z');
      expect((await browser.call('GET', '/api/v1/cases', undefined, { cookie })).status).toBe(200);
      expect((await browser.call('GET', '/api/v1/session', undefined, { cookie })).status).toBe(200);
      expect(await seen()).toBe('2026-11-25T09:00:00.000Z');

      t.setNow('2026-11-25T09:01:00Z');
      expect((await browser.call('GET', '/api/v1/cases', undefined, { cookie })).status).toBe(200);
      expect(await seen()).toBe('2026-11-25T09:01:00.000Z');
    });
  });

  describe('the case overview', () => {
    it('answers the case, its steps and the answers in one audited read', async () => {
      const reads = async () => (await listEvents(t.app.store.db, { caseId, limit: 1000 })).filter((e) => e.action === 'case.read');
      const before = await reads();
      const res = await admin.get(`/api/v1/cases/${caseId}/overview`);
      expect(res.status).toBe(200);
      const after = await reads();
      expect(after).toHaveLength(before.length + 1);
      expect(after[after.length - 1]).toMatchObject({ action: 'case.read', caseId, details: { what: 'overview' }, actor: 'root' });

      // The same shapes as the separate routes give.
      const steps = await admin.get(`/api/v1/cases/${caseId}/steps`);
      const acks = await admin.get(`/api/v1/cases/${caseId}/acks`);
      expect(res.body.case).toEqual(steps.body.case);
      expect(res.body.steps).toEqual(steps.body.steps);
      expect(res.body.acks).toEqual(acks.body);
      expect(res.body.steps.length).toBeGreaterThan(3);
      expect(res.body.acks).toMatchObject({ caseId, members: [], agreement: null });
    });

    it('is need-to-know and checks the id', async () => {
      const outsider = client(t.server, (await userWithToken(t.app, 'mallory')).token);
      expect((await outsider.get(`/api/v1/cases/${caseId}/overview`)).status).toBe(404);
      expect((await admin.get('/api/v1/cases/EMB-2026-0999/overview')).status).toBe(404);
      expect((await admin.get('/api/v1/cases/nope/overview')).status).toBe(400);
      expect((await client(t.server).get(`/api/v1/cases/${caseId}/overview`)).status).toBe(401);
    });
  });

  describe('changes based on a revision', () => {
    it('answers the case with its revision as ETag', async () => {
      const res = await admin.get(`/api/v1/cases/${caseId}`);
      expect(res.headers.etag).toBe(`"${res.body.revision}"`);
    });

    it('applies a change whose If-Match is current, refuses a stale one naming what changed, and applies one without', async () => {
      const base = (await admin.get(`/api/v1/cases/${caseId}`)).body.revision as number;

      const first = await admin.call('PATCH', `/api/v1/cases/${caseId}`, { title: 'Smuggled headers' }, { 'if-match': `"${base}"` });
      expect(first.status).toBe(200);
      expect(first.body.revision).toBe(base + 1);
      expect(first.headers.etag).toBe(`"${base + 1}"`);
      const embargo = await admin.call(
        'PUT',
        `/api/v1/cases/${caseId}/embargo`,
        { endsAt: '2026-12-10T17:00', timeZone: 'Europe/Berlin' },
        { 'if-match': String(base + 1) }, // quotes are optional
      );
      expect(embargo.status).toBe(200);

      // Someone else's view is two revisions old: refused, with the fields changed since.
      const stale = await admin.call('PATCH', `/api/v1/cases/${caseId}`, { cwe: ['CWE-444'] }, { 'if-match': `"${base}"` });
      expect(stale.status).toBe(409);
      expect(stale.body.error).toMatchObject({
        code: 'revision_conflict',
        details: { caseId, expectedRevision: base, currentRevision: base + 2, changed: ['embargo', 'title'] },
      });
      expect(stale.body.error.message).toContain('embargo, title changed since');
      expect((await admin.get(`/api/v1/cases/${caseId}`)).body.severity.cwe).toEqual([]);

      const oneBehind = await admin.call('PATCH', `/api/v1/cases/${caseId}`, { cwe: ['CWE-444'] }, { 'if-match': `W/"${base + 1}"` });
      expect(oneBehind.status).toBe(409);
      expect(oneBehind.body.error.details.changed).toEqual(['embargo']);

      const blind = await admin.patch(`/api/v1/cases/${caseId}`, { cwe: ['CWE-444'] });
      expect(blind.status).toBe(200);
      expect(blind.body.revision).toBe(base + 3);
    });

    it('refuses an If-Match that is not a revision with 400', async () => {
      const res = await admin.call('PATCH', `/api/v1/cases/${caseId}`, { title: 'x' }, { 'if-match': '"abc"' });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('invalid_input');
    });
  });

  describe('the case list', () => {
    it('pages with a cursor: each of 120 cases exactly once, newest first, and says when there are no more', async () => {
      const root = localActor('test');
      for (let i = 0; i < 119; i++) {
        // Half share one instant, so the order has to break ties by id.
        if (i % 2 === 0) t.setNow(new Date(Date.parse('2026-11-26T00:00:00Z') + i * 1000));
        await createCase(t.app, root, { title: `Case number ${i}` });
      }
      const all = new Set<string>();
      const order: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const res = await admin.get(`/api/v1/cases?limit=50${cursor ? `&cursor=${cursor}` : ''}`);
        expect(res.status).toBe(200);
        pages += 1;
        if (pages === 1) {
          // A case opened meanwhile is newer than every page: it never shifts the pages that follow.
          t.setNow('2026-11-27T00:00:00Z');
          await createCase(t.app, root, { title: 'Opened while paging' });
        }
        for (const c of res.body.cases) {
          expect(all.has(c.id)).toBe(false);
          all.add(c.id);
          order.push(c.id);
        }
        cursor = res.body.nextCursor;
      } while (cursor !== null && pages < 10);
      expect(pages).toBe(3);
      expect(all.size).toBe(120);
      const expected = (await t.app.store.db.selectFrom('cases').select(['id', 'created_at']).execute())
        .filter((c) => c.created_at < '2026-11-27')
        .sort((a, b) => b.created_at.localeCompare(a.created_at) || (a.id < b.id ? 1 : -1))
        .map((c) => c.id);
      expect(order).toEqual(expected);

      const first = await admin.get('/api/v1/cases');
      expect(first.body.cases).toHaveLength(50);
      expect(typeof first.body.nextCursor).toBe('string');
      const everything = await admin.get('/api/v1/cases?limit=200');
      expect(everything.body.cases).toHaveLength(121);
      expect(everything.body.nextCursor).toBeNull();
    });

    it("answers each case's stored summary: the summary fields of the case as its own read answers them", async () => {
      const embargoed = (await admin.post('/api/v1/cases', { title: 'Embargoed "quoted" \u00e9 \u2028 case' })).body.id;
      const set = await admin.call('PUT', `/api/v1/cases/${embargoed}/embargo`, { endsAt: '2027-01-20T17:00', timeZone: 'Europe/Berlin' });
      expect(set.status).toBe(200);
      const res = await admin.get('/api/v1/cases?limit=200');
      expect(res.status).toBe(200);
      expect(String(res.headers['content-type'])).toBe('application/json; charset=utf-8');
      const fields = ['id', 'title', 'codename', 'project', 'playbook', 'status', 'embargo', 'updatedAt', 'createdAt'];
      for (const id of [embargoed, caseId]) {
        const listed = res.body.cases.find((c: { id: string }) => c.id === id);
        const details = (await admin.get(`/api/v1/cases/${id}`)).body;
        expect(listed).toEqual(Object.fromEntries(fields.map((f) => [f, details[f]])));
      }
      expect(res.body.cases.find((c: { id: string }) => c.id === embargoed).embargo).toMatchObject({ timeZone: 'Europe/Berlin' });
    });

    it('refuses a cursor it did not give out', async () => {
      const res = await admin.get('/api/v1/cases?cursor=bm9wZQ');
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('invalid_input');
    });
  });
});
