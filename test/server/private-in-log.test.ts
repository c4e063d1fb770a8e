/**
 * Issue 14, item 3: nothing private in the permanent, hash-chained log. The reporter's address was in
 * `message.queued`, `message.copied` and `message.marked_sent` (and the delivery events), readable by
 * every member on the case; a password typed into the username field was kept by
 * `session.sign-in-failed`. The attacks as request sequences, with a real SMTP server for delivery.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliverDueMessages } from '../../src/app/outbox-delivery.js';
import { createSmtpTransport, parseSmtpUrl } from '../../src/integrations/mail/smtp.js';
import type { MailTransport } from '../../src/integrations/mail/transport.js';
import { listEvents } from '../../src/store/events.js';
import { client, PASSWORD, startApp, userWithToken, type TestApp } from '../support/app.js';
import { storeFactories } from '../support/databases.js';
import { startSmtp, type TestSmtp } from '../support/smtp.js';

const CONTACT = 'rea.private@example.org';

describe.each(storeFactories())('nothing private in the event log ($name)', ({ open }) => {
  let t: TestApp;
  let smtp: TestSmtp;
  let transport: MailTransport;
  let root: ReturnType<typeof client>;
  let member: ReturnType<typeof client>;
  let caseId: string;

  beforeAll(async () => {
    t = await startApp(open);
    smtp = await startSmtp();
    transport = createSmtpTransport({ ...parseSmtpUrl(smtp.url), timeoutMs: 5_000 });
    root = client(t.server, (await userWithToken(t.app, 'root', 'admin')).token);
    member = client(t.server, (await userWithToken(t.app, 'alice', 'member')).token);
    caseId = (await root.post('/api/v1/cases', { title: 'Private contact', reporter: { name: 'Rea', contact: CONTACT } })).body.id;
    expect((await root.put(`/api/v1/cases/${caseId}/access/alice`)).status).toBe(200);
  });
  afterAll(async () => {
    transport.close();
    await smtp.close();
    await t.close();
  });

  const deliver = () => deliverDueMessages({ store: t.app.store, transport, clock: () => new Date('2026-11-25T10:00:00Z') });

  it('names the reporter by role in every mail event a member can read, while the mail itself keeps the address', async () => {
    // Queued for SMTP and delivered; refused once by the server with the address in its words.
    smtp.faults.push({ at: 'rcpt', code: 550, message: `<${CONTACT}>: mailbox unavailable`, only: CONTACT });
    const sent = await root.post(`/api/v1/cases/${caseId}/messages`, { kind: 'reporter-ack' });
    expect(sent.status).toBe(201);
    await deliver();
    expect((await root.post(`/api/v1/messages/${sent.body.message.id}/retry`)).status).toBe(200);
    await deliver();
    expect(smtp.received.map((r) => r.envelope.to)).toContainEqual([CONTACT]);
    // Copied for a web interface and marked as sent.
    const other = await root.post(`/api/v1/cases/${caseId}/messages`, {
      kind: 'reporter-ack',
      subject: 'A second word on your report',
      via: 'copy',
    });
    expect(other.status).toBe(201);
    const copy = await root.post(`/api/v1/messages/${other.body.message.id}/copy`);
    expect(copy.body.to).toEqual([CONTACT]);
    expect((await root.post(`/api/v1/messages/${other.body.message.id}/mark-sent`)).status).toBe(200);

    const trail = await member.get(`/api/v1/cases/${caseId}/events`);
    const mailEvents = trail.body.events.filter((e: { action: string }) => e.action.startsWith('message.'));
    expect(mailEvents.map((e: { action: string }) => e.action)).toEqual(
      expect.arrayContaining([
        'message.queued',
        'message.failed',
        'message.retried',
        'message.sent',
        'message.copied',
        'message.marked_sent',
      ]),
    );
    expect(JSON.stringify(trail.body.events)).not.toContain(CONTACT);
    for (const e of mailEvents) expect(e.details.to, e.action).toEqual(['reporter']);
    const failed = mailEvents.find((e: { action: string }) => e.action === 'message.failed');
    expect(failed.details.error).toContain('<reporter>');
    // The whole log, not only the case trail.
    const all = await listEvents(t.app.store.db, { limit: 10_000 });
    expect(JSON.stringify(all)).not.toContain(CONTACT);
  });

  it('records the username of a failed sign-in only when such a user exists', async () => {
    const anonymous = client(t.server);
    expect((await anonymous.post('/api/v1/session', { username: 'alice', password: 'wrong password here' })).status).toBe(401);
    // A password typed into the username field.
    expect((await anonymous.post('/api/v1/session', { username: 'Tr0ub4dor&3-secret', password: PASSWORD })).status).toBe(401);
    const failures = (await listEvents(t.app.store.db, { limit: 10_000 })).filter((e) => e.action === 'session.sign-in-failed');
    expect(failures.map((e) => e.details)).toEqual([{ username: 'alice' }, { unknownUser: true }]);
    expect(JSON.stringify(failures)).not.toContain('Tr0ub4dor');
  });
});
