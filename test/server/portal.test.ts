/**
 * The reporter portal, end to end over real HTTP: the team issues a link; an outsider holding only
 * that link sees the status, the disclosure date and the mails meant for the reporter — and nothing
 * else of the case — replies and sets their credit; revoked, replaced, expired and guessed links all
 * get the same 404; the secret is neither in the database nor in the request log.
 */
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app/app.js';
import { configFromEnv } from '../../src/app/config.js';
import { secretHash } from '../../src/app/secrets.js';
import { buildServer } from '../../src/server/server.js';
import { enqueueMessage, markCopied, markMessageSent } from '../../src/store/outbox.js';
import type { Store } from '../../src/store/store.js';
import { client, userWithToken } from '../support/app.js';
import { storeFactories } from '../support/databases.js';

const PUBLIC_URL = 'https://embargo.example.org';
const NOT_FOUND = 'This portal link is unknown, revoked or expired. Ask the security team for a new one.';
const GHSA = 'GHSA-x4mj-7f9g-29h4';
const CVE = 'CVE-2026-41246';

describe.each(storeFactories())('reporter portal ($name)', ({ open }) => {
  let store: Store;
  let app: App;
  let server: Awaited<ReturnType<typeof buildServer>>;
  let base: string;
  let now = new Date('2026-11-25T10:00:00Z');
  const logLines: string[] = [];
  let admin: ReturnType<typeof client>;
  let alice: ReturnType<typeof client>;
  let mallory: ReturnType<typeof client>;
  let kase: { id: string; codename: string; title: string };
  let secret: string;

  /** The outsider: plain fetch, no cookie, no token — only what the link gives. */
  const portal = async (method: string, path: string, secretValue: string | undefined, body?: unknown) => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: {
        accept: 'application/json',
        ...(secretValue === undefined ? {} : { 'x-portal-token': secretValue }),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, text, body: text ? JSON.parse(text) : null, headers: res.headers };
  };

  const enqueueSent = (kind: string, to: string, subject: string, body: string) =>
    store.write(async (tx) => {
      const { message } = await enqueueMessage(tx, {
        caseId: kase.id,
        kind,
        idempotencyKey: `${kind}:${kase.id}:${subject}`,
        from: 'cncf-contour-maintainers@lists.cncf.io',
        to: [to],
        subject,
        body,
        createdBy: 'root',
        now,
      });
      await markCopied(tx, message.id);
      return markMessageSent(tx, message.id, 'root', now);
    });

  beforeAll(async () => {
    store = await open();
    app = await createApp(store, configFromEnv({ EMBARGO_PUBLIC_URL: PUBLIC_URL }), { clock: () => now });
    const stream = new Writable({
      write(chunk, _enc, done) {
        logLines.push(String(chunk));
        done();
      },
    });
    server = await buildServer(app, { logger: { level: 'info', stream } });
    await server.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(server.server.address() as AddressInfo).port}`;
    admin = client(server, (await userWithToken(app, 'root', 'admin')).token);
    alice = client(server, (await userWithToken(app, 'alice', 'member')).token);
    mallory = client(server, (await userWithToken(app, 'mallory', 'member')).token);

    // A mailed report, so the case keeps the reporter's own text (issue 13, item 4).
    const created = await admin.post('/api/v1/reports/import', {
      title: 'Header smuggling in the HTTPProxy',
      description: `Smuggling (${CVE}) through the listener. Please credit me as Ada.`,
      reporter: { name: 'Ada Reporter', contact: 'ada@example.org', company: 'Acme Corp' },
    });
    expect(created.status).toBe(201);
    kase = created.body;
    expect(
      (
        await admin.patch(`/api/v1/cases/${kase.id}`, {
          ghsaId: GHSA,
          cveId: CVE,
          description: `The team's advisory text: smuggling through ${kase.codename}.`,
        })
      ).status,
    ).toBe(200);
    expect((await admin.put(`/api/v1/cases/${kase.id}/embargo`, { endsAt: '2026-12-08 17:00', timeZone: 'Europe/Berlin' })).status).toBe(
      200,
    );
    expect((await admin.put(`/api/v1/cases/${kase.id}/access/alice`)).status).toBe(200);
    await enqueueSent(
      'reporter-ack',
      'ada@example.org',
      'Your report to the Contour security team',
      'Hello Ada,\n\nthank you for your report.',
    );
    await enqueueSent(
      'distributors-notice',
      'cncf-contour-distributors-announce@lists.cncf.io',
      'Embargoed: upcoming Contour security release',
      'Distributors only: patch on 2026-12-08.',
    );
    // A reporter mail that has not gone out yet is not shown either.
    await store.write((tx) =>
      enqueueMessage(tx, {
        caseId: kase.id,
        kind: 'reporter-draft-created',
        idempotencyKey: `draft:${kase.id}`,
        from: 'a@example.org',
        to: ['ada@example.org'],
        subject: 'Still queued',
        body: 'not yet',
        createdBy: 'root',
        now,
      }),
    );

    const link = await admin.post(`/api/v1/cases/${kase.id}/portal-link`, {});
    expect(link.status).toBe(201);
    expect(link.body.url).toMatch(new RegExp(`^${PUBLIC_URL}/portal/rpt_[A-Za-z0-9_-]{43}$`));
    expect(link.body.expiresAt).toBeNull();
    secret = link.body.url.split('/').pop();
  });
  afterAll(async () => {
    await server?.close();
    await store?.close();
  });

  it('shows the outsider with the link the status, the date and the reporter mail — nothing else', async () => {
    const res = await portal('GET', '/api/v1/portal', secret);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const view = res.body;
    expect(view.case).toMatchObject({ title: kase.title, phase: 'reported', published: false });
    // The reporter's reference, not the case id: ids are sequential (issue 14, item 9).
    expect(view.case.reference).toMatch(/^R-[0-9A-Z]{5}-[0-9A-Z]{5}$/);
    expect(view.case.status).toMatch(/arrived/);
    expect(view.disclosure).toEqual({
      at: '2026-12-08T16:00:00.000Z',
      timeZone: 'Europe/Berlin',
      local: '2026-12-08 17:00 Europe/Berlin',
      agreed: false,
    });
    expect(view.reporter).toEqual({ name: 'Ada Reporter', company: 'Acme Corp', credit: 'named' });
    expect(view.messages).toEqual([
      { subject: 'Your report to the Contour security team', body: 'Hello Ada,\n\nthank you for your report.', sentAt: now.toISOString() },
    ]);
    // Ids before publication and the codename are withheld even from the reporter's own text.
    // The reporter's own report, never the team's advisory text; ids withheld even there until publication.
    expect(view.case.description).toBe('Smuggling ([withheld]) through the listener. Please credit me as Ada.');
    expect(JSON.stringify(view)).not.toContain("The team's advisory text");
    for (const hidden of [
      kase.codename,
      'alice',
      'root',
      'Embargoed: upcoming',
      'Distributors only',
      'Still queued',
      GHSA,
      CVE,
      'ada@example.org',
      'case.read',
      'steps',
      'severity',
      'access',
    ]) {
      expect(res.text, `the portal leaks "${hidden}"`).not.toContain(hidden);
    }
  });

  it('says when the disclosure date is agreed, without saying who objected', async () => {
    const agreed = await admin.post(`/api/v1/cases/${kase.id}/embargo/agree`);
    expect(agreed.status).toBe(200);
    const res = await portal('GET', '/api/v1/portal', secret);
    expect(res.body.disclosure).toMatchObject({ local: '2026-12-08 17:00 Europe/Berlin', agreed: true });
    expect(res.text).not.toMatch(/objected|notAnswered|agreedBy/);
  });

  it('serves the page at the link with a strict CSP and no inline script', async () => {
    const page = await fetch(`${base}/portal/${secret}`, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('<script type="module" src="/portal.js"></script>');
    expect(html).not.toMatch(/<script>|<style>|style="/);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    for (const asset of ['/portal.js', '/portal.css', '/app.css']) expect((await fetch(`${base}${asset}`)).status).toBe(200);
    // An unknown link: a browser gets the page (its script shows the sentence), other clients JSON.
    expect((await fetch(`${base}/portal/rpt_${'B'.repeat(43)}`, { headers: { accept: 'text/html' } })).status).toBe(404);
    const json = await portal('GET', `/portal/rpt_${'B'.repeat(43)}`, undefined);
    expect(json.status).toBe(404);
    expect(json.body.error.message).toBe(NOT_FOUND);
  });

  it('takes a reply the team reads (audited), and refuses an empty or oversized one', async () => {
    const sent = await portal('POST', '/api/v1/portal/replies', secret, { body: '  I can also reproduce it on 1.32.1.\r\nThanks!  ' });
    expect(sent.status).toBe(201);
    expect(sent.body.body).toBe('I can also reproduce it on 1.32.1.\nThanks!');
    expect((await portal('POST', '/api/v1/portal/replies', secret, { body: '   ' })).status).toBe(400);
    const big = await portal('POST', '/api/v1/portal/replies', secret, { body: 'x'.repeat(10_001) });
    expect(big.status).toBe(400);
    expect(big.body.error.message).toMatch(/body/);

    const seen = await portal('GET', '/api/v1/portal', secret);
    expect(seen.body.replies.map((r: { body: string }) => r.body)).toEqual(['I can also reproduce it on 1.32.1.\nThanks!']);

    const team = await alice.get(`/api/v1/cases/${kase.id}/replies`);
    expect(team.status).toBe(200);
    expect(team.body.replies).toEqual([{ id: sent.body.id, body: 'I can also reproduce it on 1.32.1.\nThanks!', at: now.toISOString() }]);
    expect((await mallory.get(`/api/v1/cases/${kase.id}/replies`)).status).toBe(404);
  });

  it("sets the reporter's credit through editCase, as the reporter, in the case and its events", async () => {
    const res = await portal('PUT', '/api/v1/portal/credit', secret, { credit: 'name-without-company' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ name: 'Ada Reporter', company: 'Acme Corp', credit: 'name-without-company' });
    expect((await portal('PUT', '/api/v1/portal/credit', secret, { credit: 'famous' })).status).toBe(400);

    const c = await admin.get(`/api/v1/cases/${kase.id}`);
    expect(c.body.reporter).toEqual({
      name: 'Ada Reporter',
      contact: 'ada@example.org',
      company: 'Acme Corp',
      credit: 'name-without-company',
    });
    const events = (await admin.get(`/api/v1/cases/${kase.id}/events`)).body.events as {
      actor: string;
      action: string;
      details: Record<string, unknown>;
    }[];
    expect(events).toContainEqual(
      expect.objectContaining({
        actor: 'reporter',
        action: 'case.edited',
        details: { changed: { reporter: { credit: 'name-without-company' } } },
      }),
    );
    expect(events).toContainEqual(expect.objectContaining({ actor: 'reporter', action: 'reporter.replied' }));
    expect(events).toContainEqual(
      expect.objectContaining({ actor: 'reporter via portal link', action: 'case.read', details: { what: 'portal' } }),
    );
    expect(events).toContainEqual(expect.objectContaining({ actor: 'alice', action: 'case.read', details: { what: 'replies' } }));
    // Every portal read is in the log: one per successful GET /api/v1/portal so far (the page itself shows nothing).
    expect(events.filter((e) => e.actor === 'reporter via portal link').length).toBe(3);
  });

  it('answers a guessed, malformed or missing link with the same 404 sentence', async () => {
    const guesses = [
      `rpt_${'A'.repeat(43)}`,
      secret.slice(0, -1) + (secret.endsWith('A') ? 'B' : 'A'),
      'rpt_short',
      secret.toUpperCase(),
      undefined,
      '',
    ];
    for (const guess of guesses) {
      for (const [method, path, body] of [
        ['GET', '/api/v1/portal', undefined],
        ['POST', '/api/v1/portal/replies', { body: 'hi' }],
        ['PUT', '/api/v1/portal/credit', { credit: 'anonymous' }],
      ] as const) {
        const res = await portal(method, path, guess, body);
        expect(res.status, `${method} ${path} with ${String(guess)}`).toBe(404);
        expect(res.body.error.message).toBe(NOT_FOUND);
      }
    }
  });

  it('stores only the hash of the secret, nowhere in clear', async () => {
    const rows = await store.db.selectFrom('portal_links').selectAll().where('case_id', '=', kase.id).execute();
    expect(rows.map((r) => r.secret_hash)).toContain(secretHash(secret));
    const tables = ['portal_links', 'reporter_replies', 'events', 'cases', 'outbox_messages', 'settings'] as const;
    for (const table of tables) {
      const dump = JSON.stringify(await store.db.selectFrom(table).selectAll().execute());
      expect(dump, table).not.toContain(secret);
      expect(dump, table).not.toContain(secret.slice(4));
    }
  });

  it('keeps the secret out of the request log', async () => {
    const text = logLines.join('');
    expect(logLines.length).toBeGreaterThan(10);
    expect(text).toContain('/portal/rpt_[redacted]');
    expect(text).toContain('/api/v1/portal');
    expect(text).not.toContain(secret);
    expect(text).not.toContain(secret.slice(4));
  });

  it('stops the old link when a new one is issued, and when it is revoked', async () => {
    const second = await admin.post(`/api/v1/cases/${kase.id}/portal-link`, {});
    expect(second.status).toBe(201);
    expect(second.body.replaced).toBe(1);
    const newSecret = second.body.url.split('/').pop();
    expect((await portal('GET', '/api/v1/portal', secret)).status).toBe(404);
    const fresh = await portal('GET', '/api/v1/portal', newSecret);
    expect(fresh.status).toBe(200);
    // The earlier replies belong to the case, not the link.
    expect(fresh.body.replies).toHaveLength(1);

    expect((await mallory.delete(`/api/v1/cases/${kase.id}/portal-link`)).status).toBe(404);
    const revoked = await admin.delete(`/api/v1/cases/${kase.id}/portal-link`);
    expect(revoked.body).toEqual({ caseId: kase.id, revoked: true });
    const gone = await portal('GET', '/api/v1/portal', newSecret);
    expect(gone.status).toBe(404);
    expect(gone.body.error.message).toBe(NOT_FOUND);
    expect((await fetch(`${base}/portal/${newSecret}`)).status).toBe(404);
    expect((await admin.delete(`/api/v1/cases/${kase.id}/portal-link`)).body.revoked).toBe(false);
  });

  it('lets a link expire', async () => {
    const issued = await admin.post(`/api/v1/cases/${kase.id}/portal-link`, { expiresInDays: 2 });
    expect(issued.body.expiresAt).toBe('2026-11-27T10:00:00.000Z');
    const s = issued.body.url.split('/').pop();
    expect((await portal('GET', '/api/v1/portal', s)).body.link.expiresAt).toBe('2026-11-27T10:00:00.000Z');
    now = new Date('2026-11-27T10:00:01Z');
    const expired = await portal('GET', '/api/v1/portal', s);
    expect(expired.status).toBe(404);
    expect(expired.body.error.message).toBe(NOT_FOUND);
    expect((await admin.post(`/api/v1/cases/${kase.id}/portal-link`, { expiresInDays: 400 })).status).toBe(400);
  });

  it('refuses a link for a case without a reporter, and members outside the case', async () => {
    const bare = await admin.post('/api/v1/cases', { title: 'No reporter yet' });
    const res = await admin.post(`/api/v1/cases/${bare.body.id}/portal-link`, {});
    expect(res.status).toBe(409);
    expect(res.body.error.message).toContain('has no reporter');
    expect((await mallory.post(`/api/v1/cases/${kase.id}/portal-link`, {})).status).toBe(404);
    expect((await alice.post(`/api/v1/cases/${kase.id}/portal-link`, {})).status).toBe(201);
  });
});
