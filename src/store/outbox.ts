/**
 * The mail outbox. A message is enqueued INSIDE the `store.write` transaction of the change that
 * causes it, so a rolled-back change never leaves a message behind and a committed one never loses
 * its mail. The worker (src/jobs/outbox-worker.ts) delivers queued rows; the web-interface path is
 * copy + mark-as-sent. States:
 *
 *   queued ──claim──▶ sending ──recordSent──▶ sent
 *     ▲                  │ ├──temporary error──▶ queued (later)
 *     │                  │ └──permanent error / out of attempts──▶ failed
 *     │                  └──lease expired (worker died mid-send)──▶ unknown
 *     └──retryMessage (a person)── failed | unknown
 *   queued | failed | unknown ──copyMessage──▶ copied ──markSent──▶ sent
 *
 * `sending` is committed in its own transaction BEFORE the SMTP conversation, with a fresh attempt
 * token; only the holder of that token can record the outcome. A row left in `sending` after its
 * lease is never resent automatically: it may have gone out (see docs/mail.md).
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import { sql } from 'kysely';
import type { Database, OutboxMessagesTable, OutboxStatus } from './schema.js';
import { isWriteTransaction } from './write-scope.js';
import { hasNul, isUniqueViolation, rowLimit } from './portable-sql.js';

export type { OutboxStatus } from './schema.js';

export interface OutboxMessage {
  id: string;
  caseId: string | null;
  kind: string;
  idempotencyKey: string;
  from: string;
  to: string[];
  cc: string[];
  subject: string;
  body: string;
  headers: Record<string, string>;
  messageId: string;
  status: OutboxStatus;
  attempts: number;
  nextAttemptAt: string;
  lastError: string | null;
  smtpResponse: string | null;
  createdAt: string;
  createdBy: string;
  sentAt: string | null;
  sentBy: string | null;
  claimedBy: string | null;
  claimedUntil: string | null;
  /** An iCalendar attachment (disclosure.ics), or null. */
  calendar: string | null;
}

/** A claimed row: the token proves the claim when recording the outcome. */
export interface ClaimedMessage extends OutboxMessage {
  attemptToken: string;
}

export interface NewOutboxMessage {
  caseId: string | null;
  kind: string;
  /** Unique per logical mail, e.g. `distributors-notice:CASE-2026-0001:rev7`. */
  idempotencyKey: string;
  from: string;
  to: string[];
  cc?: string[];
  subject: string;
  body: string;
  headers?: Record<string, string>;
  /** An iCalendar text sent as disclosure.ics. */
  calendar?: string;
  createdBy: string;
  now: Date;
}

type Row = Selectable<OutboxMessagesTable>;

const present = (r: Row): OutboxMessage => ({
  id: r.id,
  caseId: r.case_id,
  kind: r.kind,
  idempotencyKey: r.idempotency_key,
  from: r.from_address,
  to: JSON.parse(r.to_addresses) as string[],
  cc: JSON.parse(r.cc_addresses) as string[],
  subject: r.subject,
  body: r.body,
  headers: JSON.parse(r.headers) as Record<string, string>,
  messageId: r.message_id,
  status: r.status,
  attempts: Number(r.attempts),
  nextAttemptAt: r.next_attempt_at,
  lastError: r.last_error,
  smtpResponse: r.smtp_response,
  createdAt: r.created_at,
  createdBy: r.created_by,
  sentAt: r.sent_at,
  sentBy: r.sent_by,
  claimedBy: r.claimed_by,
  claimedUntil: r.claimed_until,
  calendar: r.calendar ?? null,
});

/**
 * The Message-ID for an idempotency key: the same on every attempt, so a resend (after a person
 * retries an `unknown` message) is recognisable as the same mail by receivers and list archives.
 */
export function messageIdFor(idempotencyKey: string, from: string): string {
  const digest = createHash('sha256').update(idempotencyKey, 'utf8').digest('hex').slice(0, 32);
  const at = from.lastIndexOf('@');
  const domain = at >= 0 ? from.slice(at + 1).replace(/[^A-Za-z0-9.-]/g, '') : '';
  return `<embargo.${digest}@${domain || 'embargo.invalid'}>`;
}

const HEADER_NAME = /^[!-9;-~]+$/;
const FORBIDDEN_HEADERS = new Set(['from', 'to', 'cc', 'bcc', 'subject', 'message-id', 'date']);

function checkMessage(m: NewOutboxMessage): void {
  if (!m.idempotencyKey) throw new Error('enqueueMessage: idempotencyKey is required.');
  if (m.to.length === 0) throw new Error('enqueueMessage: a message needs at least one recipient.');
  for (const addr of [m.from, ...m.to, ...(m.cc ?? [])]) {
    if (!/^[^\s@<>,;"]+@[^\s@<>,;"]+$/.test(addr)) throw new Error(`enqueueMessage: "${addr}" is not a plain mail address.`);
  }
  for (const [name, value] of Object.entries(m.headers ?? {})) {
    if (!HEADER_NAME.test(name) || FORBIDDEN_HEADERS.has(name.toLowerCase())) {
      throw new Error(`enqueueMessage: header "${name}" is not allowed here.`);
    }
    if (/[\r\n]/.test(value)) throw new Error(`enqueueMessage: header "${name}" contains a line break.`);
  }
  if (/[\r\n]/.test(m.subject)) throw new Error('enqueueMessage: the subject contains a line break.');
}

/**
 * Queues a message. Must run inside `store.write`, with the transaction of the state change that
 * causes the mail. When the idempotency key exists already, returns that row (created: false) and
 * writes nothing: the caller's retry of the same change never queues a second mail.
 */
export async function enqueueMessage(tx: Kysely<Database>, m: NewOutboxMessage): Promise<{ message: OutboxMessage; created: boolean }> {
  if (!isWriteTransaction(tx)) {
    throw new Error('enqueueMessage must be called inside store.write(), with the transaction it passes in.');
  }
  checkMessage(m);
  const existing = await getMessageByKey(tx, m.idempotencyKey);
  if (existing) return { message: existing, created: false };
  const now = m.now.toISOString();
  const row: Row = {
    id: randomUUID(),
    case_id: m.caseId,
    kind: m.kind,
    idempotency_key: m.idempotencyKey,
    from_address: m.from,
    to_addresses: JSON.stringify(m.to),
    cc_addresses: JSON.stringify(m.cc ?? []),
    subject: m.subject,
    body: m.body,
    headers: JSON.stringify(m.headers ?? {}),
    message_id: messageIdFor(m.idempotencyKey, m.from),
    status: 'queued',
    attempts: 0,
    next_attempt_at: now,
    last_error: null,
    smtp_response: null,
    created_at: now,
    created_by: m.createdBy,
    sent_at: null,
    sent_by: null,
    attempt_token: null,
    claimed_by: null,
    claimed_until: null,
    calendar: m.calendar ?? null,
  };
  try {
    await tx.insertInto('outbox_messages').values(row).execute();
  } catch (err) {
    // Under the writer lock this cannot race; kept for a write that bypassed it.
    if (isUniqueViolation(err)) {
      const again = await getMessageByKey(tx, m.idempotencyKey);
      if (again) return { message: again, created: false };
    }
    throw err;
  }
  return { message: present(row), created: true };
}

export async function getMessage(db: Kysely<Database>, id: string): Promise<OutboxMessage | null> {
  if (hasNul(id)) return null;
  const r = await db.selectFrom('outbox_messages').selectAll().where('id', '=', id).executeTakeFirst();
  return r ? present(r) : null;
}

export async function getMessageByKey(db: Kysely<Database>, key: string): Promise<OutboxMessage | null> {
  if (hasNul(key)) return null;
  const r = await db.selectFrom('outbox_messages').selectAll().where('idempotency_key', '=', key).executeTakeFirst();
  return r ? present(r) : null;
}

/** Messages, oldest first; filtered by case and/or status. */
export async function listMessages(
  db: Kysely<Database>,
  filter: { caseId?: string; status?: OutboxStatus[] } = {},
): Promise<OutboxMessage[]> {
  if (hasNul(filter.caseId)) return [];
  let q = db.selectFrom('outbox_messages').selectAll();
  if (filter.caseId !== undefined) q = q.where('case_id', '=', filter.caseId);
  if (filter.status && filter.status.length > 0) q = q.where('status', 'in', filter.status);
  const rows = await q.orderBy('created_at').orderBy('id').execute();
  return rows.map(present);
}

/**
 * Claims up to `limit` due queued messages for one attempt each: status `sending`, attempts + 1, a
 * fresh attempt token, a lease until `now + leaseMs`. Run it in its own `store.write` and let it
 * commit BEFORE sending. PostgreSQL: the rows are locked `FOR UPDATE SKIP LOCKED`, so two workers
 * never claim the same row even without the writer lock; SQLite has one writer anyway.
 */
export async function claimDueMessages(
  tx: Kysely<Database>,
  opts: { workerId: string; now: Date; leaseMs: number; limit: number; dialect: 'sqlite' | 'postgres' },
): Promise<ClaimedMessage[]> {
  if (!isWriteTransaction(tx)) throw new Error('claimDueMessages must be called inside store.write().');
  const now = opts.now.toISOString();
  let q = tx
    .selectFrom('outbox_messages')
    .selectAll()
    .where('status', '=', 'queued')
    .where('next_attempt_at', '<=', now)
    .orderBy('next_attempt_at')
    .orderBy('id')
    .limit(rowLimit(opts.limit));
  if (opts.dialect === 'postgres') q = q.forUpdate().skipLocked();
  const rows = await q.execute();
  const until = new Date(opts.now.getTime() + opts.leaseMs).toISOString();
  const claimed: ClaimedMessage[] = [];
  for (const r of rows) {
    const token = randomUUID();
    const res = await tx
      .updateTable('outbox_messages')
      .set({
        status: 'sending',
        attempts: sql<number>`attempts + 1`,
        attempt_token: token,
        claimed_by: opts.workerId,
        claimed_until: until,
      })
      .where('id', '=', r.id)
      .where('status', '=', 'queued')
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) !== 1) continue;
    claimed.push({
      ...present({ ...r, status: 'sending', attempts: Number(r.attempts) + 1, claimed_by: opts.workerId, claimed_until: until }),
      attemptToken: token,
    });
  }
  return claimed;
}

/**
 * Records a delivery. Only the claim's token counts; a row already moved to `unknown` (its lease ran
 * out while the SMTP server was slow) is still recorded as sent, because it was. False when the
 * token no longer matches (nothing changes).
 */
export async function recordSent(
  tx: Kysely<Database>,
  id: string,
  token: string,
  outcome: { smtpResponse: string; at: Date; by: string; warning?: string | null },
): Promise<boolean> {
  const res = await tx
    .updateTable('outbox_messages')
    .set({
      status: 'sent',
      smtp_response: outcome.smtpResponse,
      last_error: outcome.warning ?? null,
      sent_at: outcome.at.toISOString(),
      sent_by: outcome.by,
      attempt_token: null,
      claimed_by: null,
      claimed_until: null,
    })
    .where('id', '=', id)
    .where('attempt_token', '=', token)
    .where('status', 'in', ['sending', 'unknown'])
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

/** Records a failed attempt: back to `queued` at `retryAt`, or `failed` when retryAt is null. */
export async function recordFailure(
  tx: Kysely<Database>,
  id: string,
  token: string,
  outcome: { error: string; smtpResponse: string | null; retryAt: Date | null },
): Promise<boolean> {
  const res = await tx
    .updateTable('outbox_messages')
    .set({
      status: outcome.retryAt ? 'queued' : 'failed',
      next_attempt_at: outcome.retryAt ? outcome.retryAt.toISOString() : sql<string>`next_attempt_at`,
      last_error: outcome.error,
      smtp_response: outcome.smtpResponse,
      attempt_token: null,
      claimed_by: null,
      claimed_until: null,
    })
    .where('id', '=', id)
    .where('attempt_token', '=', token)
    .where('status', '=', 'sending')
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

export const UNKNOWN_OUTCOME_ERROR =
  "The worker stopped while sending this message: it may have been sent. Check the recipients' " +
  'archive, then retry it or mark it as sent.';

/** The outbox kind delivered at least once rather than at most once: the team's notifications. */
export const AT_LEAST_ONCE_KIND = 'notification';

/**
 * Rows left in `sending` past their lease (the worker died between sending and recording) become
 * `unknown`: they are NOT resent automatically. Returns the rows moved. Notifications (the
 * AT_LEAST_ONCE_KIND) are queued again instead.
 */
export async function expireStaleClaims(tx: Kysely<Database>, now: Date): Promise<OutboxMessage[]> {
  const at = now.toISOString();
  const stale = await tx
    .selectFrom('outbox_messages')
    .selectAll()
    .where('status', '=', 'sending')
    .where('claimed_until', '<', at)
    .execute();
  const moved: OutboxMessage[] = [];
  for (const r of stale) {
    if (r.kind === AT_LEAST_ONCE_KIND) {
      // A notification is resent (same Message-ID, so a receiver can drop the repeat): a reminder
      // nobody gets is worse than one that comes twice. Not reported as unknown.
      await tx
        .updateTable('outbox_messages')
        .set({ status: 'queued', next_attempt_at: at, attempt_token: null, claimed_by: null, claimed_until: null })
        .where('id', '=', r.id)
        .where('status', '=', 'sending')
        .execute();
      continue;
    }
    // The token stays, so a worker that was merely slow can still record the send.
    const res = await tx
      .updateTable('outbox_messages')
      .set({ status: 'unknown', last_error: UNKNOWN_OUTCOME_ERROR, claimed_until: null })
      .where('id', '=', r.id)
      .where('status', '=', 'sending')
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) === 1)
      moved.push(present({ ...r, status: 'unknown', last_error: UNKNOWN_OUTCOME_ERROR, claimed_until: null }));
  }
  return moved;
}

/** A person sends a `failed` or `unknown` message again: queued now, with a fresh attempt budget. */
export async function requeueMessage(tx: Kysely<Database>, id: string, now: Date): Promise<OutboxMessage | null> {
  const res = await tx
    .updateTable('outbox_messages')
    .set({ status: 'queued', attempts: 0, next_attempt_at: now.toISOString(), attempt_token: null, claimed_by: null, claimed_until: null })
    .where('id', '=', id)
    .where('status', 'in', ['failed', 'unknown'])
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1 ? getMessage(tx, id) : null;
}

/** Takes a message out of the worker's hands for the web-interface path: `copied`. */
export async function markCopied(tx: Kysely<Database>, id: string): Promise<OutboxMessage | null> {
  const res = await tx
    .updateTable('outbox_messages')
    .set({ status: 'copied', attempt_token: null, claimed_by: null, claimed_until: null })
    .where('id', '=', id)
    .where('status', 'in', ['queued', 'failed', 'unknown', 'copied'])
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1 ? getMessage(tx, id) : null;
}

/** A person sent it (through the list's web interface, or confirmed an `unknown` one went out). */
export async function markMessageSent(tx: Kysely<Database>, id: string, by: string, at: Date): Promise<OutboxMessage | null> {
  const res = await tx
    .updateTable('outbox_messages')
    .set({ status: 'sent', sent_by: by, sent_at: at.toISOString(), attempt_token: null, claimed_by: null, claimed_until: null })
    .where('id', '=', id)
    .where('status', 'in', ['copied', 'unknown'])
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1 ? getMessage(tx, id) : null;
}
