/**
 * What links the audit log's events: the canonical text of an event's details, each event's hash
 * over its content and the hash before it, and the chain head (the last seq and hash). Shared by
 * appending (events.ts) and checking (chain-verify.ts).
 */
import { createHash } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import type { Database, EventsTable } from './schema.js';
import { prepared } from './prepared.js';

/** JSON with object keys sorted at every level, so equal details always give equal text. */
export function canonicalJson(value: unknown): string {
  const plain: unknown = JSON.parse(JSON.stringify(value ?? {}));
  return JSON.stringify(sortKeys(plain));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) out[key] = sortKeys((value as Record<string, unknown>)[key]);
    return out;
  }
  return value;
}

/** SHA-256 hex over the canonical JSON array [seq, id, at, actor, action, caseId, detailsJson, prevHash]. */
export function hashEvent(e: {
  seq: number;
  id: string;
  at: string;
  actor: string;
  action: string;
  caseId: string | null;
  detailsJson: string;
  prevHash: string;
}): string {
  const material = JSON.stringify([e.seq, e.id, e.at, e.actor, e.action, e.caseId, e.detailsJson, e.prevHash]);
  return createHash('sha256').update(material, 'utf8').digest('hex');
}

export function rowHash(row: Selectable<EventsTable>): string {
  return hashEvent({
    seq: Number(row.seq),
    id: row.id,
    at: row.at,
    actor: row.actor,
    action: row.action,
    caseId: row.case_id,
    detailsJson: row.details,
    prevHash: row.prev_hash,
  });
}

const chainHead = prepared((db, _p: Record<string, never>) =>
  db.selectFrom('chain_head').select(['last_seq', 'last_hash']).where('id', '=', 1),
);

export interface ChainHead {
  lastSeq: number;
  lastHash: string;
}

export async function readHead(db: Kysely<Database>): Promise<ChainHead> {
  const head = (await chainHead(db, {})).rows[0];
  if (!head) throw new Error('The chain_head row is missing: the database was not migrated or was tampered with.');
  return { lastSeq: Number(head.last_seq), lastHash: head.last_hash };
}
