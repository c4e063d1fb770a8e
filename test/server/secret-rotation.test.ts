/**
 * Issue 14, item 12: the key that encrypts stored GitHub tokens can be rotated. `POST
 * /api/v1/secrets/rotate` (embargo secrets rotate) seals every stored secret again under a new key in
 * one transaction: all or nothing, the key file replaced only once the database holds the new
 * seals, the old key useless afterwards.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { keyFilePath, openSecretBox, parseSecretKey, secretBoxFromKey } from '../../src/app/secret-box.js';
import { listEvents } from '../../src/store/events.js';
import { getConnection, saveConnection } from '../../src/store/github.js';
import { client, startApp, userWithToken, type TestApp } from '../support/app.js';
import { storeFactories } from '../support/databases.js';
import { connectionRecord } from '../support/github-connection.js';

const connection = connectionRecord;

describe.each(storeFactories())('rotating the secret key ($name)', ({ open }) => {
  let t: TestApp;
  let admin: ReturnType<typeof client>;

  beforeEach(async () => {
    t = await startApp(open);
    admin = client(t.server, (await userWithToken(t.app, 'root', 'admin')).token);
  });
  afterEach(() => t.close());

  const seal = (token: string, project: string) => openSecretBox(t.app.config).seal(token, project);
  const stored = (project: string) => t.app.store.read((db) => getConnection(db, project));

  it('seals every stored token again under a new key file, and the old key no longer opens them', async () => {
    await t.app.store.write(async (tx) => {
      await saveConnection(tx, connection('contour', seal('ghp_contour_token', 'contour')));
      await saveConnection(tx, connection('gateway', seal('ghp_gateway_token', 'gateway')));
    });
    const file = keyFilePath(t.app.config.dataDir);
    const oldKey = readFileSync(file, 'utf8');
    const before = (await stored('contour'))!.sealedToken;

    const res = await admin.post('/api/v1/secrets/rotate', {});
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ rotated: 2, keySource: file });

    const newKey = readFileSync(file, 'utf8');
    expect(newKey).not.toBe(oldKey);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(existsSync(`${file}.new`)).toBe(false);
    const after = (await stored('contour'))!.sealedToken;
    expect(after.ciphertext).not.toBe(before.ciphertext);
    expect(secretBoxFromKey(parseSecretKey(newKey), 'new').open(after, 'contour')).toBe('ghp_contour_token');
    expect(secretBoxFromKey(parseSecretKey(newKey), 'new').open((await stored('gateway'))!.sealedToken, 'gateway')).toBe(
      'ghp_gateway_token',
    );
    expect(() => secretBoxFromKey(parseSecretKey(oldKey), 'old').open(after, 'contour')).toThrow(/cannot be decrypted/);
    const events = await listEvents(t.app.store.db, { limit: 1000 });
    expect(events.at(-1)).toMatchObject({ action: 'secrets.rotated', actor: 'root', details: { count: 2 } });
    expect(JSON.stringify(events)).not.toContain(newKey.trim());
  });

  it('changes nothing when one stored secret cannot be opened: one transaction', async () => {
    const stranger = secretBoxFromKey(randomBytes(32), 'another key');
    await t.app.store.write(async (tx) => {
      await saveConnection(tx, connection('contour', seal('ghp_contour_token', 'contour')));
      await saveConnection(tx, connection('zz-broken', stranger.seal('ghp_other', 'zz-broken')));
    });
    const file = keyFilePath(t.app.config.dataDir);
    const oldKey = readFileSync(file, 'utf8');
    const before = (await stored('contour'))!.sealedToken;
    const res = await admin.post('/api/v1/secrets/rotate', {});
    expect(res.status).toBe(409);
    expect(res.body.error.message).toMatch(/^nothing was rotated: a stored secret cannot be decrypted/);
    expect((await stored('contour'))!.sealedToken).toEqual(before);
    expect(readFileSync(file, 'utf8')).toBe(oldKey);
    expect(existsSync(`${file}.new`)).toBe(false);
  });

  it('with EMBARGO_SECRET_KEY, asks for the new key and then uses it', async () => {
    t.app.config.secretKey = randomBytes(32).toString('base64');
    await t.app.store.write((tx) => saveConnection(tx, connection('contour', seal('ghp_contour_token', 'contour'))));
    const refused = await admin.post('/api/v1/secrets/rotate', {});
    expect(refused.status).toBe(400);
    const newKey = randomBytes(32).toString('hex');
    const res = await admin.post('/api/v1/secrets/rotate', { newKey });
    expect(res.body).toEqual({ rotated: 1, keySource: 'EMBARGO_SECRET_KEY' });
    expect(secretBoxFromKey(parseSecretKey(newKey), 'new').open((await stored('contour'))!.sealedToken, 'contour')).toBe(
      'ghp_contour_token',
    );
    expect(openSecretBox(t.app.config).open((await stored('contour'))!.sealedToken, 'contour')).toBe('ghp_contour_token');
  });
});
