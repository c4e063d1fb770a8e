import type { Kysely } from 'kysely';
import type { Database } from './schema.js';
import { hasNul } from './portable-sql.js';

export async function getSetting(db: Kysely<Database>, key: string): Promise<string | undefined> {
  if (hasNul(key)) return undefined;
  const row = await db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst();
  return row?.value;
}

/** Inserts or replaces. */
export async function setSetting(db: Kysely<Database>, key: string, value: string): Promise<void> {
  await db
    .insertInto('settings')
    .values({ key, value })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value }))
    .execute();
}

/** True when the key existed. */
export async function deleteSetting(db: Kysely<Database>, key: string): Promise<boolean> {
  const res = await db.deleteFrom('settings').where('key', '=', key).executeTakeFirst();
  return Number(res.numDeletedRows) > 0;
}
