/**
 * Reporter portal links and the replies written through them. A link is found by the SHA-256 of its
 * secret (the secret itself is never stored); at most one link per case is active, which the app
 * layer keeps true by revoking the old link in the same transaction that inserts the new one.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import type { Database, PortalLinksTable, ReporterRepliesTable } from './schema.js';
import { hasNul, iso, toCount } from './portable-sql.js';

type Db = Kysely<Database>;

export interface PortalLink {
  id: string;
  caseId: string;
  createdAt: string;
  createdBy: string;
  expiresAt: string | null;
  revokedAt: string | null;
  revokedBy: string | null;
  lastUsedAt: string | null;
}

export interface ReporterReply {
  id: string;
  caseId: string;
  linkId: string;
  body: string;
  createdAt: string;
}

const presentLink = (r: Selectable<PortalLinksTable>): PortalLink => ({
  id: r.id,
  caseId: r.case_id,
  createdAt: r.created_at,
  createdBy: r.created_by,
  expiresAt: r.expires_at,
  revokedAt: r.revoked_at,
  revokedBy: r.revoked_by,
  lastUsedAt: r.last_used_at,
});

const presentReply = (r: Selectable<ReporterRepliesTable>): ReporterReply => ({
  id: r.id,
  caseId: r.case_id,
  linkId: r.link_id,
  body: r.body,
  createdAt: r.created_at,
});

export async function insertPortalLink(
  tx: Db,
  link: { caseId: string; secretHash: string; createdBy: string; now: Date; expiresAt: Date | null },
): Promise<PortalLink> {
  const row: Selectable<PortalLinksTable> = {
    id: randomUUID(),
    case_id: link.caseId,
    secret_hash: link.secretHash,
    created_at: iso(link.now),
    created_by: link.createdBy,
    expires_at: link.expiresAt ? iso(link.expiresAt) : null,
    revoked_at: null,
    revoked_by: null,
    last_used_at: null,
  };
  await tx.insertInto('portal_links').values(row).execute();
  return presentLink(row);
}

/** Revokes every active link of a case; returns how many were active. */
export async function revokePortalLinks(tx: Db, caseId: string, by: string, now: Date): Promise<number> {
  const res = await tx
    .updateTable('portal_links')
    .set({ revoked_at: iso(now), revoked_by: by })
    .where('case_id', '=', caseId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(res.numUpdatedRows);
}

/** The link with this secret hash if it is neither revoked nor expired at `now`. */
export async function findActivePortalLink(db: Db, secretHash: string, now: Date): Promise<PortalLink | null> {
  if (hasNul(secretHash)) return null;
  const r = await db
    .selectFrom('portal_links')
    .selectAll()
    .where('secret_hash', '=', secretHash)
    .where('revoked_at', 'is', null)
    .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', iso(now))]))
    .executeTakeFirst();
  return r ? presentLink(r) : null;
}

/** The case's active link (never its secret), or null. */
export async function activePortalLinkOfCase(db: Db, caseId: string, now: Date): Promise<PortalLink | null> {
  const r = await db
    .selectFrom('portal_links')
    .selectAll()
    .where('case_id', '=', caseId)
    .where('revoked_at', 'is', null)
    .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', iso(now))]))
    .orderBy('created_at', 'desc')
    .executeTakeFirst();
  return r ? presentLink(r) : null;
}

export async function touchPortalLink(tx: Db, id: string, now: Date): Promise<void> {
  await tx
    .updateTable('portal_links')
    .set({ last_used_at: iso(now) })
    .where('id', '=', id)
    .execute();
}

export async function insertReporterReply(
  tx: Db,
  reply: { caseId: string; linkId: string; body: string; now: Date },
): Promise<ReporterReply> {
  const row: Selectable<ReporterRepliesTable> = {
    id: randomUUID(),
    case_id: reply.caseId,
    link_id: reply.linkId,
    body: reply.body,
    created_at: iso(reply.now),
  };
  await tx.insertInto('reporter_replies').values(row).execute();
  return presentReply(row);
}

/** A case's replies, oldest first (every link's, so a new link still shows the earlier ones). */
export async function listReporterReplies(db: Db, caseId: string): Promise<ReporterReply[]> {
  if (hasNul(caseId)) return [];
  const rows = await db
    .selectFrom('reporter_replies')
    .selectAll()
    .where('case_id', '=', caseId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map(presentReply);
}

/**
 * When the team marked this exact disclosure time as agreed (the register's embargo_agreements),
 * or null while it is only proposed. Only the time is read: who objected stays with the team.
 */
export async function embargoAgreedAt(db: Db, caseId: string, endsAt: string, timeZone: string): Promise<string | null> {
  const r = await db
    .selectFrom('embargo_agreements')
    .select('agreed_at')
    .where('case_id', '=', caseId)
    .where('ends_at', '=', endsAt)
    .where('time_zone', '=', timeZone)
    .orderBy('agreed_at', 'desc')
    .executeTakeFirst();
  return r?.agreed_at ?? null;
}

/** Per case with replies: how many, and when the latest came (one query for the dashboard). */
export async function replyTotals(db: Db): Promise<Map<string, { count: number; latestAt: string }>> {
  const rows = await db
    .selectFrom('reporter_replies')
    .select((eb) => ['case_id', eb.fn.countAll().as('n'), eb.fn.max('created_at').as('latest')])
    .groupBy('case_id')
    .execute();
  return new Map(rows.map((r) => [r.case_id, { count: toCount(r.n), latestAt: String(r.latest) }]));
}
