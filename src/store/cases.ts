import { randomInt } from 'node:crypto';
import { type Kysely, type SelectQueryBuilder, sql } from 'kysely';
import { withDefaults } from '../domain/case/defaults.js';
import { type CaseSummary, caseSummary } from '../domain/case/summary.js';
import type { Case } from '../domain/case/types.js';
import { conflict, notFound } from '../domain/errors.js';
import type { Database } from './schema.js';
import { escapeLike, hasNul, isUniqueViolation, rowLimit, toCount } from './portable-sql.js';
import { prepared, preparedColumn } from './prepared.js';
import { requestLookup } from './coalesce.js';
import type { Store } from './store.js';

export type { CaseSummary };

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
    summary: summaryJson(c),
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

const caseState = prepared((db, p: { id: string }) => db.selectFrom('cases').select('state').where('id', '=', p.id));

export async function getCase(db: Kysely<Database>, id: string): Promise<Case | undefined> {
  if (hasNul(id)) return undefined;
  const row = (await caseState(db, { id })).rows[0];
  return row ? parseCase(row.state) : undefined;
}

type CaseColumns = ReturnType<typeof caseColumns>;

const replaceCase = prepared((db, p: CaseColumns & { id: string; expectedRevision: number }) =>
  db
    .updateTable('cases')
    .set({
      project: p.project,
      title: p.title,
      status: p.status,
      codename: p.codename,
      playbook: p.playbook,
      embargo: p.embargo,
      state: p.state,
      summary: p.summary,
      revision: p.revision,
      created_at: p.created_at,
      updated_at: p.updated_at,
    })
    .where('id', '=', p.id)
    .where('revision', '=', p.expectedRevision),
);

/**
 * The case, if this user may see it: on its access list, or an admin of its project. One query
 * whose two conditions name only the asked id, so the database answers them first (once, before
 * any row of `cases` is read): for someone on neither, a real id and an unknown one take the same
 * path, and the case's row is never read.
 */
const caseStateVisibleTo = prepared((db, p: { id: string; userId: string }) =>
  db
    .selectFrom('cases')
    .select('state')
    .where('cases.id', '=', p.id)
    .where((eb) =>
      eb.or([
        eb.exists(eb.selectFrom('case_access').select('case_id').where('case_id', '=', p.id).where('user_id', '=', p.userId)),
        eb.exists(
          eb
            .selectFrom('project_members')
            .innerJoin('cases as asked', 'asked.project', 'project_members.project_id')
            .select('project_members.project_id')
            .where('asked.id', '=', p.id)
            .where('project_members.user_id', '=', p.userId)
            .where('project_members.role', '=', 'admin'),
        ),
      ]),
    ),
);

/** The stored state of a case asked by a user (under caseStateVisibleTo's conditions) or by an instance admin (null). */
async function caseStateAskedBy(db: Kysely<Database>, id: string, userId: string | null): Promise<string | undefined> {
  const { rows } = userId === null ? await caseState(db, { id }) : await caseStateVisibleTo(db, { id, userId });
  return rows[0]?.state;
}

/** The case as an instance admin (userId null) reads it, or, for a user, only if the user may see it. */
export async function getCaseAskedBy(db: Kysely<Database>, id: string, userId: string | null): Promise<Case | undefined> {
  if (hasNul(id, userId ?? undefined)) return undefined;
  const state = await caseStateAskedBy(db, id, userId);
  return state === undefined ? undefined : parseCase(state);
}

/**
 * PostgreSQL: the states of many asked cases in one query, each pair (case, user) under the
 * conditions of caseStateVisibleTo. They name only the pair's own values, so PostgreSQL checks them
 * on the pair, with two index probes, before it reads the pair's row of `cases`: for someone on
 * neither list, a real id and an unknown one still take the same path. One EXISTS over a UNION ALL,
 * not an OR of two: the OR let the planner hash every admin's cases once per query.
 */
const caseStatesVisibleTo = prepared((db, p: { ids: string[]; userIds: string[] }) => ({
  compile: () =>
    sql<{ id: string; user_id: string; state: string }>`
      select asked.id, asked.user_id, visible.state
      from unnest(${p.ids}::text[], ${p.userIds}::text[]) as asked(id, user_id)
      cross join lateral (
        select cases.state from cases
        where cases.id = asked.id
          and exists (
            select 1 from case_access where case_access.case_id = asked.id and case_access.user_id = asked.user_id
            union all
            select 1 from project_members
            inner join cases as of_project on of_project.project = project_members.project_id
            where of_project.id = asked.id and project_members.user_id = asked.user_id and project_members.role = 'admin')
      ) as visible`.compile(db),
}));

/** PostgreSQL: the states of many cases by id (an instance admin's reads). */
const caseStates = prepared((db, p: { ids: string[] }) =>
  db.selectFrom('cases').select(['id', 'state']).where(sql<boolean>`id = any(${p.ids}::text[])`),
);

/** Who asks for a case in `caseStateLookup`: a user's id, or null for an instance admin (every case). */
const askedKey = (id: string, userId: string | null) => JSON.stringify([id, userId]);

/**
 * The stored state of a case as `getCaseAskedBy` reads it, for a request's read: on PostgreSQL the
 * reads of the requests that arrive together go in one query (coalesce.ts), each still seeing what
 * is committed after its request arrived. The state is text: each caller parses its own copy.
 */
const caseStateLookup = requestLookup<string>(
  (db, key) => caseStateAskedBy(db, ...(JSON.parse(key) as [string, string | null])),
  async (db, keys) => {
    const asked = keys.map((key) => JSON.parse(key) as [string, string | null]);
    const byAdmins = asked.filter(([, userId]) => userId === null).map(([id]) => id);
    const byUsers = asked.filter((a): a is [string, string] => a[1] !== null);
    const [all, visible] = await Promise.all([
      byAdmins.length > 0 ? caseStates(db, { ids: byAdmins }) : { rows: [] },
      byUsers.length > 0 ? caseStatesVisibleTo(db, { ids: byUsers.map(([id]) => id), userIds: byUsers.map(([, u]) => u) }) : { rows: [] },
    ]);
    return new Map([
      ...all.rows.map((r) => [askedKey(r.id, null), r.state] as const),
      ...visible.rows.map((r) => [askedKey(r.id, r.user_id), r.state] as const),
    ]);
  },
);

/** `getCaseAskedBy` for a request's read, asked together with others on PostgreSQL. */
export async function lookUpCase(store: Store, id: string, userId: string | null): Promise<Case | undefined> {
  if (hasNul(id, userId ?? undefined)) return undefined;
  const state = await caseStateLookup(store, askedKey(id, userId));
  return state === undefined ? undefined : parseCase(state);
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
  const res = await replaceCase(db, { ...caseColumns(c), id: c.id, expectedRevision });
  if (res.changed === 1) return;
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

/** A page's query as values: the filter's text turned into its LIKE pattern, paging checked. */
interface PageValues {
  visibleTo?: string;
  project?: string;
  status?: string;
  pattern?: string;
  afterCreatedAt?: string;
  afterId?: string;
  limit: number;
  offset: number;
}

function pageValues(opts: ListCasesOptions): PageValues {
  const limit = opts.limit ?? 50;
  const offset = opts.offset ?? 0;
  if (!Number.isInteger(limit) || limit < 0) throw new Error(`Bad limit: ${limit}`);
  if (!Number.isInteger(offset) || offset < 0) throw new Error(`Bad offset: ${offset}`);
  const text = opts.q?.trim();
  return {
    visibleTo: opts.visibleTo,
    project: opts.project,
    status: opts.status,
    pattern: text ? `%${escapeLike(text)}%` : undefined,
    afterCreatedAt: opts.after?.createdAt,
    afterId: opts.after?.id,
    limit,
    offset,
  };
}

function applyFilter<O>(query: SelectQueryBuilder<Database, 'cases', O>, f: PageValues): SelectQueryBuilder<Database, 'cases', O> {
  let q = query;
  if (f.visibleTo !== undefined) {
    const userId = f.visibleTo;
    // One EXISTS over a UNION ALL, not an OR of two: PostgreSQL turns the OR into hashed subplans
    // that read every row of the user's access list for each page (10,000 rows for 50 cases); this
    // form probes the two indexes for each case the page walks, and stops with the page.
    q = q.where((eb) =>
      eb.exists(
        eb
          .selectFrom('case_access')
          .select('case_access.case_id')
          .whereRef('case_access.case_id', '=', 'cases.id')
          .where('case_access.user_id', '=', userId)
          .unionAll(
            eb
              .selectFrom('project_members')
              .select('project_members.project_id as case_id')
              .whereRef('project_members.project_id', '=', 'cases.project')
              .where('project_members.user_id', '=', userId)
              .where('project_members.role', '=', 'admin'),
          ),
      ),
    );
  }
  if (f.project !== undefined) q = q.where('cases.project', '=', f.project);
  if (f.status !== undefined) q = q.where('cases.status', '=', f.status);
  const pattern = f.pattern;
  if (pattern !== undefined) {
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
function pageQuery<O>(query: SelectQueryBuilder<Database, 'cases', O>, v: PageValues): SelectQueryBuilder<Database, 'cases', O> {
  let q = applyFilter(query, v);
  const { afterCreatedAt, afterId } = v;
  if (afterCreatedAt !== undefined && afterId !== undefined) {
    q = q.where((eb) =>
      eb.or([
        eb('cases.created_at', '<', afterCreatedAt),
        eb.and([eb('cases.created_at', '=', afterCreatedAt), eb('cases.id', '<', afterId)]),
      ]),
    );
  }
  return q.orderBy('cases.created_at', 'desc').orderBy('cases.id', 'desc').limit(rowLimit(v.limit)).offset(v.offset);
}

const noMatch = (opts: ListCasesOptions) =>
  hasNul(opts.visibleTo, opts.project, opts.q, opts.status, opts.after?.createdAt, opts.after?.id);

/** Cases matching the filter, newest first. */
export async function listCases(db: Kysely<Database>, opts: ListCasesOptions = {}): Promise<Case[]> {
  if (noMatch(opts)) return [];
  const rows = await pageQuery(db.selectFrom('cases').select('cases.state'), pageValues(opts)).execute();
  return rows.map((r) => parseCase(r.state));
}

/**
 * A case's summary as the JSON text stored beside it: always `JSON.stringify(caseSummary(c))`
 * (`summaryJson`, and migration 0012 for cases stored before), so a list sends it as it is. The
 * brand keeps any other string from being taken for one. Changing what a summary holds needs a
 * migration that writes every stored summary again.
 */
export type CaseSummaryJson = string & { readonly caseSummaryJson: true };

export const summaryJson = (c: CaseSummary): CaseSummaryJson => JSON.stringify(caseSummary(c)) as CaseSummaryJson;

/**
 * A page of summaries, one prepared query per shape of filter (which of its parts are given): a
 * list's query is built and compiled once, not per request. At most 2^6 shapes.
 */
const summaryPages = new Map<string, ReturnType<typeof summaryPageQuery>>();

function summaryPageQuery(shape: string) {
  const given = (part: string) => shape.includes(part);
  return preparedColumn((db, p: PageValues) =>
    pageQuery(db.selectFrom('cases').select('cases.summary'), {
      visibleTo: given('v') ? p.visibleTo : undefined,
      project: given('p') ? p.project : undefined,
      status: given('s') ? p.status : undefined,
      pattern: given('q') ? p.pattern : undefined,
      afterCreatedAt: given('a') ? p.afterCreatedAt : undefined,
      afterId: given('a') ? p.afterId : undefined,
      limit: p.limit,
      offset: p.offset,
    }),
  );
}

/**
 * Summaries of the cases matching the filter, newest first, as the JSON text each case keeps
 * beside its state: neither the case's whole state nor a column at a time is turned into
 * JavaScript, not even a row object per case, and the list's answer is written from these texts
 * without parsing them again (parsing and serialising 50 summaries took a third of a list
 * request's time).
 */
export async function listCaseSummaryJson(db: Kysely<Database>, opts: ListCasesOptions = {}): Promise<CaseSummaryJson[]> {
  if (noMatch(opts)) return [];
  const v = pageValues(opts);
  const shape = [
    v.visibleTo !== undefined ? 'v' : '',
    v.project !== undefined ? 'p' : '',
    v.status !== undefined ? 's' : '',
    v.pattern !== undefined ? 'q' : '',
    v.afterCreatedAt !== undefined && v.afterId !== undefined ? 'a' : '',
  ].join('');
  let query = summaryPages.get(shape);
  if (!query) {
    query = summaryPageQuery(shape);
    summaryPages.set(shape, query);
  }
  return (await query(db, { ...v })) as CaseSummaryJson[];
}

/** How many cases match the filter (for paging). */
export async function countCases(db: Kysely<Database>, filter: CaseFilter = {}): Promise<number> {
  if (hasNul(filter.visibleTo, filter.project, filter.q, filter.status)) return 0;
  const row = await applyFilter(
    db.selectFrom('cases').select((eb) => eb.fn.countAll().as('n')),
    pageValues(filter),
  ).executeTakeFirstOrThrow();
  return toCount(row.n);
}
