/**
 * Encryption at rest for secrets Embargo must be able to read back (GitHub tokens): AES-256-GCM with
 * a 32-byte key and a fresh 96-bit nonce per value. The key comes from EMBARGO_SECRET_KEY (base64 or
 * hex), or from `${dataDir}/secret.key`, created with mode 0600 on first use; a key file that group
 * or others can read is refused, because whoever reads it reads every stored token.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmodSync, closeSync, fstatSync, mkdirSync, openSync, readFileSync, statSync, writeSync } from 'node:fs';
import path from 'node:path';

export const KEY_BYTES = 32;
const NONCE_BYTES = 12;

/** What is stored: three base64 strings; the plain text is never. */
export interface Sealed {
  ciphertext: string;
  nonce: string;
  tag: string;
}

export interface SecretBox {
  /** Where the key came from, for messages (never the key). */
  readonly source: string;
  /** `context` (e.g. the project) is authenticated too: a sealed value moved to another row fails to open. */
  seal(plain: string, context: string): Sealed;
  open(sealed: Sealed, context: string): string;
}

/** A 32-byte key written as 64 hex digits or base64 (standard or url-safe). Throws a sentence otherwise. */
export function parseSecretKey(raw: string, name = 'EMBARGO_SECRET_KEY'): Buffer {
  const text = raw.trim();
  let key: Buffer | undefined;
  if (/^[0-9a-fA-F]{64}$/.test(text)) key = Buffer.from(text, 'hex');
  else if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(text)) key = Buffer.from(text.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  if (!key || key.length !== KEY_BYTES) {
    throw new Error(
      `${name} must be ${KEY_BYTES} random bytes written as 64 hex digits or base64 (e.g. the output of "openssl rand -base64 32"); ` +
        `the value given is ${key ? `${key.length} bytes` : 'neither hex nor base64'}`,
    );
  }
  return key;
}

export function secretBoxFromKey(key: Buffer, source: string): SecretBox {
  if (key.length !== KEY_BYTES) throw new Error(`a secret key must be ${KEY_BYTES} bytes, not ${key.length}`);
  return {
    source,
    seal(plain, context) {
      const nonce = randomBytes(NONCE_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, nonce);
      cipher.setAAD(Buffer.from(context, 'utf8'));
      const ciphertext = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return { ciphertext: ciphertext.toString('base64'), nonce: nonce.toString('base64'), tag: cipher.getAuthTag().toString('base64') };
    },
    open(sealed, context) {
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(sealed.nonce, 'base64'));
        decipher.setAAD(Buffer.from(context, 'utf8'));
        decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
        return Buffer.concat([decipher.update(Buffer.from(sealed.ciphertext, 'base64')), decipher.final()]).toString('utf8');
      } catch {
        // Wrong key (EMBARGO_SECRET_KEY changed, key file replaced) or an edited row: say which, not how.
        throw new Error(
          `a stored secret cannot be decrypted with the key from ${source}: the key changed or the value was tampered with; connect again to store it anew`,
        );
      }
    },
  };
}

/** The key file's path under the data directory. */
export const keyFilePath = (dataDir: string) => path.resolve(dataDir, 'secret.key');

/**
 * Reads `${dataDir}/secret.key`, creating it (mode 0600, 32 random bytes as base64) when missing.
 * Refuses a file group or others may read, and one that does not hold a 32-byte key.
 */
export function loadKeyFile(dataDir: string): Buffer {
  return loadKeyFileAt(keyFilePath(dataDir));
}

/** A 32-byte key kept in `file` (base64), created 0600 (its directory 0700) when missing; refused when others may read it. */
export function loadKeyFileAt(file: string): Buffer {
  // The data directory, 0700 as for SQLite: in PostgreSQL mode this is what creates it.
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  try {
    // 'wx': create only if absent, so two processes starting together never overwrite each other's key.
    const fd = openSync(file, 'wx', 0o600);
    try {
      writeSync(fd, `${randomBytes(KEY_BYTES).toString('base64')}\n`);
      // The umask may have masked the mode; set it explicitly.
      if ((fstatSync(fd).mode & 0o077) !== 0) chmodSync(file, 0o600);
    } finally {
      closeSync(fd);
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') {
      throw new Error(`the key file ${file} cannot be created: ${(err as Error).message}`, { cause: err });
    }
  }
  const mode = statSync(file).mode & 0o777;
  if ((mode & 0o077) !== 0) {
    throw new Error(
      `the key file ${file} can be read by ${mode & 0o070 ? 'its group' : 'others'} (mode ${mode.toString(8).padStart(4, '0')}); ` +
        `make it private with "chmod 600 ${file}"`,
    );
  }
  return parseSecretKey(readFileSync(file, 'utf8'), `the key file ${file}`);
}

/** The box for this configuration: EMBARGO_SECRET_KEY when set, else the key file. */
export function openSecretBox(config: { secretKey?: string | undefined; dataDir: string }): SecretBox {
  if (config.secretKey) return secretBoxFromKey(parseSecretKey(config.secretKey), 'EMBARGO_SECRET_KEY');
  return secretBoxFromKey(loadKeyFile(config.dataDir), keyFilePath(config.dataDir));
}
