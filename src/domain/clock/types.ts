/**
 * Clocks: the promises a project makes about time ("acknowledged within 3 business days", "the
 * reporter hears from us at least every 7 days", "disclosed within ~14 business days"), declared by
 * the playbook and read off a case at an instant. The domain has no clock: `now` is passed in.
 */
import type { MessageKind } from '../messages/types.js';

/** When a clock starts. */
export type ClockStart =
  /** The report's time (its `report.received` reportedAt, else the case's creation). */
  | 'reported'
  /** When an embargo end was first set on the case. */
  | 'embargo-set'
  /** When a step was done. */
  | { step: string }
  /** When a mail of this kind was queued (or copied) for the case. */
  | { message: MessageKind };

/** How long it runs. */
export type ClockDue =
  | { businessDays: number }
  | { days: number }
  | { hours: number }
  /** Until the case's embargo end. */
  | { embargoEnd: true };

/** What stops it (met). */
export type ClockMetBy =
  | { message: MessageKind }
  /** Any mail to the reporter (acknowledgement, draft created, …): what "update the reporter" means. */
  | { audience: 'reporter' | 'distributors' | 'users' }
  | { step: string }
  | { published: true }
  /** Every active distributor answered (acknowledged or objected) the current date. */
  | { distributorsAnswered: true };

export type SeverityLevel = 'low' | 'medium' | 'high' | 'critical';

export interface ClockDeclaration {
  /** kebab-case, unique within the playbook. */
  id: string;
  title: string;
  /** Default `reported`. */
  from: ClockStart;
  due: ClockDue;
  metBy: ClockMetBy;
  /**
   * Recurring: each time `metBy` happens the clock starts again from then, until the case is
   * published or closed ("update the reporter every 7 days").
   */
  repeats: boolean;
  /** How long before the deadline the clock is "at risk". Default: 1 business day. */
  atRisk: { businessDays: number } | { hours: number };
  /** Only for cases at least this severe (by the first CVSS vector's rating). */
  minSeverity?: SeverityLevel;
}

export const CLOCK_STATUSES = ['not-started', 'due', 'at-risk', 'overdue', 'met', 'stopped'] as const;
export type ClockStatus = (typeof CLOCK_STATUSES)[number];

/** One clock of one case at an instant. */
export interface ClockView {
  id: string;
  title: string;
  status: ClockStatus;
  repeats: boolean;
  startedAt: string | null;
  /** The deadline (null until the clock started, or for an embargo clock without an embargo). */
  dueAt: string | null;
  /** When it turns (or turned) at risk. */
  atRiskAt: string | null;
  metAt: string | null;
  /** Met after its deadline. */
  late: boolean;
  /** The deadline said in the project's zone ("2026-12-09 00:00 Europe/Berlin"). */
  dueLocal: string | null;
  /** Why it is stopped or not started, in words. */
  note: string | null;
}

/** What clocks need beyond the case itself (loaded by the shell). */
export interface ClockFacts {
  /** Distributors of the case's project without an answer on the current date, and the last answer's time. */
  distributors?: { pending: number; lastAnswerAt: string | null };
}

/** The few event facts clocks read: when the report came and when an embargo was first set. */
export interface ClockEvent {
  action: string;
  at: string;
  details?: unknown;
}
