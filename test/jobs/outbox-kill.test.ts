/**
 * "Worker killed between send and record", for real: a child process runs the worker and is killed
 * with SIGKILL (a) right after the SMTP server replied 250, before the outcome is recorded, and (b)
 * while the server holds the whole message but has not replied yet. Then a fresh worker runs: the
 * message is NOT resent; it is `unknown` until a person decides. Nothing lost, nothing twice,
 * nothing to another address.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createSmtpTransport, parseSmtpUrl } from '../../src/integrations/mail/smtp.js';
import { deliverDueMessages } from '../../src/app/outbox-delivery.js';
import { enqueueMessage, getMessage, listMessages, requeueMessage } from '../../src/store/outbox.js';
import { openStore, type OpenStoreOptions, type Store } from '../../src/store/store.js';
import { startSmtp, type TestSmtp } from '../support/smtp.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const totals = { messages: 0, kills: 0 };
afterAll(() => console.log(`outbox kill: ${totals.messages} messages delivered, ${totals.kills} worker processes killed with SIGKILL`));

interface Target {
  name: string;
  create(): Promise<{ opts: OpenStoreOptions; drop(): Promise<void> }>;
}

const targets: Target[] = [
  {
    name: 'sqlite',
    async create() {
      const dataDir = mkdtempSync(path.join(os.tmpdir(), 'embargo-kill-'));
      return { opts: { dataDir }, drop: async () => rmSync(dataDir, { recursive: true, force: true }) };
    },
  },
];
const pgUrl = process.env.EMBARGO_TEST_DATABASE_URL;
if (pgUrl) {
  targets.push({
    name: 'postgres',
    async create() {
      const schema = `emb_k_${randomBytes(6).toString('hex')}`;
      return {
        opts: { databaseUrl: pgUrl, schema },
        drop: async () => {
          const c = new pg.Client({ connectionString: pgUrl });
          await c.connect();
          try {
            await c.query(`drop schema if exists "${schema}" cascade`);
          } finally {
            await c.end();
          }
        },
      };
    },
  });
}

const T0 = new Date('2026-11-25T10:00:00Z');

function runChild(
  opts: OpenStoreOptions,
  smtpUrl: string,
): { child: ChildProcess; lines: string[]; waitFor(prefix: string): Promise<string> } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/jobs/fixtures/crash-worker.ts'], {
    cwd: ROOT,
    env: { ...process.env, EMBARGO_TEST_STORE: JSON.stringify(opts), EMBARGO_SMTP_URL: smtpUrl, EMBARGO_TEST_NOW: T0.toISOString() },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  let buf = '';
  let stderr = '';
  const waiters: { prefix: string; resolve: (l: string) => void; reject: (e: Error) => void }[] = [];
  const check = () => {
    for (const w of [...waiters]) {
      const hit = lines.find((l) => l.startsWith(w.prefix));
      if (hit) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(hit);
      }
    }
  };
  child.stdout!.on('data', (d: Buffer) => {
    buf += d.toString();
    const parts = buf.split('\n');
    buf = parts.pop()!;
    lines.push(...parts);
    check();
  });
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  child.on('exit', (code, signal) => {
    for (const w of waiters.splice(0)) w.reject(new Error(`worker exited (${code ?? signal}) before "${w.prefix}": ${stderr}`));
  });
  return {
    child,
    lines,
    waitFor: (prefix) =>
      new Promise((resolve, reject) => {
        waiters.push({ prefix, resolve, reject });
        check();
      }),
  };
}

const killed = (child: ChildProcess) =>
  new Promise<string | null>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve(child.signalCode);
    child.once('exit', (_c, signal) => resolve(signal));
    child.kill('SIGKILL');
  });

describe.each(targets)('worker process killed between send and record ($name)', (target) => {
  let smtp: TestSmtp | undefined;
  let store: Store | undefined;
  let drop: (() => Promise<void>) | undefined;
  let child: ChildProcess | undefined;

  afterEach(async () => {
    if (child && child.exitCode === null && child.signalCode === null) await killed(child);
    if (smtp) totals.messages += smtp.received.length;
    await smtp?.close();
    await store?.close();
    await drop?.();
    smtp = store = drop = child = undefined;
  });

  async function setup() {
    smtp = await startSmtp();
    const db = await target.create();
    drop = db.drop;
    store = await openStore(db.opts);
    const queued = await store.write((tx) =>
      enqueueMessage(tx, {
        caseId: null,
        kind: 'distributors-notice',
        idempotencyKey: 'notice:kill',
        from: 'security@projectcontour.io',
        to: ['cncf-contour-distributors-announce@lists.cncf.io'],
        subject: '[#security] Upcoming security release',
        body: 'Embargoed text.\n',
        createdBy: 'alice',
        now: T0,
      }),
    );
    return { opts: db.opts, id: queued.message.id };
  }

  async function afterRestart(id: string) {
    const transport = createSmtpTransport({ ...parseSmtpUrl(smtp!.url), timeoutMs: 5_000 });
    try {
      // Within the lease: untouched. After it: unknown, never resent.
      let report = await deliverDueMessages({ store: store!, transport, workerId: 'fresh', clock: () => new Date(T0.getTime() + 60_000) });
      expect(report).toEqual({ sent: 0, retrying: 0, failed: 0, unknown: 0 });
      expect((await getMessage(store!.db, id))!.status).toBe('sending');
      report = await deliverDueMessages({ store: store!, transport, workerId: 'fresh', clock: () => new Date(T0.getTime() + 11 * 60_000) });
      expect(report).toEqual({ sent: 0, retrying: 0, failed: 0, unknown: 1 });
      report = await deliverDueMessages({ store: store!, transport, workerId: 'fresh', clock: () => new Date(T0.getTime() + 99 * 60_000) });
      expect(report.sent).toBe(0);
    } finally {
      transport.close();
    }
    const rows = await listMessages(store!.db);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ id, status: 'unknown', attempts: 1 });
    expect(rows[0]!.lastError).toMatch(/may have been sent/);
    // Exactly one copy arrived, to exactly the row's address, with the row's Message-ID.
    expect(smtp!.received).toHaveLength(1);
    expect(smtp!.received[0]!.envelope.to).toEqual(['cncf-contour-distributors-announce@lists.cncf.io']);
    expect(smtp!.received[0]!.parsed.messageId).toBe(rows[0]!.messageId);
    expect(smtp!.rcptSeen).toEqual(['cncf-contour-distributors-announce@lists.cncf.io']);
  }

  it('killed right after the 250 reply, before recording: not resent, unknown', async () => {
    const { opts, id } = await setup();
    const run = runChild(opts, smtp!.url);
    child = run.child;
    const line = await run.waitFor('SENT ');
    expect(line).toBe(`SENT ${id}`);
    expect(await killed(child)).toBe('SIGKILL');
    totals.kills += 1;
    expect(run.lines).not.toContain('DONE');
    await afterRestart(id);
  });

  it('killed while the server holds the message but has not replied: not resent, unknown; a person retries and it goes out with the same Message-ID', async () => {
    const { opts, id } = await setup();
    const run = runChild(opts, smtp!.url);
    child = run.child;
    smtp!.beforeReply = async () => {
      expect(await killed(run.child)).toBe('SIGKILL');
      totals.kills += 1;
    };
    await new Promise<void>((resolve, reject) => {
      run.child.once('exit', () => resolve());
      setTimeout(() => reject(new Error('the worker was not killed in time')), 20_000).unref();
    });
    smtp!.beforeReply = undefined;
    expect(run.lines.some((l) => l.startsWith('SENT'))).toBe(false);
    await afterRestart(id);

    // The person decides it did not reach the list (say the archive lacks it) and retries.
    expect(await store!.write((tx) => requeueMessage(tx, id, new Date(T0.getTime() + 100 * 60_000)))).toMatchObject({ status: 'queued' });
    const transport = createSmtpTransport({ ...parseSmtpUrl(smtp!.url), timeoutMs: 5_000 });
    try {
      expect(await deliverDueMessages({ store: store!, transport, clock: () => new Date(T0.getTime() + 100 * 60_000) })).toMatchObject({
        sent: 1,
      });
    } finally {
      transport.close();
    }
    expect(smtp!.received).toHaveLength(2);
    expect(smtp!.received[1]!.parsed.messageId).toBe(smtp!.received[0]!.parsed.messageId);
    expect((await getMessage(store!.db, id))!.status).toBe('sent');
  });
});
