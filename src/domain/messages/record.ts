/**
 * The case remembers which of the checklist's mails were queued for it, so the playbook's
 * `message: <kind>` gates can be checked without reading the outbox. The text itself stays in the
 * outbox; the case keeps kind, outbox id, who, when and the status last seen.
 */
import type { Case, CaseMessage, CaseMessageStatus, CommandContext, CommandResult, Embargo } from '../case/types.js';
import { loggedRecipients } from './events.js';
import { sayInstant } from './wording.js';
import { MESSAGE_KINDS, type MessageKind } from './types.js';

export interface QueuedMessage {
  kind: MessageKind;
  outboxId: string;
  status: CaseMessageStatus;
  to: string[];
  subject: string;
  /** How it leaves: by the worker over SMTP, or copied for a list's web interface. */
  via: 'smtp' | 'copy';
}

/**
 * Records a queued mail on the case, with the `message.queued` event (kind, recipients, subject and
 * outbox id — never the body: the event log outlives the embargo in more places than the outbox).
 * Recording the same outbox row again changes nothing and says nothing: a repeated request is one mail.
 */
export function recordMessage(c: Case, m: QueuedMessage, ctx: CommandContext): CommandResult {
  if (c.messages.some((x) => x.outboxId === m.outboxId)) return { state: c, events: [] };
  // The date the mail was written with: a notice that gave an earlier date no longer counts (noticeOnEarlierDate).
  const entry: CaseMessage = {
    kind: m.kind,
    outboxId: m.outboxId,
    at: ctx.now.toISOString(),
    by: ctx.actor,
    status: m.status,
    embargo: c.embargo,
  };
  return {
    state: { ...c, messages: [...c.messages, entry], updatedAt: ctx.now.toISOString(), revision: c.revision + 1 },
    events: [
      {
        action: 'message.queued',
        caseId: c.id,
        details: {
          kind: m.kind,
          label: MESSAGE_KINDS[m.kind].label,
          to: loggedRecipients(m.kind, m.to),
          subject: m.subject,
          messageId: m.outboxId,
          via: m.via,
        },
      },
    ],
  };
}

/** The case's mails with the statuses the outbox has now (rows the case does not know are ignored). */
export function withMessageStatuses(c: Case, statuses: ReadonlyMap<string, CaseMessageStatus>): Case {
  let changed = false;
  const messages = c.messages.map((m) => {
    const now = statuses.get(m.outboxId);
    if (!now || now === m.status) return m;
    changed = true;
    return { ...m, status: now };
  });
  return changed ? { ...c, messages } : c;
}

/** Statuses that count as "the mail went, or is on its way": a gate is met by any of them. */
export const MESSAGE_UNDERWAY: readonly CaseMessageStatus[] = ['queued', 'sending', 'copied', 'sent'];

/**
 * When the embargo moved after the distributors were told (issue 13, item 5): the date their notice
 * gave (null: it gave none), or null when a notice about the current date is underway, or none was
 * sent at all. Mails queued before the date was recorded on them count as about the current date.
 */
export function noticeOnEarlierDate(c: Case): { told: Embargo | null } | null {
  const notices = c.messages.filter((m) => m.kind === 'distributors-notice' && MESSAGE_UNDERWAY.includes(m.status));
  if (notices.length === 0) return null;
  const current = (e: Embargo | null | undefined) =>
    e === undefined || (e !== null && c.embargo !== null && e.endsAt === c.embargo.endsAt && e.timeZone === c.embargo.timeZone);
  if (notices.some((m) => current(m.embargo))) return null;
  return { told: notices[notices.length - 1]!.embargo ?? null };
}

/** The refusal while the distributors were told an earlier date: what to send, by command. */
export function earlierDateSentence(c: Case, told: Embargo | null): string {
  const was = told ? `gave ${sayInstant(told.endsAt, told.timeZone)}` : 'gave no date';
  const now = c.embargo ? sayInstant(c.embargo.endsAt, c.embargo.timeZone) : 'unset';
  return `${MESSAGE_KINDS['distributors-notice'].label} ${was}, but the embargo is now ${now}: send a new notice with the new date (embargo message send ${c.id} --kind distributors-notice) and tell the reporter (embargo message send ${c.id} --kind reporter-date-moved)`;
}
