/**
 * Notifications and the calendar feed, end to end in process: a moving clock walks a case across a
 * weekend and a holiday and each reminder is queued once however often the sweep runs; a new report
 * reaches the project's admins; mail says no more than the case id, codename and a link; the feed
 * parses back with ical.js in the embargo's own zone, and answers 404 once revoked.
 */
import ICAL from 'ical.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localActor } from '../../src/app/actor.js';
import { secretBox } from '../../src/app/github/connection.js';
import { webhookContext } from '../../src/app/notification-settings.js';
import { fanOutEvents, sweepClocks } from '../../src/app/notification-sources.js';
import { rotateSecrets } from '../../src/app/secret-rotation.js';
import { getNotificationSettings } from '../../src/store/notification-settings.js';
import { findUserByUsername } from '../../src/store/users.js';
import { type Notification, notificationWebhookBody } from '../../src/domain/notifications/index.js';
import { listJobs } from '../../src/store/jobs.js';
import { listMessages } from '../../src/store/outbox.js';
import { client, startApp, userWithToken, type TestApp } from '../support/app.js';
import { storeFactories } from '../support/databases.js';

const TITLE = 'Header injection in HTTPProxy';

describe.each(storeFactories())('notifications and the calendar ($name)', ({ open }) => {
  let t: TestApp;
  let root: ReturnType<typeof client>;
  let alice: ReturnType<typeof client>;
  let bob: ReturnType<typeof client>;
  let id: string;
  let codename: string;

  beforeAll(async () => {
    t = await startApp(open, '2026-12-04T14:00:00Z'); // Friday 15:00 Berlin
    t.app.config.smtpUrl = 'smtp://127.0.0.1:9'; // notification mail is queued only when it can go
    root = client(t.server, (await userWithToken(t.app, 'root', 'admin')).token);
    alice = client(t.server, (await userWithToken(t.app, 'alice', 'member')).token);
    bob = client(t.server, (await userWithToken(t.app, 'bob', 'member', undefined, ['contour:admin'])).token);
    expect(
      (await root.patch('/api/v1/projects/contour', { settings: { timeZone: 'Europe/Berlin', holidays: ['2026-12-08'] } })).status,
    ).toBe(200);
    const made = (await root.post('/api/v1/cases', { title: TITLE, reporter: { name: 'R', contact: 'r@example.org' } })).body;
    id = made.id;
    codename = made.codename;
    expect((await root.put(`/api/v1/cases/${id}/access/alice`)).status).toBe(200);
    // The cases so far are history: the fan-out starts after them.
    while ((await fanOutEvents(t.app)) > 0) {}
  });
  afterAll(() => t.close());

  const mailsTo = async (address: string) =>
    (await t.app.store.read((db) => listMessages(db, {}))).filter((m) => m.kind === 'notification' && m.to.includes(address));

  it('lets each person choose, refuses what is wrong, and never answers the webhook key', async () => {
    const set = await alice.put('/api/v1/users/alice/notifications', {
      mail: { address: 'alice@example.org', events: ['clock-at-risk', 'clock-overdue', 'new-report'] },
      webhook: { url: 'http://127.0.0.1:9/hook', secret: 'sixteen-chars-or-more', events: ['clock-overdue'] },
    });
    expect(set.status).toBe(200);
    expect(set.body).toEqual({
      username: 'alice',
      mail: { address: 'alice@example.org', events: ['clock-at-risk', 'clock-overdue', 'new-report'] },
      webhook: { url: 'http://127.0.0.1:9/hook', events: ['clock-overdue'], hasSecret: true },
    });
    expect(JSON.stringify(set.body)).not.toContain('sixteen');
    expect(
      (await bob.put('/api/v1/users/bob/notifications', { mail: { address: 'bob@example.org', events: ['new-report'] } })).status,
    ).toBe(200);
    // Another person's: not found; a bad kind, a plain-http webhook elsewhere, a webhook without a key: 400.
    expect((await alice.get('/api/v1/users/bob/notifications')).status).toBe(404);
    expect((await alice.put('/api/v1/users/alice/notifications', { mail: { events: ['everything'] } })).status).toBe(400);
    const http = await alice.put('/api/v1/users/alice/notifications', { webhook: { url: 'http://hooks.example.org/x' } });
    expect([http.status, http.body.error.message]).toEqual([400, 'webhook.url must be https:// (plain http only to this machine)']);
    expect((await bob.put('/api/v1/users/bob/notifications', { webhook: { url: 'https://hooks.example.org/x' } })).status).toBe(400);
  });

  it('walks the acknowledgement clock over the weekend and the holiday: each reminder once', async () => {
    const sweepAt = async (iso: string) => {
      t.setNow(iso);
      await sweepClocks(t.app);
      await sweepClocks(t.app); // a second instance, or the next slot: nothing new
    };
    await sweepAt('2026-12-05T11:00:00Z'); // Saturday
    await sweepAt('2026-12-08T09:00:00Z'); // the holiday
    await sweepAt('2026-12-09T22:59:00Z'); // Wednesday 23:59 Berlin
    expect(await mailsTo('alice@example.org')).toHaveLength(0);
    await sweepAt('2026-12-09T23:00:00Z'); // Thursday 00:00 Berlin: at risk
    await sweepAt('2026-12-10T12:00:00Z');
    const atRisk = await mailsTo('alice@example.org');
    expect(atRisk.map((m) => m.subject)).toEqual([`[Embargo] ${id} (${codename}): "Acknowledge the reporter" is at risk`]);
    await sweepAt('2026-12-10T23:00:00Z'); // Friday 00:00 Berlin: overdue
    await sweepAt('2026-12-11T09:00:00Z');
    const both = await mailsTo('alice@example.org');
    expect(both.map((m) => m.subject)).toEqual([
      `[Embargo] ${id} (${codename}): "Acknowledge the reporter" is at risk`,
      `[Embargo] ${id} (${codename}): "Acknowledge the reporter" is overdue`,
    ]);
    // The overdue reminder also went to alice's webhook, once; only the case id, codename and link by mail.
    const hooks = (await t.app.store.read((db) => listJobs(db, { kind: 'notify.webhook' }))).filter((j) =>
      (j.payload as { notification: { key: string } }).notification.key.includes(':acknowledge:'),
    );
    expect(hooks).toHaveLength(1);
    for (const m of both) {
      expect(`${m.subject}\n${m.body}`).not.toContain(TITLE);
      expect(m.body).toContain(`/cases/${id}`);
    }
    // Bob chose no clock notifications.
    expect(await mailsTo('bob@example.org')).toHaveLength(0);
    // The case's own mail list is its correspondence, not the team's reminders.
    const listed = await alice.get(`/api/v1/cases/${id}/messages`);
    expect(listed.status).toBe(200);
    expect(JSON.stringify(listed.body)).not.toContain('"kind":"notification"');
  });

  it('tells the project admins of a new report from the form, once', async () => {
    const report = await client(t.server).post('/api/v1/reports', {
      title: 'A secret new bug',
      description: 'The details.',
      reporter: { name: 'Rea Porter', contact: 'rea@example.org' },
    });
    expect(report.status).toBe(201);
    await fanOutEvents(t.app);
    await fanOutEvents(t.app);
    const mails = await mailsTo('bob@example.org');
    expect(mails).toHaveLength(1);
    expect(mails[0]!.subject).toMatch(/^\[Embargo\] New report EMB-\d{4}-\d+ \([a-z]+(?:-[a-z]+)+\) from the report form$/);
    expect(mails[0]!.body).not.toContain('A secret new bug');
    // Alice is not on its list: nothing for her about it.
    expect((await mailsTo('alice@example.org')).some((m) => m.subject.includes('New report'))).toBe(false);
  });

  it('tells the project admins of a report imported from a mail, once', async () => {
    const imported = await root.post('/api/v1/reports/import', {
      title: 'A bug that came by mail',
      description: 'The mail as the reporter wrote it.',
      sender: { name: 'Mae Lee', address: 'mae@example.org' },
      messageId: '<report-2@example.org>',
    });
    expect(imported.status).toBe(201);
    await fanOutEvents(t.app);
    await fanOutEvents(t.app);
    const mails = (await mailsTo('bob@example.org')).filter((m) => m.subject.includes(imported.body.id));
    expect(mails.map((m) => m.subject)).toEqual([`[Embargo] New report ${imported.body.id} (${imported.body.codename}) from mail`]);
    expect(mails[0]!.body).not.toContain('A bug that came by mail');
  });

  it('tells of a reporter reply and a distributor objection, once each', async () => {
    expect(
      (await alice.put('/api/v1/users/alice/notifications', { mail: { events: ['reporter-reply', 'distributor-objection'] } })).status,
    ).toBe(200);
    const link = (await root.post(`/api/v1/cases/${id}/portal-link`, {})).body;
    const secret = String(link.url ?? link.portalUrl)
      .split('/')
      .pop()!;
    expect(
      (await client(t.server).call('POST', '/api/v1/portal/replies', { body: 'Any news?' }, { 'x-portal-token': secret })).status,
    ).toBeLessThan(300);
    expect((await root.put(`/api/v1/cases/${id}/embargo`, { endsAt: '2026-12-15 17:00', timeZone: 'America/New_York' })).status).toBe(200);
    const member = (await root.post('/api/v1/distributors', { organisation: 'Beta OS', contact: 'psirt@beta.example' })).body.id;
    expect((await root.put(`/api/v1/cases/${id}/acks/${member}`, { answer: 'objection', reason: 'too early' })).status).toBe(200);
    await fanOutEvents(t.app);
    await fanOutEvents(t.app);
    const subjects = (await mailsTo('alice@example.org')).map((m) => m.subject);
    expect(subjects.filter((x) => x.includes('The reporter replied'))).toEqual([
      `[Embargo] The reporter replied on ${id} (${codename}) through the portal`,
    ]);
    expect(subjects.filter((x) => x.includes('objected'))).toEqual([
      `[Embargo] A distributor objected to the disclosure date of ${id} (${codename})`,
    ]);
    const bodies = (await mailsTo('alice@example.org')).map((m) => m.body).join('\n');
    expect(bodies).not.toMatch(/too early|Any news|Beta OS/);
  });

  it('says "embargo over, but 1.32 is not released" by webhook, and only that a line is not released by mail', async () => {
    expect(
      (
        await alice.put('/api/v1/users/alice/notifications', {
          mail: { events: ['embargo-reached'] },
          webhook: { events: ['embargo-reached'] },
        })
      ).status,
    ).toBe(200);
    expect((await root.put(`/api/v1/cases/${id}/release-plan`, { lines: [{ line: '1.32', version: '1.32.4' }] })).status).toBe(200);
    t.setNow('2026-12-15T22:30:00Z'); // 17:30 New York: the embargo is over
    await sweepClocks(t.app);
    await sweepClocks(t.app);
    const mail = (await mailsTo('alice@example.org')).filter((m) => m.subject.includes('embargo over'));
    expect(mail.map((m) => m.subject)).toEqual([`[Embargo] ${id} (${codename}): embargo over, but a release line is not released`]);
    const hook = (await t.app.store.read((db) => listJobs(db, { kind: 'notify.webhook' }))).filter(
      (j) => (j.payload as { notification: { kind: string } }).notification.kind === 'embargo-reached',
    );
    expect(hook).toHaveLength(1);
    expect(notificationWebhookBody((hook[0]!.payload as { notification: Notification }).notification).text).toBe(
      `${id} (${codename}): embargo over, but 1.32 is not released <http://localhost:8080/cases/${id}|open>`,
    );
  });

  it('serves a calendar feed that parses back in the embargo zone, titled by codename, and 404 once revoked', async () => {
    expect((await root.put(`/api/v1/cases/${id}/embargo`, { endsAt: '2026-12-15 17:00', timeZone: 'America/New_York' })).status).toBe(200);
    const planned = await root.put(`/api/v1/cases/${id}/release-plan`, {
      lines: [
        { line: '1.33', version: '1.33.4', plannedAt: '2026-12-14T09:00:00+01:00' },
        { line: '1.32', version: '1.32.6' },
      ],
    });
    expect(planned.status).toBe(200);
    const made = await alice.post('/api/v1/users/alice/calendar-feeds');
    expect(made.status).toBe(201);
    const path = new URL(made.body.url).pathname;
    expect(path).toMatch(/^\/calendar\/cal_[A-Za-z0-9_-]{43}\.ics$/);
    const feed = await t.server.inject({ method: 'GET', url: path });
    expect(feed.statusCode).toBe(200);
    expect(feed.headers['content-type']).toBe('text/calendar; charset=utf-8');
    expect(feed.body).not.toContain(TITLE);

    const cal = new ICAL.Component(ICAL.parse(feed.body));
    for (const tz of cal.getAllSubcomponents('vtimezone')) ICAL.TimezoneService.register(new ICAL.Timezone(tz));
    const events = cal.getAllSubcomponents('vevent').map((v) => new ICAL.Event(v));
    const embargo = events.find((e) => e.summary.startsWith('Embargo ends'));
    expect(embargo?.summary).toBe(`Embargo ends: ${codename} (${id})`);
    expect(embargo?.startDate.zone?.tzid).toBe('America/New_York');
    expect([embargo?.startDate.hour, embargo?.startDate.minute]).toEqual([17, 0]);
    // 17:00 in New York in December is 22:00 UTC.
    expect(embargo?.startDate.toJSDate().toISOString()).toBe('2026-12-15T22:00:00.000Z');
    // The running clocks' deadlines, in the project's zone.
    const triage = events.find((e) => e.summary.startsWith('Due: Triage'));
    expect(triage?.startDate.zone?.tzid).toBe('Europe/Berlin');
    // 5 business days from Friday 2026-12-04 without the holiday: Dec 7, 9, 10, 11, 14 → Tuesday 00:00 Berlin.
    expect(triage?.startDate.toJSDate().toISOString()).toBe('2026-12-14T23:00:00.000Z');

    // A planned release date, in the project's zone; a line without one is not in the calendar.
    const releases = events.filter((e) => e.summary.startsWith('Release planned'));
    expect(releases.map((e) => e.summary)).toEqual([`Release planned: 1.33.4 for ${codename} (${id})`]);
    expect(releases[0]!.startDate.zone?.tzid).toBe('Europe/Berlin');
    expect(releases[0]!.startDate.toJSDate().toISOString()).toBe('2026-12-14T08:00:00.000Z');

    const list = await alice.get('/api/v1/users/alice/calendar-feeds');
    expect(list.body).toEqual([{ id: made.body.id, createdAt: made.body.createdAt, revokedAt: null }]);
    expect((await alice.call('DELETE', `/api/v1/users/alice/calendar-feeds/${made.body.id}`)).status).toBe(204);
    expect((await t.server.inject({ method: 'GET', url: path })).statusCode).toBe(404);
    expect((await t.server.inject({ method: 'GET', url: '/calendar/cal_nope.ics' })).statusCode).toBe(404);
  });

  it('keeps a webhook key readable through a rotation of the secrets key', async () => {
    const before = await t.app.store.read((db) => findUserByUsername(db, 'alice'));
    const sealed = async () => (await t.app.store.read((db) => getNotificationSettings(db, before!.id)))!.webhookSecret!;
    const old = await sealed();
    const rotated = await rotateSecrets(t.app, localActor('test'));
    expect(rotated.rotated).toBeGreaterThanOrEqual(1);
    const now = await sealed();
    expect(now.ciphertext).not.toBe(old.ciphertext);
    expect(secretBox(t.app).open(now, webhookContext(before!.id))).toBe('sixteen-chars-or-more');
  });
});
