/**
 * What the team is told of, without having to poll: a new report, the reporter's reply, a
 * distributor's objection, a CVE id assigned on GitHub, the embargo reached, a clock at risk or
 * overdue. A notification names the case by id and codename and links to it; nothing embargoed.
 */

export const NOTIFICATION_KINDS = [
  'new-report',
  'reporter-reply',
  'distributor-objection',
  'cve-assigned',
  'embargo-reached',
  'clock-at-risk',
  'clock-overdue',
] as const;

export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

export const isNotificationKind = (v: unknown): v is NotificationKind => (NOTIFICATION_KINDS as readonly unknown[]).includes(v);

export interface Notification {
  kind: NotificationKind;
  /**
   * Unique per thing to tell (`event:<event id>`, `clock:<case>:<clock>:<deadline>:<status>`): each
   * recipient gets it once on each channel, however often the sweep that finds it runs.
   */
  key: string;
  caseId: string;
  codename: string;
  /** The case in the web app. */
  link: string;
  /** Where a new report came from: form, mail or github. */
  source?: string;
  /** The clock's title and its deadline in the project's zone (clock-*). */
  clock?: { id: string; title: string; dueLocal: string | null };
  /** embargo-reached: the planned lines not released yet (empty: publish now). */
  unreleased?: string[];
}
