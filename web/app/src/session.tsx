/** Who is signed in, for every page: loaded once, changed by sign-in, setup and sign-out. */
import { createContext, useContext } from 'react';
import type { Schemas } from './api.js';

export type SessionUser = Schemas['User'] | { id: string | null; username: string; displayName: string; role: 'admin' | 'member' };

export interface Session {
  user: SessionUser;
  signOut(): Promise<void>;
}

export const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside a signed-in page');
  return session;
}
