/** Answers on the disclosure date, stale answers, the agreement decision, and input rules. */
import { describe, expect, it } from 'vitest';
import {
  ackSummary,
  applyLeakEdit,
  currentAgreement,
  decideAgreement,
  distributorAnswer,
  distributorEdit,
  leakEdit,
  newDisclosure,
  newDistributor,
  newLeak,
  type Distributor,
  type DistributorAnswer,
  type EmbargoAgreement,
  type LeakIncident,
} from '../../../src/domain/disclosure/index.js';
import { errorOf } from '../../support/domain-error.js';

const embargo = { endsAt: '2026-12-01T16:00:00.000Z', timeZone: 'Europe/Berlin' };
const moved = { endsAt: '2026-12-03T16:00:00.000Z', timeZone: 'Europe/Berlin' };
const now = new Date('2026-11-25T12:00:00Z');

const member = (id: string, over: Partial<Distributor> = {}): Distributor => ({
  id,
  project: 'contour',
  organisation: id.toUpperCase(),
  contact: `s@${id}.example`,
  criteria: [],
  vouchedBy: null,
  termsAcceptedAt: null,
  addedAt: '2026-01-01T00:00:00.000Z',
  addedBy: 'root',
  removedAt: null,
  removedBy: null,
  ...over,
});

const answer = (distributorId: string, kind: 'ack' | 'objection', about = embargo, reason: string | null = null): DistributorAnswer => ({
  caseId: 'EMB-2026-0001',
  distributorId,
  answer: kind,
  reason,
  endsAt: about.endsAt,
  timeZone: about.timeZone,
  recordedBy: 'alice',
  recordedAt: '2026-11-25T11:00:00.000Z',
});

describe('ackSummary', () => {
  const members = [member('a'), member('b'), member('c'), member('gone', { removedAt: '2026-11-01T00:00:00.000Z' })];
  const answers = [answer('a', 'ack'), answer('b', 'objection', embargo, 'too early'), answer('gone', 'ack')];

  it('lists active members with their answer on the current date, and who has not answered', () => {
    const s = ackSummary(embargo, members, answers);
    expect(s.members.map((m) => [m.organisation, m.state])).toEqual([
      ['A', 'ack'],
      ['B', 'objection'],
      ['C', 'no-answer'],
    ]);
    expect(s.notAnswered).toEqual(['C']);
    expect(s.objected).toEqual([{ organisation: 'B', reason: 'too early' }]);
    expect(s.acknowledged).toEqual(['A']);
  });

  it('shows answers about another date (or another zone for the same instant) as stale, and counts them as not answered', () => {
    const s = ackSummary(moved, members, answers);
    expect(s.members.map((m) => m.state)).toEqual(['stale', 'stale', 'no-answer']);
    expect(s.notAnswered).toEqual(['A', 'B', 'C']);
    expect(s.members[0]).toMatchObject({ answer: 'ack', aboutEndsAt: embargo.endsAt });
    const otherZone = ackSummary({ endsAt: embargo.endsAt, timeZone: 'UTC' }, members, answers);
    expect(otherZone.members[0]!.state).toBe('stale');
  });

  it('treats every answer as stale when there is no embargo any more', () => {
    expect(ackSummary(null, members, answers).members.map((m) => m.state)).toEqual(['stale', 'stale', 'no-answer']);
  });
});

describe('decideAgreement', () => {
  const agreement = (about: typeof embargo): EmbargoAgreement => ({
    id: 'g',
    caseId: 'EMB-2026-0001',
    ...about,
    agreedBy: 'alice',
    agreedAt: '2026-11-25T12:00:00.000Z',
    objected: [],
    notAnswered: [],
  });

  it('refuses without an embargo, with a sentence', () => {
    const err = errorOf(() => decideAgreement('EMB-2026-0001', null, ackSummary(null, [], []), []));
    expect(err.code).toBe('conflict');
    expect(err.message).toMatch(/no embargo to agree on/);
  });

  it('warns about objections and missing answers instead of refusing', () => {
    const s = ackSummary(embargo, [member('a'), member('b'), member('c')], [answer('b', 'objection', embargo, 'too early')]);
    const d = decideAgreement('EMB-2026-0001', embargo, s, []);
    expect(d.warnings).toEqual(['B objected to this date: too early', '2 members have not answered on this date: A, C']);
    expect(d.objected).toEqual(['B']);
    expect(d.alreadyAgreed).toBe(false);
  });

  it('has no warnings when everyone acked, and knows an agreement on the same date', () => {
    const s = ackSummary(embargo, [member('a')], [answer('a', 'ack')]);
    expect(decideAgreement('EMB-2026-0001', embargo, s, [agreement(embargo)])).toMatchObject({ warnings: [], alreadyAgreed: true });
    expect(currentAgreement([agreement(embargo)], moved)).toBeNull();
  });
});

describe('input rules', () => {
  it('requires a reason for an objection, not for an ack', () => {
    expect(errorOf(() => distributorAnswer({ answer: 'objection' })).message).toMatch(/objection needs a reason/);
    expect(errorOf(() => distributorAnswer({ answer: 'objection', reason: '  ' })).message).toMatch(/objection needs a reason/);
    expect(distributorAnswer({ answer: 'ack' })).toEqual({ answer: 'ack', reason: null });
    expect(errorOf(() => distributorAnswer({ answer: 'maybe' })).details.field).toBe('answer');
  });

  it('checks a new member: name, plain address, criteria without duplicates, terms time with its zone', () => {
    expect(
      newDistributor(
        { organisation: ' Alpha ', contact: 'sec@alpha.example', criteria: ['Has a security contact', 'has a security contact'] },
        now,
      ),
    ).toEqual({
      organisation: 'Alpha',
      contact: 'sec@alpha.example',
      criteria: ['Has a security contact'],
      vouchedBy: null,
      termsAcceptedAt: null,
    });
    expect(errorOf(() => newDistributor({ organisation: 'A', contact: 'not an address' }, now)).details.field).toBe('contact');
    expect(
      errorOf(() => newDistributor({ organisation: 'A', contact: 'a@b.example', termsAcceptedAt: '2026-11-20 10:00' }, now)).message,
    ).toMatch(/must say its zone/);
    expect(
      errorOf(() => newDistributor({ organisation: 'A', contact: 'a@b.example', termsAcceptedAt: '2027-01-01T00:00:00Z' }, now)).message,
    ).toMatch(/in the future/);
    expect(errorOf(() => distributorEdit({ contact: 'x@y.example' }, now)).message).toMatch(/remove the member and add them again/);
    expect(distributorEdit({ termsAcceptedAt: null }, now)).toEqual({ termsAcceptedAt: null });
  });

  it('checks a disclosure: channel, when (default now), terms', () => {
    expect(newDisclosure({ recipient: 'Sam', what: 'the date' }, now)).toEqual({
      recipient: 'Sam',
      channel: 'other',
      what: 'the date',
      at: now.toISOString(),
      acceptedTerms: false,
    });
    expect(errorOf(() => newDisclosure({ recipient: 'Sam', what: 'x', channel: 'pigeon' }, now)).details.field).toBe('channel');
    expect(errorOf(() => newDisclosure({ recipient: '', what: 'x' }, now)).details.field).toBe('recipient');
  });

  it('keeps who reported a leak as recorded, and needs something to change', () => {
    expect(newLeak({ what: 'x', leakedTo: 'y', reportedBy: 'z' }, now)).toMatchObject({ reportedAt: now.toISOString(), followUp: '' });
    expect(errorOf(() => newLeak({ what: 'x', leakedTo: 'y', reportedBy: 'z', status: 'closed' }, now)).details.field).toBe('status');
    expect(errorOf(() => leakEdit({ reportedAt: '2026-11-25T10:00:00Z' })).details.field).toBe('reportedAt');
    expect(errorOf(() => leakEdit({})).message).toMatch(/say what to change/);
  });
});

describe('applyLeakEdit', () => {
  const leak: LeakIncident = {
    id: 'l1',
    caseId: 'EMB-2026-0001',
    what: 'x',
    leakedTo: 'y',
    reportedBy: 'z',
    reportedAt: '2026-11-25T10:00:00.000Z',
    followUp: '',
    status: 'open',
    recordedBy: 'alice',
    recordedAt: '2026-11-25T10:00:00.000Z',
    updatedAt: '2026-11-25T10:00:00.000Z',
    closedAt: null,
  };

  it('closes with a time, reopens without one, and records only what changed', () => {
    const closed = applyLeakEdit(leak, { status: 'closed', followUp: 'done' }, now);
    expect(closed.action).toBe('leak.closed');
    expect(closed.leak).toMatchObject({ status: 'closed', closedAt: now.toISOString(), updatedAt: now.toISOString() });
    expect(closed.changes).toEqual({ followUp: ['', 'done'], status: ['open', 'closed'] });
    const reopened = applyLeakEdit(closed.leak, { status: 'open' }, now);
    expect(reopened).toMatchObject({ action: 'leak.reopened', leak: { closedAt: null } });
    expect(applyLeakEdit(leak, { what: 'x' }, now).changes).toEqual({});
  });
});
