/**
 * Issue 14, item 6: the audit chain could be rewritten together with its head — a truncated tail with
 * chain_head moved back, an emptied log with the head reset, hashes recomputed after an edit — and
 * `audit verify` still said intact. A checkpoint signed with a key outside the database, kept
 * elsewhere, proves the log still holds the event it signed. Each tampering first fools the plain
 * check (the finding), then fails the checkpoint.
 */
import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hashEvent } from '../../src/store/events.js';
import { GENESIS_HASH } from '../../src/store/schema.js';
import type { Store } from '../../src/store/store.js';
import { client, startApp, userWithToken, type TestApp } from '../support/app.js';
import { storeFactories } from '../support/databases.js';

/** Recomputes every hash from `fromSeq` on and moves the head: what someone with the database can do. */
async function rechain(store: Store) {
  const rows = await store.db.selectFrom('events').selectAll().orderBy('seq').execute();
  let prev = GENESIS_HASH;
  for (const r of rows) {
    const hash = hashEvent({
      seq: Number(r.seq),
      id: r.id,
      at: r.at,
      actor: r.actor,
      action: r.action,
      caseId: r.case_id,
      detailsJson: r.details,
      prevHash: prev,
    });
    await store.db.updateTable('events').set({ prev_hash: prev, hash }).where('seq', '=', r.seq).execute();
    prev = hash;
  }
  const last = rows.at(-1);
  await store.db
    .updateTable('chain_head')
    .set({ last_seq: last ? Number(last.seq) : 0, last_hash: prev })
    .where('id', '=', 1)
    .execute();
}

describe.each(storeFactories())('signed audit checkpoints ($name)', ({ open }) => {
  let t: TestApp;
  let admin: ReturnType<typeof client>;
  let checkpoint: Record<string, unknown>;

  beforeEach(async () => {
    t = await startApp(open);
    // The key outside the database: EMBARGO_AUDIT_KEY here (a key file in the data directory otherwise).
    t.app.config.auditKey = randomBytes(32).toString('base64');
    admin = client(t.server, (await userWithToken(t.app, 'root', 'admin')).token);
    for (const title of ['One', 'Two', 'Three']) expect((await admin.post('/api/v1/cases', { title })).status).toBe(201);
    const signed = await admin.post('/api/v1/audit/checkpoints');
    expect(signed.status).toBe(201);
    checkpoint = signed.body;
    // More events after the checkpoint.
    expect((await admin.post('/api/v1/cases', { title: 'Four' })).status).toBe(201);
  });
  afterEach(() => t.close());

  const plain = async () => (await admin.get('/api/v1/audit/verify')).body;
  const held = async (cp: unknown = checkpoint) => {
    const res = await admin.post('/api/v1/audit/checkpoints/verify', cp);
    expect(res.status).toBe(200);
    return res.body;
  };

  it('signs the head of an intact log, records that it did, and holds later', async () => {
    expect(checkpoint).toMatchObject({
      format: 'embargo-audit-checkpoint/1',
      seq: expect.any(Number),
      hash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    const events = (await admin.get('/api/v1/audit/events')).body.events;
    expect(events.find((e: { action: string }) => e.action === 'audit.checkpointed').details).toMatchObject({
      seq: checkpoint.seq,
      hash: checkpoint.hash,
    });
    expect(await held()).toMatchObject({ ok: true, problem: null, checkpoint: { seq: checkpoint.seq } });
  });

  it('detects hashes recomputed after an edit, which the chain alone calls intact', async () => {
    await t.app.store.db.updateTable('events').set({ details: '{"title":"Rewritten"}' }).where('seq', '=', 1).execute();
    await rechain(t.app.store);
    expect((await plain()).ok).toBe(true);
    const result = await held();
    expect(result.ok).toBe(false);
    expect(result.problem).toContain(`event ${checkpoint.seq} no longer has the hash the checkpoint`);
  });

  it('detects a truncated tail with the head moved back', async () => {
    await t.app.store.db
      .deleteFrom('events')
      .where('seq', '>=', Number(checkpoint.seq) - 1)
      .execute();
    await rechain(t.app.store);
    expect((await plain()).ok).toBe(true);
    const result = await held();
    expect(result.ok).toBe(false);
    expect(result.problem).toContain(`the log has no event ${checkpoint.seq}`);
  });

  it('detects an emptied log with the head reset', async () => {
    await t.app.store.db.deleteFrom('events').execute();
    await rechain(t.app.store);
    expect(await plain()).toMatchObject({ ok: true, checked: 0 });
    expect((await held()).problem).toContain(`the log has no event ${checkpoint.seq}`);
  });

  it('refuses a checkpoint that was edited, or signed with another key', async () => {
    expect((await held({ ...checkpoint, seq: 1 })).problem).toBe(
      'the checkpoint signature does not match its content: the checkpoint was edited',
    );
    t.app.config.auditKey = randomBytes(32).toString('base64');
    expect((await held()).problem).toContain("the checkpoint was signed with another key than this server's audit key");
  });

  it('does not sign a broken log', async () => {
    await t.app.store.db.updateTable('events').set({ details: '{"title":"Edited"}' }).where('seq', '=', 1).execute();
    const res = await admin.post('/api/v1/audit/checkpoints');
    expect(res.status).toBe(409);
    expect(res.body.error.message).toMatch(/^the audit log is broken at event 1: .*; a checkpoint would sign it$/);
  });
});
