/**
 * The events of accounts, sessions, API tokens and GitHub logins. Never a password, a token or a
 * session id: only who, and which token by its id.
 */
import type { UserChange } from './account.js';
import { event, type EventOf } from './events.js';

export const userChanged = (user: string, change: UserChange): EventOf<'user.changed'> => event('user.changed', null, { user, ...change });

export const userCreated = (username: string, role: string): EventOf<'user.created'> => event('user.created', null, { username, role });

/**
 * A failed sign-in names the account only when it exists: what someone typed into the username field
 * may be their password, and the log keeps it forever.
 */
export const signInFailed = (username: string | null): EventOf<'session.sign-in-failed'> =>
  event('session.sign-in-failed', null, username === null ? { unknownUser: true } : { username: username.slice(0, 64) });

/** Every stored secret was sealed again under a new key: how many, never the key. */
export const secretsRotated = (count: number): EventOf<'secrets.rotated'> => event('secrets.rotated', null, { count });

export const signedIn = (): EventOf<'session.signed-in'> => event('session.signed-in', null, {});

export const signedOut = (): EventOf<'session.signed-out'> => event('session.signed-out', null, {});

export const tokenCreated = (id: string, name: string, owner: string, scopes: string[]): EventOf<'token.created'> =>
  event('token.created', null, { id, name, owner, scopes });

export const tokenRevoked = (id: string): EventOf<'token.revoked'> => event('token.revoked', null, { id });

export const gitHubLoginSet = (user: string, login: string | null): EventOf<'user.github_login_set'> =>
  event('user.github_login_set', null, { user, login });
