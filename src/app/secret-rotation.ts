/**
 * Key rotation for the secret that encrypts stored secrets (GitHub tokens, webhook keys): every sealed value is
 * opened with the current key and sealed with a new one in ONE transaction, so the database never
 * holds a mix. With a key file, the new key is written beside it first (`secret.key.new`, 0600) and
 * moved over it once the transaction has committed; with EMBARGO_SECRET_KEY the operator gives the
 * new key and sets the variable to it.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { secretsRotated } from '../domain/account-events.js';
import { DomainError, invalidInput } from '../domain/errors.js';
import { appendEvents } from '../store/events.js';
import { listConnections, saveConnection } from '../store/github.js';
import { putNotificationSettings, sealedWebhookSecrets } from '../store/notification-settings.js';
import { requireAdminWork, type Actor } from './actor.js';
import type { App } from './app.js';
import { adoptSecretBox } from './github/connection.js';
import { webhookContext } from './notification-settings.js';
import { keyFilePath, openSecretBox, parseSecretKey, secretBoxFromKey } from './secret-box.js';

export interface Rotation {
  /** How many stored secrets were sealed again. */
  rotated: number;
  /** Where the new key is: the key file, or "EMBARGO_SECRET_KEY" (set it to the new key before the next start). */
  keySource: string;
}

export async function rotateSecrets(app: App, actor: Actor, input: { newKey?: string } = {}): Promise<Rotation> {
  requireAdminWork(actor);
  const fromEnv = Boolean(app.config.secretKey);
  if (fromEnv && !input.newKey) {
    throw invalidInput('EMBARGO_SECRET_KEY holds the key: give the new key (--new-key-stdin), then set EMBARGO_SECRET_KEY to it', {
      field: 'newKey',
    });
  }
  const current = openSecretBox(app.config);
  const key = input.newKey === undefined ? randomBytes(32) : parseSecretKey(input.newKey, 'the new key');
  const file = keyFilePath(app.config.dataDir);
  const pending = `${file}.new`;
  const fresh = secretBoxFromKey(key, fromEnv ? 'EMBARGO_SECRET_KEY' : file);
  if (!fromEnv) {
    writeFileSync(pending, `${key.toString('base64')}\n`, { mode: 0o600 });
    chmodSync(pending, 0o600);
  }
  let rotated: number;
  try {
    rotated = await app.store.write(async (tx) => {
      const connections = await listConnections(tx);
      for (const c of connections) {
        let token: string;
        try {
          token = current.open(c.sealedToken, c.project);
        } catch (err) {
          throw new DomainError('conflict', `nothing was rotated: ${(err as Error).message}`);
        }
        await saveConnection(tx, { ...c, sealedToken: fresh.seal(token, c.project) });
      }
      // The people's webhook keys (notifications), sealed with the user id as context.
      const hooks = await sealedWebhookSecrets(tx);
      for (const h of hooks) {
        if (!h.webhookSecret) continue;
        let secret: string;
        try {
          secret = current.open(h.webhookSecret, webhookContext(h.userId));
        } catch (err) {
          throw new DomainError('conflict', `nothing was rotated: ${(err as Error).message}`);
        }
        await putNotificationSettings(tx, { ...h, webhookSecret: fresh.seal(secret, webhookContext(h.userId)) });
      }
      const count = connections.length + hooks.length;
      await appendEvents(tx, { actor: actor.name, at: app.clock(), events: [secretsRotated(count)] });
      return count;
    });
  } catch (err) {
    if (!fromEnv) rmSync(pending, { force: true });
    throw err;
  }
  // Committed: the database holds only values sealed with the new key, so the new key takes over.
  if (fromEnv) app.config.secretKey = key.toString('base64');
  else renameSync(pending, file);
  adoptSecretBox(app, fresh);
  return { rotated, keySource: fresh.source };
}
