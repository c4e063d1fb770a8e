/** Users, sign-in sessions and API tokens. */
import { signedIn, signedOut, signInFailed, tokenCreated, tokenRevoked, userCreated } from '../domain/account-events.js';
import { randomUUID } from 'node:crypto';
import * as rules from '../domain/account.js';
import { DomainError, invalidInput } from '../domain/errors.js';
import type { Kysely } from 'kysely';
import { appendEvents } from '../store/events.js';
import type { Database } from '../store/schema.js';
import {
  countSignInFailures,
  findActiveSession,
  insertSession,
  lookUpActiveSession,
  revokeSession,
  touchSession,
} from '../store/sessions.js';
import { findTokenById, lookUpActiveToken, insertToken, listTokens, revokeToken, touchToken } from '../store/tokens.js';
import { gitHubLogins } from '../store/github.js';
import { membershipsByUser } from '../store/projects.js';
import { countUsers, findUserByUsername, insertUser, listUsers as listUserRecords, type UserRecord } from '../store/users.js';
import { requireAdmin, requireAdminWork, requireScopesHeld, SCOPES, type Actor, type Role, type Scope } from './actor.js';
import type { App } from './app.js';
import { joinProjects, type Membership } from './projects.js';
import { newSecret, secretHash } from './secrets.js';

/** The native argon2 module, loaded by the first command that hashes or checks a password (most never do). */
const argon2 = () => import('@node-rs/argon2');

export interface PublicUser {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  createdAt: string;
  /** Set while the account is disabled. */
  disabledAt: string | null;
  /** In user lists. */
  githubLogin?: string | null;
  /** In user lists and a new user's answer. */
  projects?: Membership[];
}

/** The password hash never leaves this module. */
const present = (u: UserRecord, projects?: Membership[]): PublicUser => ({
  id: u.id,
  username: u.username,
  displayName: u.displayName,
  role: u.role,
  createdAt: u.createdAt,
  disabledAt: u.disabledAt,
  ...(projects ? { projects } : {}),
});

const actorOf = (u: UserRecord, kind: 'session' | 'token', scopes: readonly Scope[]): Actor => ({
  kind,
  userId: u.id,
  name: u.username,
  role: u.role,
  scopes,
});

const SETUP_ACTOR: Actor = { kind: 'local', userId: null, name: 'setup', role: 'admin', scopes: SCOPES };

// Verifying against this when the user does not exist keeps sign-in time the same either way.
let decoyHash: Promise<string> | undefined;

export interface NewUser {
  username: unknown;
  password: unknown;
  displayName?: unknown;
  role?: unknown;
  /** Projects to join: "contour" or "contour:admin". Omitted: the only active project, if there is one. */
  projects?: unknown;
}

/**
 * Adds a user. `actor` null is the first-run bootstrap, allowed only while there are no users;
 * `inTransaction` runs first in the same transaction (the setup link is checked and spent there).
 */
export async function addUser(
  app: App,
  actor: Actor | null,
  input: NewUser,
  inTransaction?: (tx: Kysely<Database>) => Promise<void>,
): Promise<PublicUser> {
  if (actor) requireAdminWork(actor);
  const username = rules.username(input.username);
  const password = rules.password(input.password);
  const role = input.role ?? 'member';
  if (role !== 'admin' && role !== 'member') throw invalidInput('role must be admin or member', { field: 'role' });
  const displayName = input.displayName === undefined || input.displayName === null ? username : rules.displayName(input.displayName);
  const { hash } = await argon2();
  const passwordHash = await hash(password); // argon2id (the library's default) with its recommended cost
  const now = app.clock();
  return app.store.write(async (tx) => {
    await inTransaction?.(tx);
    if (!actor && (await countUsers(tx)) > 0) throw new DomainError('forbidden', 'Embargo is already set up; an admin must add users');
    const user: UserRecord = {
      id: randomUUID(),
      username,
      displayName,
      passwordHash,
      role,
      createdAt: now.toISOString(),
      disabledAt: null,
    };
    await insertUser(tx, user);
    const by = actor?.name ?? 'setup';
    // The first-run user joins projects as the setup itself would (there is no admin yet to add them).
    const joined = await joinProjects(tx, actor ?? SETUP_ACTOR, user, input.projects, now);
    await appendEvents(tx, { actor: by, at: now, events: [userCreated(username, role), ...joined.events] });
    return present(user, joined.projects);
  });
}

export async function listUsers(app: App, actor: Actor): Promise<PublicUser[]> {
  requireAdmin(actor);
  return app.store.read(async (db) => {
    const memberships = await membershipsByUser(db);
    const logins = await gitHubLogins(db);
    return (await listUserRecords(db)).map((u) => ({ ...present(u, memberships.get(u.id) ?? []), githubLogin: logins.get(u.id) ?? null }));
  });
}

export async function hasUsers(app: App): Promise<boolean> {
  return app.store.read(async (db) => (await countUsers(db)) > 0);
}

export interface SignedIn {
  /** The cookie value; given to the browser once and never stored. */
  token: string;
  csrfToken: string;
  expiresAt: string;
  user: PublicUser;
}

/** Failed sign-ins of one account are counted over this window (EMBARGO_SIGN_IN_FAILURES of them). */
export const SIGN_IN_FAILURE_WINDOW_MS = 15 * 60_000;
const DEFAULT_SIGN_IN_FAILURES = 10;

export async function signIn(app: App, input: { username: unknown; password: unknown }): Promise<SignedIn> {
  const failed = new DomainError('unauthorized', 'wrong username or password');
  if (typeof input.username !== 'string' || typeof input.password !== 'string' || input.password.length > 1024) throw failed;
  const username = input.username;
  const now = app.clock();
  const since = new Date(now.getTime() - SIGN_IN_FAILURE_WINDOW_MS);
  const { user, failures } = await app.store.read(async (db) => {
    const found = await findUserByUsername(db, username);
    return { user: found, failures: found ? await countSignInFailures(db, found.username, since) : 0 };
  });
  // Guessing one account's password is slowed whatever the address the guesses come from; the
  // limit per address is the HTTP shell's. The right password waits too: it might be the guess.
  if (failures >= (app.config.signInFailuresPerAccount ?? DEFAULT_SIGN_IN_FAILURES)) {
    throw new DomainError(
      'rate_limited',
      `too many failed sign-ins for this account in the last ${SIGN_IN_FAILURE_WINDOW_MS / 60_000} minutes; try again later`,
    );
  }
  const active = user && !user.disabledAt ? user : undefined;
  const { hash, verify } = await argon2();
  const ok = await verify(active?.passwordHash ?? (await (decoyHash ??= hash(newSecret('')))), input.password).catch(() => false);
  if (!ok || !active) {
    await app.store.write((tx) =>
      appendEvents(tx, {
        actor: 'anonymous',
        at: now,
        events: [signInFailed(user ? user.username : null)],
      }),
    );
    throw failed;
  }
  const token = newSecret('');
  const csrfToken = newSecret('');
  const expiresAt = new Date(now.getTime() + app.config.sessionTtlHours * 3_600_000).toISOString();
  await app.store.write(async (tx) => {
    await insertSession(tx, {
      id: secretHash(token),
      userId: active.id,
      csrfToken,
      createdAt: now.toISOString(),
      expiresAt,
      lastSeenAt: now.toISOString(),
      revokedAt: null,
    });
    await appendEvents(tx, { actor: active.username, at: now, events: [signedIn()] });
  });
  return { token, csrfToken, expiresAt, user: present(active) };
}

export interface SessionActor {
  actor: Actor;
  csrfToken: string;
  user: PublicUser;
}

export async function sessionActor(app: App, token: string): Promise<SessionActor | null> {
  const now = app.clock();
  const found = await lookUpActiveSession(app.store, secretHash(token), now);
  if (!found) return null;
  // Like a token's use: recorded at most once a minute, so a page's reads do not each write.
  if (recordingDue(app, `session:${found.session.id}`, found.session.lastSeenAt, now)) {
    await app.store.read((db) => touchSession(db, found.session.id, now));
  }
  return { actor: actorOf(found.user, 'session', SCOPES), csrfToken: found.session.csrfToken, user: present(found.user) };
}

export async function signOut(app: App, token: string): Promise<void> {
  const now = app.clock();
  await app.store.write(async (tx) => {
    const found = await findActiveSession(tx, secretHash(token), now);
    if (!found) return;
    await revokeSession(tx, found.session.id, now);
    await appendEvents(tx, { actor: found.user.username, at: now, events: [signedOut()] });
  });
}

export interface IssuedToken {
  id: string;
  name: string;
  scopes: Scope[];
  /** Shown once; only its hash is kept. */
  token: string;
}

/**
 * Issues an API token. A signed-in user gets one for themselves; an admin (or the local CLI, which
 * has no account of its own) may issue one for a named user.
 */
export async function createApiToken(
  app: App,
  actor: Actor,
  input: { name: unknown; scopes?: unknown; username?: unknown },
): Promise<IssuedToken> {
  const name = rules.tokenName(input.name);
  // Without a list: read and write, as far as the actor has them (a guard token makes guard tokens).
  const defaults = (['read', 'write'] as const).filter((s) => actor.scopes.includes(s));
  const requested = input.scopes ?? (defaults.length > 0 ? defaults : actor.scopes);
  if (!Array.isArray(requested) || requested.length === 0 || requested.some((s) => !SCOPES.includes(s as Scope))) {
    throw invalidInput(`scopes must be a non-empty list of ${SCOPES.join(', ')}`, { field: 'scopes' });
  }
  const scopes = [...new Set(requested as Scope[])];
  requireScopesHeld(actor, scopes);
  const token = newSecret('emb_');
  const now = app.clock();
  return app.store.write(async (tx) => {
    let ownerId = actor.userId;
    let ownerName = actor.name;
    if (input.username !== undefined && input.username !== actor.name) {
      requireAdmin(actor);
      const owner = await findUserByUsername(tx, rules.username(input.username));
      if (!owner) throw new DomainError('not_found', `user ${String(input.username)} not found`);
      ownerId = owner.id;
      ownerName = owner.username;
    }
    if (!ownerId) throw invalidInput('say which user the token is for (--user NAME)', { field: 'username' });
    const id = randomUUID();
    await insertToken(tx, {
      id,
      userId: ownerId,
      name,
      tokenHash: secretHash(token),
      scopes,
      createdAt: now.toISOString(),
      lastUsedAt: null,
      revokedAt: null,
    });
    await appendEvents(tx, {
      actor: actor.name,
      at: now,
      events: [tokenCreated(id, name, ownerName, scopes)],
    });
    return { id, name, scopes, token };
  });
}

/** A token's last use is recorded at most this often: a GET must not write on every request. */
export const TOKEN_USE_RESOLUTION_MS = 60_000;

/** Per app: when this process last recorded each token's or session's use. */
const usesRecorded = new WeakMap<App, Map<string, number>>();

/**
 * Whether a use is due to be recorded: the stored time is a minute old (or missing, or in the
 * future), and this process has not recorded it within the minute. The second test matters when a
 * minute has passed: every request already in flight read the same old time, and without it each
 * would write (a hundred writes in a burst, queued behind the writer lock on PostgreSQL).
 */
function recordingDue(app: App, key: string, stored: string | null, now: Date): boolean {
  const since = now.getTime() - TOKEN_USE_RESOLUTION_MS;
  if (stored !== null && stored > new Date(since).toISOString() && stored <= now.toISOString()) return false;
  let recorded = usesRecorded.get(app);
  if (!recorded) {
    recorded = new Map();
    usesRecorded.set(app, recorded);
  }
  const last = recorded.get(key);
  if (last !== undefined && last > since && last <= now.getTime()) return false;
  // Forget uses older than the minute now and then, so the map holds only what is still recent.
  if (recorded.size > 10_000) for (const [k, t] of recorded) if (t <= since) recorded.delete(k);
  recorded.set(key, now.getTime());
  return true;
}

export async function tokenActor(app: App, token: string): Promise<Actor | null> {
  const now = app.clock();
  const found = await lookUpActiveToken(app.store, secretHash(token));
  if (!found) return null;
  await recordTokenUse(app, found.token.id, found.token.lastUsedAt, now);
  return actorOf(
    found.user,
    'token',
    found.token.scopes.filter((s): s is Scope => SCOPES.includes(s as Scope)),
  );
}

/**
 * Records a token's use when the recorded one is a minute old or more (or missing), in its own
 * small write after the read. Best effort: a busy database must not fail the request it serves.
 */
async function recordTokenUse(app: App, tokenId: string, lastUsedAt: string | null, now: Date): Promise<void> {
  if (!recordingDue(app, `token:${tokenId}`, lastUsedAt, now)) return;
  const since = new Date(now.getTime() - TOKEN_USE_RESOLUTION_MS);
  try {
    await app.store.write((tx) => touchToken(tx, tokenId, now, since));
  } catch {
    // The next request a minute on tries again; the token's use is a convenience, not an audit record.
  }
}

/** Resolves whose tokens are meant: your own, or (admins only) a named user's. */
async function tokenOwner(db: Parameters<typeof findUserByUsername>[0], actor: Actor, username?: string): Promise<string | null> {
  if (username === undefined || username === actor.name) return actor.userId;
  requireAdmin(actor);
  const owner = await findUserByUsername(db, rules.username(username));
  if (!owner) throw new DomainError('not_found', `user ${username} not found`);
  return owner.id;
}

/** API tokens without their secrets: your own, or a named user's for admins. */
export async function listApiTokens(app: App, actor: Actor, username?: string) {
  const rows = await app.store.read(async (db) => {
    const ownerId = await tokenOwner(db, actor, username);
    return ownerId ? listTokens(db, ownerId) : [];
  });
  return rows.map((t) => ({
    id: t.id,
    name: t.name,
    scopes: t.scopes as Scope[],
    createdAt: t.createdAt,
    lastUsedAt: t.lastUsedAt,
    revokedAt: t.revokedAt,
  }));
}

/** Revokes one of your tokens; an admin may revoke anyone's. */
export async function revokeApiToken(app: App, actor: Actor, id: string): Promise<void> {
  const now = app.clock();
  await app.store.write(async (tx) => {
    const token = actor.role === 'admin' ? await findTokenById(tx, id) : undefined;
    await revokeToken(tx, id, token?.userId ?? actor.userId ?? '', now);
    await appendEvents(tx, { actor: actor.name, at: now, events: [tokenRevoked(id)] });
  });
}
