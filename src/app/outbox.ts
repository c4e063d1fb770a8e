/**
 * What a person does with the outbox: see a case's messages, retry a failed or unknown one, copy one
 * for the list's web interface and then mark it as sent. Need-to-know as for the case itself; a
 * message without a case is for admins only. Every change is audited (without the body).
 */
import { caseRead } from '../domain/case/access-events.js';
import { messageCopied, messageMarkedSent, messageRetried } from '../domain/messages/events.js';
import { DomainError } from '../domain/errors.js';
import { appendEvents } from '../store/events.js';
import {
  AT_LEAST_ONCE_KIND,
  getMessage,
  listMessages,
  markCopied,
  markMessageSent,
  requeueMessage,
  type OutboxMessage,
} from '../store/outbox.js';
import type { Database } from '../store/schema.js';
import type { Kysely } from 'kysely';
import { createSmtpTransport, parseSmtpUrl } from '../integrations/mail/smtp.js';
import type { MailTransport } from '../integrations/mail/transport.js';
import type { Config } from './config.js';
import { requireAdmin, requireScope, type Actor } from './actor.js';
import { CHANGE_ANSWER_READ } from './unit-of-work.js';
import type { App } from './app.js';
import { loadVisibleCase } from './cases.js';

async function loadVisibleMessage(tx: Kysely<Database>, actor: Actor, id: string): Promise<OutboxMessage> {
  const m = await getMessage(tx, id);
  if (!m) throw new DomainError('not_found', `message ${id} not found`);
  if (m.caseId === null) {
    if (actor.role !== 'admin') throw new DomainError('not_found', `message ${id} not found`);
  } else {
    try {
      await loadVisibleCase(tx, actor, m.caseId);
    } catch {
      throw new DomainError('not_found', `message ${id} not found`);
    }
  }
  return m;
}

/** A case's messages (bodies included: the case's team may read them). An audited read. */
export async function caseMessages(app: App, actor: Actor, caseId: string): Promise<OutboxMessage[]> {
  requireScope(actor, 'read');
  const now = app.clock();
  return app.store.write(async (tx) => {
    await loadVisibleCase(tx, actor, caseId);
    // The checklist's mails; the team's own notifications are not the case's correspondence.
    const list = (await listMessages(tx, { caseId })).filter((m) => m.kind !== AT_LEAST_ONCE_KIND);
    await appendEvents(tx, { actor: actor.name, at: now, events: [caseRead(caseId, 'messages')] });
    return list;
  });
}

/** Messages that need a person: failed or unknown, across the cases the admin sees. */
export async function messagesNeedingAttention(app: App, actor: Actor): Promise<OutboxMessage[]> {
  requireScope(actor, 'read');
  requireAdmin(actor);
  return app.store.read((db) => listMessages(db, { status: ['failed', 'unknown'] }));
}

/**
 * Retry, copy and mark-sent answer the message with its text, so they need the read scope as well
 * as write, and each answer is an audited read of the message (docs/security.md).
 */
function requireMessageScopes(actor: Actor): void {
  requireScope(actor, 'write');
  requireScope(actor, 'read');
}

const answerRead = (m: OutboxMessage) => caseRead(m.caseId, CHANGE_ANSWER_READ, m.id);

/** Sends a failed or unknown message again (queued now, fresh attempt budget, same Message-ID). */
export async function retryMessage(app: App, actor: Actor, id: string): Promise<OutboxMessage> {
  requireMessageScopes(actor);
  const now = app.clock();
  return app.store.write(async (tx) => {
    const m = await loadVisibleMessage(tx, actor, id);
    const queued = await requeueMessage(tx, id, now);
    if (!queued) throw new DomainError('conflict', `message ${id} is ${m.status}; only a failed or unknown message can be retried`);
    await appendEvents(tx, { actor: actor.name, at: now, events: [messageRetried(m), answerRead(m)] });
    return queued;
  });
}

export interface CopiedMessage {
  id: string;
  /** Exactly the addresses to post to: paste them, do not retype them. */
  to: string[];
  cc: string[];
  from: string;
  subject: string;
  /** Exactly the text to post. */
  body: string;
}

/**
 * The web-interface path: the exact text and addresses, and the message leaves the worker's hands
 * (status `copied`) so it cannot also go out by SMTP. Then `markSent`.
 */
export async function copyMessage(app: App, actor: Actor, id: string): Promise<CopiedMessage> {
  requireMessageScopes(actor);
  const now = app.clock();
  return app.store.write(async (tx) => {
    const m = await loadVisibleMessage(tx, actor, id);
    const copied = await markCopied(tx, id);
    if (!copied) throw new DomainError('conflict', `message ${id} is ${m.status}; it cannot be copied now`);
    await appendEvents(tx, { actor: actor.name, at: now, events: [messageCopied(m), answerRead(m)] });
    return { id: m.id, to: m.to, cc: m.cc, from: m.from, subject: m.subject, body: m.body };
  });
}

/** Records that a person sent a copied (or confirmed an unknown) message: who and when. */
export async function markSent(app: App, actor: Actor, id: string, input: { at?: Date } = {}): Promise<OutboxMessage> {
  requireMessageScopes(actor);
  const now = app.clock();
  const at = input.at ?? now;
  if (Number.isNaN(at.getTime()) || at.getTime() > now.getTime() + 60_000) {
    throw new DomainError('invalid_input', 'the time it was sent must be a valid time, not in the future');
  }
  return app.store.write(async (tx) => {
    const m = await loadVisibleMessage(tx, actor, id);
    const sent = await markMessageSent(tx, id, actor.name, at);
    if (!sent)
      throw new DomainError(
        'conflict',
        `message ${id} is ${m.status}; copy it first (only a copied or unknown message can be marked as sent)`,
      );
    await appendEvents(tx, { actor: actor.name, at: now, events: [messageMarkedSent(m, at), answerRead(m)] });
    return sent;
  });
}

/** The SMTP transport the settings describe, or null when EMBARGO_SMTP_URL is unset. */
export function mailTransportFromConfig(config: Config): MailTransport | null {
  return config.smtpUrl ? createSmtpTransport(parseSmtpUrl(config.smtpUrl)) : null;
}
