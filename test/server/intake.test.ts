/**
 * The public report form: anyone can report without an account; the report becomes a case only the
 * admins see, with the reporter's portal link in the answer; the form is rate-limited per client
 * address and size-limited, and every refusal is a sentence.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app/app.js';
import { configFromEnv } from '../../src/app/config.js';
import { buildServer } from '../../src/server/server.js';
import type { Store } from '../../src/store/store.js';
import { client, userWithToken } from '../support/app.js';
import { storeFactories } from '../support/databases.js';

const PUBLIC_URL = 'https://embargo.example.org';

const report = (overrides: Record<string, unknown> = {}) => ({
  title: 'Header smuggling in the HTTPProxy',
  description: 'A tenant can smuggle a second request through the listener.\n\n1. Create the proxy\n2. Send the request',
  affectedVersions: '1.30.0 up to 1.33.2',
  reporter: { name: 'Ada Reporter', contact: 'ada@example.org', company: 'Acme Corp', credit: 'name-without-company' },
  ...overrides,
});

describe.each(storeFactories())('public report form ($name)', ({ open }) => {
  let store: Store;
  let app: App;
  let server: Awaited<ReturnType<typeof buildServer>>;
  let anyone: ReturnType<typeof client>;
  let admin: ReturnType<typeof client>;
  let member: ReturnType<typeof client>;
  const now = new Date('2026-11-25T10:00:00Z');

  beforeAll(async () => {
    store = await open();
    app = await createApp(store, configFromEnv({ EMBARGO_PUBLIC_URL: PUBLIC_URL }), { clock: () => now });
    server = await buildServer(app, { reportsPerHour: 3 });
    anyone = client(server);
    admin = client(server, (await userWithToken(app, 'root', 'admin')).token);
    member = client(server, (await userWithToken(app, 'alice', 'member')).token);
  });
  afterAll(async () => {
    await server?.close();
    await store?.close();
  });

  it('serves the form page under the strict CSP, its script and style from files', async () => {
    const page = await anyone.get('/report');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.body).toContain('<script type="module" src="/report.js"></script>');
    expect(page.body).not.toMatch(/<script>|<style>|style="/);
    expect(String(page.headers['content-security-policy'])).toContain("script-src 'self'");
    expect((await anyone.get('/report.js')).status).toBe(200);
  });

  let reference: string;
  let portalUrl: string;
  /** The case the reference names, found by it as the team does. */
  let caseId: string;

  it('accepts a report: a case, a confirmation with what happens next, and the portal link once', async () => {
    const res = await anyone.post('/api/v1/reports', report());
    expect(res.status).toBe(201);
    expect(res.headers['cache-control']).toBe('no-store');
    reference = res.body.reference;
    portalUrl = res.body.portalUrl;
    // A keyed hash of the case id: it reveals no count of cases (issue 14, item 9).
    expect(reference).toMatch(/^R-[0-9A-Z]{5}-[0-9A-Z]{5}$/);
    expect(res.body.message).toContain(reference);
    expect(res.body.message).toMatch(/Thank you/);
    expect(res.body.nextSteps.join(' ')).toMatch(/keep the details private/);
    expect(res.body.nextSteps.join(' ')).toMatch(/shown only this once/);
    expect(portalUrl).toMatch(new RegExp(`^${PUBLIC_URL}/portal/rpt_[A-Za-z0-9_-]{43}$`));
    // Nothing internal in the answer.
    expect(Object.keys(res.body).sort()).toEqual(['message', 'nextSteps', 'portalUrl', 'reference']);

    const view = await anyone.call('GET', '/api/v1/portal', undefined, { 'x-portal-token': portalUrl.split('/').pop()! });
    expect(view.status).toBe(200);
    expect(view.body.case).toMatchObject({ reference, title: 'Header smuggling in the HTTPProxy', phase: 'reported' });
    expect(view.body.reporter.credit).toBe('name-without-company');
  });

  it('opens the case as "intake" with the report, for the admins only', async () => {
    caseId = (await admin.get(`/api/v1/cases?q=${reference}`)).body.cases[0].id;
    const c = await admin.get(`/api/v1/cases/${caseId}`);
    expect(c.status).toBe(200);
    expect(c.body).toMatchObject({
      title: 'Header smuggling in the HTTPProxy',
      playbook: 'contour',
      reporter: { name: 'Ada Reporter', contact: 'ada@example.org', company: 'Acme Corp', credit: 'name-without-company' },
    });
    // Issue 13, item 4: the report is kept as sent, apart from the advisory's description, which starts empty.
    expect(c.body.description).toBe('');
    expect(c.body.report).toEqual({
      source: 'form',
      title: 'Header smuggling in the HTTPProxy',
      text: `${report().description}\n\nAffected versions (as reported): 1.30.0 up to 1.33.2`,
      sender: { name: 'Ada Reporter', address: 'ada@example.org' },
      sentAt: now.toISOString(),
      messageId: null,
      attachments: [],
    });
    // Case edits cannot touch it.
    expect((await admin.patch(`/api/v1/cases/${caseId}`, { report: { text: 'x' } })).status).toBe(400);
    const events = (await admin.get(`/api/v1/cases/${caseId}/events`)).body.events as {
      actor: string;
      action: string;
      details: Record<string, unknown>;
    }[];
    const intake = events.filter((e) => e.actor === 'intake').map((e) => e.action);
    expect(intake).toEqual(['case.created', 'report.received', 'portal.link-created']);
    expect(events.find((e) => e.action === 'report.received')?.details).toEqual({
      source: 'form',
      reportedAt: now.toISOString(),
      affectedVersions: '1.30.0 up to 1.33.2',
    });
    // The reporter's name and contact stay out of the log; nobody got access.
    const log = JSON.stringify(events);
    expect(log).not.toContain('ada@example.org');
    expect(log).not.toContain('access.granted');

    expect((await admin.get('/api/v1/cases')).body.cases.map((k: { id: string }) => k.id)).toContain(caseId);
    expect((await member.get('/api/v1/cases')).body.cases.map((k: { id: string }) => k.id)).not.toContain(caseId);
    expect((await member.get(`/api/v1/cases/${caseId}`)).status).toBe(404);
  });

  it('refuses missing and malformed fields with a sentence (400)', async () => {
    const cases: [unknown, RegExp][] = [
      [report({ title: undefined }), /title/],
      [report({ description: '   ' }), /description/],
      [report({ reporter: { name: 'Ada' } }), /contact/],
      [report({ reporter: undefined }), /reporter/],
      [report({ title: 'x'.repeat(201) }), /title/],
      [report({ isAdmin: true }), /additional properties/],
      [report({ reporter: { name: 'Ada', contact: 'a@example.org', credit: 'famous' } }), /credit/],
    ];
    for (const [body, message] of cases) {
      const res = await anyone.post('/api/v1/reports', body);
      expect(res.status, JSON.stringify(body).slice(0, 80)).toBe(400);
      expect(res.body.error.message).toMatch(message);
    }
  });

  it('refuses an oversized body with 413 and a sentence', async () => {
    const res = await anyone.post('/api/v1/reports', report({ description: 'A'.repeat(70 * 1024) }));
    expect(res.status).toBe(413);
    expect(res.body.error.message).toBe('the request body is too large');
    // Under the body limit but over the field's length: 400, naming the field.
    const long = await anyone.post('/api/v1/reports', report({ description: 'A'.repeat(15_001) }));
    expect(long.status).toBe(400);
    expect(long.body.error.message).toMatch(/description/);
  });

  it('limits reports per client address per hour (429), counting only reports that were well-formed', async () => {
    // One accepted above; the refused ones did not count. Two more fit in the hour (limit 3).
    expect((await anyone.post('/api/v1/reports', report({ title: 'Second' }))).status).toBe(201);
    expect((await anyone.post('/api/v1/reports', report({ title: 'Third' }))).status).toBe(201);
    const limited = await anyone.post('/api/v1/reports', report({ title: 'Fourth' }));
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe('rate_limited');
    expect(limited.body.error.message).toMatch(/^Too many reports from your address/);
    expect((await admin.get('/api/v1/cases?q=Fourth')).body.cases).toEqual([]);
    // Signed-in work is not affected by the form's limit.
    expect((await admin.post('/api/v1/cases', { title: 'Opened by the team' })).status).toBe(201);
  });

  it('lets a member import a mailed report; the member then sees that case', async () => {
    const res = await member.post('/api/v1/reports/import', {
      title: 'XSS in the dashboard',
      description: 'The dashboard renders the name unescaped.',
      reporter: { name: 'Bob', contact: 'bob@builder.example' },
      reportedAt: '2026-11-24T08:30:00.000Z',
      messageId: '<abc@builder.example>',
      attachments: ['poc.html'],
      sender: { name: 'Forwarder', address: 'fwd@builder.example' },
    });
    expect(res.status).toBe(201);
    expect(res.body.description).toBe('');
    expect(res.body.report).toEqual({
      source: 'mail',
      title: 'XSS in the dashboard',
      text: 'The dashboard renders the name unescaped.',
      sender: { name: 'Forwarder', address: 'fwd@builder.example' },
      sentAt: '2026-11-24T08:30:00.000Z',
      messageId: '<abc@builder.example>',
      attachments: ['poc.html'],
    });
    expect((await member.get(`/api/v1/cases/${res.body.id}`)).status).toBe(200);
    const events = (await member.get(`/api/v1/cases/${res.body.id}/events`)).body.events as {
      action: string;
      details: Record<string, unknown>;
    }[];
    expect(events.find((e) => e.action === 'report.received')?.details).toEqual({
      source: 'mail',
      reportedAt: '2026-11-24T08:30:00.000Z',
      messageId: '<abc@builder.example>',
      attachments: ['poc.html'],
    });
    expect((await anyone.post('/api/v1/reports/import', { title: 'x', description: 'y' })).status).toBe(401);
    expect((await member.post('/api/v1/reports/import', { title: 'x', description: 'y', reportedAt: 'last week' })).status).toBe(400);
  });
});
