/**
 * The unit of work on a real database: state, rows beside the case and events commit together or
 * not at all; need-to-know and the scope come first; an expected revision is checked against the
 * case as loaded in the transaction.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { localActor, type Actor } from '../../src/app/actor.js';
import { createApp, type App } from '../../src/app/app.js';
import { caseOverview } from '../../src/app/case-overview.js';
import { createCase } from '../../src/app/cases.js';
import { configFromEnv } from '../../src/app/config.js';
import { changeCase, workOnCase } from '../../src/app/unit-of-work.js';
import { editCase } from '../../src/domain/case/index.js';
import { getCase } from '../../src/store/cases.js';
import { listEvents } from '../../src/store/events.js';
import { setSetting, getSetting } from '../../src/store/settings.js';
import type { Store } from '../../src/store/store.js';
import { storeFactories } from '../support/databases.js';
import { details } from '../support/app.js';

describe.each(storeFactories())('the unit of work ($name)', ({ open }) => {
  let store: Store;
  let app: App;
  const root = localActor('test');
  const member: Actor = { kind: 'token', userId: 'u-nobody', name: 'nobody', role: 'member', scopes: ['read', 'write'] };
  let caseId: string;

  beforeEach(async () => {
    store = await open();
    app = await createApp(store, configFromEnv({}), { clock: () => new Date('2026-11-25T10:00:00Z') });
    caseId = (await createCase(app, root, { title: 'Header smuggling' })).id;
  });
  afterEach(() => store.close());

  const eventCount = async () => (await listEvents(store.db, { limit: 1000 })).length;

  it('stores the state and appends the events of one command, and answers the stored case', async () => {
    const before = await eventCount();
    const next = details(await changeCase(app, root, caseId, 'write', (c, ctx) => editCase(c, { title: 'Smuggled headers' }, ctx)));
    expect(next).toMatchObject({ title: 'Smuggled headers', revision: 2 });
    expect(await getCase(store.db, caseId)).toMatchObject({ title: 'Smuggled headers', revision: 2, status: next.status });
    const events = await listEvents(store.db, { afterSeq: before, limit: 10 });
    expect(events).toMatchObject([
      { action: 'case.edited', actor: 'local:test', caseId, details: { changed: { title: 'Smuggled headers' } } },
      // The answer carries the case: its read is on record too.
      { action: 'case.read', actor: 'local:test', caseId, details: { what: 'answer to a change' } },
    ]);
  });

  it('rolls back the state, the rows beside it and the events when the work fails after writing', async () => {
    const before = await eventCount();
    await expect(
      workOnCase(app, root, caseId, 'write', async (c, ctx) => {
        await setSetting(ctx.tx, 'written-inside', 'yes');
        const edited = editCase(c, { title: 'Never stored' }, ctx);
        if (edited.events.length > 0) throw new Error('the work failed after writing');
        return { ...edited, value: null };
      }),
    ).rejects.toThrow('the work failed after writing');
    expect(await getSetting(store.db, 'written-inside')).toBeUndefined();
    expect((await getCase(store.db, caseId))?.title).toBe('Header smuggling');
    expect(await eventCount()).toBe(before);
  });

  it('checks the scope, then need-to-know (an unseen case is not found), before any work', async () => {
    let ran = false;
    const work = () => {
      ran = true;
      return { events: [], value: null };
    };
    await expect(workOnCase(app, { ...root, scopes: ['read'] }, caseId, 'write', work)).rejects.toMatchObject({ code: 'forbidden' });
    await expect(workOnCase(app, member, caseId, 'write', work)).rejects.toMatchObject({ code: 'not_found' });
    expect(ran).toBe(false);
  });

  it('refuses an expected revision that is not the current one, naming what changed since', async () => {
    await changeCase(app, root, caseId, 'write', (c, ctx) => editCase(c, { title: 'Second' }, ctx), { expectedRevision: 1 });
    await expect(
      changeCase(app, root, caseId, 'write', (c, ctx) => editCase(c, { description: 'Text' }, ctx), { expectedRevision: 1 }),
    ).rejects.toMatchObject({
      code: 'revision_conflict',
      details: { expectedRevision: 1, currentRevision: 2, changed: ['title'] },
    });
    expect((await getCase(store.db, caseId))?.revision).toBe(2);
  });

  it('answers the overview in one read that appends one case.read', async () => {
    const before = await eventCount();
    const overview = await caseOverview(app, root, caseId);
    expect(overview.case.id).toBe(caseId);
    expect(overview.steps.length).toBeGreaterThan(3);
    expect(overview.acks).toMatchObject({ caseId, members: [] });
    const events = await listEvents(store.db, { afterSeq: before, limit: 10 });
    expect(events).toMatchObject([{ action: 'case.read', caseId, details: { what: 'overview' } }]);
  });
});
