import { randomInt } from 'node:crypto';
import { type Kysely, type SelectQueryBuilder, sql } from 'kysely';
import { withDefaults } from '../domain/case/defaults.js';
import type { Case } from '../domain/case/types.js';
import { conflict, notFound } from '../domain/errors.js';
import type { Database } from './schema.js';
import { escapeLike, hasNul, isUniqueViolation, toCount } from './portable-sql.js';

/**
 * The next case id for `year`, e.g. EMB-2026-0001 (4 digits, zero-padded; 10000 and up just grow).
 * Consumes the number even if the case is never inserted; call it inside `store.write`.
 */
export async function nextCaseId(db: Kysely<Database>, year: number): Promise<string> {
  if (!Number.isInteger(year) || year < 1 || year > 9999) throw new Error(`Not a year: ${year}`);
  const row = await db
    .insertInto('case_counters')
    .values({ year, last: 1 })
    .onConflict((oc) => oc.column('year').doUpdateSet({ last: sql<number>`case_counters.last + 1` }))
    .returning('last')
    .executeTakeFirstOrThrow();
  return `EMB-${year}-${String(Number(row.last)).padStart(4, '0')}`;
}

/**
 * A case id whose number says nothing of how many cases exist: 8 random digits (EMB-2026-48213907),
 * drawn again when taken. For EMBARGO_CASE_NUMBERS=random; ids already given keep working.
 */
export async function randomCaseId(db: Kysely<Database>, year: number): Promise<string> {
  if (!Number.isInteger(year) || year < 1 || year > 9999) throw new Error(`Not a year: ${year}`);
  for (let attempt = 0; attempt < 20; attempt++) {
    const id = `EMB-${year}-${randomInt(10_000_000, 100_000_000)}`;
    if (!(await db.selectFrom('cases').select('id').where('id', '=', id).executeTakeFirst())) return id;
  }
  throw new Error('no free random case id after 20 draws');
}

function caseColumns(c: Case) {
  return {
    project: c.project,
    title: c.title,
    status: c.status,
    codename: c.codename,
    playbook: c.playbook,
    embargo: c.embargo === null ? null : JSON.stringify(c.embargo),
    state: JSON.stringify(c),
    revision: c.revision,
    created_at: c.createdAt,
    updated_at: c.updatedAt,
  };
}

function parseCase(state: string): Case {
  // Cases stored before a field existed lack its key: fill in what a new case would have.
  return withDefaults(JSON.parse(state) as Case);
}

/** Inserts a new case. Throws DomainError conflict when the id or the codename is taken. */
export async function insertCase(db: Kysely<Database>, c: Case): Promise<void> {
  try {
    await db
      .insertInto('cases')
      .values({ id: c.id, ...caseColumns(c) })
      .execute();
  } catch (err) {
    // (PostgreSQL's transaction is aborted now: which unique key it was cannot be asked.)
    if (isUniqueViolation(err)) throw conflict(`case ${c.id} already exists, or another case has the codename ${c.codename}`);
    throw err;
  }
}

export async function getCase(db: Kysely<Database>, id: string): Promise<Case | undefined> {
  if (hasNul(id)) return undefined;
  const row = await db.selectFrom('cases').select('state').where('id', '=', id).executeTakeFirst();
  return row ? parseCase(row.state) : undefined;
}

/**
 * Replaces a case if it is still at `expectedRevision` (optimistic concurrency). `c.revision` must be
 * greater than `expectedRevision` (commands increment it). Throws DomainError conflict when someone
 * else changed the case meanwhile, not_found when it does not exist.
 */
export async function updateCase(db: Kysely<Database>, c: Case, expectedRevision: number): Promise<void> {
  if (!(c.revision > expectedRevision)) {
    throw new Error(`updateCase(${c.id}): the new revision ${c.revision} must be greater than the expected revision ${expectedRevision}`);
  }
  const res = await db
    .updateTable('cases')
    .set(caseColumns(c))
    .where('id', '=', c.id)
    .where('revision', '=', expectedRevision)
    .executeTakeFirst();
  if (Number(res.numUpdatedRows) === 1) return;
  const exists = await db.selectFrom('cases').select('revision').where('id', '=', c.id).executeTakeFirst();
  if (!exists) throw notFound(`case ${c.id} not found`);
  throw conflict(`case ${c.id} was changed by someone else; reload and try again`, {
    expectedRevision,
    currentRevision: Number(exists.revision),
  });
}

export interface CaseFilter {
  /** Only cases this user may see: on the case's access list, or an admin of the case's project. */
  visibleTo?: string;
  /** Only cases of this project. */
  project?: string;
  /** Case-insensitive substring of id, title or codename; matched literally (% and _ are not wildcards). */
  q?: string;
  status?: string;
}

/** Where a page of the list starts: after this case in the list's order (created_at desc, id desc). */
export interface CaseListPosition {
  createdAt: string;
  id: string;
}

export interface ListCasesOptions extends CaseFilter {
  /** Default 50. */
  limit?: number;
  /** Default 0. */
  offset?: number;
  /** Only cases after this one in the list's order (keyset paging: stable while cases are added). */
  after?: CaseListPosition;
}

function applyFilter<O>(query: SelectQueryBuilder<Database, 'cases', O>, f: CaseFilter): SelectQueryBuilder<Database, 'cases', O> {
  let q = query;
  if (f.visibleTo !== undefined) {
    const userId = f.visibleTo;
    q = q.where((eb) =>
      eb.or([
        eb.exists(
          eb
            .selectFrom('case_access')
            .select('case_access.case_id')
            .whereRef('case_access.case_id', '=', 'cases.id')
            .where('case_access.user_id', '=', userId),
        ),
        eb.exists(
          eb
            .selectFrom('project_members')
            .select('project_members.project_id')
            .whereRef('project_members.project_id', '=', 'cases.project')
            .where('project_members.user_id', '=', userId)
            .where('project_members.role', '=', 'admin'),
        ),
      ]),
    );
  }
  if (f.project !== undefined) q = q.where('cases.project', '=', f.project);
  if (f.status !== undefined) q = q.where('cases.status', '=', f.status);
  const text = f.q?.trim();
  if (text) {
    const pattern = `%${escapeLike(text)}%`;
    q = q.where((eb) =>
      eb.or(
        (['cases.id', 'cases.title', 'cases.codename'] as const).map(
          (col) => sql<boolean>`lower(${eb.ref(col)}) like lower(${pattern}) escape '\\'`,
        ),
      ),
    );
  }
  return q;
}

/** A page's query: the filter, the keyset position, the order and the slice. */
function pageQuery<O>(query: SelectQueryBuilder<Database, 'cases', O>, opts: ListCasesOptions): SelectQueryBuilder<Database, 'cases', O> {
  const limit = opts.limit ?? 50;
  const offset = opts.offset ?? 0;
  if (!Number.isInteger(limit) || limit < 0) throw new Error(`Bad limit: ${limit}`);
  if (!Number.isInteger(offset) || offset < 0) throw new Error(`Bad offset: ${offset}`);
  let q = applyFilter(query, opts);
  const after = opts.after;
  if (after) {
    q = q.where((eb) =>
      eb.or([
        eb('cases.created_at', '<', after.createdAt),
        eb.and([eb('cases.created_at', '=', after.createdAt), eb('cases.id', '<', after.id)]),
      ]),
    );
  }
  return q.orderBy('cases.created_at', 'desc').orderBy('cases.id', 'desc').limit(limit).offset(offset);
}

const noMatch = (opts: ListCasesOptions) =>
  hasNul(opts.visibleTo, opts.project, opts.q, opts.status, opts.after?.createdAt, opts.after?.id);

/** Cases matching the filter, newest first. */
export async function listCases(db: Kysely<Database>, opts: ListCasesOptions = {}): Promise<Case[]> {
  if (noMatch(opts)) return [];
  const rows = await pageQuery(db.selectFrom('cases').select('cases.state'), opts).execute();
  return rows.map((r) => parseCase(r.state));
}

/** What a list shows of a case, and its place in the list's order. */
export interface CaseSummary {
  id: string;
  title: string;
  codename: string;
  project: string;
  playbook: string;
  status: string;
  embargo: Case['embargo'];
  updatedAt: string;
  createdAt: string;
}

/**
 * Summaries of the cases matching the filter, newest first: read from the summary columns, never
 * by parsing each case's whole state (a quarter of a list request's time when it did).
 */
export async function listCaseSummaries(db: Kysely<Database>, opts: ListCasesOptions = {}): Promise<CaseSummary[]> {
  if (noMatch(opts)) return [];
  const columns = ['id', 'title', 'codename', 'project', 'playbook', 'status', 'embargo', 'updated_at', 'created_at'] as const;
  const rows = await pageQuery(db.selectFrom('cases').select(columns.map((c) => `cases.${c}` as const)), opts).execute();
  return rows.map((r) => ({
    id: r.id,
    title: r.title,
    codename: r.codename,
    project: r.project,
    playbook: r.playbook,
    status: r.status,
    embargo: r.embargo === null ? null : (JSON.parse(r.embargo) as Case['embargo']),
    updatedAt: r.updated_at,
    createdAt: r.created_at,
  }));
}

/** How many cases match the filter (for paging). */
export async function countCases(db: Kysely<Database>, filter: CaseFilter = {}): Promise<number> {
  if (hasNul(filter.visibleTo, filter.project, filter.q, filter.status)) return 0;
  const row = await applyFilter(
    db.selectFrom('cases').select((eb) => eb.fn.countAll().as('n')),
    filter,
  ).executeTakeFirstOrThrow();
  return toCount(row.n);
}
