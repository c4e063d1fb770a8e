/**
 * GitHub integration rows (0006_github): each project's connection (repository, encrypted token,
 * last check), each case's advisory sync state, and users' GitHub logins. The token leaves this
 * module only as the sealed triple; decrypting it is the app layer's job (src/app/secret-box.ts).
 */
import type { Kysely, Selectable } from 'kysely';
import type { Database, GitHubAdvisoryLinksTable, GitHubConnectionsTable } from './schema.js';
import { hasNul } from './portable-sql.js';

type Db = Kysely<Database>;

/** AES-256-GCM output as base64 (see src/app/secret-box.ts); the plain token is never stored. */
export interface SealedToken {
  ciphertext: string;
  nonce: string;
  tag: string;
}

export interface GitHubConnectionRecord {
  project: string;
  owner: string;
  name: string;
  sealedToken: SealedToken;
  apiUrl: string;
  createdBy: string;
  createdAt: string;
  checkedBy: string | null;
  checkedAt: string | null;
  checkOk: boolean;
  checkResult: string;
  /** The login the token belongs to, as GET /user said at the last check. */
  login: string | null;
}

function toConnection(row: Selectable<GitHubConnectionsTable>): GitHubConnectionRecord {
  return {
    project: row.project,
    owner: row.repo_owner,
    name: row.repo_name,
    sealedToken: { ciphertext: row.token_ciphertext, nonce: row.token_nonce, tag: row.token_tag },
    apiUrl: row.api_url,
    createdBy: row.created_by,
    createdAt: row.created_at,
    checkedBy: row.checked_by,
    checkedAt: row.checked_at,
    checkOk: Number(row.check_ok) === 1,
    checkResult: row.check_result,
    login: row.github_login,
  };
}

export async function getConnection(db: Db, project: string): Promise<GitHubConnectionRecord | undefined> {
  if (hasNul(project)) return undefined;
  const row = await db.selectFrom('github_connections').selectAll().where('project', '=', project).executeTakeFirst();
  return row ? toConnection(row) : undefined;
}

export async function listConnections(db: Db): Promise<GitHubConnectionRecord[]> {
  const rows = await db.selectFrom('github_connections').selectAll().orderBy('project').execute();
  return rows.map(toConnection);
}

/** Inserts or replaces a project's connection. */
export async function saveConnection(db: Db, c: GitHubConnectionRecord): Promise<void> {
  const values = {
    repo_owner: c.owner,
    repo_name: c.name,
    token_ciphertext: c.sealedToken.ciphertext,
    token_nonce: c.sealedToken.nonce,
    token_tag: c.sealedToken.tag,
    api_url: c.apiUrl,
    created_by: c.createdBy,
    created_at: c.createdAt,
    checked_by: c.checkedBy,
    checked_at: c.checkedAt,
    check_ok: c.checkOk ? 1 : 0,
    check_result: c.checkResult,
    github_login: c.login,
  };
  await db
    .insertInto('github_connections')
    .values({ project: c.project, ...values })
    .onConflict((oc) => oc.column('project').doUpdateSet(values))
    .execute();
}

/** True when there was a connection to delete. */
export async function deleteConnection(db: Db, project: string): Promise<boolean> {
  const res = await db.deleteFrom('github_connections').where('project', '=', project).executeTakeFirst();
  return Number(res.numDeletedRows) > 0;
}

export interface AdvisoryLinkRecord {
  caseId: string;
  ghsaId: string;
  etag: string | null;
  lastSyncedAt: string | null;
  lastPushedHash: string | null;
  lastPushedAt: string | null;
  remoteState: string | null;
}

function toLink(row: Selectable<GitHubAdvisoryLinksTable>): AdvisoryLinkRecord {
  return {
    caseId: row.case_id,
    ghsaId: row.ghsa_id,
    etag: row.etag,
    lastSyncedAt: row.last_synced_at,
    lastPushedHash: row.last_pushed_hash,
    lastPushedAt: row.last_pushed_at,
    remoteState: row.remote_state,
  };
}

export async function getAdvisoryLink(db: Db, caseId: string): Promise<AdvisoryLinkRecord | undefined> {
  if (hasNul(caseId)) return undefined;
  const row = await db.selectFrom('github_advisory_links').selectAll().where('case_id', '=', caseId).executeTakeFirst();
  return row ? toLink(row) : undefined;
}

/** GHSA ids already linked to a case (import skips them). */
export async function linkedGhsaIds(db: Db, ghsaIds: readonly string[]): Promise<Map<string, string>> {
  if (ghsaIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('github_advisory_links')
    .select(['ghsa_id', 'case_id'])
    .where('ghsa_id', 'in', [...ghsaIds])
    .execute();
  return new Map(rows.map((r) => [r.ghsa_id, r.case_id]));
}

/**
 * Creates the link or changes some of its fields. A new GHSA id resets what belonged to the old one
 * (its ETag, its sync time).
 */
export async function saveAdvisoryLink(
  db: Db,
  caseId: string,
  patch: Partial<Omit<AdvisoryLinkRecord, 'caseId'>> & { ghsaId: string },
): Promise<AdvisoryLinkRecord> {
  const current = await getAdvisoryLink(db, caseId);
  const base: AdvisoryLinkRecord =
    current && current.ghsaId === patch.ghsaId
      ? current
      : { caseId, ghsaId: patch.ghsaId, etag: null, lastSyncedAt: null, lastPushedHash: null, lastPushedAt: null, remoteState: null };
  const next: AdvisoryLinkRecord = { ...base, ...patch, caseId };
  const values = {
    ghsa_id: next.ghsaId,
    etag: next.etag,
    last_synced_at: next.lastSyncedAt,
    last_pushed_hash: next.lastPushedHash,
    last_pushed_at: next.lastPushedAt,
    remote_state: next.remoteState,
  };
  await db
    .insertInto('github_advisory_links')
    .values({ case_id: caseId, ...values })
    .onConflict((oc) => oc.column('case_id').doUpdateSet(values))
    .execute();
  return next;
}

export async function getGitHubLogin(db: Db, userId: string): Promise<string | null> {
  const row = await db.selectFrom('users').select('github_login').where('id', '=', userId).executeTakeFirst();
  return row?.github_login ?? null;
}

/** Every user's GitHub login that is on record, by user id. */
export async function gitHubLogins(db: Db): Promise<Map<string, string>> {
  const rows = await db.selectFrom('users').select(['id', 'github_login']).where('github_login', 'is not', null).execute();
  return new Map(rows.map((r) => [r.id, r.github_login as string]));
}

/** Sets (or clears, with null) a user's GitHub login. False when the user does not exist. */
export async function setGitHubLogin(db: Db, userId: string, login: string | null): Promise<boolean> {
  const res = await db.updateTable('users').set({ github_login: login }).where('id', '=', userId).executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

/** The people on a case's access list with their GitHub logins (null when unknown). */
export async function accessListLogins(db: Db, caseId: string): Promise<{ username: string; displayName: string; login: string | null }[]> {
  const rows = await db
    .selectFrom('case_access')
    .innerJoin('users', 'users.id', 'case_access.user_id')
    .select(['users.username', 'users.display_name', 'users.github_login', 'users.disabled_at'])
    .where('case_access.case_id', '=', caseId)
    .orderBy('users.username')
    .execute();
  // A disabled account no longer works on the case, so it gets no access to the fork either.
  return rows
    .filter((r) => r.disabled_at === null)
    .map((r) => ({ username: r.username, displayName: r.display_name, login: r.github_login }));
}
