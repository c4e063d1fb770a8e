/**
 * Telling people: a notification goes to everyone on the case's access list (and its project's
 * admins) who chose its kind (by
 * mail through the outbox, by webhook through the job queue) and by mail to the project's security
 * contact (the kinds EMBARGO_NOTIFY_SECURITY_CONTACT names). Queued in the caller's transaction with keys per notification, recipient and channel, so
 * a sweep that finds the same clock overdue again queues nothing new: each reminder goes once.
 */
import type { Kysely } from 'kysely';
import { type Notification, notificationMail, notificationWebhookBody } from '../domain/notifications/index.js';
import type { Playbook } from '../domain/playbook/types.js';
import { postWebhook, WebhookError } from '../integrations/webhook/post.js';
import { enqueueJobs } from '../store/jobs.js';
import { getNotificationSettings, notificationAudience, notificationSettingsOf } from '../store/notification-settings.js';
import { AT_LEAST_ONCE_KIND, enqueueMessage } from '../store/outbox.js';
import type { Database } from '../store/schema.js';
import type { App } from './app.js';
import { secretBox } from './github/connection.js';
import { type JobHandler, PermanentJobError } from './job-queue.js';
import { webhookContext } from './notification-settings.js';

/** The outbox kind of notification mail: at least once (a lease that ran out sends again, same Message-ID). */
export const NOTIFICATION_MAIL = AT_LEAST_ONCE_KIND;
export const WEBHOOK_JOB = 'notify.webhook';

export interface WebhookJob {
  userId: string;
  notification: Notification;
}

/** The link to a case in the web app. */
export const caseLink = (app: App, caseId: string) => `${app.config.publicUrl.replace(/\/$/, '')}/cases/${encodeURIComponent(caseId)}`;

const fromOf = (app: App, pb: Playbook) => pb.settings.mailFrom ?? app.config.mailFrom ?? pb.settings.securityContact ?? null;

/** Queues one notification to the case's team and security contact. Returns how many deliveries were new. */
export async function queueNotification(app: App, tx: Kysely<Database>, pb: Playbook, n: Notification): Promise<number> {
  const now = app.clock();
  // The case's access list, and its project's admins (who see every case of the project, and
  // triage a new report before anyone is on its list).
  const team = await notificationAudience(tx, n.caseId);
  const settings = await notificationSettingsOf(tx, team);
  const from = fromOf(app, pb);
  const mail = notificationMail(n);
  let queued = 0;
  const sendMail = async (to: string, who: string) => {
    // Without SMTP nothing would deliver it: a notification is not worth copying by hand.
    if (!from || !app.config.smtpUrl) return;
    const { created } = await enqueueMessage(tx, {
      caseId: n.caseId,
      kind: NOTIFICATION_MAIL,
      idempotencyKey: `notify:${n.key}:mail:${who}`,
      from,
      to: [to],
      subject: mail.subject,
      body: mail.body,
      headers: { 'X-Embargo-Notification': n.kind },
      createdBy: 'embargo (notifications)',
      now,
    });
    if (created) queued += 1;
  };
  for (const s of settings) {
    if (s.mailAddress && s.mailEvents.includes(n.kind)) await sendMail(s.mailAddress, s.userId);
  }
  const contact = pb.settings.securityContact;
  if (contact && app.config.notifySecurityContact?.includes(n.kind)) await sendMail(contact, 'security-contact');
  const hooks = settings
    .filter((s) => s.webhookUrl && s.webhookSecret && s.webhookEvents.includes(n.kind))
    .map((s) => ({
      kind: WEBHOOK_JOB,
      payload: { userId: s.userId, notification: n } satisfies WebhookJob,
      idempotencyKey: `notify:${n.key}:webhook:${s.userId}`,
    }));
  queued += await enqueueJobs(tx, hooks, now);
  return queued;
}

/** Delivers one webhook job: the person's current URL and key, the job's id as the delivery id. */
export function webhookHandler(app: App): JobHandler {
  return async (payload, job) => {
    const { userId, notification } = payload as WebhookJob;
    const s = await app.store.read((db) => getNotificationSettings(db, userId));
    // They turned it off (or removed the hook) since: nothing to deliver.
    if (!s?.webhookUrl || !s.webhookSecret || !s.webhookEvents.includes(notification.kind)) return;
    const secret = secretBox(app).open(s.webhookSecret, webhookContext(userId));
    try {
      await postWebhook({ url: s.webhookUrl, secret, deliveryId: job.id, body: notificationWebhookBody(notification), now: app.clock() });
    } catch (err) {
      if (err instanceof WebhookError && !err.temporary) throw new PermanentJobError(err.message);
      throw err;
    }
  };
}
