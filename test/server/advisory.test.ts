/**
 * The GitHub integration over the API, against the fake GitHub over real HTTP: connecting a project
 * (checked, stored encrypted, never shown), pushing the advisory (dry run, create, update with its
 * difference), the CVE request, the private fork with the access list as collaborators, sync with
 * ETags, the import of private reports, and manual mode. Every request Embargo sent and every answer
 * the fake gave is checked against GitHub's OpenAPI description (expectNoViolations).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { fanOutEvents } from '../../src/app/notification-sources.js';
import { listMessages } from '../../src/store/outbox.js';
import { createApiToken } from '../../src/app/accounts.js';
import { localActor } from '../../src/app/actor.js';
import { client } from '../support/app.js';
import { storeFactories } from '../support/databases.js';
import { advisoryWorld, caseState, REPO, WRITER_TOKEN, type AdvisoryWorld } from './advisory-support.js';

describe.each(storeFactories())('advisory API against the fake GitHub ($name)', ({ open }) => {
  let w: AdvisoryWorld;

  beforeAll(async () => {
    w = await advisoryWorld(open);
  });
  afterAll(() => w.close());
  afterEach(() => w.fake.expectNoViolations());

  describe('connecting a project', () => {
    it('refuses a bad token, a token without the advisory permission, and members; stores nothing then', async () => {
      const bad = await w.admin.put('/api/v1/github/connections/contour', {
        repository: REPO,
        token: 'ghp_not_a_real_token',
        apiUrl: w.fake.url,
      });
      expect(bad.status).toBe(502);
      expect(bad.body.error.code).toBe('github_unauthorized');
      expect(bad.body.error.message).toMatch(/^GitHub did not accept the token while trying to read the signed-in user/);

      w.fake.addToken('ghp_no_advisories', { login: 'intern', permissions: {} });
      const weak = await w.admin.put('/api/v1/github/connections/contour', {
        repository: REPO,
        token: 'ghp_no_advisories',
        apiUrl: w.fake.url,
      });
      expect(weak.status).toBe(502);
      expect(weak.body.error.code).toBe('github_forbidden');
      expect(weak.body.error.message).toBe(
        "GitHub refused: the token lacks the 'repository_advisories: read' permission on projectcontour/contour, needed to read the security advisories of projectcontour/contour.",
      );
      expect(weak.body.error.details.missingPermission).toBe('repository_advisories: read');

      const unknownRepo = await w.admin.put('/api/v1/github/connections/contour', {
        repository: 'projectcontour/nope',
        token: WRITER_TOKEN,
        apiUrl: w.fake.url,
      });
      expect(unknownRepo.status).toBe(502);
      expect(unknownRepo.body.error.message).toMatch(/GitHub found no repository projectcontour\/nope/);

      const member = await w.alice.put('/api/v1/github/connections/contour', { repository: REPO, token: WRITER_TOKEN, apiUrl: w.fake.url });
      expect(member.status).toBe(403);
      const badRepo = await w.admin.put('/api/v1/github/connections/contour', {
        repository: 'not a repo',
        token: WRITER_TOKEN,
        apiUrl: w.fake.url,
      });
      expect(badRepo.status).toBe(400);
      expect(badRepo.body.error.message).toMatch(/is not a GitHub repository like projectcontour\/contour/);

      expect((await w.admin.get('/api/v1/github/connections')).body.connections).toEqual([]);
    });

    it('connects with a working token: checked, stored encrypted, never shown again', async () => {
      const res = await w.admin.put('/api/v1/github/connections/contour', { repository: REPO, token: WRITER_TOKEN, apiUrl: w.fake.url });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        project: 'contour',
        repository: REPO,
        apiUrl: w.fake.url,
        tokenSet: true,
        login: 'maintainer',
        checkOk: true,
        createdBy: 'root',
      });
      expect(res.body.status).toBe('token set, checked 2026-11-25T10:00:00.000Z: ok');
      const list = await w.alice.get('/api/v1/github/connections');
      expect(list.status).toBe(200);
      expect(list.body.connections).toHaveLength(1);
      for (const body of [res.body, list.body]) expect(JSON.stringify(body)).not.toMatch(/ghp_|test_writer/);
      const row = await w.t.app.store.db.selectFrom('github_connections').selectAll().executeTakeFirstOrThrow();
      expect(JSON.stringify(row)).not.toContain(WRITER_TOKEN);
      expect(JSON.stringify(row)).not.toContain(Buffer.from(WRITER_TOKEN).toString('base64'));
      // The sent requests: GET /user, then the advisories, with the token as a Bearer header.
      const sent = w.fake.requests.slice(-2).map((r) => `${r.method} ${r.path}`);
      expect(sent).toEqual(['GET /user', `GET /repos/${REPO}/security-advisories`]);

      const check = await w.admin.post('/api/v1/github/connections/contour/check');
      expect(check.status).toBe(200);
      expect(check.body.checkResult).toBe('the token of maintainer can read the security advisories of projectcontour/contour');
    });
  });

  describe('the advisory of a case', () => {
    let kase: { id: string; revision: number; title: string };
    beforeAll(async () => {
      kase = await w.newCase();
    });

    it('dry run: the request body and the difference, nothing sent, the case unchanged', async () => {
      const before = w.fake.requests.length;
      const res = await w.alice.post(`/api/v1/cases/${kase.id}/advisory/push`, { dryRun: true });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body).toMatchObject({ mode: 'github', dryRun: true, action: 'create', ghsaId: null });
      expect(res.body.body).toMatchObject({
        summary: kase.title,
        cwe_ids: ['CWE-284'],
        cvss_vector_string: 'CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:H/I:H/A:N',
        credits: [{ login: 'jane-finder', type: 'finder' }],
      });
      expect(res.body.body.vulnerabilities).toHaveLength(2);
      expect(res.body.diff.map((d: { field: string }) => d.field)).toEqual(
        expect.arrayContaining(['summary', 'description', 'vulnerabilities', 'cwe_ids', 'credits']),
      );
      expect(w.fake.requests.length).toBe(before);
      const state = await caseState(w.admin, kase.id);
      expect(state.revision).toBe(kase.revision);
      expect(state.ghsaId).toBeNull();

      // A read-only token may preview, not push.
      const reader = client(
        w.t.server,
        (await createApiToken(w.t.app, localActor('test'), { name: 'reader', username: 'alice', scopes: ['read'] })).token,
      );
      expect((await reader.post(`/api/v1/cases/${kase.id}/advisory/push`, { dryRun: true })).status).toBe(200);
      const denied = await reader.post(`/api/v1/cases/${kase.id}/advisory/push`, {});
      expect(denied.status).toBe(403);
      expect(denied.body.error.message).toBe('this API token lacks the "write" scope');
      expect(w.fake.requests.length).toBe(before);
    });

    it('push creates the draft and records its GHSA id in the same change as its event', async () => {
      const res = await w.alice.post(`/api/v1/cases/${kase.id}/advisory/push`, {});
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body.action).toBe('create');
      const ghsaId = res.body.ghsaId as string;
      expect(ghsaId).toMatch(/^GHSA-/);
      expect(res.body.case.ghsaId).toBe(ghsaId);
      expect(res.body.case.revision).toBe(kase.revision + 1);
      const onGitHub = w.fake.advisory(REPO, ghsaId)!;
      expect(onGitHub).toMatchObject({ state: 'draft', summary: kase.title, cwe_ids: ['CWE-284'] });
      const state = await caseState(w.admin, kase.id);
      expect(state.actions.slice(-1)).toEqual(['advisory.pushed']);
      const event = (await w.admin.get(`/api/v1/cases/${kase.id}/events`)).body.events.find(
        (e: { action: string }) => e.action === 'advisory.pushed',
      );
      expect(event.details).toMatchObject({ ghsaId, created: true, repository: REPO, changed: { ghsaId } });
      kase.revision = res.body.case.revision;
    });

    it('push after an edit shows and sends only the difference; a second push sends nothing', async () => {
      const status = async () => (await w.alice.get(`/api/v1/cases/${kase.id}/advisory`)).body;
      expect(await status()).toMatchObject({ mode: 'github', repository: REPO, remoteState: 'draft', upToDate: true, note: null });
      expect(
        (await w.admin.patch(`/api/v1/cases/${kase.id}`, { title: 'HTTPProxy includes cross namespaces', cwe: ['CWE-284', 'CWE-863'] }))
          .status,
      ).toBe(200);
      // The status says the case moved on from what GitHub has, without asking GitHub.
      const requestsBefore = w.fake.requests.length;
      expect(await status()).toMatchObject({
        upToDate: false,
        note: `the case changed since the last push; embargo advisory push ${kase.id} --dry-run shows the difference`,
      });
      expect(w.fake.requests.length).toBe(requestsBefore);
      const preview = await w.alice.post(`/api/v1/cases/${kase.id}/advisory/push`, { dryRun: true });
      expect(preview.body.action).toBe('update');
      expect(preview.body.diff).toEqual([
        { field: 'summary', from: kase.title, to: 'HTTPProxy includes cross namespaces' },
        { field: 'cwe_ids', from: ['CWE-284'], to: ['CWE-284', 'CWE-863'] },
      ]);
      expect(w.fake.requests.at(-1)!.method).toBe('GET');
      const pushed = await w.alice.post(`/api/v1/cases/${kase.id}/advisory/push`, {});
      expect(pushed.body.action).toBe('update');
      const patch = w.fake.requests.filter((r) => r.method === 'PATCH').at(-1)!;
      // The case has no CVE id yet: the body leaves cve_id out rather than clearing GitHub's.
      expect(Object.keys(patch.body as object)).not.toContain('cve_id');
      expect(w.fake.advisory(REPO, pushed.body.ghsaId)!.summary).toBe('HTTPProxy includes cross namespaces');
      expect(await status()).toMatchObject({ upToDate: true });
      const again = await w.alice.post(`/api/v1/cases/${kase.id}/advisory/push`, {});
      expect(again.body).toMatchObject({ action: 'none', diff: [] });
    });

    it('requests the CVE id and records it once GitHub assigns it', async () => {
      w.fake.setCveDelay(2);
      const res = await w.alice.post(`/api/v1/cases/${kase.id}/advisory/cve`, {});
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body.status).toBe('assigned');
      expect(res.body.cveId).toMatch(/^CVE-\d{4}-\d+$/);
      expect(res.body.case.cveId).toBe(res.body.cveId);
      expect(res.body.case.cveRequestedAt).toBe('2026-11-25T10:00:00.000Z');
      const state = await caseState(w.admin, kase.id);
      expect(state.actions.slice(-2)).toEqual(['advisory.cve_requested', 'advisory.cve_assigned']);
      const again = await w.alice.post(`/api/v1/cases/${kase.id}/advisory/cve`, {});
      expect(again.status).toBe(409);
      expect(again.body.error.message).toBe(`${kase.id} already has ${res.body.cveId}`);
    });

    it('creates the private fork and makes the access list its collaborators, naming who has no login', async () => {
      w.fake.setForkDelay(1);
      const res = await w.bob.post(`/api/v1/cases/${kase.id}/advisory/fork`, {});
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body.fork).toMatchObject({ ready: true });
      expect(res.body.fork.url).toMatch(/^https:\/\/github\.com\//);
      expect(res.body.collaborators).toEqual(['alice-gh', 'root-gh']);
      expect(res.body.withoutLogin).toEqual(['bob']);
      expect(res.body.case.forkUrl).toBe(res.body.fork.url);
      const onGitHub = w.fake.advisory(REPO, res.body.case.ghsaId)!;
      expect(onGitHub.collaborating_users.map((u: { login: string }) => u.login).sort()).toEqual(['alice-gh', 'root-gh']);
    });

    it('sync: a 304 changes nothing; a change on GitHub is recorded', async () => {
      const ghsaId = (await w.admin.get(`/api/v1/cases/${kase.id}`)).body.ghsaId as string;
      const first = await w.alice.post(`/api/v1/cases/${kase.id}/advisory/sync`, {});
      expect(first.status).toBe(200);
      expect(first.body).toMatchObject({ notModified: false, changed: [], remoteState: 'draft' });
      const before = await caseState(w.admin, kase.id);
      const second = await w.alice.post(`/api/v1/cases/${kase.id}/advisory/sync`, {});
      expect(second.body).toMatchObject({ notModified: true, changed: [] });
      expect(w.fake.requests.at(-1)!.status).toBe(304);
      expect(w.fake.requests.at(-1)!.headers['if-none-match']).toBeTruthy();
      expect(await caseState(w.admin, kase.id)).toEqual(before);

      // Someone corrects the CVE id on GitHub itself.
      w.fake.changeOnGitHub(REPO, ghsaId, { cve_id: 'CVE-2026-99999' });
      const third = await w.alice.post(`/api/v1/cases/${kase.id}/advisory/sync`, {});
      expect(third.body).toMatchObject({ notModified: false, changed: ['cveId'] });
      expect(third.body.case.cveId).toBe('CVE-2026-99999');
      expect(third.body.case.revision).toBe(before.revision + 1);
      expect(third.body.note).toBeNull();

      // Closed on GitHub: the answer carries the sentence that says what to do (over HTTP too).
      w.fake.changeOnGitHub(REPO, ghsaId, { state: 'closed' });
      const closed = await w.alice.post(`/api/v1/cases/${kase.id}/advisory/sync`, {});
      expect(closed.body).toMatchObject({
        remoteState: 'closed',
        note: `${ghsaId} is closed on GitHub: reopen it there as a draft before pushing or publishing ${kase.id}.`,
      });
      w.fake.changeOnGitHub(REPO, ghsaId, { state: 'draft' });
      expect((await w.alice.post(`/api/v1/cases/${kase.id}/advisory/sync`, {})).body).toMatchObject({ remoteState: 'draft', note: null });
    });

    it('never replaces the CVE id GitHub assigned with one typed on the case', async () => {
      expect(
        (await w.admin.patch(`/api/v1/cases/${kase.id}`, { cveId: 'CVE-2026-11111', title: 'HTTPProxy includes, retitled' })).status,
      ).toBe(200);
      const res = await w.alice.post(`/api/v1/cases/${kase.id}/advisory/push`, {});
      expect(res.body.action).toBe('update');
      expect(res.body.diff.map((d: { field: string }) => d.field)).toEqual(['summary']);
      expect(Object.keys(w.fake.requests.filter((r) => r.method === 'PATCH').at(-1)!.body as object)).not.toContain('cve_id');
      expect(w.fake.advisory(REPO, res.body.ghsaId)!.cve_id).toBe('CVE-2026-99999');
    });

    it('records a CVE id GitHub already assigned instead of requesting another', async () => {
      const other = await w.newCase('CVE requested on GitHub itself');
      const pushed = await w.alice.post(`/api/v1/cases/${other.id}/advisory/push`, {});
      w.fake.changeOnGitHub(REPO, pushed.body.ghsaId, { cve_id: 'CVE-2026-50001' });
      const sent = w.fake.requests.length;
      const res = await w.alice.post(`/api/v1/cases/${other.id}/advisory/cve`, {});
      expect(res.body).toMatchObject({ status: 'assigned', cveId: 'CVE-2026-50001' });
      expect(w.fake.requests.slice(sent).map((r) => r.method)).toEqual(['GET']);
      expect((await caseState(w.admin, other.id)).actions.at(-1)).toBe('advisory.cve_assigned');
    });

    it('says when GitHub is still creating the fork, and records its address already', async () => {
      const other = await w.newCase('Fork that takes its time');
      expect((await w.alice.post(`/api/v1/cases/${other.id}/advisory/push`, {})).status).toBe(200);
      w.fake.setForkDelay(50);
      const res = await w.alice.post(`/api/v1/cases/${other.id}/advisory/fork`, {});
      expect(res.status).toBe(200);
      expect(res.body.fork.ready).toBe(false);
      expect(res.body.case.forkUrl).toBe(res.body.fork.url);
      w.fake.setForkDelay(0);
    });

    it('keeps outsiders out: the same 404 as for a case that does not exist', async () => {
      for (const action of ['push', 'cve', 'fork', 'sync', 'publish']) {
        const res = await w.mallory.post(`/api/v1/cases/${kase.id}/advisory/${action}`, {});
        expect(res.status).toBe(404);
        expect(res.body.error.message).toBe(`case ${kase.id} not found`);
      }
    });
  });

  describe('importing private vulnerability reports', () => {
    it('opens a case per report in triage, with the reporter and the text, and skips it the next time', async () => {
      w.fake.addToken('ghp_reporter', { login: 'eve-researcher', permissions: {} });
      const report = await w.fake.submitReport(REPO, 'ghp_reporter', {
        summary: 'Path traversal in the file server',
        description: 'Requesting /static/..%2f..%2fetc/passwd returns the file.',
        severity: 'high',
      });
      const member = await w.alice.post('/api/v1/github/imports', { project: 'contour' });
      expect(member.status).toBe(403);
      const res = await w.admin.post('/api/v1/github/imports', { project: 'contour' });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body.imported).toHaveLength(1);
      expect(res.body.imported[0]).toMatchObject({ ghsaId: report.ghsa_id, title: 'Path traversal in the file server' });
      const c = (await w.admin.get(`/api/v1/cases/${res.body.imported[0].caseId}`)).body;
      expect(c).toMatchObject({
        ghsaId: report.ghsa_id,
        project: 'contour',
        revision: 1,
        description: 'Requesting /static/..%2f..%2fetc/passwd returns the file.',
      });
      expect(c.reporter).toMatchObject({ name: 'eve-researcher', contact: 'https://github.com/eve-researcher' });
      // The team is told of the new report once, by id and codename only.
      w.t.app.config.smtpUrl = 'smtp://127.0.0.1:9'; // notification mail is queued only when it can go
      expect(
        (await w.admin.put('/api/v1/users/root/notifications', { mail: { address: 'root@example.org', events: ['new-report'] } })).status,
      ).toBe(200);
      await fanOutEvents(w.t.app);
      await fanOutEvents(w.t.app);
      const told = (await w.t.app.store.read((db) => listMessages(db, {}))).filter(
        (m) => m.kind === 'notification' && m.subject.includes(c.id),
      );
      expect(told.map((m) => [m.to, m.subject])).toEqual([
        [['root@example.org'], `[Embargo] New report ${c.id} (${c.codename}) from a GitHub private report`],
      ]);
      expect(told[0]!.body).not.toContain('Path traversal');
      // Nothing new on GitHub: a conditional request, answered 304.
      const again = await w.admin.post('/api/v1/github/imports', { project: 'contour' });
      expect(again.body).toEqual({ imported: [], skipped: [], notModified: true });
      expect(w.fake.requests.at(-1)!.status).toBe(304);
      // A second report: only it is imported, the first is skipped.
      const second = await w.fake.submitReport(REPO, 'ghp_reporter', {
        summary: 'Header injection in the access log',
        description: 'CRLF in a header ends up in the log.',
        severity: 'low',
      });
      const third = await w.admin.post('/api/v1/github/imports', { project: 'contour' });
      expect(third.body.notModified).toBe(false);
      expect(third.body.imported.map((i: { ghsaId: string }) => i.ghsaId)).toEqual([second.ghsa_id]);
      expect(third.body.skipped).toEqual([{ ghsaId: report.ghsa_id, caseId: c.id }]);
      // Triage fills in the package and ranges; the push keeps GitHub's credit for the reporter,
      // whose login the case does not hold (their name is the login on an imported case).
      const edited = await w.admin.patch(`/api/v1/cases/${c.id}`, {
        package: { ecosystem: 'Go', name: 'github.com/projectcontour/contour' },
        affected: [{ introduced: '1.33.0', fixed: '1.33.4' }],
      });
      expect(edited.status, JSON.stringify(edited.body)).toBe(200);
      const pushed = await w.admin.post(`/api/v1/cases/${c.id}/advisory/push`, {});
      expect(pushed.status, JSON.stringify(pushed.body)).toBe(200);
      expect(pushed.body.action).toBe('update');
      expect(w.fake.advisory(REPO, report.ghsa_id as string)!.credits).toEqual([{ login: 'eve-researcher', type: 'reporter' }]);
      const unknown = await w.admin.post('/api/v1/github/imports', { project: 'other' });
      expect(unknown.status).toBe(404);
      expect(unknown.body.error.message).toBe(
        'no project "other"; an admin adds it with: embargo project add other --name NAME --playbook PLAYBOOK',
      );
      expect((await w.admin.post('/api/v1/projects', { id: 'other' })).status).toBe(201);
      const none = await w.admin.post('/api/v1/github/imports', { project: 'other' });
      expect(none.status).toBe(409);
      expect(none.body.error.message).toMatch(/^project other has no GitHub connection/);
    });
  });

  describe('manual mode (no connection for the project)', () => {
    it('answers every action with the fields to paste and what to record, and sends nothing', async () => {
      const kase = await w.newCase('Header smuggling in the gateway', 'gateway');
      const before = w.fake.requests.length;
      const push = await w.alice.post(`/api/v1/cases/${kase.id}/advisory/push`, {});
      expect(push.status).toBe(200);
      expect(push.body.mode).toBe('manual');
      expect(push.body.manual.where).toBe('https://github.com/projectcontour/contour/security/advisories/new');
      const fields = Object.fromEntries(push.body.manual.fields.map((f: { label: string; value: string }) => [f.label, f.value]));
      expect(fields).toMatchObject({
        Title: 'Header smuggling in the gateway',
        'Ecosystem (product 1)': 'go',
        'Package name (product 1)': 'github.com/projectcontour/contour',
        'Severity: CVSS vector': 'CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:H/I:H/A:N',
        'Weaknesses (CWE)': 'CWE-284',
        'Credit (finder)': '@jane-finder',
      });
      expect(push.body.manual.then).toEqual([`Record the draft's id: embargo case edit ${kase.id} --ghsa GHSA-xxxx-xxxx-xxxx`]);
      expect(push.body.manual.markdown).toMatch(/^# Header smuggling in the gateway/);

      const cve = await w.alice.post(`/api/v1/cases/${kase.id}/advisory/cve`, {});
      expect(cve.body).toMatchObject({ mode: 'manual', status: 'requested', manual: { action: 'request-cve' } });
      const fork = await w.alice.post(`/api/v1/cases/${kase.id}/advisory/fork`, {});
      expect(fork.body).toMatchObject({ mode: 'manual', collaborators: ['alice-gh', 'root-gh'], withoutLogin: ['bob'] });
      expect(fork.body.manual.then[0]).toBe(
        `Record the fork: embargo case edit ${kase.id} --fork-url https://github.com/OWNER/REPO-ghsa-xxxx-xxxx-xxxx`,
      );
      const sync = await w.alice.post(`/api/v1/cases/${kase.id}/advisory/sync`, {});
      expect(sync.status).toBe(409);
      const status = await w.alice.get(`/api/v1/cases/${kase.id}/advisory`);
      expect(status.body).toMatchObject({
        mode: 'manual',
        repository: null,
        ghsaId: null,
        upToDate: null,
        note: `no draft yet; embargo advisory push ${kase.id} creates it`,
      });
      expect(w.fake.requests.length).toBe(before);

      // Recording by hand: the GHSA id and the fork URL through case edit.
      const recorded = await w.alice.patch(`/api/v1/cases/${kase.id}`, {
        ghsaId: 'GHSA-x4mj-7f9g-29h4',
        forkUrl: 'https://github.com/projectcontour/contour-ghsa-x4mj-7f9g-29h4',
      });
      expect(recorded.status).toBe(200);
      expect(recorded.body.forkUrl).toBe('https://github.com/projectcontour/contour-ghsa-x4mj-7f9g-29h4');
      const badUrl = await w.alice.patch(`/api/v1/cases/${kase.id}`, { forkUrl: 'javascript:alert(1)' });
      expect(badUrl.status).toBe(400);
      const manualAgain = await w.alice.post(`/api/v1/cases/${kase.id}/advisory/push`, {});
      expect(manualAgain.body.manual.where).toBe('https://github.com/projectcontour/contour/security/advisories/GHSA-x4mj-7f9g-29h4');
    });
  });

  describe('GitHub logins', () => {
    it("members set their own, admins anyone's; bad logins are refused", async () => {
      expect((await w.bob.put('/api/v1/users/alice/github-login', { login: 'bob-gh' })).status).toBe(403);
      expect((await w.bob.put('/api/v1/users/bob/github-login', { login: 'not a login' })).status).toBe(400);
      expect((await w.bob.get('/api/v1/users/alice/github-login')).status).toBe(404);
      expect((await w.admin.put('/api/v1/users/bob/github-login', { login: '@bob-gh' })).body).toEqual({
        username: 'bob',
        githubLogin: 'bob-gh',
      });
      expect((await w.bob.get('/api/v1/users/bob/github-login')).body).toEqual({ username: 'bob', githubLogin: 'bob-gh' });
      expect((await w.bob.put('/api/v1/users/bob/github-login', { login: null })).body).toEqual({ username: 'bob', githubLogin: null });
    });
  });
});
