/**
 * Two app instances on one PostgreSQL deliver 10,000 notifications — 5,000 mails through the outbox,
 * counted at a real SMTP server, and 5,000 signed webhooks through the job queue, counted at a
 * receiver — while one instance is killed with SIGKILL mid-run (and restarted) and the other is
 * stopped with SIGTERM. Every notification arrives; nothing arrives twice under the delivery id the
 * receiver sees (Message-ID, X-Embargo-Delivery); only a delivery in flight at the SIGKILL may be
 * repeated on the wire, and then with the same id.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { localActor } from '../../src/app/actor.js';
import { addUser } from '../../src/app/accounts.js';
import { createApp } from '../../src/app/app.js';
import { createCase } from '../../src/app/cases.js';
import { grantCaseAccess } from '../../src/app/access.js';
import { configFromEnv } from '../../src/app/config.js';
import { setNotificationPreferences } from '../../src/app/notification-settings.js';
import { queueNotification } from '../../src/app/notifications.js';
import { playbookOf } from '../../src/app/projects.js';
import { isReceipt } from '../../src/app/unit-of-work.js';
import { webhookSignature } from '../../src/integrations/webhook/post.js';
import { countJobs } from '../../src/store/jobs.js';
import { getCase } from '../../src/store/cases.js';
import { listMessages } from '../../src/store/outbox.js';
import { openStore } from '../../src/store/store.js';
import { startSmtp } from '../support/smtp.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const pgUrl = process.env.EMBARGO_TEST_DATABASE_URL;
const NOTIFICATIONS = Number(process.env.EMBARGO_QUEUE_TEST_N ?? 2_500); // × (2 mails + 2 webhooks) = 10,000 deliveries
const SECRET = 'a-webhook-key-of-the-team-0123456789';
const KEY = randomBytes(32).toString('base64');

interface Receiver {
  server: Server;
  url: string;
  raw: number;
  byDelivery: Map<string, number>;
  badSignatures: number;
  refused: number;
}

async function startReceiver(): Promise<Receiver> {
  const r: Receiver = { server: createServer(), url: '', raw: 0, byDelivery: new Map(), badSignatures: 0, refused: 0 };
  let seen = 0;
  r.server.on('request', (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const ts = String(req.headers['x-embargo-timestamp']);
      if (req.headers['x-embargo-signature'] !== webhookSignature(SECRET, ts, body)) {
        r.badSignatures += 1;
        res.writeHead(401).end();
        return;
      }
      // Every 97th first attempt answers 503: the queue retries it with backoff.
      seen += 1;
      const id = String(req.headers['x-embargo-delivery']);
      if (seen % 97 === 0 && !r.byDelivery.has(id)) {
        r.refused += 1;
        res.writeHead(503).end();
        return;
      }
      r.raw += 1;
      r.byDelivery.set(id, (r.byDelivery.get(id) ?? 0) + 1);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
  });
  await new Promise<void>((ok) => r.server.listen(0, '127.0.0.1', ok));
  const addr = r.server.address();
  r.url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}/hook`;
  return r;
}

function instance(
  name: string,
  storeOpts: object,
  smtpUrl: string,
): { child: ChildProcess; out: string[]; exited: Promise<number | null> } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/jobs/fixtures/queue-instance.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      EMBARGO_TEST_STORE: JSON.stringify(storeOpts),
      EMBARGO_SMTP_URL: smtpUrl,
      EMBARGO_SECRET_KEY: KEY,
      WORKER_NAME: name,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const out: string[] = [];
  child.stdout!.on('data', (d: Buffer) => out.push(...d.toString().split('\n').filter(Boolean)));
  child.stderr!.on('data', (d: Buffer) => out.push(`stderr: ${d.toString()}`));
  const exited = new Promise<number | null>((ok) => child.on('exit', (code) => ok(code)));
  return { child, out, exited };
}

const until = async (what: string, ok: () => boolean | Promise<boolean>, ms: number) => {
  const end = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
};

describe.skipIf(!pgUrl)('the job queue across instances (postgres)', () => {
  const schema = `emb_q_${randomBytes(6).toString('hex')}`;
  const storeOpts = { databaseUrl: pgUrl, schema };
  const children: ChildProcess[] = [];
  afterAll(async () => {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
    const c = new pg.Client({ connectionString: pgUrl });
    await c.connect();
    await c.query(`drop schema if exists "${schema}" cascade`);
    await c.end();
  });

  it('delivers 10,000 notifications exactly once by delivery id through a SIGKILL and a SIGTERM', { timeout: 600_000 }, async () => {
    const smtp = await startSmtp();
    const hook = await startReceiver();
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'embargo-queue-'));
    const store = await openStore(storeOpts);
    try {
      const config = {
        ...configFromEnv({ EMBARGO_SECRET_KEY: KEY, EMBARGO_NOTIFY_SECURITY_CONTACT: 'all', EMBARGO_SMTP_URL: smtp.url }),
        dataDir,
      };
      const app = await createApp(store, config);
      const root = localActor('test');
      for (const u of ['alice', 'bob']) await addUser(app, root, { username: u, password: 'correct horse battery staple', role: 'member' });
      const made = await createCase(app, root, { title: 'Header injection' });
      const caseId = isReceipt(made) ? made.id : made.id;
      for (const u of ['alice', 'bob']) await grantCaseAccess(app, root, caseId, u);
      const all = ['clock-overdue'];
      await setNotificationPreferences(app, root, 'alice', {
        mail: { address: 'alice@example.org', events: all },
        webhook: { url: hook.url, secret: SECRET, events: all },
      });
      await setNotificationPreferences(app, root, 'bob', { webhook: { url: hook.url, secret: SECRET, events: all } });

      const queued = await store.write(async (tx) => {
        const c = (await getCase(tx, caseId))!;
        const pb = await playbookOf(app, tx, c);
        let n = 0;
        for (let i = 0; i < NOTIFICATIONS; i++) {
          n += await queueNotification(app, tx, pb, {
            kind: 'clock-overdue',
            key: `load:${i}`,
            caseId,
            codename: c.codename,
            link: `https://embargo.example/cases/${caseId}`,
            clock: { id: 'acknowledge', title: 'Acknowledge the reporter', dueLocal: null },
          });
        }
        return n;
      });
      expect(queued).toBe(4 * NOTIFICATIONS);

      const started = Date.now();

      const delivered = () => smtp.received.length + hook.raw;
      const a = instance('a', storeOpts, smtp.url);
      const b = instance('b', storeOpts, smtp.url);
      children.push(a.child, b.child);
      await until('25% delivered', () => delivered() >= NOTIFICATIONS, 300_000);
      a.child.kill('SIGKILL');
      expect(await a.exited).toBeNull();
      const a2 = instance('a2', storeOpts, smtp.url);
      children.push(a2.child);
      await until('60% delivered', () => delivered() >= 2.4 * NOTIFICATIONS, 300_000);
      b.child.kill('SIGTERM');
      expect(await b.exited).toBe(0);
      expect(b.out.some((l) => l.startsWith('STOPPED '))).toBe(true);

      const pending = async () => {
        const jobs = await countJobs(store.db);
        const mails = await listMessages(store.db, { status: ['queued', 'sending'] });
        return jobs.queued + jobs.running + mails.length;
      };
      await until('every delivery recorded', async () => (await pending()) === 0, 300_000);
      const seconds = (Date.now() - started) / 1000;

      // At the SMTP server, by Message-ID: every mail once.
      const byMessageId = new Map<string, number>();
      for (const r of smtp.received) byMessageId.set(String(r.parsed.messageId), (byMessageId.get(String(r.parsed.messageId)) ?? 0) + 1);
      expect(byMessageId.size).toBe(2 * NOTIFICATIONS);
      // At the webhook receiver, by delivery id: every delivery once, every signature good.
      expect(hook.byDelivery.size).toBe(2 * NOTIFICATIONS);
      expect(hook.badSignatures).toBe(0);
      expect(hook.refused).toBeGreaterThan(0);
      // Repeats on the wire: only what the killed instance had in flight (4 webhooks, 1 mail at most).
      const mailRepeats = smtp.received.length - byMessageId.size;
      const hookRepeats = hook.raw - hook.byDelivery.size;
      expect(mailRepeats).toBeLessThanOrEqual(1);
      expect(hookRepeats).toBeLessThanOrEqual(4);
      // In the store: all done, none failed, none unknown.
      expect(await countJobs(store.db, 'notify.webhook')).toEqual({ queued: 0, running: 0, done: 2 * NOTIFICATIONS, failed: 0 });
      expect(await listMessages(store.db, { status: ['failed', 'unknown', 'queued', 'sending'] })).toEqual([]);
      console.log(
        `queue instances: ${2 * NOTIFICATIONS} mails + ${2 * NOTIFICATIONS} webhooks in ${seconds.toFixed(1)} s; ` +
          `repeats on the wire after SIGKILL: ${mailRepeats} mail, ${hookRepeats} webhook; ${hook.refused} 503s retried`,
      );
      a2.child.kill('SIGTERM');
      await a2.exited;
    } finally {
      await store.close();
      await smtp.close();
      await new Promise((ok) => hook.server.close(ok));
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
