/**
 * The events of the outbox's life as a person steers it (retry, copy for a list's web interface,
 * mark as sent): which mail, to whom, its subject — never its body.
 */
import { event, type EventOf } from '../events.js';

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

const about = (m: MailAbout) => ({ messageId: m.id, kind: m.kind, to: m.to, cc: m.cc, subject: m.subject });

export const messageRetried = (m: MailAbout): EventOf<'message.retried'> =>
  event('message.retried', m.caseId, { ...about(m), previousStatus: m.status, lastError: m.lastError ?? null });

export const messageCopied = (m: MailAbout): EventOf<'message.copied'> => event('message.copied', m.caseId, about(m));

export const messageMarkedSent = (m: MailAbout, sentAt: Date): EventOf<'message.marked_sent'> =>
  event('message.marked_sent', m.caseId, { ...about(m), sentAt: sentAt.toISOString(), previousStatus: m.status });
