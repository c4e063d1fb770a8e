/**
 * Users' GitHub logins: the advisory's collaborating_users (who can see the draft and its private
 * fork) are GitHub accounts, so each person on a case's access list needs one on record.
 */
import { gitHubLoginSet } from '../../domain/account-events.js';
import { GITHUB_LOGIN_PATTERN } from '../../domain/case/advisory-fields.js';
import { DomainError, invalidInput } from '../../domain/errors.js';
import { appendEvents } from '../../store/events.js';
import { getGitHubLogin, setGitHubLogin as storeLogin } from '../../store/github.js';
import { findUserByUsername } from '../../store/users.js';
import { requireReadWrite, requireScope, type Actor } from '../actor.js';
import type { App } from '../app.js';

function parseLogin(value: unknown): string | null {
  if (value === null || value === '') return null;
  const text = typeof value === 'string' ? value.trim().replace(/^@/, '') : '';
  if (!GITHUB_LOGIN_PATTERN.test(text))
    throw invalidInput(`"${String(value).slice(0, 60)}" is not a GitHub login (letters, digits and single dashes, at most 39)`, {
      field: 'login',
    });
  return text;
}

/** Admins set anyone's login; a member only their own. */
export async function setGitHubLogin(
  app: App,
  actor: Actor,
  username: string,
  loginInput: unknown,
): Promise<{ username: string; githubLogin: string | null }> {
  requireScope(actor, 'write');
  // The login becomes a collaborator on the private fork that holds the fix.
  requireReadWrite(actor, 'setting a GitHub login');
  const login = parseLogin(loginInput);
  return app.store.write(async (tx) => {
    const user = await findUserByUsername(tx, username);
    const self = user !== undefined && user.id === actor.userId;
    if (actor.role !== 'admin' && !self) throw new DomainError('forbidden', "only an admin can set another user's GitHub login");
    if (!user) throw new DomainError('not_found', `user ${username} not found`);
    const before = await getGitHubLogin(tx, user.id);
    if (before !== login) {
      await storeLogin(tx, user.id, login);
      await appendEvents(tx, {
        actor: actor.name,
        at: app.clock(),
        events: [gitHubLoginSet(user.username, login)],
      });
    }
    return { username: user.username, githubLogin: login };
  });
}

export async function gitHubLoginOf(app: App, actor: Actor, username: string): Promise<{ username: string; githubLogin: string | null }> {
  requireScope(actor, 'read');
  return app.store.read(async (db) => {
    const user = await findUserByUsername(db, username);
    if (!user || (actor.role !== 'admin' && user.id !== actor.userId)) throw new DomainError('not_found', `user ${username} not found`);
    return { username: user.username, githubLogin: await getGitHubLogin(db, user.id) };
  });
}
