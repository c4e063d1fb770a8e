import { describe, expect, it } from 'vitest';
import { event } from '../../../src/domain/events.js';
import {
  buildMetrics,
  buildTimeline,
  type CaseMetrics,
  durationsOf,
  median,
  metricsCsv,
  type TimelineEvent,
} from '../../../src/domain/retro/index.js';

const H = 3_600_000;
const at = (h: number) => new Date(Date.UTC(2026, 0, 5, 9) + h * H).toISOString();
const on = <E extends TimelineEvent>(e: Omit<E, 'at'>, h: number) => ({ ...e, at: at(h) }) as TimelineEvent;
const mail = { messageId: 'm', to: [], cc: [], subject: 's' };

describe('the timeline of a case', () => {
  const plan = [
    { line: '1.33', version: '1.33.4', releasedAt: null, tag: null, verified: false },
    { line: '1.32', version: '1.32.5', releasedAt: null, tag: null, verified: false },
  ] as never;

  it('takes the report date the intake knew, a sent mail over a queued one, and a release as it stands after an undo', () => {
    const events = [
      on(event('case.created', 'C', { title: 't', project: 'p', codename: 'c', playbook: 'contour' }), 30),
      on(event('report.received', 'C', { source: 'form', reportedAt: at(0), affectedVersions: null }), 30),
      on(event('message.queued', 'C', { kind: 'reporter-ack', label: '', to: [], subject: '', messageId: 'm', via: 'smtp' }), 31),
      on(event('message.sent', 'C', { ...mail, kind: 'reporter-ack', smtpResponse: '250', rejected: [] }), 32),
      on(event('release.recorded', 'C', { line: '1.33', version: '1.33.4', tag: null }), 40),
      on(event('release.recorded', 'C', { line: '1.32', version: '1.32.5', tag: null }), 41),
      on(
        event('release.undone', 'C', {
          line: '1.32',
          version: '1.32.5',
          previous: { releasedAt: at(41), tag: null, verified: false },
          reason: 'x',
        }),
        42,
      ),
    ];
    const timeline = buildTimeline(events, { publishedAt: null, releasePlan: plan });
    expect(timeline.map((m) => [m.kind, m.sinceReport / H, m.state ?? null])).toEqual([
      ['reported', 0, null],
      ['acknowledged', 32, 'sent'],
      ['released', 40, null],
    ]);
    expect(timeline[2]!.sincePrevious).toBe(8 * H);
    // One line is still out: no time to fix yet.
    expect(durationsOf(timeline, { releasePlan: plan })).toMatchObject({ toAcknowledge: 32 * H, toFix: null, toDisclose: null });
  });
});

describe('metrics across cases', () => {
  const row = (caseId: string, reportedAt: string, ack: number | null, clocksMissed: number | null): CaseMetrics => ({
    caseId,
    project: 'contour',
    reportedAt,
    durations: { toAcknowledge: ack, toTriage: null, toCve: null, toFix: null, toNotice: null, toDisclose: null, toAnnounce: null },
    clocksMissed,
  });

  it('gives medians overall and per month, leaves unknown clocks out, and exports CSV in hours', () => {
    expect(median([])).toBeNull();
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    const m = buildMetrics([
      row('EMB-2026-0003', '2026-02-01T00:00:00.000Z', 10 * H, null),
      row('EMB-2026-0001', '2026-01-02T00:00:00.000Z', 2 * H, 1),
      row('EMB-2026-0002', '2026-01-20T00:00:00.000Z', 4 * H, 0),
    ]);
    expect(m.overall).toEqual({ cases: 3, toAcknowledge: 4 * H, toFix: null, toDisclose: null, clocksMissed: 1 });
    expect(m.trend.map((t) => [t.month, t.cases, t.toAcknowledge, t.clocksMissed])).toEqual([
      ['2026-01', 2, 3 * H, 1],
      ['2026-02', 1, 10 * H, null],
    ]);
    const csv = metricsCsv(m).split('\r\n');
    expect(csv[1]).toBe('EMB-2026-0001,contour,2026-01-02T00:00:00.000Z,2.00,,,,,,,1');
    expect(csv[3]).toBe('EMB-2026-0003,contour,2026-02-01T00:00:00.000Z,10.00,,,,,,,');
  });
});
