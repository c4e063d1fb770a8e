/**
 * The case records its mails when they are queued; the worker and people move them on in the outbox
 * (sent, failed, copied, …) without touching the case. Whoever loads the case overlays the outbox's
 * statuses, so a `message:` gate never counts a mail that has since failed.
 */
import type { Kysely } from 'kysely';
import type { Case, CaseMessageStatus } from '../domain/case/types.js';
import { withMessageStatuses } from '../domain/messages/record.js';
import type { Database } from '../store/schema.js';

export async function withOutboxStatuses(db: Kysely<Database>, c: Case): Promise<Case> {
  if (c.messages.length === 0) return c;
  const rows = await db.selectFrom('outbox_messages').select(['id', 'status']).where('case_id', '=', c.id).execute();
  return withMessageStatuses(c, new Map(rows.map((r) => [r.id, r.status as CaseMessageStatus])));
}
