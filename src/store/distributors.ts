/**
 * The distributors list's members. A removed member keeps their row (removed_at), so the who-knows
 * register can still say who was on the list when a notice went out.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import type { Distributor } from '../domain/disclosure/types.js';
import type { NewDistributor, DistributorEdit } from '../domain/disclosure/validate.js';
import type { Database, DistributorsTable } from './schema.js';
import { hasNul } from './portable-sql.js';

const present = (r: Selectable<DistributorsTable>): Distributor => ({
  id: r.id,
  project: r.project ?? '',
  organisation: r.organisation,
  contact: r.contact,
  criteria: JSON.parse(r.criteria) as string[],
  vouchedBy: r.vouched_by,
  termsAcceptedAt: r.terms_accepted_at,
  addedAt: r.added_at,
  addedBy: r.added_by,
  removedAt: r.removed_at,
  removedBy: r.removed_by,
});

/** A project's members, removed ones too unless `activeOnly`; by organisation. */
export async function listDistributors(db: Kysely<Database>, project: string, opts: { activeOnly?: boolean } = {}): Promise<Distributor[]> {
  if (hasNul(project)) return [];
  let q = db.selectFrom('distributors').selectAll().where('project', '=', project);
  if (opts.activeOnly) q = q.where('removed_at', 'is', null);
  const rows = await q.orderBy('organisation').orderBy('added_at').orderBy('id').execute();
  return rows.map(present);
}

export async function getDistributor(db: Kysely<Database>, id: string): Promise<Distributor | null> {
  if (hasNul(id)) return null;
  const r = await db.selectFrom('distributors').selectAll().where('id', '=', id).executeTakeFirst();
  return r ? present(r) : null;
}

export async function insertDistributor(
  db: Kysely<Database>,
  project: string,
  d: NewDistributor,
  by: string,
  at: Date,
): Promise<Distributor> {
  const row: Selectable<DistributorsTable> = {
    id: randomUUID(),
    project,
    organisation: d.organisation,
    contact: d.contact,
    criteria: JSON.stringify(d.criteria),
    vouched_by: d.vouchedBy,
    terms_accepted_at: d.termsAcceptedAt,
    added_at: at.toISOString(),
    added_by: by,
    removed_at: null,
    removed_by: null,
  };
  await db.insertInto('distributors').values(row).execute();
  return present(row);
}

export async function updateDistributor(db: Kysely<Database>, id: string, edit: DistributorEdit): Promise<Distributor | null> {
  const set: Partial<DistributorsTable> = {};
  if (edit.criteria !== undefined) set.criteria = JSON.stringify(edit.criteria);
  if (edit.vouchedBy !== undefined) set.vouched_by = edit.vouchedBy;
  if (edit.termsAcceptedAt !== undefined) set.terms_accepted_at = edit.termsAcceptedAt;
  await db.updateTable('distributors').set(set).where('id', '=', id).execute();
  return getDistributor(db, id);
}

/** Marks an active member removed; false when already removed. */
export async function removeDistributor(db: Kysely<Database>, id: string, by: string, at: Date): Promise<boolean> {
  const res = await db
    .updateTable('distributors')
    .set({ removed_at: at.toISOString(), removed_by: by })
    .where('id', '=', id)
    .where('removed_at', 'is', null)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}
