/**
 * The clocks of a case read at moving instants: across business-day boundaries, a weekend and a
 * holiday, each goes due → at risk → overdue, and a mail or a publication meets it.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { caseClocks, clockAt, type ClockDeclaration } from '../../../src/domain/clock/index.js';
import { parsePlaybook } from '../../../src/domain/playbook/index.js';
import { zonedToInstant } from '../../../src/domain/time.js';
import { makeCase, readyCase } from '../../support/case-fixture.js';

const ZONE = 'Europe/Berlin';
const berlin = (local: string) => zonedToInstant(local, ZONE);
const contour = parsePlaybook(readFileSync('playbooks/contour.yaml', 'utf8'));
const clock = (id: string) => contour.clocks.find((c) => c.id === id) as ClockDeclaration;

// Reported on Friday 2026-12-04 at 15:00 Berlin; Tuesday 2026-12-08 is a holiday.
const reported = berlin('2026-12-04 15:00').toISOString();
const base = makeCase({ createdAt: reported, updatedAt: reported });
const withHoliday = { timeZone: ZONE, holidays: ['2026-12-08'] };

function ackAt(local: string, calendar = withHoliday, c = base) {
  return clockAt(clock('acknowledge'), { case: c, clocks: [], calendar, now: berlin(local) });
}

describe('acknowledge within 3 business days', () => {
  it('walks Friday → weekend → Monday → holiday → Wednesday (due), Thursday (at risk), Friday (overdue)', () => {
    const walk = [
      ['2026-12-04 16:00', 'due'],
      ['2026-12-05 12:00', 'due'], // Saturday
      ['2026-12-06 23:00', 'due'], // Sunday
      ['2026-12-07 09:00', 'due'], // business day 1
      ['2026-12-08 09:00', 'due'], // the holiday does not count
      ['2026-12-09 23:59', 'due'], // business day 2
      ['2026-12-10 00:00', 'at-risk'], // business day 3: the last one
      ['2026-12-10 23:59', 'at-risk'],
      ['2026-12-11 00:00', 'overdue'],
      ['2026-12-14 10:00', 'overdue'],
    ] as const;
    expect(walk.map(([at]) => [at, ackAt(at).status])).toEqual(walk);
    const v = ackAt('2026-12-07 09:00');
    expect(v.dueAt).toBe(berlin('2026-12-11 00:00').toISOString());
    expect(v.dueLocal).toBe('2026-12-11 00:00 Europe/Berlin');
    expect(v.atRiskAt).toBe(berlin('2026-12-10 00:00').toISOString());
  });

  it('without the holiday the deadline is a day earlier', () => {
    const cal = { timeZone: ZONE, holidays: [] };
    expect(ackAt('2026-12-09 00:00', cal).status).toBe('at-risk');
    expect(ackAt('2026-12-10 00:00', cal).status).toBe('overdue');
  });

  it('the same instants read in another zone give other days', () => {
    // 2026-12-10 00:30 Berlin is still Wednesday 23:30 in London: business day 3 there is Thursday.
    const cal = { timeZone: 'Europe/London', holidays: ['2026-12-08'] };
    expect(ackAt('2026-12-10 00:30', cal).status).toBe('due');
  });

  it('is met by the acknowledgement (late when after the deadline)', () => {
    const sent = (local: string) =>
      makeCase({
        createdAt: reported,
        updatedAt: reported,
        messages: [{ kind: 'reporter-ack', outboxId: 'o1', at: berlin(local).toISOString(), by: 'alice', status: 'sent' }],
      });
    const onTime = ackAt('2026-12-14 10:00', withHoliday, sent('2026-12-09 10:00'));
    expect([onTime.status, onTime.late, onTime.metAt]).toEqual(['met', false, berlin('2026-12-09 10:00').toISOString()]);
    expect(ackAt('2026-12-14 10:00', withHoliday, sent('2026-12-11 10:00')).late).toBe(true);
    // Read at an instant before the mail, the clock was still running (what a retrospective asks).
    expect(ackAt('2026-12-10 10:00', withHoliday, sent('2026-12-11 10:00')).status).toBe('at-risk');
    // A failed mail does not count.
    const failed = makeCase({
      createdAt: reported,
      messages: [{ kind: 'reporter-ack', outboxId: 'o1', at: reported, by: 'alice', status: 'failed' }],
    });
    expect(ackAt('2026-12-07 10:00', withHoliday, failed).status).toBe('due');
  });

  it('a report received on Saturday is due at the end of Wednesday', () => {
    const sat = berlin('2026-12-05 10:00').toISOString();
    const c = makeCase({ createdAt: sat });
    const v = clockAt(clock('acknowledge'), {
      case: c,
      clocks: [],
      calendar: { timeZone: ZONE, holidays: [] },
      now: berlin('2026-12-05 11:00'),
    });
    expect(v.dueLocal).toBe('2026-12-10 00:00 Europe/Berlin');
  });
});

describe('the other clocks of Contour', () => {
  const cal = { timeZone: ZONE, holidays: [] };
  it('updates the reporter every 7 days: each mail to the reporter starts it again', () => {
    const ack = berlin('2026-12-07 10:00').toISOString();
    const c = makeCase({ createdAt: reported, messages: [{ kind: 'reporter-ack', outboxId: 'o1', at: ack, by: 'a', status: 'sent' }] });
    const at = (local: string, cc = c) => clockAt(clock('update-reporter'), { case: cc, clocks: [], calendar: cal, now: berlin(local) });
    expect(at('2026-12-13 09:00').status).toBe('due');
    expect(at('2026-12-13 10:00').status).toBe('at-risk');
    expect(at('2026-12-14 10:00').status).toBe('overdue');
    const again = {
      ...c,
      messages: [
        ...c.messages,
        {
          kind: 'reporter-draft-created',
          outboxId: 'o2',
          at: berlin('2026-12-14 11:00').toISOString(),
          by: 'a',
          status: 'queued' as const,
        },
      ],
    };
    expect(at('2026-12-14 12:00', again)).toMatchObject({ status: 'due', dueLocal: '2026-12-21 11:00 Europe/Berlin' });
    expect(at('2026-12-30 12:00', { ...again, publishedAt: berlin('2026-12-20 10:00').toISOString() }).status).toBe('met');
  });

  it('the disclosure target applies to critical cases only', () => {
    const high = makeCase({ createdAt: reported, severity: { cvss: ['CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:N'], cwe: [] } });
    const critical = makeCase({ createdAt: reported, severity: { cvss: ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H'], cwe: [] } });
    const now = berlin('2026-12-10 10:00');
    expect(clockAt(clock('disclosure-target'), { case: high, clocks: [], calendar: cal, now }).status).toBe('not-started');
    const v = clockAt(clock('disclosure-target'), { case: critical, clocks: [], calendar: cal, now });
    // 14 business days from Friday 2026-12-04: Dec 7–11, 14–18, 21–24 → the end of Thursday 2026-12-24.
    expect([v.status, v.dueLocal]).toEqual(['due', '2026-12-25 00:00 Europe/Berlin']);
  });

  it('the embargo end turns overdue when the embargo passed unpublished, met when published', () => {
    const c = readyCase({ createdAt: reported, publishedAt: null });
    const events = [{ action: 'case.embargo-set', at: reported }];
    const at = (local: string, cc = c) =>
      clockAt(clock('embargo-end'), { case: cc, events, clocks: [], calendar: cal, now: berlin(local) });
    // The fixture's embargo ends on 2026-12-01 17:00 Berlin, before the report: overdue at once.
    expect(at('2026-12-04 16:00').status).toBe('overdue');
    const later = { ...c, embargo: { endsAt: berlin('2026-12-09 17:00').toISOString(), timeZone: ZONE } };
    expect(at('2026-12-07 16:00', later).status).toBe('due');
    expect(at('2026-12-09 10:00', later).status).toBe('at-risk');
    expect(at('2026-12-09 17:00', later).status).toBe('overdue');
    expect(at('2026-12-09 18:00', { ...later, publishedAt: berlin('2026-12-09 17:30').toISOString() })).toMatchObject({
      status: 'met',
      late: true,
    });
  });

  it('distributors answered is met only when none is pending', () => {
    const c = makeCase({
      createdAt: reported,
      messages: [{ kind: 'distributors-notice', outboxId: 'o', at: berlin('2026-12-07 10:00').toISOString(), by: 'a', status: 'copied' }],
    });
    const read = (pending: number) =>
      clockAt(clock('distributors-answer'), {
        case: c,
        clocks: [],
        calendar: cal,
        now: berlin('2026-12-09 10:00'),
        facts: { distributors: { pending, lastAnswerAt: berlin('2026-12-08 10:00').toISOString() } },
      }).status;
    expect([read(1), read(0)]).toEqual(['due', 'met']);
  });

  it('a case closed without an advisory stops its clocks', () => {
    const c = makeCase({
      createdAt: reported,
      resolution: { outcome: 'rejected', category: 'not-a-vulnerability', duplicateOf: null, reason: 'no', by: 'a', at: reported },
    });
    const views = caseClocks({ case: c, clocks: contour.clocks, calendar: cal, now: berlin('2026-12-20 10:00') });
    expect(views.find((v) => v.id === 'acknowledge')?.status).toBe('stopped');
    expect(views.map((v) => v.id)).toEqual(contour.clocks.map((d) => d.id));
  });
});

describe('declaring clocks in a playbook', () => {
  const yaml = (clocks: string) =>
    `id: p\nname: P\ndescription: d\nsequential: true\nsettings: { embargoedMailCarriesCve: false }\nsteps:\n  - { id: a, title: A, phase: x }\nclocks:\n${clocks}`;
  it('fills the defaults', () => {
    const pb = parsePlaybook(yaml('  - { id: c, title: C, due: { days: 2 }, metBy: { step: a } }\n'));
    expect(pb.clocks).toEqual([
      { id: 'c', title: 'C', from: 'reported', due: { days: 2 }, metBy: { step: 'a' }, repeats: false, atRisk: { businessDays: 1 } },
    ]);
  });
  it('refuses an unknown step, a duplicate id and a malformed due', () => {
    expect(() =>
      parsePlaybook(
        yaml(
          '  - { id: c, title: C, due: { days: 2 }, metBy: { step: nope } }\n  - { id: c, title: D, due: { weeks: 2 }, metBy: { published: true } }\n',
        ),
      ),
    ).toThrow(/clocks\[0\]\.metBy\.step names "nope".*|clocks\[1\]/);
    try {
      parsePlaybook(yaml('  - { id: c, title: C, due: { weeks: 2 }, metBy: { published: true } }\n'));
      expect.unreachable();
    } catch (e) {
      expect((e as Error).message).toContain('clocks[0].due');
    }
  });
});
