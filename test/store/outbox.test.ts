/** The outbox repository on SQLite and PostgreSQL: enqueue in the caller's transaction, claims, outcomes. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appendEvents, listEvents } from '../../src/store/events.js';
import {
  claimDueMessages,
  enqueueMessage,
  expireStaleClaims,
  getMessage,
  getMessageByKey,
  listMessages,
  markCopied,
  markMessageSent,
  messageIdFor,
  recordFailure,
  recordSent,
  requeueMessage,
  type NewOutboxMessage,
} from '../../src/store/outbox.js';
import type { Store } from '../../src/store/store.js';
import { storeFactories } from '../support/databases.js';
import type { DomainEvent } from '../../src/domain/events.js';

// The chain is indifferent to what an event says: any action and details, cast to the union.
const testEvent = (action: string, caseId: string | null, details: Record<string, unknown> = {}): DomainEvent =>
  ({ action, caseId, details }) as unknown as DomainEvent;

const T0 = new Date('2026-11-25T10:00:00Z');
const at = (min: number) => new Date(T0.getTime() + min * 60_000);

const msg = (key: string, over: Partial<NewOutboxMessage> = {}): NewOutboxMessage => ({
  caseId: 'CASE-2026-0001',
  kind: 'reporter-ack',
  idempotencyKey: key,
  from: 'security@projectcontour.io',
  to: ['reporter@example.org'],
  subject: 'We received your report',
  body: 'Thank you.\n',
  createdBy: 'alice',
  now: T0,
  ...over,
});

describe.each(storeFactories())('outbox store ($name)', (factory) => {
  let store: Store;
  beforeEach(async () => {
    store = await factory.open();
  });
  afterEach(async () => {
    await store.close();
  });
  const claim = (now: Date, workerId = 'w1', limit = 10) =>
    store.write((tx) => claimDueMessages(tx, { workerId, now, leaseMs: 10 * 60_000, limit, dialect: store.dialect }));

  it('enqueues only inside store.write, in the same transaction as the change: a rollback leaves no message', async () => {
    await expect(enqueueMessage(store.db, msg('k0'))).rejects.toThrow(/inside store.write/);
    await expect(
      store.write(async (tx) => {
        await appendEvents(tx, { actor: 'alice', at: T0, events: [testEvent('case.edited', 'CASE-2026-0001', {})] });
        await enqueueMessage(tx, msg('k1'));
        throw new Error('the state change failed');
      }),
    ).rejects.toThrow('the state change failed');
    expect(await listMessages(store.db)).toEqual([]);
    expect(await listEvents(store.db, {})).toEqual([]);

    const { message, created } = await store.write((tx) =>
      enqueueMessage(tx, msg('k1', { cc: ['team@example.org'], headers: { 'X-Case': 'CASE-2026-0001' } })),
    );
    expect(created).toBe(true);
    expect(message).toMatchObject({
      status: 'queued',
      attempts: 0,
      to: ['reporter@example.org'],
      cc: ['team@example.org'],
      headers: { 'X-Case': 'CASE-2026-0001' },
      nextAttemptAt: T0.toISOString(),
      messageId: messageIdFor('k1', 'security@projectcontour.io'),
    });
    expect(await getMessage(store.db, message.id)).toEqual(message);
  });

  it('an existing idempotency key returns the existing row, not a second one', async () => {
    const first = await store.write((tx) => enqueueMessage(tx, msg('same')));
    const again = await store.write((tx) => enqueueMessage(tx, msg('same', { subject: 'different text', now: at(5) })));
    expect(again.created).toBe(false);
    expect(again.message).toEqual(first.message);
    expect(await listMessages(store.db)).toHaveLength(1);
    expect((await getMessageByKey(store.db, 'same'))!.subject).toBe('We received your report');
    expect(await getMessageByKey(store.db, 'sa\u0000me')).toBeNull();
  });

  it('refuses header injection, non-plain addresses and empty recipient lists', async () => {
    const bad: Partial<NewOutboxMessage>[] = [
      { to: [] },
      { to: ['Reporter <reporter@example.org>'] },
      { to: ['a@example.org, b@example.org'] },
      { subject: 'hi\r\nBcc: spy@example.net' },
      { headers: { 'X-Ok': 'a\nBcc: spy@example.net' } },
      { headers: { Bcc: 'spy@example.net' } },
      { idempotencyKey: '' },
    ];
    for (const over of bad) {
      await expect(store.write((tx) => enqueueMessage(tx, msg('bad', over)))).rejects.toThrow(/enqueueMessage/);
    }
    expect(await listMessages(store.db)).toEqual([]);
  });

  it('Message-ID: stable per key, different per key, in the From domain', () => {
    expect(messageIdFor('a', 'x@example.org')).toBe(messageIdFor('a', 'x@example.org'));
    expect(messageIdFor('a', 'x@example.org')).not.toBe(messageIdFor('b', 'x@example.org'));
    expect(messageIdFor('a', 'x@example.org')).toMatch(/^<embargo\.[0-9a-f]{32}@example\.org>$/);
  });

  it('claims due rows once, with a token; only the token holder records the outcome', async () => {
    const a = (await store.write((tx) => enqueueMessage(tx, msg('a')))).message;
    await store.write((tx) => enqueueMessage(tx, msg('later', { now: at(30) })));
    const claimed = await claim(at(1));
    expect(claimed.map((c) => c.id)).toEqual([a.id]);
    expect(claimed[0]).toMatchObject({ status: 'sending', attempts: 1, claimedBy: 'w1', claimedUntil: at(11).toISOString() });
    expect(await claim(at(1), 'w2')).toEqual([]);

    expect(await store.write((tx) => recordSent(tx, a.id, 'not-the-token', { smtpResponse: '250 ok', at: at(2), by: 'worker:x' }))).toBe(
      false,
    );
    expect((await getMessage(store.db, a.id))!.status).toBe('sending');
    expect(
      await store.write((tx) =>
        recordFailure(tx, a.id, claimed[0]!.attemptToken, { error: '421 later', smtpResponse: '421 later', retryAt: at(3) }),
      ),
    ).toBe(true);
    expect(await getMessage(store.db, a.id)).toMatchObject({
      status: 'queued',
      lastError: '421 later',
      nextAttemptAt: at(3).toISOString(),
      claimedBy: null,
    });
    // The old token is spent.
    expect(await store.write((tx) => recordSent(tx, a.id, claimed[0]!.attemptToken, { smtpResponse: '250', at: at(3), by: 'w' }))).toBe(
      false,
    );

    const second = await claim(at(3));
    expect(second.map((c) => c.attempts)).toEqual([2]);
    expect(
      await store.write((tx) =>
        recordFailure(tx, a.id, second[0]!.attemptToken, { error: '554 no', smtpResponse: '554 no', retryAt: null }),
      ),
    ).toBe(true);
    expect(await getMessage(store.db, a.id)).toMatchObject({ status: 'failed', lastError: '554 no' });
    expect(await claim(at(600))).toHaveLength(1); // only 'later'
  });

  it('an expired claim becomes unknown, is never claimed again by itself, and a late record still counts', async () => {
    const a = (await store.write((tx) => enqueueMessage(tx, msg('a')))).message;
    const [c] = await claim(T0);
    expect(await store.write((tx) => expireStaleClaims(tx, at(5)))).toEqual([]);
    const moved = await store.write((tx) => expireStaleClaims(tx, at(11)));
    expect(moved.map((m) => [m.id, m.status])).toEqual([[a.id, 'unknown']]);
    expect(await claim(at(100))).toEqual([]);
    // A slow (not dead) worker finally hears 250: the truth is recorded.
    expect(await store.write((tx) => recordSent(tx, a.id, c!.attemptToken, { smtpResponse: '250 ok', at: at(12), by: 'worker:w1' }))).toBe(
      true,
    );
    expect(await getMessage(store.db, a.id)).toMatchObject({ status: 'sent', smtpResponse: '250 ok', sentBy: 'worker:w1' });
  });

  it('requeue, copy and mark-as-sent only from the states that allow them', async () => {
    const a = (await store.write((tx) => enqueueMessage(tx, msg('a')))).message;
    expect(await store.write((tx) => requeueMessage(tx, a.id, at(1)))).toBeNull(); // queued: nothing to retry
    expect(await store.write((tx) => markMessageSent(tx, a.id, 'bob', at(1)))).toBeNull(); // not copied
    const [c] = await claim(T0);
    expect(await store.write((tx) => markCopied(tx, a.id))).toBeNull(); // the worker has it
    await store.write((tx) => recordFailure(tx, a.id, c!.attemptToken, { error: '554', smtpResponse: null, retryAt: null }));
    expect(await store.write((tx) => requeueMessage(tx, a.id, at(2)))).toMatchObject({
      status: 'queued',
      attempts: 0,
      nextAttemptAt: at(2).toISOString(),
    });
    expect(await store.write((tx) => markCopied(tx, a.id))).toMatchObject({ status: 'copied' });
    expect(await claim(at(100))).toEqual([]);
    expect(await store.write((tx) => markMessageSent(tx, a.id, 'bob', at(3)))).toMatchObject({
      status: 'sent',
      sentBy: 'bob',
      sentAt: at(3).toISOString(),
    });
    expect(await store.write((tx) => markCopied(tx, a.id))).toBeNull();
    expect(await store.write((tx) => requeueMessage(tx, a.id, at(4)))).toBeNull();
    expect(await listMessages(store.db, { status: ['sent'] })).toHaveLength(1);
    expect(await listMessages(store.db, { caseId: 'CASE-2026-0002' })).toEqual([]);
  });
});
