/**
 * The events of the outbox's life as a person steers it (retry, copy for a list's web interface,
 * mark as sent): which mail, to whom, its subject — never its body, and never a private address.
 */
import { event, type EventOf } from '../events.js';
import { MESSAGE_KINDS } from './types.js';

/** How the log names the recipient of a mail to the reporter (or of a mail of an unknown kind). */
export const REPORTER_RECIPIENT = 'reporter';
export const OTHER_RECIPIENT = 'recipient';

/**
 * How an event names a mail's recipients. The permanent, hash-chained log is read by every member on
 * the case and outlives the embargo, so a private address never goes in it: a mail to the reporter
 * names them by role (their address stays in the mail, in the outbox), a mail of an unknown kind
 * says "recipient". The distributors' and users' lists keep their addresses: the lint allows only
 * the configured list addresses there, and the register needs them.
 */
export function loggedRecipients(kind: string, addresses: readonly string[]): string[] {
  const audience = Object.hasOwn(MESSAGE_KINDS, kind) ? MESSAGE_KINDS[kind as keyof typeof MESSAGE_KINDS].audience : null;
  if (audience === 'distributors' || audience === 'users') return [...addresses];
  const role = audience === 'reporter' ? REPORTER_RECIPIENT : OTHER_RECIPIENT;
  return addresses.length === 0 ? [] : [role];
}

/** A server's answer or error with the mail's private addresses replaced by how the log names them. */
export function withoutAddresses(text: string, kind: string, addresses: readonly string[]): string {
  let out = text;
  for (const a of addresses) {
    const [named] = loggedRecipients(kind, [a]);
    if (a && named !== a) out = out.split(a).join(`<${named}>`);
  }
  return out;
}

/** What the log says about a mail: its id, kind, recipients and subject. */
export interface MailAbout {
  id: string;
  caseId: string | null;
  kind: string;
  to: string[];
  cc: string[];
  subject: string;
  status: string;
  lastError?: string | null;
}

const about = (m: MailAbout) => ({
  messageId: m.id,
  kind: m.kind,
  to: loggedRecipients(m.kind, m.to),
  cc: loggedRecipients(m.kind, m.cc),
  subject: m.subject,
});

export const messageRetried = (m: MailAbout): EventOf<'message.retried'> =>
  event('message.retried', m.caseId, {
    ...about(m),
    previousStatus: m.status,
    lastError: m.lastError == null ? null : withoutAddresses(m.lastError, m.kind, [...m.to, ...m.cc]),
  });

export const messageCopied = (m: MailAbout): EventOf<'message.copied'> => event('message.copied', m.caseId, about(m));

export const messageMarkedSent = (m: MailAbout, sentAt: Date): EventOf<'message.marked_sent'> =>
  event('message.marked_sent', m.caseId, { ...about(m), sentAt: sentAt.toISOString(), previousStatus: m.status });
