/**
 * Across cases: the medians of the time to acknowledge, to fix and to disclose, their trend by the
 * month the reports came in, and the clocks missed (when the clocks are known). Pure.
 */
import type { ClockOutcome } from './retrospective.js';
import type { Durations } from './timeline.js';

export interface CaseMetrics {
  caseId: string;
  project: string;
  reportedAt: string;
  durations: Durations;
  /** Clocks missed; null when the case's clocks are not known. */
  clocksMissed: number | null;
}

export interface MetricSummary {
  cases: number;
  /** Medians in milliseconds; null when no case reached the milestone. */
  toAcknowledge: number | null;
  toFix: number | null;
  toDisclose: number | null;
  /** Sum over the cases whose clocks are known; null when none is. */
  clocksMissed: number | null;
}

export interface Metrics {
  overall: MetricSummary;
  /** One summary per month the reports came in (YYYY-MM, UTC), oldest first: the trend. */
  trend: (MetricSummary & { month: string })[];
  cases: CaseMetrics[];
}

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export const missedClocks = (clocks: readonly ClockOutcome[] | null): number | null =>
  clocks === null ? null : clocks.filter((c) => c.outcome === 'missed').length;

function summarise(cases: readonly CaseMetrics[]): MetricSummary {
  const of = (k: keyof Durations) => median(cases.map((c) => c.durations[k]).filter((v): v is number => v !== null));
  const known = cases.filter((c) => c.clocksMissed !== null);
  return {
    cases: cases.length,
    toAcknowledge: of('toAcknowledge'),
    toFix: of('toFix'),
    toDisclose: of('toDisclose'),
    clocksMissed: known.length === 0 ? null : known.reduce((n, c) => n + c.clocksMissed!, 0),
  };
}

export function buildMetrics(cases: readonly CaseMetrics[]): Metrics {
  const sorted = [...cases].sort((a, b) => a.reportedAt.localeCompare(b.reportedAt) || a.caseId.localeCompare(b.caseId));
  const byMonth = new Map<string, CaseMetrics[]>();
  for (const c of sorted) {
    const month = c.reportedAt.slice(0, 7);
    byMonth.set(month, [...(byMonth.get(month) ?? []), c]);
  }
  return {
    overall: summarise(sorted),
    trend: [...byMonth].map(([month, list]) => ({ month, ...summarise(list) })),
    cases: sorted,
  };
}

const hours = (v: number | null) => (v === null ? '' : (v / 3_600_000).toFixed(2));

/** One row per case, durations in hours (empty when not reached): for a spreadsheet. */
export function metricsCsv(m: Pick<Metrics, 'cases'>): string {
  const header = [
    'case',
    'project',
    'reported_at',
    'hours_to_acknowledge',
    'hours_to_triage',
    'hours_to_cve',
    'hours_to_fix',
    'hours_to_notice',
    'hours_to_disclose',
    'hours_to_announce',
    'clocks_missed',
  ];
  const rows = m.cases.map((c) => [
    c.caseId,
    c.project,
    c.reportedAt,
    hours(c.durations.toAcknowledge),
    hours(c.durations.toTriage),
    hours(c.durations.toCve),
    hours(c.durations.toFix),
    hours(c.durations.toNotice),
    hours(c.durations.toDisclose),
    hours(c.durations.toAnnounce),
    c.clocksMissed === null ? '' : String(c.clocksMissed),
  ]);
  return `${[header, ...rows].map((r) => r.map(csvCell).join(',')).join('\r\n')}\r\n`;
}

function csvCell(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}
