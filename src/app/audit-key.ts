/**
 * The key that signs audit checkpoints: Ed25519, kept outside the database, so whoever can rewrite
 * the event log and its chain head still cannot sign a new head. From EMBARGO_AUDIT_KEY (the 32-byte
 * seed, base64 or hex) or `${dataDir}/audit.key`, created with mode 0600 on first use.
 */
import { createPrivateKey, createPublicKey, type KeyObject, sign, verify } from 'node:crypto';
import path from 'node:path';
import { loadKeyFileAt, parseSecretKey } from './secret-box.js';

/** PKCS#8 DER for an Ed25519 private key is this prefix and the 32-byte seed. */
const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
/** SPKI DER for an Ed25519 public key is this prefix and the 32-byte key. */
const SPKI_ED25519_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

export interface AuditKey {
  /** Where the key came from, for messages (never the key). */
  readonly source: string;
  /** The public key, base64 of its 32 bytes: printed in every checkpoint. */
  readonly publicKey: string;
  sign(message: string): string;
}

export const auditKeyFilePath = (dataDir: string) => path.resolve(dataDir, 'audit.key');

function fromSeed(seed: Buffer, source: string): AuditKey {
  const privateKey = createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]), format: 'der', type: 'pkcs8' });
  const spki = createPublicKey(privateKey).export({ format: 'der', type: 'spki' });
  return {
    source,
    publicKey: spki.subarray(SPKI_ED25519_PREFIX.length).toString('base64'),
    sign: (message) => sign(null, Buffer.from(message, 'utf8'), privateKey).toString('base64'),
  };
}

/** The signing key of this configuration: EMBARGO_AUDIT_KEY when set, else the key file. */
export function openAuditKey(config: { auditKey?: string | undefined; dataDir: string }): AuditKey {
  if (config.auditKey) return fromSeed(parseSecretKey(config.auditKey, 'EMBARGO_AUDIT_KEY'), 'EMBARGO_AUDIT_KEY');
  const file = auditKeyFilePath(config.dataDir);
  return fromSeed(loadKeyFileAt(file), file);
}

function publicKeyObject(publicKey: string): KeyObject | null {
  const raw = Buffer.from(publicKey, 'base64');
  if (raw.length !== 32) return null;
  return createPublicKey({ key: Buffer.concat([SPKI_ED25519_PREFIX, raw]), format: 'der', type: 'spki' });
}

/** Whether `signature` (base64) is the signature of `message` by `publicKey` (base64 of 32 bytes). */
export function signatureHolds(publicKey: string, message: string, signature: string): boolean {
  const key = publicKeyObject(publicKey);
  if (!key) return false;
  try {
    return verify(null, Buffer.from(message, 'utf8'), key, Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}
