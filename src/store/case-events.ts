/** A case's events of a few actions, oldest first: what clocks read (when the report came, when an embargo was set). */
import type { Kysely } from 'kysely';
import { hasNul } from './portable-sql.js';
import type { Database } from './schema.js';

export async function caseEventsOf(
  db: Kysely<Database>,
  caseId: string,
  actions: readonly string[],
): Promise<{ action: string; at: string; details: unknown }[]> {
  if (hasNul(caseId) || actions.length === 0) return [];
  const rows = await db
    .selectFrom('events')
    .select(['action', 'at', 'details'])
    .where('case_id', '=', caseId)
    .where('action', 'in', [...actions])
    .orderBy('seq')
    .execute();
  return rows.map((r) => ({ action: r.action, at: r.at, details: JSON.parse(r.details) as unknown }));
}
