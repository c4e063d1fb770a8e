/**
 * Reads every clock of a case at an instant. Pure: the case, its events, the playbook's clock
 * declarations, the project's calendar and `now` in; each clock's status and times out. The same
 * function serves `case clocks`, the reminders sweep and (later) the retrospective, which asks it
 * at the case's closing instant.
 */
import type { Case } from '../case/types.js';
import { MESSAGE_KINDS } from '../messages/types.js';
import { scoreCvss } from '../severity/cvss.js';
import { formatInZone } from '../time.js';
import { businessDaysBefore, businessDeadline, type WorkCalendar } from './business-days.js';
import type { ClockDeclaration, ClockEvent, ClockFacts, ClockMetBy, ClockStart, ClockView, SeverityLevel } from './types.js';

export interface ClockInput {
  case: Case;
  /** The case's events (any order); only a few actions are read. */
  events?: readonly ClockEvent[];
  clocks: readonly ClockDeclaration[];
  calendar: WorkCalendar;
  now: Date;
  facts?: ClockFacts;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const RANK: Record<SeverityLevel | 'none', number> = { none: 0, low: 1, medium: 2, high: 3, critical: 4 };

/** Mails that count as "went": the gate's rule (queued, sending, copied or sent; not failed or unknown). */
const WENT = new Set(['queued', 'sending', 'copied', 'sent']);

function severityOfCase(c: Case): SeverityLevel | 'none' {
  const vector = c.severity.cvss[0];
  if (!vector) return 'none';
  try {
    return scoreCvss(vector).severity.toLowerCase() as SeverityLevel | 'none';
  } catch {
    return 'none';
  }
}

function reportedAt(c: Case, events: readonly ClockEvent[]): Date {
  const received = events
    .filter((e) => e.action === 'report.received')
    .map((e) => (e.details as { reportedAt?: string | null } | undefined)?.reportedAt ?? e.at)
    .sort()[0];
  return new Date(received ?? c.createdAt);
}

/** Times (oldest first) a "met" condition happened; a one-off clock uses the first. */
function metTimes(m: ClockMetBy, c: Case, facts: ClockFacts): Date[] {
  if ('message' in m) return c.messages.filter((x) => x.kind === m.message && WENT.has(x.status)).map((x) => new Date(x.at));
  if ('audience' in m) {
    return c.messages
      .filter((x) => WENT.has(x.status) && MESSAGE_KINDS[x.kind as keyof typeof MESSAGE_KINDS]?.audience === m.audience)
      .map((x) => new Date(x.at))
      .sort((a, b) => a.getTime() - b.getTime());
  }
  if ('step' in m) {
    const s = c.steps[m.step];
    return s?.status === 'done' && s.at ? [new Date(s.at)] : [];
  }
  if ('published' in m) return c.publishedAt ? [new Date(c.publishedAt)] : [];
  const d = facts.distributors;
  return d && d.pending === 0 && d.lastAnswerAt ? [new Date(d.lastAnswerAt)] : [];
}

function startOf(from: ClockStart, c: Case, events: readonly ClockEvent[]): Date | null {
  if (from === 'reported') return reportedAt(c, events);
  if (from === 'embargo-set') {
    const set = events
      .filter((e) => e.action === 'case.embargo-set')
      .map((e) => e.at)
      .sort()[0];
    return set ? new Date(set) : c.embargo ? new Date(c.updatedAt) : null;
  }
  if ('step' in from) {
    const s = c.steps[from.step];
    return s?.status === 'done' && s.at ? new Date(s.at) : null;
  }
  const first = c.messages
    .filter((x) => x.kind === from.message && WENT.has(x.status))
    .map((x) => x.at)
    .sort()[0];
  return first ? new Date(first) : null;
}

function deadlineOf(d: ClockDeclaration, start: Date, c: Case, cal: WorkCalendar): Date | null {
  const due = d.due;
  if ('businessDays' in due) return businessDeadline(start, due.businessDays, cal);
  if ('days' in due) return new Date(start.getTime() + due.days * DAY);
  if ('hours' in due) return new Date(start.getTime() + due.hours * HOUR);
  return c.embargo ? new Date(c.embargo.endsAt) : null;
}

function atRiskOf(d: ClockDeclaration, deadline: Date, cal: WorkCalendar): Date {
  const r = d.atRisk;
  if ('hours' in r) return new Date(deadline.getTime() - r.hours * HOUR);
  return businessDaysBefore(deadline, r.businessDays, cal);
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

function view(d: ClockDeclaration, cal: WorkCalendar, fields: Partial<ClockView> & Pick<ClockView, 'status'>): ClockView {
  const dueAt = fields.dueAt ?? null;
  return {
    id: d.id,
    title: d.title,
    repeats: d.repeats,
    startedAt: null,
    dueAt,
    atRiskAt: null,
    metAt: null,
    late: false,
    note: null,
    ...fields,
    dueLocal: dueAt ? formatInZone(new Date(dueAt), cal.timeZone) : null,
  };
}

/** One clock at `now`. */
export function clockAt(d: ClockDeclaration, input: ClockInput): ClockView {
  const { case: c, calendar: cal, now } = input;
  const events = input.events ?? [];
  const facts = input.facts ?? {};
  if (d.minSeverity && RANK[severityOfCase(c)] < RANK[d.minSeverity]) {
    return view(d, cal, { status: 'not-started', note: `applies to ${d.minSeverity} cases; this one is not rated ${d.minSeverity}` });
  }
  const start = startOf(d.from, c, events);
  if (!start || start.getTime() > now.getTime()) return view(d, cal, { status: 'not-started', note: 'its start has not happened yet' });

  const times = metTimes(d.metBy, c, facts).filter((t) => t.getTime() >= start.getTime() && t.getTime() <= now.getTime());
  // A recurring clock runs from its last occurrence; a one-off from its start.
  const from = d.repeats && times.length > 0 ? (times[times.length - 1] as Date) : start;
  const deadline = deadlineOf(d, from, c, cal);
  const closed = c.resolution ? 'the case was closed without an advisory' : d.repeats && c.publishedAt ? 'the advisory is published' : null;
  const met = d.repeats ? null : (times[0] ?? null);

  if (met) {
    return view(d, cal, {
      status: 'met',
      startedAt: start.toISOString(),
      dueAt: iso(deadline),
      atRiskAt: deadline ? iso(atRiskOf(d, deadline, cal)) : null,
      metAt: met.toISOString(),
      late: deadline !== null && met.getTime() > deadline.getTime(),
    });
  }
  if (closed) {
    const last = times[times.length - 1] ?? null;
    return view(d, cal, { status: d.repeats ? 'met' : 'stopped', startedAt: start.toISOString(), metAt: iso(last), note: closed });
  }
  if (!deadline) return view(d, cal, { status: 'not-started', startedAt: start.toISOString(), note: 'no embargo end is set' });
  const atRisk = atRiskOf(d, deadline, cal);
  const t = now.getTime();
  const status = t >= deadline.getTime() ? 'overdue' : t >= atRisk.getTime() ? 'at-risk' : 'due';
  return view(d, cal, { status, startedAt: from.toISOString(), dueAt: iso(deadline), atRiskAt: iso(atRisk) });
}

/** Every clock of the case at `now`, in the playbook's order. */
export function caseClocks(input: ClockInput): ClockView[] {
  return input.clocks.map((d) => clockAt(d, input));
}
