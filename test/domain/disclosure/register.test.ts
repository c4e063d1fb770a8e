/** The register merge and membership history: pure rules, no database. */
import { describe, expect, it } from 'vitest';
import { buildRegister, findMember, hadAcceptedTermsAt, membersAt, withoutTerms } from '../../../src/domain/disclosure/index.js';
import type { Disclosure, Distributor, SentMessage } from '../../../src/domain/disclosure/index.js';

const LIST = 'distributors@lists.example.org';

const member = (id: string, over: Partial<Distributor> = {}): Distributor => ({
  id,
  project: 'contour',
  organisation: `Org ${id}`,
  contact: `security@${id}.example`,
  criteria: [],
  vouchedBy: null,
  termsAcceptedAt: '2026-01-01T00:00:00.000Z',
  addedAt: '2026-01-01T00:00:00.000Z',
  addedBy: 'root',
  removedAt: null,
  removedBy: null,
  ...over,
});

const mail = (id: string, over: Partial<SentMessage> = {}): SentMessage => ({
  id,
  kind: 'distributors-notice',
  subject: `notice ${id}`,
  to: [LIST],
  cc: [],
  sentAt: '2026-11-25T10:00:00.000Z',
  status: 'sent',
  ...over,
});

describe('membership at a moment', () => {
  const joinedLate = member('late', { addedAt: '2026-11-25T10:00:01.000Z' });
  const left = member('left', { removedAt: '2026-11-25T10:00:00.000Z' });
  const leftAfter = member('after', { removedAt: '2026-11-25T10:00:01.000Z' });

  it('counts a member from the instant they were added until the instant they were removed', () => {
    const ids = membersAt([joinedLate, left, leftAfter, member('always')], '2026-11-25T10:00:00.000Z').map((d) => d.id);
    expect(ids).toEqual(['after', 'always']);
  });

  it('counts terms accepted by then, not later', () => {
    const d = member('x', { termsAcceptedAt: '2026-11-25T11:00:00.000Z' });
    expect(hadAcceptedTermsAt(d, '2026-11-25T10:59:59.000Z')).toBe(false);
    expect(hadAcceptedTermsAt(d, '2026-11-25T11:00:00.000Z')).toBe(true);
    expect(hadAcceptedTermsAt(member('y', { termsAcceptedAt: null }), '2030-01-01T00:00:00.000Z')).toBe(false);
  });

  it('finds the member a person means by id, organisation or address, among active members', () => {
    const members = [member('a', { organisation: 'Alpha' }), member('b', { organisation: 'Beta', removedAt: '2026-02-01T00:00:00.000Z' })];
    expect(findMember(members, 'alpha')).toMatchObject({ id: 'a' });
    expect(findMember(members, 'SECURITY@a.example')).toMatchObject({ id: 'a' });
    expect(findMember(members, 'Beta')).toBeNull();
    expect(findMember(members, 'b')).toMatchObject({ id: 'b' });
    const twins = [member('c', { organisation: 'Same' }), member('d', { organisation: 'Same' })];
    expect(findMember(twins, 'same')).toHaveLength(2);
  });
});

describe('buildRegister', () => {
  it('expands a mail to the list into the members of that moment, with their terms then', () => {
    const members = [
      member('a'),
      member('b', { termsAcceptedAt: null }),
      member('gone', { removedAt: '2026-11-01T00:00:00.000Z' }),
      member('new', { addedAt: '2026-11-26T00:00:00.000Z' }),
    ];
    const reg = buildRegister({ messages: [mail('m1')], listAddresses: [LIST], members, disclosures: [] });
    expect(reg.entries.map((e) => [e.who, e.source, e.acceptedTerms, e.messageId])).toEqual([
      ['Org a', 'distributors-list', true, 'm1'],
      ['Org b', 'distributors-list', false, 'm1'],
    ]);
    expect(withoutTerms(reg).map((e) => e.who)).toEqual(['Org b']);
  });

  it('matches the list address without regard to case, and lists other recipients directly', () => {
    const reg = buildRegister({
      messages: [mail('m1', { to: [LIST.toUpperCase()], cc: ['jane@cloud.example', 'security@a.example'] })],
      listAddresses: [LIST],
      members: [member('a')],
      disclosures: [],
    });
    // Member a got it twice (list and cc): one receipt per mail.
    expect(reg.entries.map((e) => [e.who, e.source, e.acceptedTerms])).toEqual([
      ['jane@cloud.example', 'direct', null],
      ['Org a', 'distributors-list', true],
    ]);
  });

  it('names a member mailed directly, with their terms', () => {
    const reg = buildRegister({
      messages: [mail('m1', { to: ['security@b.example'] })],
      listAddresses: [LIST],
      members: [member('b', { termsAcceptedAt: null })],
      disclosures: [],
    });
    expect(reg.entries).toMatchObject([{ who: 'Org b', source: 'direct', distributorId: 'b', acceptedTerms: false }]);
  });

  it('leaves out mails not sent, and reports those that may be out as unconfirmed', () => {
    const reg = buildRegister({
      messages: [
        mail('queued', { status: 'queued', sentAt: null }),
        mail('failed', { status: 'failed', sentAt: null }),
        mail('copied', { status: 'copied', sentAt: null }),
        mail('unknown', { status: 'unknown', sentAt: null }),
      ],
      listAddresses: [LIST],
      members: [member('a')],
      disclosures: [],
    });
    expect(reg.entries).toEqual([]);
    expect(reg.unconfirmed.map((u) => [u.messageId, u.status])).toEqual([
      ['copied', 'copied'],
      ['unknown', 'unknown'],
    ]);
  });

  it('merges what people told someone, in time order', () => {
    const told: Disclosure = {
      id: 'd1',
      caseId: 'EMB-2026-0001',
      recipient: 'Sam',
      channel: 'chat',
      what: 'the date',
      at: '2026-11-25T09:00:00.000Z',
      acceptedTerms: false,
      recordedBy: 'alice',
      recordedAt: '2026-11-25T12:00:00.000Z',
    };
    const reg = buildRegister({ messages: [mail('m1')], listAddresses: [LIST], members: [member('a')], disclosures: [told] });
    expect(reg.entries.map((e) => [e.at, e.who, e.source, e.channel, e.acceptedTerms])).toEqual([
      ['2026-11-25T09:00:00.000Z', 'Sam', 'disclosure', 'chat', false],
      ['2026-11-25T10:00:00.000Z', 'Org a', 'distributors-list', null, true],
    ]);
  });

  it('counts each party once, however often and however they were reached', () => {
    const reg = buildRegister({
      messages: [
        mail('m1', { cc: ['jane@cloud.example'] }),
        mail('m2', { to: ['security@b.example', 'JANE@cloud.example'], sentAt: '2026-11-25T11:00:00.000Z' }),
        mail('m3', { sentAt: '2026-11-25T12:00:00.000Z' }),
      ],
      listAddresses: [LIST],
      members: [member('a'), member('b', { termsAcceptedAt: '2026-11-25T11:30:00.000Z' })],
      disclosures: [],
    });
    expect(reg.people.map((p) => [p.who, p.firstAt, p.receipts, p.withoutTerms])).toEqual([
      ['jane@cloud.example', '2026-11-25T10:00:00.000Z', 2, 2],
      ['Org a', '2026-11-25T10:00:00.000Z', 2, 0],
      ['Org b', '2026-11-25T10:00:00.000Z', 3, 2],
    ]);
  });

  it('without a configured list address, every recipient is direct', () => {
    const reg = buildRegister({ messages: [mail('m1')], listAddresses: [], members: [member('a')], disclosures: [] });
    expect(reg.entries).toMatchObject([{ who: LIST, source: 'direct', acceptedTerms: null }]);
  });
});
