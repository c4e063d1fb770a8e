/** What each person wants to be told of, by mail and by webhook (the webhook key stays sealed here). */
import type { Kysely, Selectable } from 'kysely';
import type { Database, NotificationSettingsTable } from './schema.js';

export interface NotificationSettingsRow {
  userId: string;
  mailAddress: string | null;
  mailEvents: string[];
  webhookUrl: string | null;
  /** Sealed with the secret box; null when no webhook. */
  webhookSecret: { ciphertext: string; nonce: string; tag: string } | null;
  webhookEvents: string[];
  updatedAt: string;
}

const present = (r: Selectable<NotificationSettingsTable>): NotificationSettingsRow => ({
  userId: r.user_id,
  mailAddress: r.mail_address,
  mailEvents: JSON.parse(r.mail_events) as string[],
  webhookUrl: r.webhook_url,
  webhookSecret:
    r.webhook_secret_ciphertext && r.webhook_secret_nonce && r.webhook_secret_tag
      ? { ciphertext: r.webhook_secret_ciphertext, nonce: r.webhook_secret_nonce, tag: r.webhook_secret_tag }
      : null,
  webhookEvents: JSON.parse(r.webhook_events) as string[],
  updatedAt: r.updated_at,
});

export async function getNotificationSettings(db: Kysely<Database>, userId: string): Promise<NotificationSettingsRow | null> {
  const r = await db.selectFrom('notification_settings').selectAll().where('user_id', '=', userId).executeTakeFirst();
  return r ? present(r) : null;
}

export async function notificationSettingsOf(db: Kysely<Database>, userIds: readonly string[]): Promise<NotificationSettingsRow[]> {
  if (userIds.length === 0) return [];
  return (
    await db
      .selectFrom('notification_settings')
      .selectAll()
      .where('user_id', 'in', [...userIds])
      .execute()
  ).map(present);
}

export async function putNotificationSettings(db: Kysely<Database>, s: NotificationSettingsRow): Promise<void> {
  const row = {
    user_id: s.userId,
    mail_address: s.mailAddress,
    mail_events: JSON.stringify(s.mailEvents),
    webhook_url: s.webhookUrl,
    webhook_secret_ciphertext: s.webhookSecret?.ciphertext ?? null,
    webhook_secret_nonce: s.webhookSecret?.nonce ?? null,
    webhook_secret_tag: s.webhookSecret?.tag ?? null,
    webhook_events: JSON.stringify(s.webhookEvents),
    updated_at: s.updatedAt,
  };
  const { user_id: _u, ...rest } = row;
  await db
    .insertInto('notification_settings')
    .values(row)
    .onConflict((oc) => oc.column('user_id').doUpdateSet(rest))
    .execute();
}

/** Every sealed webhook key (for `secrets rotate`). */
export async function sealedWebhookSecrets(db: Kysely<Database>): Promise<NotificationSettingsRow[]> {
  return (await db.selectFrom('notification_settings').selectAll().where('webhook_secret_ciphertext', 'is not', null).execute()).map(
    present,
  );
}

/** Who hears of a case: its access list and its project's admins (user ids). */
export async function notificationAudience(db: Kysely<Database>, caseId: string): Promise<string[]> {
  const onList = await db.selectFrom('case_access').select('user_id').where('case_id', '=', caseId).execute();
  const admins = await db
    .selectFrom('project_members')
    .innerJoin('cases', 'cases.project', 'project_members.project_id')
    .select('project_members.user_id')
    .where('cases.id', '=', caseId)
    .where('project_members.role', '=', 'admin')
    .execute();
  return [...new Set([...onList, ...admins].map((r) => r.user_id))];
}
