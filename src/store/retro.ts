/** The retrospectives' notes and action items (0011_retro). */
import type { Kysely } from 'kysely';
import type { ActionItem, RetrospectiveNotes } from '../domain/retro/retrospective.js';
import type { Database, RetroActionsTable } from './schema.js';

type Db = Kysely<Database>;

export async function getRetrospective(db: Db, caseId: string): Promise<RetrospectiveNotes | null> {
  const row = await db.selectFrom('retrospectives').selectAll().where('case_id', '=', caseId).executeTakeFirst();
  return row ? { notes: row.notes, writtenBy: row.written_by, writtenAt: row.written_at } : null;
}

/** Which of `caseIds` have a written retrospective. */
export async function casesWithRetrospective(db: Db, caseIds: readonly string[]): Promise<Set<string>> {
  if (caseIds.length === 0) return new Set();
  const rows = await db.selectFrom('retrospectives').select('case_id').where('case_id', 'in', caseIds).execute();
  return new Set(rows.map((r) => r.case_id));
}

export async function saveRetrospective(db: Db, caseId: string, r: RetrospectiveNotes): Promise<void> {
  const values = { notes: r.notes, written_by: r.writtenBy, written_at: r.writtenAt };
  await db
    .insertInto('retrospectives')
    .values({ case_id: caseId, ...values })
    .onConflict((oc) => oc.column('case_id').doUpdateSet(values))
    .execute();
}

const toAction = (r: RetroActionsTable): ActionItem => ({
  id: r.id,
  caseId: r.case_id,
  text: r.text,
  owner: r.owner,
  createdBy: r.created_by,
  createdAt: r.created_at,
  doneBy: r.done_by,
  doneAt: r.done_at,
});

export async function insertAction(db: Db, a: ActionItem): Promise<void> {
  await db
    .insertInto('retro_actions')
    .values({
      id: a.id,
      case_id: a.caseId,
      text: a.text,
      owner: a.owner,
      created_by: a.createdBy,
      created_at: a.createdAt,
      done_by: a.doneBy,
      done_at: a.doneAt,
    })
    .execute();
}

export async function caseActions(db: Db, caseId: string): Promise<ActionItem[]> {
  const rows = await db.selectFrom('retro_actions').selectAll().where('case_id', '=', caseId).orderBy('created_at').orderBy('id').execute();
  return rows.map(toAction);
}

/** The action item by id (or the unique one an 8-character prefix names). */
export async function findAction(db: Db, id: string): Promise<ActionItem | null> {
  const rows = await db
    .selectFrom('retro_actions')
    .selectAll()
    .where('id', id.length >= 36 ? '=' : 'like', id.length >= 36 ? id : `${id.replace(/[%_]/g, '')}%`)
    .limit(2)
    .execute();
  return rows.length === 1 ? toAction(rows[0]!) : null;
}

export async function markActionDone(db: Db, id: string, by: string, at: string): Promise<void> {
  await db.updateTable('retro_actions').set({ done_by: by, done_at: at }).where('id', '=', id).execute();
}

/** Open action items of the given cases, oldest first. */
export async function openActions(db: Db, caseIds: readonly string[]): Promise<ActionItem[]> {
  if (caseIds.length === 0) return [];
  const rows = await db
    .selectFrom('retro_actions')
    .selectAll()
    .where('case_id', 'in', caseIds)
    .where('done_at', 'is', null)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map(toAction);
}
