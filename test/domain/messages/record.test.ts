/**
 * The case's record of its mails: recordMessage (one entry and one `message.queued` event per
 * outbox row, never the body), the outbox statuses laid over it, and old stored cases without it.
 */
import { describe, expect, it } from 'vitest';
import { withDefaults, type Case } from '../../../src/domain/case/index.js';
import { noticeOnEarlierDate, recordMessage, withMessageStatuses } from '../../../src/domain/messages/index.js';
import { ctx, makeCase } from '../../support/case-fixture.js';

const NOW = '2026-11-25T10:00:00.000Z';
const queued = {
  kind: 'distributors-notice' as const,
  outboxId: 'm-1',
  status: 'queued' as const,
  to: ['list@example.org'],
  subject: '#security Upcoming release',
  via: 'smtp' as const,
};

describe('recordMessage', () => {
  it('adds the mail to the case and says so in a message.queued event without the body', () => {
    const c = makeCase({ title: 'Case' });
    const before = structuredClone(c);
    const { state, events } = recordMessage(c, queued, ctx(NOW, 'alice'));
    expect(state.messages).toEqual([
      { kind: 'distributors-notice', outboxId: 'm-1', at: NOW, by: 'alice', status: 'queued', embargo: null },
    ]);
    expect(state.revision).toBe(c.revision + 1);
    expect(state.updatedAt).toBe(NOW);
    expect(events).toEqual([
      {
        action: 'message.queued',
        caseId: c.id,
        details: {
          kind: 'distributors-notice',
          label: 'the embargoed distributors notice',
          to: ['list@example.org'],
          subject: '#security Upcoming release',
          messageId: 'm-1',
          via: 'smtp',
        },
      },
    ]);
    expect(c).toEqual(before);
  });

  it('records the same outbox row once: a repeated request changes nothing', () => {
    const once = recordMessage(makeCase(), queued, ctx(NOW)).state;
    const twice = recordMessage(once, { ...queued, status: 'copied' }, ctx(NOW));
    expect(twice).toEqual({ state: once, events: [] });
  });
});

describe('withMessageStatuses', () => {
  const c: Case = recordMessage(makeCase(), queued, ctx(NOW)).state;

  it("takes the outbox's current status, and keeps the same object when nothing changed", () => {
    expect(withMessageStatuses(c, new Map([['m-1', 'failed']])).messages[0]!.status).toBe('failed');
    expect(withMessageStatuses(c, new Map([['m-1', 'queued']]))).toBe(c);
    expect(withMessageStatuses(c, new Map([['other', 'sent']]))).toBe(c);
  });
});

describe('a case stored before it had messages', () => {
  it('reads with an empty list', () => {
    const { messages: _m, ...old } = makeCase({ title: 'Old' });
    expect(withDefaults(old as Case).messages).toEqual([]);
    expect(withDefaults(c2()).messages).toHaveLength(1);
  });
});

const c2 = () => recordMessage(makeCase(), queued, ctx(NOW)).state;

describe('noticeOnEarlierDate (issue 13, item 5)', () => {
  const dec1 = { endsAt: '2026-12-01T16:00:00.000Z', timeZone: 'Europe/Berlin' };
  const dec3 = { endsAt: '2026-12-03T16:00:00.000Z', timeZone: 'Europe/Berlin' };
  const told = (embargo: typeof dec1 | null) => recordMessage({ ...makeCase({ title: 'Case' }), embargo }, queued, ctx(NOW, 'alice')).state;

  it('is null before any notice, and while a notice gave the current date', () => {
    expect(noticeOnEarlierDate({ ...makeCase({ title: 'Case' }), embargo: dec1 })).toBeNull();
    expect(noticeOnEarlierDate(told(dec1))).toBeNull();
  });

  it('names the date the distributors were told once the embargo moved, until a notice gives the new one', () => {
    const moved = { ...told(dec1), embargo: dec3 };
    expect(noticeOnEarlierDate(moved)).toEqual({ told: dec1 });
    const renotified = recordMessage(moved, { ...queued, outboxId: 'm-2' }, ctx(NOW, 'alice')).state;
    expect(noticeOnEarlierDate(renotified)).toBeNull();
    // A failed notice told nobody; a notice queued before dates were recorded counts as current.
    expect(noticeOnEarlierDate({ ...moved, messages: moved.messages.map((m) => ({ ...m, status: 'failed' as const })) })).toBeNull();
    const { embargo: _e, ...legacy } = moved.messages[0]!;
    expect(noticeOnEarlierDate({ ...moved, messages: [legacy] })).toBeNull();
  });
});
