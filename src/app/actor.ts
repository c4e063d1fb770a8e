import { DomainError } from '../domain/errors.js';

export type Role = 'admin' | 'member';
/** What an API token may do: read cases, change them, or only fetch leak-guard terms. */
export type Scope = 'read' | 'write' | 'guard';
export const SCOPES: readonly Scope[] = ['read', 'write', 'guard'];

/** Who is asking. `local` is the CLI working directly on the database file (it holds the keys anyway). */
export interface Actor {
  kind: 'session' | 'token' | 'local';
  userId: string | null;
  /** Username, or `local:<os user>`; this is what the audit log records. */
  name: string;
  role: Role;
  scopes: readonly Scope[];
}

export function requireAdmin(actor: Actor): void {
  if (actor.role !== 'admin') throw new DomainError('forbidden', 'only an admin can do this');
}

/**
 * Work that gives someone read access (a new user, who signs in with every scope; a case's access
 * list; a GitHub login that becomes a collaborator on the private fork; the repository advisories go
 * to) may not be done by a token that could not read itself: a token needs read and write for it
 * (a session or the local CLI has them). Tokens for others are bounded by `requireScopesHeld`.
 */
export function requireReadWrite(actor: Actor, what: string): void {
  const missing = (['read', 'write'] as const).filter((s) => !actor.scopes.includes(s));
  if (missing.length > 0) {
    throw new DomainError(
      'forbidden',
      `${what} needs a session or a token with the read and write scopes; this token lacks ${missing.join(', ')}`,
    );
  }
}

/** Admin work that gives someone access: an admin, with a session or a read and write token. */
export function requireAdminWork(actor: Actor): void {
  requireAdmin(actor);
  requireReadWrite(actor, 'this admin work');
}

/** A token may hand out only scopes it has itself (a session or the local CLI has them all). */
export function requireScopesHeld(actor: Actor, scopes: readonly Scope[]): void {
  const stronger = scopes.filter((s) => !actor.scopes.includes(s));
  if (stronger.length > 0) {
    throw new DomainError('forbidden', `a token may create tokens only with scopes it has; this one lacks ${stronger.join(', ')}`);
  }
}

/** What to do about a missing scope: the guard's is usually a hook or CI job that needs a token of its own. */
const SCOPE_HINTS: Partial<Record<Scope, string>> = {
  guard:
    '; create one for the hooks or CI with: embargo token create --name guard --scope guard (or scan against a terms file: embargo guard --terms FILE)',
};

export function requireScope(actor: Actor, scope: Scope): void {
  if (!actor.scopes.includes(scope)) {
    throw new DomainError('forbidden', `this API token lacks the "${scope}" scope${SCOPE_HINTS[scope] ?? ''}`);
  }
}

export function localActor(osUser: string): Actor {
  return { kind: 'local', userId: null, name: `local:${osUser}`, role: 'admin', scopes: SCOPES };
}
