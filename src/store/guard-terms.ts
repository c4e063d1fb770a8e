/**
 * Leak-guard terms the team adds to a case (function names, config keys: words that would give the
 * case away). Kept in clear text like the rest of a case's embargoed details, under the same
 * need-to-know; they leave the server only as salted hashes (src/domain/guard/terms-file.ts).
 */
import type { Kysely } from 'kysely';
import type { Case } from '../domain/case/types.js';
import type { Database } from './schema.js';
import { hasNul, isUniqueViolation } from './portable-sql.js';

export interface GuardTerm {
  id: string;
  caseId: string;
  /** As the team wrote it. */
  term: string;
  /** Its words joined and lowercased: two spellings of one term share it. */
  termKey: string;
  addedBy: string;
  addedAt: string;
}

type Row = Database['guard_terms'];

const present = (r: Row): GuardTerm => ({
  id: r.id,
  caseId: r.case_id,
  term: r.term,
  termKey: r.term_key,
  addedBy: r.added_by,
  addedAt: r.added_at,
});

/** Adds a term; false when the case already has one with the same key (nothing changes). */
export async function insertGuardTerm(db: Kysely<Database>, t: GuardTerm): Promise<boolean> {
  try {
    await db
      .insertInto('guard_terms')
      .values({ id: t.id, case_id: t.caseId, term: t.term, term_key: t.termKey, added_by: t.addedBy, added_at: t.addedAt })
      .execute();
    return true;
  } catch (err) {
    if (isUniqueViolation(err)) return false;
    throw err;
  }
}

/** A case's terms, oldest first (terms added together: by their text). */
export async function listGuardTerms(db: Kysely<Database>, caseId: string): Promise<GuardTerm[]> {
  if (hasNul(caseId)) return [];
  const rows = await db
    .selectFrom('guard_terms')
    .selectAll()
    .where('case_id', '=', caseId)
    .orderBy('added_at')
    .orderBy('term_key')
    .execute();
  return rows.map(present);
}

/** Every case's terms, for building a terms file: case id -> terms. */
export async function guardTermsByCase(db: Kysely<Database>, caseIds: readonly string[]): Promise<Map<string, GuardTerm[]>> {
  const byCase = new Map<string, GuardTerm[]>();
  if (caseIds.length === 0) return byCase;
  // In slices: a bound parameter per id, and both databases cap the number of parameters.
  for (let i = 0; i < caseIds.length; i += 500) {
    const rows = await db
      .selectFrom('guard_terms')
      .selectAll()
      .where('case_id', 'in', caseIds.slice(i, i + 500))
      .orderBy('added_at')
      .execute();
    for (const r of rows) byCase.set(r.case_id, [...(byCase.get(r.case_id) ?? []), present(r)]);
  }
  return byCase;
}

/** Removes one term of a case; false when the case has no term with that id. */
export async function deleteGuardTerm(db: Kysely<Database>, caseId: string, termId: string): Promise<boolean> {
  if (hasNul(caseId, termId)) return false;
  const res = await db.deleteFrom('guard_terms').where('case_id', '=', caseId).where('id', '=', termId).executeTakeFirst();
  return Number(res.numDeletedRows) > 0;
}

/** Every case as stored (state JSON decoded), optionally only those `userId` is on the access list of. */
export async function allCases(db: Kysely<Database>, visibleTo?: string): Promise<Case[]> {
  let query = db.selectFrom('cases').select('cases.state');
  if (visibleTo !== undefined) {
    if (hasNul(visibleTo)) return [];
    query = query.innerJoin('case_access', 'case_access.case_id', 'cases.id').where('case_access.user_id', '=', visibleTo);
  }
  const rows = await query.orderBy('cases.id').execute();
  return rows.map((r) => JSON.parse(r.state) as Case);
}
