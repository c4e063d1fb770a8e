/**
 * The reporter's reference for a case: a keyed hash of the case id, so that quoting it back reveals
 * no count of cases (case ids are sequential). The key is a random value kept in the database's
 * settings, made on first use; the team finds the case by the reference (`case list --q R-…`).
 */
import { createHmac, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { getSetting, setSetting } from '../store/settings.js';
import type { Database } from '../store/schema.js';

const KEY_SETTING = 'report-reference-key';
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'; // Crockford's base32: no I, L, O, U
export const REFERENCE_PATTERN = /^R-[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}$/i;

/** The key, made when `create` (inside a write) and missing; null when missing and not to be made. */
async function referenceKey(db: Kysely<Database>, create: boolean): Promise<string | null> {
  const existing = await getSetting(db, KEY_SETTING);
  if (existing || !create) return existing ?? null;
  const key = randomBytes(32).toString('hex');
  await setSetting(db, KEY_SETTING, key);
  return key;
}

function referenceWith(key: string, caseId: string): string {
  const mac = createHmac('sha256', key).update(caseId, 'utf8').digest();
  // 50 bits of the MAC, five bits a character.
  let bits = 0n;
  for (const byte of mac.subarray(0, 7)) bits = (bits << 8n) | BigInt(byte);
  let chars = '';
  for (let i = 0; i < 10; i++) chars += ALPHABET[Number((bits >> BigInt(5 * i + 6)) & 31n)];
  return `R-${chars.slice(0, 5)}-${chars.slice(5)}`;
}

/** The reference of `caseId` (in a write: the key is made on first use). */
export async function reportReference(db: Kysely<Database>, caseId: string): Promise<string> {
  return referenceWith((await referenceKey(db, true))!, caseId);
}

/** Of `caseIds`, the one whose reference is `reference` (case-insensitive); null if none. */
export async function caseOfReference(db: Kysely<Database>, reference: string, caseIds: readonly string[]): Promise<string | null> {
  const key = await referenceKey(db, false);
  if (!key) return null;
  const wanted = reference.toUpperCase();
  return caseIds.find((id) => referenceWith(key, id) === wanted) ?? null;
}
