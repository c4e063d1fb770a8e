/**
 * The backup file: a snapshot (JSON, gzip) encrypted with AES-256-GCM under a key derived from a
 * passphrase (scrypt) or given as 32 random bytes. Its first two lines are in clear: a magic line
 * and a JSON header (the KDF and its parameters, the salt, the nonce); both are authenticated as
 * associated data, so an edited header, a wrong passphrase and a tampered byte all fail the same
 * authentication check and nothing is restored.
 */
import { createCipheriv, createDecipheriv, randomBytes, scryptSync } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import { invalidInput } from '../domain/errors.js';
import { KEY_BYTES, parseSecretKey } from './secret-box.js';

const MAGIC = 'EMBARGO-BACKUP/1';
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
/** scrypt at N=2^17, r=8: 128 MiB and about half a second per try, for whoever guesses passphrases. */
const SCRYPT = { N: 2 ** 17, r: 8, p: 1 };
export const MIN_PASSPHRASE = 12;

/** How the file is opened: a passphrase, or a 32-byte key (hex or base64). */
export type BackupSecret = { passphrase: string } | { key: string };

type Kdf = { name: 'scrypt'; N: number; r: number; p: number; salt: string } | { name: 'key' };
interface Header {
  cipher: 'aes-256-gcm';
  compression: 'gzip';
  kdf: Kdf;
  nonce: string;
}

function deriveKey(secret: BackupSecret, kdf: Kdf): Buffer {
  if (kdf.name === 'key') {
    if (!('key' in secret)) throw invalidInput('this backup was encrypted with a key, not a passphrase: give the key', { field: 'key' });
    return backupKey(secret.key);
  }
  if (!('passphrase' in secret)) {
    throw invalidInput('this backup was encrypted with a passphrase, not a key: give the passphrase', { field: 'passphrase' });
  }
  const { N, r, p } = kdf;
  // The header is read before it is authenticated: bound the work a forged header can ask for.
  if (![2 ** 14, 2 ** 15, 2 ** 16, 2 ** 17, 2 ** 18].includes(N) || r !== 8 || p !== 1) {
    throw invalidInput('the backup file is damaged: its key derivation parameters are not ones Embargo writes', { field: 'file' });
  }
  return scryptSync(secret.passphrase.normalize('NFC'), Buffer.from(kdf.salt, 'base64'), KEY_BYTES, {
    N,
    r,
    p,
    maxmem: 256 * N * r + 1024 * 1024,
  });
}

/** Checks a secret before the (slow) work: a passphrase long enough, a key of 32 bytes. */
export function checkBackupSecret(secret: BackupSecret): void {
  if ('passphrase' in secret) {
    if ([...secret.passphrase].length < MIN_PASSPHRASE) {
      throw invalidInput(`the backup passphrase must be at least ${MIN_PASSPHRASE} characters`, { field: 'passphrase' });
    }
  } else backupKey(secret.key);
}

/** The key as bytes; a malformed one is the caller's mistake (a 400 with the sentence), not a failure. */
function backupKey(raw: string): Buffer {
  try {
    return parseSecretKey(raw, 'the backup key');
  } catch (err) {
    throw invalidInput((err as Error).message, { field: 'key' });
  }
}

export function sealBackup(plain: Buffer, secret: BackupSecret): Buffer {
  checkBackupSecret(secret);
  const kdf: Kdf = 'passphrase' in secret ? { name: 'scrypt', ...SCRYPT, salt: randomBytes(16).toString('base64') } : { name: 'key' };
  const nonce = randomBytes(NONCE_BYTES);
  const header: Header = { cipher: 'aes-256-gcm', compression: 'gzip', kdf, nonce: nonce.toString('base64') };
  const preamble = Buffer.from(`${MAGIC}\n${JSON.stringify(header)}\n`, 'utf8');
  const cipher = createCipheriv('aes-256-gcm', deriveKey(secret, kdf), nonce);
  cipher.setAAD(preamble);
  const body = Buffer.concat([cipher.update(gzipSync(plain)), cipher.final()]);
  return Buffer.concat([preamble, body, cipher.getAuthTag()]);
}

export function openBackup(file: Buffer, secret: BackupSecret): Buffer {
  const damaged = (why: string) => invalidInput(`this is not an Embargo backup file, or it is damaged: ${why}`, { field: 'file' });
  const first = file.indexOf(0x0a);
  const second = first < 0 ? -1 : file.indexOf(0x0a, first + 1);
  if (first < 0 || file.subarray(0, first).toString('utf8') !== MAGIC) throw damaged(`it does not start with ${MAGIC}`);
  if (second < 0) throw damaged('its header is cut off');
  let header: Header;
  try {
    header = JSON.parse(file.subarray(first + 1, second).toString('utf8')) as Header;
  } catch {
    throw damaged('its header is not JSON');
  }
  if (header.cipher !== 'aes-256-gcm' || header.compression !== 'gzip' || typeof header.nonce !== 'string' || !header.kdf) {
    throw damaged('its header names a cipher Embargo does not write');
  }
  const rest = file.subarray(second + 1);
  if (rest.length < TAG_BYTES) throw damaged('it is cut off');
  const key = deriveKey(secret, header.kdf);
  let plain: Buffer;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(header.nonce, 'base64'));
    decipher.setAAD(file.subarray(0, second + 1));
    decipher.setAuthTag(rest.subarray(rest.length - TAG_BYTES));
    plain = Buffer.concat([decipher.update(rest.subarray(0, rest.length - TAG_BYTES)), decipher.final()]);
  } catch {
    // GCM cannot tell a wrong passphrase from an edited byte, and says nothing more on purpose.
    throw invalidInput(
      `the backup cannot be opened: the ${'passphrase' in secret ? 'passphrase' : 'key'} is wrong, or the file was altered; nothing was restored`,
      { field: 'file' },
    );
  }
  return gunzipSync(plain);
}
