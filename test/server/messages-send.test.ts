/**
 * Sending the checklist's mails from a case, over the API, on every database, through a REAL SMTP
 * server (the worker's deliverDueMessages) with what arrived parsed by mailparser: exact recipients
 * and headers, the embargo note last; the lint refuses a leaky edit and nothing is queued; the same
 * request twice is one mail; a step's message gate refuses until its mail is queued.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ICAL from 'ical.js';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { localActor } from '../../src/app/actor.js';
import { createApp } from '../../src/app/app.js';
import { createCase, editCase, completeStep, setEmbargo, planRelease } from '../../src/app/cases.js';
import { configFromEnv } from '../../src/app/config.js';
import { sendMessage } from '../../src/app/messages.js';
import { addProject, editProject } from '../../src/app/projects.js';
import { createSmtpTransport, parseSmtpUrl } from '../../src/integrations/mail/smtp.js';
import type { MailTransport } from '../../src/integrations/mail/transport.js';
import { deliverDueMessages } from '../../src/app/outbox-delivery.js';
import { listMessages } from '../../src/store/outbox.js';
import { client, details, startApp, userWithToken, type TestApp } from '../support/app.js';
import { storeFactories } from '../support/databases.js';
import { startSmtp, type TestSmtp } from '../support/smtp.js';

const LIST = 'cncf-contour-distributors-announce@lists.cncf.io';
const TEAM = 'cncf-contour-maintainers@lists.cncf.io';
const contourYaml = readFileSync(new URL('../../playbooks/contour.yaml', import.meta.url), 'utf8');
const NOTE = /embargoNote: \|-\n((?: {4}.*\n|\n)+)/
  .exec(contourYaml)![1]!
  .split('\n')
  .map((l) => l.slice(4))
  .join('\n')
  .trim();

describe.each(storeFactories())('sending mails from a case ($name)', ({ open }) => {
  let t: TestApp;
  let smtp: TestSmtp;
  let transport: MailTransport;
  let alice: ReturnType<typeof client>;
  let mallory: ReturnType<typeof client>;

  beforeAll(async () => {
    t = await startApp(open, '2026-11-25T10:00:00Z');
    alice = client(t.server, (await userWithToken(t.app, 'alice')).token);
    mallory = client(t.server, (await userWithToken(t.app, 'mallory')).token);
  });
  afterAll(() => t.close());
  beforeEach(async () => {
    smtp = await startSmtp();
    transport = createSmtpTransport({ ...parseSmtpUrl(smtp.url), timeoutMs: 5_000 });
  });
  afterEach(async () => {
    transport.close();
    await smtp.close();
  });

  const deliver = () =>
    deliverDueMessages({ store: t.app.store, transport, workerId: 'w1', clock: t.app.clock, baseBackoffMs: 60_000, maxAttempts: 3 });

  /** A case with everything the distributors notice needs. */
  async function readyCase(): Promise<string> {
    const res = await alice.post('/api/v1/cases', {
      title: 'HTTPProxy include crosses namespaces',
      reporter: { name: 'Ada Reporter', contact: 'ada@example.org', company: 'ACME', credit: 'name-without-company' },
    });
    const id = res.body.id as string;
    expect(
      (
        await alice.patch(`/api/v1/cases/${id}`, {
          description: 'An HTTPProxy in one namespace can route to a Service in another namespace.',
          workarounds: 'Restrict who may create HTTPProxy resources that use includes.',
          affected: [{ introduced: '1.20.0', fixed: '1.28.2' }],
          cvss: ['CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:H/I:H/A:N'],
          cwe: ['CWE-284'],
          ghsaId: 'GHSA-x4mj-7f9g-29h4',
          cveId: 'CVE-2026-41246',
        })
      ).status,
    ).toBe(200);
    await alice.put(`/api/v1/cases/${id}/release-plan`, {
      lines: [
        { line: '1.28', version: '1.28.2' },
        { line: '1.27', version: '1.27.4' },
      ],
    });
    await alice.put(`/api/v1/cases/${id}/embargo`, { endsAt: '2026-12-01 17:00', timeZone: 'Europe/Berlin' });
    return id;
  }

  const events = async (id: string) =>
    (await alice.get(`/api/v1/cases/${id}/events`)).body.events as { action: string; details: Record<string, unknown> }[];

  it('drafts the notice with its findings, as an audited read, and hides it from outsiders', async () => {
    const id = await readyCase();
    const draft = await alice.get(`/api/v1/cases/${id}/messages/draft?kind=distributors-notice`);
    expect(draft.status).toBe(200);
    expect(draft.body).toMatchObject({ ok: true, findings: [], message: { kind: 'distributors-notice', from: TEAM, to: [LIST] } });
    expect(draft.body.message.body).not.toContain('CVE-2026-41246');
    expect((await events(id)).some((e) => e.action === 'case.read' && e.details.what === 'draft of distributors-notice')).toBe(true);
    expect((await mallory.get(`/api/v1/cases/${id}/messages/draft?kind=distributors-notice`)).status).toBe(404);
    // Without a kind: the mail the checklist waits for next.
    expect((await alice.get(`/api/v1/cases/${id}/messages/draft`)).body.message).toMatchObject({
      kind: 'reporter-ack',
      to: ['ada@example.org'],
    });
    const bad = await alice.get(`/api/v1/cases/${id}/messages/draft?kind=distributor-notice`);
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/^kind must be one of reporter-ack, /);
  });

  it('queues the notice, delivers it over SMTP to exactly the list, with the embargo note last', async () => {
    const id = await readyCase();
    const res = await alice.post(`/api/v1/cases/${id}/messages`, { kind: 'distributors-notice' });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({
      created: true,
      message: { kind: 'distributors-notice', status: 'queued', from: TEAM, to: [LIST], caseId: id },
    });
    const messageId = res.body.message.id as string;

    const queued = (await alice.get(`/api/v1/cases/${id}`)).body;
    expect(queued.messages).toEqual([
      {
        kind: 'distributors-notice',
        outboxId: messageId,
        at: '2026-11-25T10:00:00.000Z',
        by: 'alice',
        status: 'queued',
        // The date the notice gives: once the embargo moves, a new notice is needed (issue 13, item 5).
        embargo: { endsAt: '2026-12-01T16:00:00.000Z', timeZone: 'Europe/Berlin' },
      },
    ]);
    const event = (await events(id)).find((e) => e.action === 'message.queued')!;
    expect(event.details).toMatchObject({
      kind: 'distributors-notice',
      to: [LIST],
      messageId,
      via: 'smtp',
      subject: res.body.message.subject,
    });
    expect(JSON.stringify(event.details)).not.toContain('namespace can route');

    expect(await deliver()).toMatchObject({ sent: 1, failed: 0 });
    expect(smtp.received).toHaveLength(1);
    const [mail] = smtp.received;
    expect(mail!.envelope).toEqual({ from: TEAM, to: [LIST] });
    expect(mail!.parsed.from?.value.map((a) => a.address)).toEqual([TEAM]);
    expect(mail!.parsed.to && !Array.isArray(mail!.parsed.to) ? mail!.parsed.to.value.map((a) => a.address) : null).toEqual([LIST]);
    expect(mail!.parsed.cc).toBeUndefined();
    expect(mail!.parsed.subject).toBe('#security Upcoming Contour security release 1.28.2 and 1.27.4');
    expect(mail!.parsed.messageId).toBe(res.body.message.messageId);
    const text = (mail!.parsed.text ?? '').replace(/\r\n/g, '\n').trimEnd();
    expect(text.endsWith(NOTE)).toBe(true);
    expect(text).toContain('## Known attack vectors');
    expect(text).toContain('2026-12-01 17:00 Europe/Berlin (16:00 UTC)');
    expect(text).not.toMatch(/CVE-2026|GHSA-/);
    // The disclosure time rides along as disclosure.ics, in the agreed zone (parsed back with ical.js).
    const ics = mail!.parsed.attachments.find((a) => a.filename === 'disclosure.ics');
    expect(ics?.contentType).toBe('text/calendar');
    const cal = new ICAL.Component(ICAL.parse(ics!.content.toString('utf8')));
    for (const tz of cal.getAllSubcomponents('vtimezone')) ICAL.TimezoneService.register(new ICAL.Timezone(tz));
    const disclosure = new ICAL.Event(cal.getFirstSubcomponent('vevent')!);
    expect(disclosure.startDate.zone?.tzid).toBe('Europe/Berlin');
    expect([disclosure.startDate.hour, disclosure.startDate.minute]).toEqual([17, 0]);
    expect(disclosure.startDate.toJSDate().toISOString()).toBe('2026-12-01T16:00:00.000Z');
    expect(disclosure.summary).toBe('Contour security disclosure: the embargo ends');
    expect(ics!.content.toString('utf8')).not.toMatch(/CVE-2026|GHSA-|namespace can route/);

    // The case sees the outbox's status now.
    expect((await alice.get(`/api/v1/cases/${id}`)).body.messages[0].status).toBe('sent');
    expect((await alice.get(`/api/v1/messages/${messageId}`)).body).toMatchObject({ status: 'sent', sentBy: 'worker:w1' });
    expect((await mallory.get(`/api/v1/messages/${messageId}`)).status).toBe(404);
  });

  it("threads the reporter's mails under the report's Message-ID; list mails stay unthreaded (issue 13, item 8)", async () => {
    const reportId = '<CAF3x9q+report-1@mail.example.org>';
    const ada = { name: 'Ada Reporter', contact: 'ada@example.org' };
    const imported = await alice.post('/api/v1/reports/import', {
      title: 'Smuggling',
      description: 'A second request.',
      reporter: ada,
      messageId: reportId,
    });
    expect(imported.status).toBe(201);
    const sent = await alice.post(`/api/v1/cases/${imported.body.id}/messages`, { kind: 'reporter-ack' });
    expect(sent.status, JSON.stringify(sent.body)).toBe(201);
    const before = smtp.received.length;
    expect(await deliver()).toMatchObject({ sent: 1 });
    const mail = smtp.received.slice(before).find((r) => r.parsed.messageId === sent.body.message.messageId)!;
    expect(mail.parsed.subject).toMatch(/^Re: /);
    expect(mail.parsed.inReplyTo).toBe(reportId);
    expect(mail.parsed.references).toBe(reportId);
    // A case the team opened by hand has no report to answer: no threading headers.
    const byHand = await readyCase();
    const ack = await alice.post(`/api/v1/cases/${byHand}/messages`, { kind: 'reporter-ack' });
    const n = smtp.received.length;
    await deliver();
    const plain = smtp.received.slice(n).find((r) => r.parsed.messageId === ack.body.message.messageId)!;
    expect(plain.parsed.inReplyTo).toBeUndefined();
  });

  it('queues the same request once: a double click is one message, a changed text is another', async () => {
    const id = await readyCase();
    const first = await alice.post(`/api/v1/cases/${id}/messages`, { kind: 'reporter-ack' });
    const again = await alice.post(`/api/v1/cases/${id}/messages`, { kind: 'reporter-ack' });
    expect(first.status).toBe(201);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ created: false, message: { id: first.body.message.id } });
    expect((await alice.get(`/api/v1/cases/${id}/messages`)).body.messages).toHaveLength(1);
    expect((await events(id)).filter((e) => e.action === 'message.queued')).toHaveLength(1);

    const edited = await alice.post(`/api/v1/cases/${id}/messages`, {
      kind: 'reporter-ack',
      body: `${first.body.message.body}\n\nP.S. We will call you.`,
    });
    expect(edited.status).toBe(201);
    expect(edited.body.message.id).not.toBe(first.body.message.id);
    expect(await deliver()).toMatchObject({ sent: 2 });
    expect(smtp.received.map((r) => r.envelope.to)).toEqual([['ada@example.org'], ['ada@example.org']]);
    expect(smtp.received.map((r) => r.parsed.messageId).sort()).toEqual(
      [first.body.message.messageId, edited.body.message.messageId].sort(),
    );
  });

  it('refuses an edited notice with a CVE id (422, line:column), and queues nothing', async () => {
    const id = await readyCase();
    const draft = (await alice.get(`/api/v1/cases/${id}/messages/draft?kind=distributors-notice`)).body.message;
    const leaky = draft.body.replace('An HTTPProxy in one namespace', 'CVE-2026-41246: an HTTPProxy in one namespace');
    const revision = (await alice.get(`/api/v1/cases/${id}`)).body.revision;
    const res = await alice.post(`/api/v1/cases/${id}/messages`, { kind: 'distributors-notice', subject: draft.subject, body: leaky });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('gate_failed');
    expect(res.body.error.message).toBe('the embargoed distributors notice was not queued: the lint found 1 error');
    const line = leaky.split('\n').findIndex((l: string) => l.startsWith('CVE-2026-41246')) + 1;
    expect(res.body.error.details.unmet).toEqual([
      expect.stringMatching(new RegExp(`^body ${line}:1: \\[embargoed-id\\] "CVE-2026-41246" is the CVE id`)),
    ]);
    expect(res.body.error.details.findings[0]).toMatchObject({ rule: 'embargoed-id', part: 'body', line, column: 1 });
    // A look-alike recipient is refused the same way.
    const typo = await alice.post(`/api/v1/cases/${id}/messages`, {
      kind: 'distributors-notice',
      to: [LIST.replace('lists.cncf.io', 'lists.cncf.com')],
    });
    expect(typo.status).toBe(422);
    expect(typo.body.error.details.unmet[0]).toMatch(/^recipients: \[recipient-lookalike\]/);
    // Nothing was queued or recorded.
    expect((await alice.get(`/api/v1/cases/${id}/messages`)).body.messages).toEqual([]);
    expect((await alice.get(`/api/v1/cases/${id}`)).body).toMatchObject({ revision, messages: [] });
    expect((await events(id)).some((e) => e.action === 'message.queued')).toBe(false);
    expect(await t.app.store.read((db) => listMessages(db, { caseId: id }))).toEqual([]);
  });

  it('refuses a mail meant for after publication while the advisory is not published', async () => {
    const id = await readyCase();
    const res = await alice.post(`/api/v1/cases/${id}/messages`, { kind: 'users-announcement' });
    expect(res.status).toBe(422);
    expect(res.body.error.details.findings.map((f: { rule: string }) => f.rule)).toContain('not-published');
    await alice.patch(`/api/v1/cases/${id}`, { publishedAt: '2026-11-25T09:00:00Z' });
    const after = await alice.post(`/api/v1/cases/${id}/messages`, { kind: 'users-announcement' });
    expect(after.status, JSON.stringify(after.body)).toBe(201);
    expect(after.body.message.body).toContain('CVE-2026-41246');
    expect(await deliver()).toMatchObject({ sent: 1 });
    expect(smtp.received.map((r) => r.envelope.to)).toEqual([['cncf-contour-users@lists.cncf.io']]);
  });

  it("holds triage until the reporter's acknowledgement is queued; a failed one reopens the gate until retried", async () => {
    const id = await readyCase();
    expect((await alice.post(`/api/v1/cases/${id}/steps/report/done`, {})).status).toBe(200);
    const refused = await alice.post(`/api/v1/cases/${id}/steps/triage/done`, {});
    expect(refused.status).toBe(409);
    expect(refused.body.error.details.unmet).toEqual(['the acknowledgement to the reporter is not sent yet (kind reporter-ack)']);

    const sent = await alice.post(`/api/v1/cases/${id}/messages`, { kind: 'reporter-ack' });
    const messageId = sent.body.message.id as string;
    smtp.faults.push({ at: 'data', code: 554, message: 'rejected by test' });
    expect(await deliver()).toMatchObject({ failed: 1 });
    const failed = await alice.post(`/api/v1/cases/${id}/steps/triage/done`, {});
    expect(failed.status).toBe(409);
    expect(failed.body.error.details.unmet).toEqual([
      `the acknowledgement to the reporter failed to send; retry it (message ${messageId}) or send it again`,
    ]);

    expect((await alice.post(`/api/v1/messages/${messageId}/retry`)).status).toBe(200);
    const done = await alice.post(`/api/v1/cases/${id}/steps/triage/done`, {});
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect(await deliver()).toMatchObject({ sent: 1 });
    expect(smtp.received.map((r) => r.envelope.to)).toEqual([['ada@example.org']]);
  });

  it('takes the web-interface path: queued as copied, never sent by the worker, then marked sent', async () => {
    const id = await readyCase();
    const res = await alice.post(`/api/v1/cases/${id}/messages`, { kind: 'distributors-notice', via: 'copy' });
    expect(res.status).toBe(201);
    expect(res.body.message.status).toBe('copied');
    expect(await deliver()).toMatchObject({ sent: 0 });
    expect(smtp.received).toEqual([]);
    const copy = await alice.post(`/api/v1/messages/${res.body.message.id}/copy`);
    expect(copy.body).toMatchObject({ from: TEAM, to: [LIST], subject: res.body.message.subject });
    expect((await alice.post(`/api/v1/messages/${res.body.message.id}/mark-sent`, {})).body.status).toBe('sent');
    expect((await alice.get(`/api/v1/cases/${id}`)).body.messages.map((m: { status: string }) => m.status)).toEqual(['sent']);
    expect((await events(id)).find((e) => e.action === 'message.queued')!.details.via).toBe('copy');
  });

  it('refuses outsiders and bad requests with a sentence', async () => {
    const id = await readyCase();
    expect((await mallory.post(`/api/v1/cases/${id}/messages`, { kind: 'reporter-ack' })).status).toBe(404);
    expect((await alice.post(`/api/v1/cases/${id}/messages`, { kind: 'nope' })).status).toBe(400);
    expect((await alice.post(`/api/v1/cases/${id}/messages`, { kind: 'reporter-ack', via: 'pigeon' })).status).toBe(400);
    const twoLines = await alice.post(`/api/v1/cases/${id}/messages`, { kind: 'reporter-ack', subject: 'Re: one\nBcc: evil@example.org' });
    expect(twoLines.status).toBe(400);
    expect(twoLines.body.error.message).toBe('subject must be one line');
  });
});

describe.each(storeFactories())("a project's own templates and From address ($name)", ({ open }) => {
  const dir = mkdtempSync(join(tmpdir(), 'embargo-playbooks-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const admin = localActor('test');

  it('renders the override from EMBARGO_PLAYBOOKS_DIR, sends it From EMBARGO_MAIL_FROM, and names a missing From', async () => {
    writeFileSync(
      join(dir, 'contour.yaml'),
      `${contourYaml.trimEnd()}\n\ntemplates:\n  reporter-ack:\n    subject: 'Thanks, {{reporterName}} ({{caseId}})'\n    body: |\n      Hi {{reporterName}},\n\n      we have your report about "{{title}}".\n\n      {{signature}}\n`,
    );
    writeFileSync(join(dir, 'quiet.yaml'), contourYaml.replace('id: contour', 'id: quiet').replace(/^ {2}securityContact: .*\n/m, ''));
    const store = await open();
    const smtp = await startSmtp();
    const transport = createSmtpTransport({ ...parseSmtpUrl(smtp.url), timeoutMs: 5_000 });
    try {
      const now = new Date('2026-11-25T10:00:00Z');
      const app = await createApp(
        store,
        { ...configFromEnv({}), playbooksDir: dir, mailFrom: 'security@projectcontour.io' },
        { clock: () => now },
      );
      const reporter = { name: 'Ada', contact: 'ada@example.org' };
      const c = await createCase(app, admin, { title: 'Route leak', reporter });
      const sent = details(await sendMessage(app, admin, c.id, 'reporter-ack'));
      expect(sent.message).toMatchObject({ from: 'security@projectcontour.io', to: ['ada@example.org'], subject: `Thanks, Ada (${c.id})` });
      await deliverDueMessages({ store, transport, clock: () => now });
      expect(smtp.received).toHaveLength(1);
      expect(smtp.received[0]!.envelope.from).toBe('security@projectcontour.io');
      expect((smtp.received[0]!.parsed.text ?? '').trimEnd()).toBe(
        `Hi Ada,\n\nwe have your report about "Route leak".\n\nThe Contour Security Team\n${TEAM}`,
      );

      // Without EMBARGO_MAIL_FROM the playbook's security contact is the From; with neither, a clear no.
      const bare = await createApp(store, { ...configFromEnv({}), playbooksDir: dir }, { clock: () => now });
      await addProject(bare, admin, { id: 'quiet', name: 'Quiet', playbook: 'quiet' });
      const quiet = await createCase(bare, admin, { title: 'Quiet', reporter, project: 'quiet' });
      await expect(sendMessage(bare, admin, quiet.id, 'reporter-ack')).rejects.toThrow(
        "no From address: set the project's mailFrom or securityContact (embargo project edit), or EMBARGO_MAIL_FROM",
      );
      expect(await store.read((db) => listMessages(db, { caseId: quiet.id }))).toEqual([]);
      // The project's own From wins over EMBARGO_MAIL_FROM and the security contact.
      await editProject(bare, admin, 'quiet', { settings: { mailFrom: 'psirt@quiet.example' } });
      const fromProject = details(await sendMessage(bare, admin, quiet.id, 'reporter-ack'));
      expect(fromProject.message).toMatchObject({ from: 'psirt@quiet.example', to: ['ada@example.org'] });
    } finally {
      transport.close();
      await smtp.close();
      await store.close();
    }
  });

  it('opens the step once its mail is queued, in the same app the CLI uses', async () => {
    const store = await open();
    try {
      const now = new Date('2026-11-25T10:00:00Z');
      const app = await createApp(store, configFromEnv({}), { clock: () => now });
      const c = await createCase(app, admin, { title: 'Route leak', reporter: { name: 'Ada', contact: 'ada@example.org' } });
      await completeStep(app, admin, c.id, 'report');
      await editCase(app, admin, c.id, { affected: [{ introduced: '1.20.0', fixed: '1.28.2' }] });
      await planRelease(app, admin, c.id, [{ line: '1.28', version: '1.28.2' }]);
      await setEmbargo(app, admin, c.id, { endsAt: '2026-12-01 17:00', timeZone: 'Europe/Berlin' });
      await expect(completeStep(app, admin, c.id, 'triage')).rejects.toMatchObject({ code: 'gate_failed' });
      await sendMessage(app, admin, c.id, 'reporter-ack', { via: 'copy' });
      const done = details(await completeStep(app, admin, c.id, 'triage'));
      expect(done.steps.triage?.status).toBe('done');
      expect(done.messages).toEqual([expect.objectContaining({ kind: 'reporter-ack', status: 'copied', by: 'local:test' })]);
    } finally {
      await store.close();
    }
  });
});
