/**
 * The outbox worker against a REAL SMTP server (smtp-server on 127.0.0.1), what arrived parsed with
 * mailparser. Faults: server down, 421/451, 554, connection dropped mid-DATA, worker dying between
 * send and record (in-process hook here; a SIGKILLed child process in outbox-kill.test.ts).
 * After each test: nothing lost, nothing sent twice, nothing sent to an address not on its row.
 */
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { localActor, type Actor } from '../../src/app/actor.js';
import { createApp } from '../../src/app/app.js';
import type { EventOf } from '../../src/domain/events.js';
import { configFromEnv } from '../../src/app/config.js';
import { copyMessage, mailTransportFromConfig, markSent, retryMessage, messagesNeedingAttention } from '../../src/app/outbox.js';
import { createSmtpTransport, parseSmtpUrl } from '../../src/integrations/mail/smtp.js';
import type { MailTransport } from '../../src/integrations/mail/transport.js';
import { backoffMs, deliverDueMessages, type OutboxWorkerOptions } from '../../src/app/outbox-delivery.js';
import { listEvents } from '../../src/store/events.js';
import {
  enqueueMessage,
  getMessage,
  listMessages,
  UNKNOWN_OUTCOME_ERROR,
  type NewOutboxMessage,
  type OutboxMessage,
} from '../../src/store/outbox.js';
import type { Store } from '../../src/store/store.js';
import { storeFactories } from '../support/databases.js';
import { closedPort, startSmtp, type TestSmtp } from '../support/smtp.js';

const totals = { messages: 0, faults: 0, tests: 0 };
afterAll(() => {
  console.log(`outbox worker: ${totals.messages} messages delivered over SMTP, ${totals.faults} faults injected, ${totals.tests} tests`);
});

const T0 = new Date('2026-11-25T10:00:00Z');
const MIN = 60_000;

function mail(key: string, over: Partial<NewOutboxMessage> = {}): NewOutboxMessage {
  return {
    caseId: null,
    kind: 'distributors-notice',
    idempotencyKey: key,
    from: 'security@projectcontour.io',
    to: ['cncf-contour-distributors-announce@lists.cncf.io'],
    cc: ['cncf-contour-maintainers@lists.cncf.io'],
    subject: `[#security] Upcoming security release ${key}`,
    body: `Hello distributors,\n\nBody of ${key}.\n\nThis message is embargoed.\n`,
    headers: { 'X-Embargo-Kind': 'distributors-notice' },
    createdBy: 'alice',
    now: T0,
    ...over,
  };
}

describe.each(storeFactories())('outbox worker over real SMTP ($name)', (factory) => {
  let store: Store;
  let smtp: TestSmtp;
  let transport: MailTransport;
  let now: Date;
  const opened: MailTransport[] = [];
  const partialRejections = new Set<string>();

  const worker = (over: Partial<OutboxWorkerOptions> = {}): OutboxWorkerOptions => ({
    store,
    transport,
    workerId: 'w1',
    clock: () => now,
    baseBackoffMs: MIN,
    maxBackoffMs: 60 * MIN,
    maxAttempts: 5,
    leaseMs: 10 * MIN,
    ...over,
  });
  const smtpTransport = (url: string) => {
    const t = createSmtpTransport({ ...parseSmtpUrl(url), timeoutMs: 5_000 });
    opened.push(t);
    return t;
  };
  const enqueue = (...msgs: NewOutboxMessage[]) =>
    store.write(async (tx) => {
      const out: OutboxMessage[] = [];
      for (const m of msgs) out.push((await enqueueMessage(tx, m)).message);
      return out;
    });
  const row = async (id: string) => (await getMessage(store.db, id))!;
  const delivered = (key: string) => smtp.received.filter((r) => r.parsed.subject?.endsWith(` ${key}`));

  beforeEach(async () => {
    store = await factory.open();
    smtp = await startSmtp();
    transport = smtpTransport(smtp.url);
    now = new Date(T0);
  });

  afterEach(async () => {
    // The invariants, whatever the test did: every accepted mail belongs to exactly one row, went
    // only to that row's addresses, and arrived at most once; every row marked sent by the worker
    // arrived exactly once.
    const rows = await listMessages(store.db);
    const byMessageId = new Map(rows.map((r) => [r.messageId, r]));
    const seen = new Map<string, number>();
    for (const r of smtp.received) {
      const mid = r.parsed.messageId!;
      const owner = byMessageId.get(mid);
      expect(owner, `received a mail with unknown Message-ID ${mid}`).toBeDefined();
      const expected = [...owner!.to, ...owner!.cc];
      if (partialRejections.has(mid)) for (const a of r.envelope.to) expect(expected).toContain(a);
      else expect([...r.envelope.to].sort()).toEqual(expected.sort());
      seen.set(mid, (seen.get(mid) ?? 0) + 1);
    }
    for (const r of rows) {
      const n = seen.get(r.messageId) ?? 0;
      expect(n, `${r.idempotencyKey} arrived ${n} times`).toBeLessThanOrEqual(1);
      if (r.status === 'sent' && r.sentBy?.startsWith('worker:')) expect(n).toBe(1);
      if (r.status === 'queued' || r.status === 'failed' || r.status === 'copied') expect(n).toBe(0);
    }
    totals.messages += smtp.received.length;
    totals.faults += smtp.faultsApplied;
    totals.tests += 1;
    for (const t of opened.splice(0)) t.close();
    await smtp.close();
    await store.close();
  });

  it('delivers queued mail: headers, envelope = row recipients, body; records the reply and an audit event without the body', async () => {
    const [a, b] = await enqueue(mail('a'), mail('b', { to: ['security@example.org', 'distros@example.net'], cc: [] }));
    const report = await deliverDueMessages(worker());
    expect(report).toEqual({ sent: 2, retrying: 0, failed: 0, unknown: 0 });
    expect(smtp.received).toHaveLength(2);

    const got = delivered('a')[0]!;
    expect(got.envelope.from).toBe('security@projectcontour.io');
    expect(got.envelope.to.sort()).toEqual(['cncf-contour-distributors-announce@lists.cncf.io', 'cncf-contour-maintainers@lists.cncf.io']);
    expect(got.parsed.from?.text).toBe('security@projectcontour.io');
    expect(got.parsed.to && !Array.isArray(got.parsed.to) ? got.parsed.to.value.map((v) => v.address) : null).toEqual([
      'cncf-contour-distributors-announce@lists.cncf.io',
    ]);
    expect(got.parsed.cc && !Array.isArray(got.parsed.cc) ? got.parsed.cc.value.map((v) => v.address) : null).toEqual([
      'cncf-contour-maintainers@lists.cncf.io',
    ]);
    expect(got.parsed.subject).toBe('[#security] Upcoming security release a');
    expect(got.parsed.messageId).toBe(a!.messageId);
    expect(a!.messageId).toMatch(/^<embargo\.[0-9a-f]{32}@projectcontour\.io>$/);
    expect(got.parsed.headers.get('x-embargo-kind')).toBe('distributors-notice');
    expect(got.parsed.text).toBe('Hello distributors,\n\nBody of a.\n\nThis message is embargoed.\n');
    expect(delivered('b')[0]!.envelope.to.sort()).toEqual(['distros@example.net', 'security@example.org']);
    expect(smtp.rcptSeen.sort()).toEqual(
      [
        'cncf-contour-distributors-announce@lists.cncf.io',
        'cncf-contour-maintainers@lists.cncf.io',
        'distros@example.net',
        'security@example.org',
      ].sort(),
    );

    const ra = await row(a!.id);
    expect(ra.status).toBe('sent');
    expect(ra.attempts).toBe(1);
    expect(ra.smtpResponse).toMatch(/^250 /);
    expect(ra.sentAt).toBe(T0.toISOString());
    expect(ra.sentBy).toBe('worker:w1');
    expect((await row(b!.id)).status).toBe('sent');

    const events = (await listEvents(store.db, {})).filter((e) => e.action.startsWith('message.'));
    expect(events.map((e) => e.action)).toEqual(['message.sent', 'message.sent']);
    expect(JSON.stringify(events)).not.toContain('Body of');
    expect((events[0] as EventOf<'message.sent'>).details.smtpResponse).toMatch(/^250 /);

    // A second pass finds nothing to do.
    now = new Date(T0.getTime() + 120 * MIN);
    expect(await deliverDueMessages(worker())).toEqual({ sent: 0, retrying: 0, failed: 0, unknown: 0 });
    expect(smtp.received).toHaveLength(2);
  });

  it('server down (connection refused): retried with exponential backoff, then delivered once', async () => {
    const [m] = await enqueue(mail('down'));
    const down = smtpTransport(`smtp://127.0.0.1:${await closedPort()}`);
    expect(await deliverDueMessages(worker({ transport: down }))).toMatchObject({ retrying: 1 });
    let r = await row(m!.id);
    expect(r.status).toBe('queued');
    expect(r.attempts).toBe(1);
    expect(r.lastError).toMatch(/ECONNREFUSED|connect/i);
    expect(r.nextAttemptAt).toBe(new Date(T0.getTime() + MIN).toISOString());
    totals.faults += 1;

    // Not due yet: nothing happens.
    now = new Date(T0.getTime() + 30_000);
    expect(await deliverDueMessages(worker({ transport: down }))).toEqual({ sent: 0, retrying: 0, failed: 0, unknown: 0 });

    now = new Date(T0.getTime() + MIN);
    expect(await deliverDueMessages(worker({ transport: down }))).toMatchObject({ retrying: 1 });
    r = await row(m!.id);
    expect(r.attempts).toBe(2);
    expect(r.nextAttemptAt).toBe(new Date(now.getTime() + 2 * MIN).toISOString());
    totals.faults += 1;

    now = new Date(r.nextAttemptAt);
    expect(await deliverDueMessages(worker())).toMatchObject({ sent: 1 });
    expect(delivered('down')).toHaveLength(1);
    r = await row(m!.id);
    expect(r.status).toBe('sent');
    expect(r.attempts).toBe(3);
    const failed = (await listEvents(store.db, {})).filter((e) => e.action === 'message.failed');
    expect(failed).toHaveLength(2);
    expect(failed[0]!.details.temporary).toBe(true);
  });

  it('421 and 451 are temporary: retried, then delivered exactly once', async () => {
    const [m] = await enqueue(mail('tmp'));
    smtp.faults.push(
      { at: 'data', code: 421, message: 'Service not available, try later' },
      { at: 'rcpt', code: 451, message: 'Greylisted, try later' },
    );
    expect(await deliverDueMessages(worker())).toMatchObject({ retrying: 1 });
    let r = await row(m!.id);
    expect(r.status).toBe('queued');
    expect(r.lastError).toMatch(/421/);
    now = new Date(r.nextAttemptAt);
    expect(await deliverDueMessages(worker())).toMatchObject({ retrying: 1 });
    r = await row(m!.id);
    expect(r.lastError).toMatch(/451/);
    expect(smtp.received).toHaveLength(0);
    now = new Date(r.nextAttemptAt);
    expect(await deliverDueMessages(worker())).toMatchObject({ sent: 1 });
    expect(delivered('tmp')).toHaveLength(1);
    r = await row(m!.id);
    expect(r).toMatchObject({ status: 'sent', attempts: 3, lastError: null });
    expect(smtp.faultsApplied).toBe(2);
  });

  it('554 is permanent: failed with the error, not retried; a person retries it and it goes out once', async () => {
    // 'perm' is older, so it is attempted first and meets the fault.
    const [m, other] = await enqueue(mail('perm', { now: new Date(T0.getTime() - 1000) }), mail('fine'));
    smtp.faults.push({ at: 'data', code: 554, message: 'Transaction failed: policy rejection' });
    expect(await deliverDueMessages(worker())).toMatchObject({ failed: 1, sent: 1 });
    let r = await row(m!.id);
    expect(r.status).toBe('failed');
    expect(r.lastError).toMatch(/554/);
    expect(r.smtpResponse).toMatch(/^554 /);
    expect((await row(other!.id)).status).toBe('sent');
    const ev = (await listEvents(store.db, {})).find((e) => e.action === 'message.failed')!;
    expect(ev.details).toMatchObject({ temporary: false, responseCode: 554, retryAt: null });

    now = new Date(T0.getTime() + 24 * 60 * MIN);
    expect(await deliverDueMessages(worker())).toEqual({ sent: 0, retrying: 0, failed: 0, unknown: 0 });
    expect(delivered('perm')).toHaveLength(0);

    const app = await createApp(store, configFromEnv({}), { clock: () => now });
    const admin = localActor('carol');
    expect((await messagesNeedingAttention(app, admin)).map((x) => x.id)).toEqual([m!.id]);
    const requeued = await retryMessage(app, admin, m!.id);
    expect(requeued).toMatchObject({ status: 'queued', attempts: 0 });
    await expect(retryMessage(app, admin, m!.id)).rejects.toMatchObject({ code: 'conflict' });
    expect(await deliverDueMessages(worker())).toMatchObject({ sent: 1 });
    expect(delivered('perm')).toHaveLength(1);
    r = await row(m!.id);
    expect(r.status).toBe('sent');
    expect((await listEvents(store.db, {})).some((e) => e.action === 'message.retried' && e.actor === 'local:carol')).toBe(true);
  });

  it('connection dropped mid-DATA: the partial message is not accepted; the retry delivers it once', async () => {
    const [m] = await enqueue(mail('drop', { body: `${'x'.repeat(200_000)}\nend\n` }));
    smtp.faults.push('drop-mid-data');
    expect(await deliverDueMessages(worker())).toMatchObject({ retrying: 1 });
    let r = await row(m!.id);
    expect(r.status).toBe('queued');
    expect(smtp.received).toHaveLength(0);
    now = new Date(r.nextAttemptAt);
    expect(await deliverDueMessages(worker())).toMatchObject({ sent: 1 });
    const got = delivered('drop');
    expect(got).toHaveLength(1);
    expect(got[0]!.parsed.text).toBe(`${'x'.repeat(200_000)}\nend\n`);
    r = await row(m!.id);
    expect(r.attempts).toBe(2);
    expect(smtp.faultsApplied).toBe(1);
  });

  it('one recipient refused (550), the other accepted: sent, with the refusal visible; not resent to the one who got it', async () => {
    const [m] = await enqueue(mail('partial'));
    smtp.faults.push({ at: 'rcpt', code: 550, message: 'No such user', only: 'cncf-contour-maintainers@lists.cncf.io' });
    expect(await deliverDueMessages(worker())).toMatchObject({ sent: 1 });
    const got = delivered('partial');
    expect(got).toHaveLength(1);
    expect(got[0]!.envelope.to).toEqual(['cncf-contour-distributors-announce@lists.cncf.io']);
    // The mail's Cc header still names both (it is the same message); only the envelope differs.
    expect(got[0]!.parsed.cc && !Array.isArray(got[0]!.parsed.cc) ? got[0]!.parsed.cc.text : '').toBe(
      'cncf-contour-maintainers@lists.cncf.io',
    );
    const r = await row(m!.id);
    expect(r.status).toBe('sent');
    expect(r.lastError).toBe('Not accepted for cncf-contour-maintainers@lists.cncf.io: check and send to them separately.');
    const ev = (await listEvents(store.db, {})).find((e) => e.action === 'message.sent')!;
    expect(ev.details.rejected).toEqual(['cncf-contour-maintainers@lists.cncf.io']);
    partialRejections.add(r.messageId);
  });

  it('gives up after maxAttempts temporary failures: failed, visible, with the reason', async () => {
    const [m] = await enqueue(mail('flaky'));
    smtp.faults.push(...Array.from({ length: 3 }, () => ({ at: 'rcpt' as const, code: 450 })));
    for (let i = 0; i < 3; i++) {
      await deliverDueMessages(worker({ maxAttempts: 3 }));
      now = new Date((await row(m!.id)).nextAttemptAt);
    }
    const r = await row(m!.id);
    expect(r.status).toBe('failed');
    expect(r.attempts).toBe(3);
    expect(r.lastError).toMatch(/450.*gave up after 3 attempts/s);
    expect(smtp.received).toHaveLength(0);
  });

  it('worker dies between send and record: the row is not resent; it becomes "unknown" for a person', async () => {
    const [m] = await enqueue(mail('crash'));
    const crash = Object.assign(new Error('simulated crash after send'), { simulated: true });
    await expect(
      deliverDueMessages(
        worker({
          afterSend: (msg) => {
            if (msg.id === m!.id) throw crash;
          },
        }),
      ),
    ).rejects.toBe(crash);
    totals.faults += 1;
    expect(delivered('crash')).toHaveLength(1);
    expect((await row(m!.id)).status).toBe('sending');

    // Restart within the lease: the row is someone else's claim; nothing is resent, other mail flows.
    now = new Date(T0.getTime() + 5 * MIN);
    const [n] = await enqueue(mail('after', { now }));
    expect(await deliverDueMessages(worker({ workerId: 'w2' }))).toMatchObject({ sent: 1, unknown: 0 });
    expect((await row(n!.id)).status).toBe('sent');
    expect(delivered('crash')).toHaveLength(1);

    // After the lease: unknown, still not resent, and visible with the reason.
    now = new Date(T0.getTime() + 11 * MIN);
    expect(await deliverDueMessages(worker({ workerId: 'w2' }))).toMatchObject({ sent: 0, unknown: 1 });
    now = new Date(T0.getTime() + 600 * MIN);
    await deliverDueMessages(worker({ workerId: 'w2' }));
    expect(delivered('crash')).toHaveLength(1);
    let r = await row(m!.id);
    expect(r.status).toBe('unknown');
    expect(r.lastError).toBe(UNKNOWN_OUTCOME_ERROR);
    expect((await listEvents(store.db, {})).filter((e) => e.action === 'message.unknown')).toHaveLength(1);

    // The person checks the list archive, finds it, and marks it as sent.
    const app = await createApp(store, configFromEnv({}), { clock: () => now });
    expect((await messagesNeedingAttention(app, localActor('carol'))).map((x) => x.id)).toEqual([m!.id]);
    r = await markSent(app, localActor('carol'), m!.id, { at: new Date(T0.getTime() + MIN) });
    expect(r).toMatchObject({ status: 'sent', sentBy: 'local:carol', sentAt: new Date(T0.getTime() + MIN).toISOString() });
    await deliverDueMessages(worker({ workerId: 'w2' }));
    expect(delivered('crash')).toHaveLength(1);
  });

  it('two workers at once deliver each message exactly once', async () => {
    const keys = Array.from({ length: 12 }, (_, i) => `par${i}`);
    await enqueue(...keys.map((k) => mail(k)));
    // PostgreSQL: two pools, really concurrent (FOR UPDATE SKIP LOCKED). SQLite: better-sqlite3 is
    // synchronous, so two connections in one process would block each other; two workers share one.
    const other = factory.dialect === 'postgres' ? await factory.reopen(store) : store;
    try {
      const t2 = smtpTransport(smtp.url);
      const [r1, r2] = await Promise.all([
        deliverDueMessages(worker({ workerId: 'w1', batchSize: 5 })),
        deliverDueMessages({ ...worker({ workerId: 'w2', batchSize: 5 }), store: other, transport: t2 }),
      ]);
      const r3 = await deliverDueMessages(worker({ workerId: 'w1', batchSize: 5 }));
      expect(r1.sent + r2.sent + r3.sent).toBe(12);
    } finally {
      if (other !== store) await other.close();
    }
    for (const k of keys) expect(delivered(k)).toHaveLength(1);
  });

  it('web-interface path: copy gives the exact text and addresses and takes it from the worker; mark as sent records who and when', async () => {
    const [m] = await enqueue(mail('web'));
    const app = await createApp(store, configFromEnv({}), { clock: () => now });
    const admin = localActor('dana');
    const outsider: Actor = { kind: 'token', userId: 'nobody', name: 'mallory', role: 'member', scopes: ['read', 'write'] };
    await expect(copyMessage(app, outsider, m!.id)).rejects.toMatchObject({ code: 'not_found' });
    await expect(markSent(app, admin, m!.id)).rejects.toMatchObject({ code: 'conflict' });

    const copy = await copyMessage(app, admin, m!.id);
    expect(copy).toEqual({
      id: m!.id,
      from: 'security@projectcontour.io',
      to: ['cncf-contour-distributors-announce@lists.cncf.io'],
      cc: ['cncf-contour-maintainers@lists.cncf.io'],
      subject: '[#security] Upcoming security release web',
      body: 'Hello distributors,\n\nBody of web.\n\nThis message is embargoed.\n',
    });
    expect((await row(m!.id)).status).toBe('copied');
    expect(await deliverDueMessages(worker())).toEqual({ sent: 0, retrying: 0, failed: 0, unknown: 0 });
    expect(smtp.received).toHaveLength(0);

    now = new Date(T0.getTime() + 15 * MIN);
    await expect(markSent(app, admin, m!.id, { at: new Date(now.getTime() + 60 * MIN) })).rejects.toMatchObject({ code: 'invalid_input' });
    const sent = await markSent(app, admin, m!.id, { at: new Date(T0.getTime() + 10 * MIN) });
    expect(sent).toMatchObject({ status: 'sent', sentBy: 'local:dana', sentAt: new Date(T0.getTime() + 10 * MIN).toISOString() });
    await expect(markSent(app, admin, m!.id)).rejects.toMatchObject({ code: 'conflict' });
    await expect(copyMessage(app, admin, m!.id)).rejects.toMatchObject({ code: 'conflict' });
    const actions = (await listEvents(store.db, {})).filter((e) => e.action.startsWith('message.')).map((e) => `${e.action} ${e.actor}`);
    expect(actions).toEqual(['message.copied local:dana', 'message.marked_sent local:dana']);
  });
});

describe('SMTP settings and auth', () => {
  it('parses EMBARGO_SMTP_URL and never shows the password', async () => {
    const { describeSmtp } = await import('../../src/integrations/mail/smtp.js');
    const s = parseSmtpUrl('smtp://mailer%40x.org:s3cr%3Aet@smtp.example.org:2525?starttls=required');
    expect(s).toMatchObject({
      host: 'smtp.example.org',
      port: 2525,
      secure: false,
      requireTls: true,
      auth: { user: 'mailer@x.org', pass: 's3cr:et' },
    });
    expect(parseSmtpUrl('smtps://smtp.example.org')).toMatchObject({ port: 465, secure: true, auth: null });
    expect(parseSmtpUrl('smtp://smtp.example.org')).toMatchObject({ port: 587, secure: false, requireTls: false });
    expect(describeSmtp(s)).toBe('smtp://mailer%40x.org:***@smtp.example.org:2525?starttls=required');
    expect(() => parseSmtpUrl('http://u:hunter2@x')).toThrow(/smtp:\/\//);
    expect(() => parseSmtpUrl('nonsense hunter2')).not.toThrow(/hunter2/);
    expect(() => parseSmtpUrl('nonsense hunter2')).toThrow(/not a URL/);
  });

  it('authenticates with the URL credentials; a wrong password is a permanent error that does not echo it', async () => {
    const smtp = await startSmtp({ auth: { user: 'embargo', pass: 'right-pass' } });
    const good = createSmtpTransport({ ...parseSmtpUrl(smtp.url), timeoutMs: 5_000 });
    const bad = createSmtpTransport({ ...parseSmtpUrl(smtp.url.replace('right-pass', 'wrong-pass')), timeoutMs: 5_000 });
    try {
      const msg = {
        from: 'a@example.org',
        to: ['b@example.org'],
        cc: [],
        subject: 's',
        text: 't\n',
        messageId: '<x@example.org>',
        headers: {},
      };
      const res = await good.send(msg);
      expect(res.accepted).toEqual(['b@example.org']);
      expect(smtp.received).toHaveLength(1);
      const err = await bad.send(msg).then(
        () => null,
        (e: unknown) => e as import('../../src/integrations/mail/transport.js').MailSendError,
      );
      expect(err).not.toBeNull();
      expect(err!.temporary).toBe(false);
      expect(err!.responseCode).toBe(535);
      expect(err!.message).not.toContain('wrong-pass');
      expect(smtp.received).toHaveLength(1);
      totals.messages += 1;
      totals.faults += 1;
    } finally {
      good.close();
      bad.close();
      await smtp.close();
    }
  });

  it('builds the transport from EMBARGO_SMTP_URL, none when unset', () => {
    expect(mailTransportFromConfig(configFromEnv({}))).toBeNull();
    const cfg = configFromEnv({ EMBARGO_SMTP_URL: 'smtp://u:p@127.0.0.1:2525', EMBARGO_MAIL_FROM: 'security@example.org' });
    expect(cfg.mailFrom).toBe('security@example.org');
    const t = mailTransportFromConfig(cfg);
    expect(typeof t?.send).toBe('function');
    t?.close();
    expect(() => mailTransportFromConfig(configFromEnv({ EMBARGO_SMTP_URL: 'ftp://x' }))).toThrow(/smtp:\/\//);
  });

  it('backoff doubles and is capped', () => {
    expect([1, 2, 3, 4, 10].map((a) => backoffMs(a, 1000, 10_000))).toEqual([1000, 2000, 4000, 8000, 10_000]);
  });
});
