/**
 * Migration 0008 on an install from before it: cases that share a codename (the old pick's numbered
 * fallback could repeat one) get distinct ones — the later case a suffix, in its column and its
 * state — before the unique index is made; the list's summary columns are filled from each case's
 * state; on PostgreSQL the hot small tables get their storage settings. The list below reads the
 * summary JSON migration 0012 then writes for each case, so it also shows that backfill.
 */
import { type Kysely, sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { type CaseSummary, getCase, listCaseSummaryJson } from '../../src/store/cases.js';
import { oldInstalls } from './fixtures/old-install.js';

const EMBARGO = { endsAt: '2026-12-01T16:00:00.000Z', timeZone: 'Europe/Berlin' };

async function seed(db: Kysely<any>): Promise<void> {
  const cases = [
    { id: 'EMB-2026-0001', codename: 'amber-heron-417', at: '2026-11-20T10:00:00.000Z', embargo: EMBARGO },
    { id: 'EMB-2026-0002', codename: 'amber-heron-417', at: '2026-11-21T10:00:00.000Z', embargo: null },
    { id: 'EMB-2026-0003', codename: 'quiet-otter', at: '2026-11-22T10:00:00.000Z', embargo: null },
  ];
  for (const c of cases) {
    const state = {
      id: c.id,
      project: 'contour',
      playbook: 'contour',
      title: `Case ${c.id}`,
      codename: c.codename,
      embargo: c.embargo,
      revision: 1,
    };
    await db
      .insertInto('cases')
      .values({
        id: c.id,
        project: 'contour',
        title: state.title,
        status: 'reported',
        codename: c.codename,
        state: JSON.stringify(state),
        revision: 1,
        created_at: c.at,
        updated_at: c.at,
      })
      .execute();
  }
}

const installs = oldInstalls('0008', seed);

describe.each(installs)('migration 0008 on an existing install ($name)', (install) => {
  let cleanup: (() => Promise<void>) | undefined;
  afterEach(async () => cleanup?.());

  it('makes codenames unique (the later case of a pair gets a suffix), fills the summary columns, and tunes the hot tables', async () => {
    const created = await install.create();
    cleanup = created.cleanup;
    const store = await created.open();
    try {
      const summaries = (await listCaseSummaryJson(store.db, { limit: 10 })).map((text) => JSON.parse(text) as CaseSummary);
      expect(summaries.map((c) => [c.id, c.codename, c.playbook, c.embargo])).toEqual([
        ['EMB-2026-0003', 'quiet-otter', 'contour', null],
        ['EMB-2026-0002', 'amber-heron-417-2', 'contour', null],
        ['EMB-2026-0001', 'amber-heron-417', 'contour', EMBARGO],
      ]);
      expect((await getCase(store.db, 'EMB-2026-0002'))?.codename).toBe('amber-heron-417-2');
      expect((await getCase(store.db, 'EMB-2026-0001'))?.codename).toBe('amber-heron-417');
      if (store.dialect === 'postgres') {
        const options = await sql<{ reloptions: string[] }>`select reloptions from pg_class
          where relname = 'chain_head' and relnamespace = current_schema()::regnamespace`.execute(store.db);
        expect(options.rows[0]?.reloptions).toContain('fillfactor=50');
      }
    } finally {
      await store.close();
    }
  });
});
