/**
 * The leak guard's API: the terms file needs a guard-scoped token and says nothing in clear text;
 * a member's terms cover only the cases they may see; a case's team terms follow need-to-know.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../../src/app/accounts.js';
import { localActor } from '../../src/app/actor.js';
import { defaultGuardConfig } from '../../src/domain/guard/config.js';
import { createScanner } from '../../src/domain/guard/scanner.js';
import { parseTermsFile } from '../../src/domain/guard/terms-file.js';
import { getCase, updateCase } from '../../src/store/cases.js';
import { storeFactories } from '../support/databases.js';
import { client, startApp, userWithToken, type TestApp } from '../support/app.js';

describe.each(storeFactories())('guard routes ($name)', ({ open }) => {
  let t: TestApp;
  let admin: ReturnType<typeof client>;
  let adminGuard: ReturnType<typeof client>;
  let alice: ReturnType<typeof client>;
  let aliceGuard: ReturnType<typeof client>;
  let mallory: ReturnType<typeof client>;
  let readOnly: ReturnType<typeof client>;
  let secret: { id: string; codename: string; title: string };
  let other: { id: string; codename: string };
  let published: { id: string };

  beforeAll(async () => {
    t = await startApp(open);
    admin = client(t.server, (await userWithToken(t.app, 'root', 'admin')).token);
    const guardToken = async (username: string) =>
      (await createApiToken(t.app, localActor('test'), { name: `${username} guard`, username, scopes: ['guard'] })).token;
    adminGuard = client(t.server, await guardToken('root'));
    alice = client(t.server, (await userWithToken(t.app, 'alice', 'member')).token);
    aliceGuard = client(t.server, await guardToken('alice'));
    mallory = client(t.server, (await userWithToken(t.app, 'mallory', 'member')).token);
    readOnly = client(t.server, (await userWithToken(t.app, 'reader', 'admin', ['read'])).token);

    secret = (await admin.post('/api/v1/cases', { title: 'Lua code injection via Cookie Path Rewrite Policy' })).body;
    await admin.patch(`/api/v1/cases/${secret.id}`, { cveId: 'CVE-2026-41246', ghsaId: 'GHSA-x4mj-7f9g-29h4' });
    expect((await admin.put(`/api/v1/cases/${secret.id}/access/alice`)).status).toBe(200);
    other = (await admin.post('/api/v1/cases', { title: 'Another embargoed case' })).body;

    // A case whose advisory is out: every step up to and including the publish step done.
    published = (await admin.post('/api/v1/cases', { title: 'Old, published' })).body;
    await admin.patch(`/api/v1/cases/${published.id}`, { cveId: 'CVE-2025-10001' });
    await t.app.store.write(async (tx) => {
      const c = (await getCase(tx, published.id))!;
      const pb = t.app.playbooks.get(c.playbook);
      const upTo = pb.steps.findIndex((s) => s.id === 'publish-advisory');
      const steps = Object.fromEntries(
        pb.steps
          .slice(0, upTo + 1)
          .map((s) => [s.id, { status: 'done' as const, by: 'root', at: '2026-01-01T00:00:00.000Z', reason: null, confirmed: [] }]),
      );
      await updateCase(tx, { ...c, steps, status: 'disclosed', revision: c.revision + 1 }, c.revision);
    });
  });
  afterAll(() => t.close());

  const termsUrl = (id: string) => `/api/v1/cases/${id}/guard-terms`;

  it('GET /guard/terms needs credentials, and a token with the guard scope', async () => {
    expect((await client(t.server).get('/api/v1/guard/terms')).status).toBe(401);
    for (const who of [admin, readOnly, mallory]) {
      const res = await who.get('/api/v1/guard/terms');
      expect(res.status).toBe(403);
      expect(res.body.error).toEqual({
        code: 'forbidden',
        message:
          'this API token lacks the "guard" scope; create one for the hooks or CI with: embargo token create --name guard --scope guard (or scan against a terms file: embargo guard --terms FILE)',
        details: {},
      });
    }
  });

  it('a guard token reads the terms file: hashes and case ids only, a fresh salt each time', async () => {
    const first = await adminGuard.get('/api/v1/guard/terms');
    expect(first.status).toBe(200);
    const file = parseTermsFile(first.body);
    expect(file.cases.map((c) => c.caseId)).toEqual([secret.id, other.id].sort());
    expect(file.publicIds).toEqual(['CVE-2025-10001']);
    const raw = JSON.stringify(first.body).toLowerCase();
    for (const clear of [...secret.codename.split('-'), ...other.codename.split('-'), 'lua', 'cookie', '41246', 'x4mj'])
      expect(raw).not.toContain(clear);
    const second = parseTermsFile((await adminGuard.get('/api/v1/guard/terms')).body);
    expect(second.salt).not.toBe(file.salt);
    expect(second.cases[0]!.terms).not.toEqual(file.cases[0]!.terms);
    // And the hashes do recognise what they stand for.
    const scanner = createScanner(defaultGuardConfig(), file);
    expect(scanner.scan(`Merge branch ${secret.codename}`).map((f) => f.caseId)).toEqual([secret.id]);
    expect(scanner.scan('Cherry pick CVE-2026-41246').map((f) => [f.rule, f.caseId])).toEqual([['embargoed-id', secret.id]]);
    expect(scanner.scan('bump for CVE-2025-10001')).toEqual([]);
  });

  it("a member's guard token covers only the cases on their access list", async () => {
    const file = parseTermsFile((await aliceGuard.get('/api/v1/guard/terms')).body);
    expect(file.cases.map((c) => c.caseId)).toEqual([secret.id]);
  });

  it('the export is an audited read', async () => {
    const exports = () =>
      t.app.store.db
        .selectFrom('events')
        .select(['seq', 'actor', 'case_id', 'details'])
        .where('action', '=', 'guard.terms.exported')
        .orderBy('seq')
        .execute();
    const before = (await exports()).length;
    expect((await adminGuard.get('/api/v1/guard/terms')).status).toBe(200);
    expect((await aliceGuard.get('/api/v1/guard/terms')).status).toBe(200);
    // A refused export (no guard scope) is no read, and leaves no event.
    expect((await admin.get('/api/v1/guard/terms')).status).toBe(403);
    const added = (await exports()).slice(before);
    expect(added.map((r) => [r.actor, r.case_id, JSON.parse(r.details)])).toEqual([
      ['root', null, { cases: 2, publicIds: 1 }],
      ['alice', null, { cases: 1, publicIds: 1 }],
    ]);
  });

  it('team terms: need-to-know on every per-case route', async () => {
    for (const [method, url, body] of [
      ['GET', termsUrl(secret.id), undefined],
      ['POST', termsUrl(secret.id), { terms: ['rewriteCookiePath'] }],
      ['DELETE', `${termsUrl(secret.id)}/00000000-0000-4000-8000-0000000000aa`, undefined],
    ] as const) {
      const res = await mallory.call(method, url, body);
      expect(res.status, `${method} ${url}`).toBe(404);
      expect(res.body.error.message).toBe(`case ${secret.id} not found`);
    }
    // The guard scope reads hashes, not a case's terms in clear text.
    expect((await adminGuard.get(termsUrl(secret.id))).status).toBe(403);
    expect((await readOnly.post(termsUrl(secret.id), { terms: ['rewriteCookiePath'] })).status).toBe(403);
  });

  it('a member on the case adds, lists and removes terms; the export picks them up', async () => {
    const added = await alice.post(termsUrl(secret.id), { terms: ['rewriteCookiePath', 'rewrite cookie path', 'luaEscapeString'] });
    expect(added.status).toBe(200);
    expect(added.body.added).toBe(2);
    expect(added.body.terms.map((x: { term: string; addedBy: string }) => [x.term, x.addedBy])).toEqual([
      ['luaEscapeString', 'alice'],
      ['rewriteCookiePath', 'alice'],
    ]);
    const listed = await alice.get(termsUrl(secret.id));
    expect(listed.body.terms).toHaveLength(2);

    const file = parseTermsFile((await adminGuard.get('/api/v1/guard/terms')).body);
    expect(JSON.stringify(file)).not.toMatch(/rewrite|lua/i);
    expect(
      createScanner(defaultGuardConfig(), file)
        .scan('call rewrite_cookie_path()')
        .map((f) => f.caseId),
    ).toEqual([secret.id]);

    const id = listed.body.terms[0].id as string;
    const removed = await alice.delete(`${termsUrl(secret.id)}/${id}`);
    expect(removed.status).toBe(200);
    expect(removed.body.terms.map((x: { term: string }) => x.term)).toEqual(['rewriteCookiePath']);
    const again = await alice.delete(`${termsUrl(secret.id)}/${id}`);
    expect(again.status).toBe(404);
    expect(again.body.error.message).toBe(`case ${secret.id} has no guard term ${id}`);
  });

  it('refuses terms that would not work, with a sentence', async () => {
    const common = await alice.post(termsUrl(secret.id), { terms: ['fix'] });
    expect([common.status, common.body.error.message]).toEqual([
      400,
      '"fix" is too common a word to be a term: it would flag unrelated commits',
    ]);
    const many = await alice.post(termsUrl(secret.id), { terms: Array.from({ length: 51 }, (_, i) => `term${i}x`) });
    expect(many.status).toBe(400);
    const id = await alice.post(termsUrl(secret.id), { terms: ['GHSA-x4mj-7f9g-29h4'] });
    expect(id.status).toBe(400);
    expect(id.body.error.message).toMatch(/record CVE and GHSA ids on the case/);
  });

  it('keeps the terms out of the permanent audit log: ids only', async () => {
    const added = await admin.post(termsUrl(other.id), { terms: ['splitHeaderValue', 'quotedPairDecoder'] });
    expect(added.status).toBe(200);
    const id = added.body.terms[0].id as string;
    expect((await admin.delete(`${termsUrl(other.id)}/${id}`)).status).toBe(200);
    const rows = await t.app.store.db.selectFrom('events').select(['action', 'details']).where('case_id', '=', other.id).execute();
    const guardEvents = rows.filter((r) => r.action.startsWith('guard.'));
    expect(guardEvents.map((r) => r.action)).toEqual(['guard.terms.added', 'guard.terms.removed']);
    expect(JSON.stringify(guardEvents)).not.toMatch(/header|quoted|pair|split/i);
    expect(JSON.parse(guardEvents[0]!.details)).toEqual({ count: 2, ids: expect.any(Array) });
    expect(JSON.parse(guardEvents[1]!.details)).toEqual({ ids: [id] });
  });
});
