/**
 * First run in the browser: while Embargo has no user, the server prints a one-time setup link
 * (`/setup#<secret>`) with which the first admin chooses a username and password. The secret is
 * 256 random bits kept only as its SHA-256, expires, is spent by its first use, and every start
 * without users replaces it. The CLI path (`embargo user add --admin`) stays.
 */
import type { Kysely } from 'kysely';
import { DomainError } from '../domain/errors.js';
import { deleteSetting, getSetting, setSetting } from '../store/settings.js';
import type { Database } from '../store/schema.js';
import { addUser, hasUsers, type NewUser, type PublicUser, signIn, type SignedIn } from './accounts.js';
import type { App } from './app.js';
import { newSecret, sameSecret, secretHash } from './secrets.js';

const SETTING = 'setup.link';
/** How long a setup link works; a restart without users prints a new one. */
export const SETUP_LINK_TTL_MS = 60 * 60_000;

export const SETUP_LINK_INVALID =
  'this setup link is not valid: it was used, it expired, or a newer one replaced it; restart the server for a new link';

export interface SetupLink {
  /** The secret for the link's fragment; shown once, never stored. */
  secret: string;
  expiresAt: string;
}

/** A new setup link while there are no users (replacing any earlier one); null once someone is set up. */
export async function issueSetupLink(app: App): Promise<SetupLink | null> {
  if (await hasUsers(app)) return null;
  const secret = newSecret('');
  const expiresAt = new Date(app.clock().getTime() + SETUP_LINK_TTL_MS).toISOString();
  await app.store.write((tx) => setSetting(tx, SETTING, JSON.stringify({ hash: secretHash(secret), expiresAt })));
  return { secret, expiresAt };
}

/** Checks and spends the link inside the transaction that adds the first admin. */
async function spendLink(tx: Kysely<Database>, secret: unknown, now: Date): Promise<void> {
  const stored = await getSetting(tx, SETTING);
  const link = stored ? (JSON.parse(stored) as { hash: string; expiresAt: string }) : null;
  const valid =
    link !== null && typeof secret === 'string' && sameSecret(secretHash(secret), link.hash) && Date.parse(link.expiresAt) > now.getTime();
  if (!valid) throw new DomainError('forbidden', SETUP_LINK_INVALID);
  await deleteSetting(tx, SETTING);
}

/** The first admin, from the setup link; signed in at once. */
export async function completeSetup(app: App, input: NewUser & { secret: unknown }): Promise<SignedIn & { created: PublicUser }> {
  if (await hasUsers(app)) throw new DomainError('forbidden', 'Embargo is already set up: sign in, or ask an admin for an account');
  const now = app.clock();
  const created = await addUser(
    app,
    null,
    { username: input.username, password: input.password, displayName: input.displayName, role: 'admin' },
    (tx) => spendLink(tx, input.secret, now),
  );
  return { ...(await signIn(app, { username: created.username, password: input.password })), created };
}
