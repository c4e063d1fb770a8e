import type { Kysely, Selectable, Updateable } from 'kysely';
import { conflict, notFound } from '../domain/errors.js';
import type { Database, UserRole, UsersTable } from './schema.js';
import { hasNul, isUniqueViolation, toCount } from './portable-sql.js';

export interface UserRecord {
  id: string;
  username: string;
  displayName: string;
  passwordHash: string;
  role: UserRole;
  /** ISO-8601 */
  createdAt: string;
  disabledAt: string | null;
}

export function toUserRecord(row: Omit<Selectable<UsersTable>, 'github_login'>): UserRecord {
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    passwordHash: row.password_hash,
    role: row.role,
    createdAt: row.created_at,
    disabledAt: row.disabled_at,
  };
}

/** The user's columns when a query joins `users` to a row that has its own `created_at`. */
export const JOINED_USER_COLUMNS = [
  'users.username',
  'users.display_name',
  'users.password_hash',
  'users.role',
  'users.created_at as user_created_at',
  'users.disabled_at',
] as const;

/** The user of a row selected with JOINED_USER_COLUMNS (and its `user_id`). */
export function joinedUser(row: {
  user_id: string;
  username: string;
  display_name: string;
  password_hash: string;
  role: UserRole;
  user_created_at: string;
  disabled_at: string | null;
}): UserRecord {
  return toUserRecord({ ...row, id: row.user_id, created_at: row.user_created_at });
}

/** Inserts a user. Throws DomainError conflict when the username (or id) is taken. */
export async function insertUser(db: Kysely<Database>, user: UserRecord): Promise<void> {
  const taken = await db.selectFrom('users').select('id').where('username', '=', user.username).executeTakeFirst();
  if (taken) throw conflict(`the username "${user.username}" is already taken`);
  try {
    await db
      .insertInto('users')
      .values({
        id: user.id,
        username: user.username,
        display_name: user.displayName,
        password_hash: user.passwordHash,
        role: user.role,
        created_at: user.createdAt,
        disabled_at: user.disabledAt,
      })
      .execute();
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict(`the username "${user.username}" is already taken`);
    throw err;
  }
}

export async function findUserByUsername(db: Kysely<Database>, username: string): Promise<UserRecord | undefined> {
  if (hasNul(username)) return undefined;
  const row = await db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
  return row ? toUserRecord(row) : undefined;
}

export async function findUserById(db: Kysely<Database>, id: string): Promise<UserRecord | undefined> {
  if (hasNul(id)) return undefined;
  const row = await db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toUserRecord(row) : undefined;
}

/** All users (disabled ones too), ordered by username. */
export async function listUsers(db: Kysely<Database>): Promise<UserRecord[]> {
  const rows = await db.selectFrom('users').selectAll().orderBy('username').execute();
  return rows.map(toUserRecord);
}

export async function countUsers(db: Kysely<Database>): Promise<number> {
  const row = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirstOrThrow();
  return toCount(row.n);
}

/** Admins who are not disabled. */
export async function countAdmins(db: Kysely<Database>): Promise<number> {
  const row = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('role', '=', 'admin')
    .where('disabled_at', 'is', null)
    .executeTakeFirstOrThrow();
  return toCount(row.n);
}

export interface UserPatch {
  displayName?: string;
  passwordHash?: string;
  role?: UserRole;
  /** ISO-8601 to disable, null to enable again. */
  disabledAt?: string | null;
}

/** Changes some fields of a user. Throws DomainError not_found for an unknown id. */
export async function updateUser(db: Kysely<Database>, id: string, patch: UserPatch): Promise<void> {
  const set: Updateable<UsersTable> = {};
  if (patch.displayName !== undefined) set.display_name = patch.displayName;
  if (patch.passwordHash !== undefined) set.password_hash = patch.passwordHash;
  if (patch.role !== undefined) set.role = patch.role;
  if (patch.disabledAt !== undefined) set.disabled_at = patch.disabledAt;
  if (Object.keys(set).length === 0) {
    if (!(await findUserById(db, id))) throw notFound(`user ${id} not found`);
    return;
  }
  const res = await db.updateTable('users').set(set).where('id', '=', id).executeTakeFirst();
  if (Number(res.numUpdatedRows) === 0) throw notFound(`user ${id} not found`);
}
