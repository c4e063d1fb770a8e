/**
 * A case's timeline, read from its typed event log: when it was reported, acknowledged, triaged,
 * got its CVE, each line's release, the distributors' notice, the publication and the public
 * announcement, with the time between each milestone and the one before it and since the report.
 * Pure: the shell passes the events (oldest first) and the case.
 */
import type { Case } from '../case/types.js';
import type { DomainEvent } from '../events.js';

/** An event as the timeline reads it: the domain event and when it was appended. */
export type TimelineEvent = DomainEvent & { at: string };

export type MilestoneKind = 'reported' | 'acknowledged' | 'triaged' | 'cve' | 'released' | 'notice' | 'published' | 'announced';

export interface Milestone {
  kind: MilestoneKind;
  /** In words: "acknowledged the reporter", "released 1.33.4 (line 1.33)". */
  label: string;
  at: string;
  /** Release milestones: the line. */
  line?: string;
  /**
   * For a mail: "sent" when it went out (SMTP, or marked as sent after pasting it into a list's
   * web interface), "queued" when it is only queued (the time the team decided to send it).
   */
  state?: 'sent' | 'queued';
  /** Milliseconds since the previous milestone (null for the first), and since the report. */
  sincePrevious: number | null;
  sinceReport: number;
}

/** The durations a retrospective and the metrics talk about, in milliseconds; null when not reached. */
export interface Durations {
  toAcknowledge: number | null;
  toTriage: number | null;
  toCve: number | null;
  /** Until the last planned line was released. */
  toFix: number | null;
  toNotice: number | null;
  toDisclose: number | null;
  toAnnounce: number | null;
}

const MAIL_MILESTONES: Partial<Record<string, { kind: MilestoneKind; label: string }>> = {
  'reporter-ack': { kind: 'acknowledged', label: 'acknowledged the reporter' },
  'distributors-notice': { kind: 'notice', label: 'notified the distributors' },
  'users-announcement': { kind: 'announced', label: 'announced to the users' },
};

/** The first time a mail of each kind was queued and went out (sent, or marked as sent). */
function mailTimes(events: readonly TimelineEvent[]): Map<string, { queued?: string; sent?: string }> {
  const times = new Map<string, { queued?: string; sent?: string }>();
  for (const e of events) {
    if (e.action !== 'message.queued' && e.action !== 'message.sent' && e.action !== 'message.marked_sent') continue;
    const t = times.get(e.details.kind) ?? {};
    if (e.action === 'message.queued') t.queued ??= e.at;
    else if (e.action === 'message.marked_sent') t.sent ??= e.details.sentAt || e.at;
    else t.sent ??= e.at;
    times.set(e.details.kind, t);
  }
  return times;
}

/** Each line's release as it stands: the last record of it, unless undone since. */
function releases(events: readonly TimelineEvent[]): Map<string, { version: string; at: string }> {
  const out = new Map<string, { version: string; at: string }>();
  for (const e of events) {
    if (e.action === 'release.recorded') out.set(e.details.line, { version: e.details.version, at: e.at });
    else if (e.action === 'release.corrected') {
      const r = out.get(e.details.line);
      if (r) out.set(e.details.line, { ...r, version: e.details.version });
    } else if (e.action === 'release.undone') out.delete(e.details.line);
  }
  return out;
}

/** When the report arrived: the report's own date when the intake knew it, else when the case was opened. */
function reportedAt(events: readonly TimelineEvent[]): string | null {
  for (const e of events) if (e.action === 'report.received' && e.details.reportedAt) return e.details.reportedAt;
  for (const e of events) if (e.action === 'case.created') return e.at;
  return events[0]?.at ?? null;
}

/** When the CVE id was known: GitHub's assignment, else the edit that recorded it. */
function cveAt(events: readonly TimelineEvent[]): string | null {
  for (const e of events) {
    if (e.action === 'advisory.cve_assigned') return e.at;
    if (e.action === 'case.edited' && typeof e.details.changed.cveId === 'string') return e.at;
  }
  return null;
}

/** When the advisory was published: the case's publication time (GitHub's, or as recorded), else the event's. */
function publishedAt(events: readonly TimelineEvent[], c: Pick<Case, 'publishedAt'>): string | null {
  if (c.publishedAt) return c.publishedAt;
  for (const e of events) if (e.action === 'advisory.published') return e.details.publishedAt;
  return null;
}

const ms = (iso: string) => Date.parse(iso);

export function buildTimeline(events: readonly TimelineEvent[], c: Pick<Case, 'publishedAt' | 'releasePlan'>): Milestone[] {
  const reported = reportedAt(events);
  if (reported === null) return [];
  const raw: Omit<Milestone, 'sincePrevious' | 'sinceReport'>[] = [{ kind: 'reported', label: 'reported', at: reported }];
  const mails = mailTimes(events);
  const mail = (kind: string) => {
    const spec = MAIL_MILESTONES[kind];
    const t = mails.get(kind);
    if (!spec || !t) return;
    const at = t.sent ?? t.queued;
    if (at) raw.push({ ...spec, at, state: t.sent ? 'sent' : 'queued' });
  };
  mail('reporter-ack');
  const triage = events.find((e) => e.action === 'step.done' && e.details.step === 'triage');
  if (triage) raw.push({ kind: 'triaged', label: 'triaged', at: triage.at });
  const cve = cveAt(events);
  if (cve) raw.push({ kind: 'cve', label: 'CVE id recorded', at: cve });
  for (const [line, r] of releases(events)) raw.push({ kind: 'released', label: `released ${r.version} (line ${line})`, at: r.at, line });
  mail('distributors-notice');
  const published = publishedAt(events, c);
  if (published) raw.push({ kind: 'published', label: 'advisory published', at: published });
  mail('users-announcement');

  const ordered = raw.map((m, i) => ({ m, i })).sort((a, b) => ms(a.m.at) - ms(b.m.at) || a.i - b.i);
  return ordered.map(({ m }, i) => ({
    ...m,
    sincePrevious: i === 0 ? null : ms(m.at) - ms(ordered[i - 1]!.m.at),
    sinceReport: ms(m.at) - ms(reported),
  }));
}

/** The durations since the report; toFix only once every planned line is released. */
export function durationsOf(timeline: readonly Milestone[], c: Pick<Case, 'releasePlan'>): Durations {
  const first = (kind: MilestoneKind) => timeline.find((m) => m.kind === kind)?.sinceReport ?? null;
  const released = timeline.filter((m) => m.kind === 'released');
  const allOut = c.releasePlan.length > 0 && c.releasePlan.every((l) => released.some((r) => r.line === l.line));
  return {
    toAcknowledge: first('acknowledged'),
    toTriage: first('triaged'),
    toCve: first('cve'),
    toFix: allOut ? Math.max(...released.map((r) => r.sinceReport)) : null,
    toNotice: first('notice'),
    toDisclose: first('published'),
    toAnnounce: first('announced'),
  };
}

/** "3d 4h", "2h 5m", "40s", "-1d 2h" (a milestone recorded as earlier than the report). */
export function formatDuration(msValue: number | null): string {
  if (msValue === null) return '—';
  const sign = msValue < 0 ? '-' : '';
  let s = Math.round(Math.abs(msValue) / 1000);
  const d = Math.floor(s / 86_400);
  s -= d * 86_400;
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  if (d > 0) return `${sign}${d}d ${h}h`;
  if (h > 0) return `${sign}${h}h ${m}m`;
  if (m > 0) return `${sign}${m}m ${s}s`;
  return `${sign}${s}s`;
}
