/**
 * Delivering the mail outbox, one pass at a time (the worker in src/jobs runs a pass on a timer).
 * One pass (`deliverDueMessages`):
 *   1. rows stuck in `sending` past their lease become `unknown` (never resent blindly);
 *   2. due `queued` rows are claimed — `sending`, attempts + 1, a fresh token — and that is COMMITTED;
 *   3. each claimed row is sent through the MailTransport;
 *   4. the outcome is recorded with the token, with an audit event, in one transaction:
 *      sent / temporary failure → queued again with exponential backoff / permanent → failed.
 * A crash between 3 and 4 leaves the row in `sending`; step 1 of a later pass turns it into `unknown`
 * for a person to check. At most once: see docs/mail.md for why.
 */
import { randomUUID } from 'node:crypto';
import type { DomainEvent } from '../domain/case/types.js';
import { loggedRecipients, withoutAddresses } from '../domain/messages/events.js';
import { MailSendError, type MailTransport } from '../integrations/mail/transport.js';
import { appendEvents } from '../store/events.js';
import { claimDueMessages, expireStaleClaims, recordFailure, recordSent, type ClaimedMessage } from '../store/outbox.js';
import type { Store } from '../store/store.js';

export interface OutboxWorkerOptions {
  store: Store;
  transport: MailTransport;
  /** Recorded in claimed_by and as the audit actor (`worker:<id>`). */
  workerId?: string;
  clock?: () => Date;
  /** How long a claim lasts; must exceed the transport's worst-case send time. Default 10 minutes. */
  leaseMs?: number;
  /** Attempts before a temporary failure becomes `failed`. Default 8. */
  maxAttempts?: number;
  /** First retry delay; doubles each attempt up to maxBackoffMs. Default 1 minute / 1 hour. */
  baseBackoffMs?: number;
  maxBackoffMs?: number;
  /** Messages attempted per pass (each claimed on its own). Default 10. */
  batchSize?: number;
  /** Test hook: runs after the transport accepted a message and before the outcome is recorded. */
  afterSend?: (message: ClaimedMessage) => Promise<void> | void;
}

export interface DeliveryReport {
  sent: number;
  retrying: number;
  failed: number;
  /** Rows found stuck in `sending` and moved to `unknown` in this pass. */
  unknown: number;
}

/** The delay before attempt `attempts + 1`: base · 2^(attempts − 1), capped. */
export function backoffMs(attempts: number, baseMs: number, maxMs: number): number {
  return Math.min(maxMs, baseMs * 2 ** Math.max(0, attempts - 1));
}

/** The options with their defaults; a worker keeps its id across passes. */
export function deliverySettings(o: OutboxWorkerOptions) {
  return {
    workerId: o.workerId ?? `${process.pid}-${randomUUID().slice(0, 8)}`,
    clock: o.clock ?? (() => new Date()),
    leaseMs: o.leaseMs ?? 10 * 60_000,
    maxAttempts: o.maxAttempts ?? 8,
    baseBackoffMs: o.baseBackoffMs ?? 60_000,
    maxBackoffMs: o.maxBackoffMs ?? 60 * 60_000,
    batchSize: o.batchSize ?? 10,
  };
}

/** Audit details of a message: who and what, never the body. */
const about = (m: ClaimedMessage) => ({
  messageId: m.id,
  kind: m.kind,
  to: loggedRecipients(m.kind, m.to),
  cc: loggedRecipients(m.kind, m.cc),
  subject: m.subject,
  attempt: m.attempts,
});

/** An SMTP server's words about this mail, as the log may keep them (no private address). */
const logged = (m: ClaimedMessage, text: string) => withoutAddresses(text, m.kind, [...m.to, ...m.cc]);

/** One delivery pass. Safe to run from several processes at once. */
export async function deliverDueMessages(opts: OutboxWorkerOptions): Promise<DeliveryReport> {
  const s = deliverySettings(opts);
  const actor = `worker:${s.workerId}`;
  const report: DeliveryReport = { sent: 0, retrying: 0, failed: 0, unknown: 0 };

  // One row at a time: claim (committed), send, record. A crash leaves at most ONE row in doubt.
  for (let i = 0; i < s.batchSize; i++) {
    const now = s.clock();
    const [m] = await opts.store.write(async (tx) => {
      if (i === 0) {
        const stale = await expireStaleClaims(tx, now);
        report.unknown = stale.length;
        if (stale.length > 0) {
          await appendEvents(tx, {
            actor,
            at: now,
            events: stale.map((x) => ({
              action: 'message.unknown',
              caseId: x.caseId,
              details: {
                messageId: x.id,
                kind: x.kind,
                to: loggedRecipients(x.kind, x.to),
                cc: loggedRecipients(x.kind, x.cc),
                attempt: x.attempts,
                claimedBy: x.claimedBy,
              },
            })),
          });
        }
      }
      return claimDueMessages(tx, { workerId: s.workerId, now, leaseMs: s.leaseMs, limit: 1, dialect: opts.store.dialect });
    });
    if (!m) break;
    let outcome: { ok: true; response: string; rejected: string[] } | { ok: false; error: MailSendError };
    try {
      const res = await opts.transport.send({
        from: m.from,
        to: m.to,
        cc: m.cc,
        subject: m.subject,
        text: m.body,
        messageId: m.messageId,
        headers: m.headers,
        calendar: m.calendar,
      });
      outcome = { ok: true, response: res.response, rejected: res.rejected };
    } catch (err) {
      outcome = {
        ok: false,
        error:
          err instanceof MailSendError ? err : new MailSendError((err as Error)?.message ?? String(err), { temporary: false, cause: err }),
      };
    }
    if (outcome.ok) await opts.afterSend?.(m);

    const at = s.clock();
    await opts.store.write(async (tx) => {
      let event: DomainEvent;
      if (outcome.ok) {
        const smtpResponse =
          outcome.rejected.length > 0 ? `${outcome.response} (rejected: ${outcome.rejected.join(', ')})` : outcome.response;
        const warning =
          outcome.rejected.length > 0 ? `Not accepted for ${outcome.rejected.join(', ')}: check and send to them separately.` : null;
        if (!(await recordSent(tx, m.id, m.attemptToken, { smtpResponse, at, by: actor, warning }))) return;
        event = {
          action: 'message.sent',
          caseId: m.caseId,
          details: { ...about(m), smtpResponse: logged(m, smtpResponse), rejected: loggedRecipients(m.kind, outcome.rejected) },
        };
        report.sent += 1;
      } else {
        const e = outcome.error;
        const retry = e.temporary && m.attempts < s.maxAttempts;
        const retryAt = retry ? new Date(at.getTime() + backoffMs(m.attempts, s.baseBackoffMs, s.maxBackoffMs)) : null;
        const error = e.temporary && !retry ? `${e.message} (gave up after ${m.attempts} attempts)` : e.message;
        if (!(await recordFailure(tx, m.id, m.attemptToken, { error, smtpResponse: e.response ?? null, retryAt }))) return;
        event = {
          action: 'message.failed',
          caseId: m.caseId,
          details: {
            ...about(m),
            error: logged(m, error),
            responseCode: e.responseCode ?? null,
            temporary: e.temporary,
            retryAt: retryAt ? retryAt.toISOString() : null,
          },
        };
        if (retry) report.retrying += 1;
        else report.failed += 1;
      }
      await appendEvents(tx, { actor, at, events: [event] });
    });
  }
  return report;
}
