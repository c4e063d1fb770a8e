/**
 * The secret box: AES-256-GCM round trips, tampering and a moved value are refused, the key comes from
 * EMBARGO_SECRET_KEY (hex or base64, 32 bytes, a clear error otherwise) or a key file created 0600 and
 * refused when group or others can read it.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { configFromEnv } from '../../src/app/config.js';
import { keyFilePath, loadKeyFile, openSecretBox, parseSecretKey, secretBoxFromKey } from '../../src/app/secret-box.js';

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(path.join(os.tmpdir(), 'embargo-key-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('secret box', () => {
  const box = secretBoxFromKey(randomBytes(32), 'test');

  it('seals to base64 that does not contain the plain text, and opens it again', () => {
    const token = 'github_pat_11AAAAAAA0123456789_abcdefghijklmnopqrstuvwxyz';
    const sealed = box.seal(token, 'contour');
    expect(JSON.stringify(sealed)).not.toContain(token);
    expect(JSON.stringify(sealed)).not.toContain(Buffer.from(token).toString('base64'));
    expect(Buffer.from(sealed.nonce, 'base64')).toHaveLength(12);
    expect(Buffer.from(sealed.tag, 'base64')).toHaveLength(16);
    expect(box.open(sealed, 'contour')).toBe(token);
    // A fresh nonce every time: the same token never seals to the same bytes.
    expect(box.seal(token, 'contour').ciphertext).not.toBe(sealed.ciphertext);
  });

  it('refuses an edited ciphertext or tag, a value moved to another project, and another key', () => {
    const sealed = box.seal('ghp_secret', 'contour');
    const flipped = Buffer.from(sealed.ciphertext, 'base64');
    flipped[0] = flipped[0]! ^ 1;
    expect(() => box.open({ ...sealed, ciphertext: flipped.toString('base64') }, 'contour')).toThrow(/cannot be decrypted/);
    expect(() => box.open({ ...sealed, tag: Buffer.alloc(16).toString('base64') }, 'contour')).toThrow(/cannot be decrypted/);
    expect(() => box.open(sealed, 'kubernetes')).toThrow(/cannot be decrypted/);
    expect(() => secretBoxFromKey(randomBytes(32), 'other').open(sealed, 'contour')).toThrow(/key changed or the value was tampered with/);
  });
});

describe('the key', () => {
  it('EMBARGO_SECRET_KEY: 64 hex digits or base64 of 32 bytes', () => {
    const key = randomBytes(32);
    expect(parseSecretKey(key.toString('hex')).equals(key)).toBe(true);
    expect(parseSecretKey(key.toString('base64')).equals(key)).toBe(true);
    expect(parseSecretKey(key.toString('base64url')).equals(key)).toBe(true);
    const sealed = openSecretBox({ secretKey: key.toString('base64'), dataDir: '/nonexistent' }).seal('t', 'p');
    expect(openSecretBox({ secretKey: key.toString('hex'), dataDir: '/nonexistent' }).open(sealed, 'p')).toBe('t');
  });

  it('a malformed EMBARGO_SECRET_KEY stops the start with a sentence (and never echoes the value)', () => {
    for (const bad of ['short', randomBytes(16).toString('base64'), randomBytes(33).toString('hex'), 'not base64 at all!']) {
      expect(() => configFromEnv({ EMBARGO_SECRET_KEY: bad })).toThrow(
        /EMBARGO_SECRET_KEY must be 32 random bytes written as 64 hex digits or base64/,
      );
      try {
        configFromEnv({ EMBARGO_SECRET_KEY: bad });
      } catch (err) {
        expect((err as Error).message).not.toContain(bad);
      }
    }
    expect(configFromEnv({ EMBARGO_SECRET_KEY: randomBytes(32).toString('base64') }).secretKey).toBeDefined();
  });

  it('without EMBARGO_SECRET_KEY: a key file created with mode 0600 on first use, the same key afterwards', () => {
    const dir = tempDir();
    const first = loadKeyFile(dir);
    expect(first).toHaveLength(32);
    expect(statSync(keyFilePath(dir)).mode & 0o777).toBe(0o600);
    expect(loadKeyFile(dir).equals(first)).toBe(true);
    const sealed = openSecretBox({ dataDir: dir }).seal('ghp_x', 'contour');
    expect(openSecretBox({ dataDir: dir }).open(sealed, 'contour')).toBe('ghp_x');
  });

  it('creates a missing data directory 0700, as SQLite does: in PostgreSQL mode the key file is what creates it (issue 14, item 10)', () => {
    const dataDir = path.join(tempDir(), 'srv', 'embargo');
    openSecretBox({ dataDir });
    expect(statSync(dataDir).mode & 0o777).toBe(0o700);
    expect(statSync(path.dirname(dataDir)).mode & 0o077).toBe(0);
    expect(statSync(keyFilePath(dataDir)).mode & 0o777).toBe(0o600);
  });

  it('refuses a key file that group or others can read, and one that holds no 32-byte key', () => {
    const dir = tempDir();
    loadKeyFile(dir);
    chmodSync(keyFilePath(dir), 0o640);
    expect(() => loadKeyFile(dir)).toThrow(/can be read by its group \(mode 0640\); make it private with "chmod 600/);
    chmodSync(keyFilePath(dir), 0o604);
    expect(() => loadKeyFile(dir)).toThrow(/can be read by others/);
    chmodSync(keyFilePath(dir), 0o600);
    writeFileSync(keyFilePath(dir), 'too short\n');
    expect(() => loadKeyFile(dir)).toThrow(/the key file .* must be 32 random bytes/);
    expect(readFileSync(keyFilePath(dir), 'utf8')).toBe('too short\n');
  });
});
