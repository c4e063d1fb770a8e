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

export function requireScope(actor: Actor, scope: Scope): void {
  if (!actor.scopes.includes(scope)) throw new DomainError('forbidden', `this API token lacks the "${scope}" scope`);
}

export function localActor(osUser: string): Actor {
  return { kind: 'local', userId: null, name: `local:${osUser}`, role: 'admin', scopes: SCOPES };
}
