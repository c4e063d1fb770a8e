/**
 * The words of a notification, for mail and for a Slack-compatible webhook. Pure. Mail carries the
 * case id, its codename, a link and what happened — never the title, the reporter, versions or
 * dates of the embargo (docs/notifications.md). A webhook goes to an endpoint the person chose and
 * signed with their key, and may also name the release lines not yet released.
 */
import type { Notification } from './types.js';

const SOURCES: Record<string, string> = { form: 'the report form', mail: 'mail', github: 'a GitHub private report' };

/** One line saying what happened; `detailed` adds what only the signed webhook may carry. */
export function notificationLine(n: Notification, detailed: boolean): string {
  const c = `${n.caseId} (${n.codename})`;
  switch (n.kind) {
    case 'new-report':
      return `New report ${c}${n.source ? ` from ${SOURCES[n.source] ?? n.source}` : ''}`;
    case 'reporter-reply':
      return `The reporter replied on ${c} through the portal`;
    case 'distributor-objection':
      return `A distributor objected to the disclosure date of ${c}`;
    case 'cve-assigned':
      return `GitHub assigned a CVE id to the advisory of ${c}`;
    case 'embargo-reached': {
      const left = n.unreleased ?? [];
      if (left.length === 0) return `${c}: publish now: the embargo is over and every line is released`;
      return detailed
        ? `${c}: embargo over, but ${left.join(', ')} ${left.length === 1 ? 'is' : 'are'} not released`
        : `${c}: embargo over, but ${left.length === 1 ? 'a release line is' : `${left.length} release lines are`} not released`;
    }
    case 'clock-at-risk':
      return `${c}: "${n.clock?.title ?? 'a clock'}" is at risk${n.clock?.dueLocal && detailed ? ` (due ${n.clock.dueLocal})` : ''}`;
    case 'clock-overdue':
      return `${c}: "${n.clock?.title ?? 'a clock'}" is overdue${n.clock?.dueLocal && detailed ? ` (was due ${n.clock.dueLocal})` : ''}`;
  }
}

export function notificationMail(n: Notification): { subject: string; body: string } {
  const line = notificationLine(n, false);
  return {
    subject: `[Embargo] ${line}`,
    body: `${line}.\n\nOpen the case: ${n.link}\n\nYou get this because you chose "${n.kind}" notifications in Embargo (embargo notify).\n`,
  };
}

/** Slack's incoming-webhook shape (`text`, with a link in Slack's mrkdwn), plus the facts for other receivers. */
export function notificationWebhookBody(n: Notification): Record<string, unknown> {
  const line = notificationLine(n, true);
  return {
    text: `${line} <${n.link}|open>`,
    embargo: { kind: n.kind, caseId: n.caseId, codename: n.codename, link: n.link, ...(n.clock ? { clock: n.clock.id } : {}) },
  };
}
