/**
 * Each person chooses what they are told of, by mail and by webhook. A person edits their own; an
 * admin (and the local CLI) anyone's. The webhook key is write-only: sealed at rest (secret box),
 * never answered back.
 */
import type { Kysely } from 'kysely';
import { mailAddress } from '../domain/disclosure/validate.js';
import { DomainError, invalidInput } from '../domain/errors.js';
import { isNotificationKind, NOTIFICATION_KINDS, type NotificationKind } from '../domain/notifications/index.js';
import { getNotificationSettings, putNotificationSettings } from '../store/notification-settings.js';
import type { Database } from '../store/schema.js';
import { findUserByUsername } from '../store/users.js';
import { requireScope, type Actor } from './actor.js';
import type { App } from './app.js';
import { secretBox } from './github/connection.js';

/** The secret box context of a person's webhook key: a key moved to another person's row fails to open. */
export const webhookContext = (userId: string) => `webhook:${userId}`;

export interface NotificationPreferences {
  username: string;
  mail: { address: string | null; events: NotificationKind[] };
  webhook: { url: string | null; events: NotificationKind[]; hasSecret: boolean };
}

export interface NotificationPreferencesInput {
  mail?: { address?: string | null; events?: string[] };
  webhook?: { url?: string | null; secret?: string; events?: string[] };
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

function events(field: string, value: unknown): NotificationKind[] {
  if (!Array.isArray(value)) throw invalidInput(`${field} must be a list of: ${NOTIFICATION_KINDS.join(', ')}`, { field });
  for (const v of value) {
    if (!isNotificationKind(v)) throw invalidInput(`${field}: "${String(v)}" is not one of ${NOTIFICATION_KINDS.join(', ')}`, { field });
  }
  return [...new Set(value as NotificationKind[])];
}

/** https, or http to this machine only (a receiver beside the server). */
function webhookUrl(value: string): string {
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    throw invalidInput(`webhook.url "${value}" is not a URL`, { field: 'webhook.url' });
  }
  if (u.protocol !== 'https:' && !(u.protocol === 'http:' && LOOPBACK.has(u.hostname))) {
    throw invalidInput('webhook.url must be https:// (plain http only to this machine)', { field: 'webhook.url' });
  }
  if (u.username || u.password) throw invalidInput('webhook.url must not carry a user or password', { field: 'webhook.url' });
  return u.toString();
}

async function userOf(db: Kysely<Database>, actor: Actor, username: string) {
  const user = await findUserByUsername(db, username);
  const own = user !== undefined && actor.userId === user.id;
  if (!user || (!own && actor.role !== 'admin')) throw new DomainError('not_found', `no user ${username}`);
  return user;
}

const EMPTY = {
  mailAddress: null as string | null,
  mailEvents: [] as string[],
  webhookUrl: null as string | null,
  webhookSecret: null as { ciphertext: string; nonce: string; tag: string } | null,
  webhookEvents: [] as string[],
};
const kinds = (list: readonly string[]): NotificationKind[] => list.filter((k): k is NotificationKind => isNotificationKind(k));

export async function notificationPreferences(app: App, actor: Actor, username: string): Promise<NotificationPreferences> {
  requireScope(actor, 'read');
  return app.store.read(async (db) => {
    const user = await userOf(db, actor, username);
    const s = (await getNotificationSettings(db, user.id)) ?? EMPTY;
    return {
      username: user.username,
      mail: { address: s.mailAddress, events: kinds(s.mailEvents) },
      webhook: { url: s.webhookUrl, events: kinds(s.webhookEvents), hasSecret: s.webhookSecret !== null },
    };
  });
}

export async function setNotificationPreferences(
  app: App,
  actor: Actor,
  username: string,
  input: NotificationPreferencesInput,
): Promise<NotificationPreferences> {
  requireScope(actor, 'write');
  await app.store.write(async (tx) => {
    const user = await userOf(tx, actor, username);
    const s = { ...EMPTY, ...(await getNotificationSettings(tx, user.id)), userId: user.id, updatedAt: app.clock().toISOString() };
    if (input.mail) {
      if (input.mail.address !== undefined)
        s.mailAddress = input.mail.address === null ? null : mailAddress('mail.address', input.mail.address);
      if (input.mail.events !== undefined) s.mailEvents = events('mail.events', input.mail.events);
    }
    if (input.webhook) {
      const w = input.webhook;
      if (w.url !== undefined) s.webhookUrl = w.url === null ? null : webhookUrl(w.url);
      if (w.secret !== undefined) {
        if (typeof w.secret !== 'string' || w.secret.length < 16 || w.secret.length > 256) {
          throw invalidInput('webhook.secret must be 16 to 256 characters', { field: 'webhook.secret' });
        }
        s.webhookSecret = secretBox(app).seal(w.secret, webhookContext(user.id));
      }
      if (w.events !== undefined) s.webhookEvents = events('webhook.events', w.events);
      if (s.webhookUrl === null) s.webhookSecret = null;
    }
    if (s.mailEvents.length > 0 && !s.mailAddress) {
      throw invalidInput('mail.address is needed to get notifications by mail', { field: 'mail.address' });
    }
    if (s.webhookUrl && !s.webhookSecret) {
      throw invalidInput('webhook.secret is needed with a webhook: the key that signs each delivery', { field: 'webhook.secret' });
    }
    await putNotificationSettings(tx, s);
  });
  return notificationPreferences(app, actor, username);
}
