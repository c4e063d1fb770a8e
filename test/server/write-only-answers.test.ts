/**
 * Issue 14, item 1: a token with the write scope but not read must not read a case through the answer
 * of a change — a no-op change included — and every change answer that does carry a case's details
 * (to a token that may read) appends its `case.read`. The attacks first, as request sequences, then
 * every registered write route (taken from the router, so a new route is covered the day it is added).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../../src/app/accounts.js';
import { localActor } from '../../src/app/actor.js';
import { listEvents } from '../../src/store/events.js';
import { client, startApp, userWithToken, type TestApp } from '../support/app.js';
import { storeFactories } from '../support/databases.js';
import { fillRoute, SAMPLE_BODIES } from '../support/route-samples.js';

const TITLE = 'Request smuggling in the xyzzy filter';
const CONTACT = 'rea.porter@example.org';
const GHSA = 'GHSA-qv9m-wx4c-7f2h';
const CVE = 'CVE-2026-31337';
const TERM = 'xyzzyFilterChain';
const LEAKED = 'the xyzzy filter patch';

describe.each(storeFactories())('write-only tokens and change answers ($name)', ({ open }) => {
  let t: TestApp;
  let caseId: string;
  let codename: string;
  let rootToken: string;
  /** alice (member, on the case's access list): write only, and read+write. */
  let writeOnly: string;
  let readWrite: string;
  /** root (admin) with a write-only token: admin routes must hold as well. */
  let adminWriteOnly: string;
  const ids: Record<string, string> = {};

  const secrets = () => [TITLE, codename, CONTACT, GHSA, CVE, TERM, LEAKED];
  const leaked = (body: unknown) => secrets().filter((s) => JSON.stringify(body).includes(s));
  const reads = async (actor: string) =>
    (await listEvents(t.app.store.db, { caseId, limit: 10_000 })).filter((e) => e.action === 'case.read' && e.actor === actor);

  beforeAll(async () => {
    t = await startApp(open);
    rootToken = (await userWithToken(t.app, 'root', 'admin')).token;
    readWrite = (await userWithToken(t.app, 'alice', 'member')).token;
    const admin = localActor('test');
    writeOnly = (await createApiToken(t.app, admin, { name: 'ci', username: 'alice', scopes: ['write'] })).token;
    adminWriteOnly = (await createApiToken(t.app, admin, { name: 'root ci', username: 'root', scopes: ['write'] })).token;
    const root = client(t.server, rootToken);
    const created = await root.post('/api/v1/cases', { title: TITLE, reporter: { name: 'Rea Porter', contact: CONTACT } });
    expect(created.status).toBe(201);
    caseId = created.body.id;
    codename = created.body.codename;
    expect((await root.patch(`/api/v1/cases/${caseId}`, { ghsaId: GHSA, cveId: CVE })).status).toBe(200);
    expect((await root.put(`/api/v1/cases/${caseId}/embargo`, { endsAt: '2036-12-24 12:00', timeZone: 'UTC' })).status).toBe(200);
    expect((await root.put(`/api/v1/cases/${caseId}/access/alice`)).status).toBe(200);
    expect((await root.post(`/api/v1/cases/${caseId}/guard-terms`, { terms: [TERM] })).status).toBe(200);
    const leak = await root.post(`/api/v1/cases/${caseId}/leaks`, { what: LEAKED, leakedTo: 'a chat', reportedBy: 'Jane' });
    ids.leakId = leak.body.id;
    const member = await root.post('/api/v1/distributors', { organisation: 'Example Linux', contact: 'security@example-linux.example' });
    ids.distributorId = member.body.id;
    const mail = await root.post(`/api/v1/cases/${caseId}/messages`, { kind: 'reporter-ack', via: 'copy' });
    expect(mail.status).toBe(201);
    ids.messageId = mail.body.message.id;
  });
  afterAll(() => t.close());

  it('refuses the write-only token the case itself (the baseline)', async () => {
    const res = await client(t.server, writeOnly).get(`/api/v1/cases/${caseId}`);
    expect(res.status).toBe(403);
  });

  it('answers a no-op PATCH (the current title) to the write-only token with a receipt, not the case', async () => {
    const res = await client(t.server, writeOnly).patch(`/api/v1/cases/${caseId}`, { title: TITLE });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ receipt: true, id: caseId, revision: expect.any(Number) });
    expect(leaked(res.body)).toEqual([]);
  });

  it('answers PUT embargo with the current values, and a case file with the case own id, with receipts', async () => {
    const w = client(t.server, writeOnly);
    const embargo = await w.put(`/api/v1/cases/${caseId}/embargo`, { endsAt: '2036-12-24 12:00', timeZone: 'UTC' });
    expect(embargo.status).toBe(200);
    expect(embargo.body).toMatchObject({ receipt: true, id: caseId });
    const file = await w.post('/api/v1/case-files', { file: `id: ${caseId}\ntitle: ${TITLE}\n` });
    expect(file.status).toBe(200);
    expect(file.body).toMatchObject({ receipt: true, id: caseId });
    expect(leaked([embargo.body, file.body])).toEqual([]);
  });

  it('does not hand the write-only token the case guard terms when it adds an existing one', async () => {
    const res = await client(t.server, writeOnly).post(`/api/v1/cases/${caseId}/guard-terms`, { terms: [TERM] });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ receipt: true, id: caseId });
    expect(leaked(res.body)).toEqual([]);
  });

  it('records the no-op change of a token that may read, since its answer carries the case', async () => {
    const before = (await reads('alice')).length;
    const res = await client(t.server, readWrite).patch(`/api/v1/cases/${caseId}`, { title: TITLE });
    expect(res.status).toBe(200);
    expect(res.body.reporter.contact).toBe(CONTACT);
    const after = await reads('alice');
    expect(after.length).toBe(before + 1);
    expect(after.at(-1)!.details).toEqual({ what: 'answer to a change' });
  });

  /** Every write route, with a body that passes validation and real ids where the route needs them. */
  // The GitHub connection routes talk to GitHub and hold no case; they are covered in github tests.
  const writeRoutes = () => t.server.embargoRoutes.filter((r) => r.method !== 'GET' && !r.url.startsWith('/api/v1/github/'));
  const call = (token: string, r: { method: string; url: string }) => {
    const key = `${r.method} ${r.url}`;
    const body = r.method === 'DELETE' ? undefined : (SAMPLE_BODIES[key] ?? {});
    return client(t.server, token).call(r.method, fillRoute(r.url, caseId, ids), body);
  };

  it('never answers a write-only token (member or admin) with a case secret, on any write route', async () => {
    const outcomes: string[] = [];
    for (const token of [writeOnly, adminWriteOnly]) {
      for (const r of writeRoutes()) {
        const res = await call(token, r);
        expect(res.status, `${r.method} ${r.url}`).toBeLessThan(500);
        expect(leaked(res.body), `${r.method} ${r.url} -> ${res.status}`).toEqual([]);
        outcomes.push(`${r.method} ${r.url} -> ${res.status}`);
      }
    }
    // Enough of them succeeded for the check to mean something.
    expect(outcomes.filter((o) => / -> 20\d$/.test(o)).length).toBeGreaterThan(15);
  });

  it('appends a case.read for every change answer that carries the case details to a token that may read', async () => {
    // The loop above ran every admin route too, taking alice off the project and the case: put her back.
    const root = client(t.server, rootToken);
    expect((await root.post('/api/v1/projects/contour/restore')).status).toBe(200);
    expect((await root.put('/api/v1/projects/contour/members/alice', {})).status).toBe(200);
    expect((await root.put(`/api/v1/cases/${caseId}/access/alice`)).status).toBe(200);
    let carried = 0;
    for (const r of writeRoutes().filter((r) => r.url.includes(':caseId') || r.url.includes(':messageId'))) {
      const before = (await reads('alice')).length;
      const res = await call(readWrite, r);
      expect(res.status, `${r.method} ${r.url}`).toBeLessThan(500);
      if (res.status >= 300 || leaked(res.body).length === 0) continue;
      carried += 1;
      expect((await reads('alice')).length, `${r.method} ${r.url} answered details without a case.read`).toBeGreaterThan(before);
    }
    expect(carried).toBeGreaterThan(8);
  });
});
