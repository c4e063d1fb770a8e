/**
 * Exports and case files over the REST API, on every database: 401 → 400 → 404 → 409 → 200, the
 * documents valid against their official schemas, the reads audited, need-to-know kept, imports in
 * one transaction, and cases stored before the advisory fields existed still readable.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCaseFile } from '../../src/domain/case-file/index.js';
import { storeFactories } from '../support/databases.js';
import { client, startApp, userWithToken, type TestApp } from '../support/app.js';
import { CONTOUR_FILE } from '../domain/exports/fixtures.js';
import {
  validateCsafMandatory,
  validateCsafSchema,
  validateCveRecord,
  validateGhsaCreate,
  validateOsv,
} from '../domain/exports/validators.js';

/** The Contour-like case file as a PATCH body (the embargo and release plan have their own routes). */
function patchBody() {
  const d = parseCaseFile(CONTOUR_FILE);
  return {
    title: d.title,
    ghsaId: d.ghsa,
    cveId: d.cve,
    description: d.description,
    package: d.package,
    cvss: d.cvss,
    cwe: d.cwe,
    affected: d.affected,
    reporter: d.reporter,
    credits: d.credits,
    publishedAt: d.published,
    references: d.references,
    workarounds: d.workarounds,
  };
}

describe.each(storeFactories())('advisory exports and case files over the API ($name)', ({ open }) => {
  let t: TestApp;
  let alice: ReturnType<typeof client>;
  let mallory: ReturnType<typeof client>;
  let reader: ReturnType<typeof client>;
  let id: string;
  let bareId: string;

  beforeAll(async () => {
    t = await startApp(open, '2026-04-24T10:00:00Z');
    alice = client(t.server, (await userWithToken(t.app, 'alice', 'member')).token);
    mallory = client(t.server, (await userWithToken(t.app, 'mallory', 'member')).token);
    reader = client(t.server, (await userWithToken(t.app, 'reader', 'admin', ['read'])).token);
    id = (await alice.post('/api/v1/cases', { title: 'placeholder' })).body.id;
    bareId = (await alice.post('/api/v1/cases', { title: 'Header smuggling' })).body.id;
  });
  afterAll(() => t.close());

  it('PATCH sets every advisory field, and the case shows them', async () => {
    const res = await alice.patch(`/api/v1/cases/${id}`, patchBody());
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      package: { ecosystem: 'Go', name: 'github.com/projectcontour/contour' },
      credits: [
        { name: 'Jane Doe', login: 'janedoe-sec', type: 'finder' },
        { name: 'Sam Patcher', type: 'remediation_developer' },
      ],
      publishedAt: '2026-04-24T00:00:00.000Z',
      references: expect.arrayContaining(['https://github.com/projectcontour/contour/releases/tag/v1.33.4']),
    });
    expect(res.body.description).toContain('### Impact');
    const bad = await alice.patch(`/api/v1/cases/${id}`, { credits: [{ anonymous: true, name: 'Leak', type: 'finder' }] });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toBe('credits[0] is anonymous, so it must not carry a name or login');
  });

  it('exports every format with its media type, each JSON document valid', async () => {
    const validators = { osv: validateOsv, cve5: validateCveRecord, csaf: validateCsafSchema, ghsa: validateGhsaCreate };
    for (const [format, validate] of Object.entries(validators)) {
      const res = await alice.get(`/api/v1/cases/${id}/export?format=${format}`);
      expect(res.status, format).toBe(200);
      expect(res.headers['content-type'], format).toMatch(/^application\/json/);
      expect(res.headers['content-disposition'], format).toContain(`filename="${id}.`);
      expect(validate(res.body), format).toEqual([]);
    }
    const csaf = await alice.get(`/api/v1/cases/${id}/export?format=csaf`);
    expect(await validateCsafMandatory(csaf.body)).toEqual([]);
    const md = await alice.get(`/api/v1/cases/${id}/export?format=md`);
    expect(md.status).toBe(200);
    expect(md.headers['content-type']).toMatch(/^text\/markdown/);
    expect(md.body).toMatch(/^# Lua code injection via Cookie Path Rewrite Policy\n/);
    // The reporter asked to stay anonymous.
    for (const format of ['osv', 'cve5', 'csaf', 'ghsa', 'md']) {
      const res = await alice.get(`/api/v1/cases/${id}/export?format=${format}`);
      const text = typeof res.body === 'string' ? res.body : JSON.stringify(res.body);
      expect(text, format).not.toContain('Rosalind');
      expect(text, format).not.toContain('hushed');
    }
  });

  it('defaults to Markdown, and answers a wrong format with 400 listing the formats', async () => {
    const md = await alice.get(`/api/v1/cases/${id}/export`);
    expect(md.status).toBe(200);
    expect(md.body).toMatch(/^# /);
    expect(md.headers['content-type']).toContain('text/markdown');
    const wrong = await alice.get(`/api/v1/cases/${id}/export?format=pdf`);
    expect(wrong.status).toBe(400);
    expect(wrong.body.error).toMatchObject({ code: 'invalid_input', message: 'format "pdf" is not one of osv, cve5, csaf, ghsa, md' });
  });

  it('answers 409 naming what a case still needs, the description first, in every format (issue 13, item 4)', async () => {
    const res = await alice.get(`/api/v1/cases/${bareId}/export?format=osv`);
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('conflict');
    expect(res.body.error.details.missing).toEqual(['description', 'package', 'affected']);
    const md = await alice.get(`/api/v1/cases/${bareId}/export?format=md`);
    expect(md.status).toBe(409);
    expect(md.body.error.message).toContain(`embargo case edit ${bareId} --description-file FILE`);
  });

  it('audits every export as a read of the case, with its format', async () => {
    await alice.get(`/api/v1/cases/${id}/export?format=ghsa`);
    const events = (await alice.get(`/api/v1/cases/${id}/events`)).body.events as {
      action: string;
      actor: string;
      details: { what?: string };
    }[];
    const reads = events.filter((e) => e.action === 'case.read').map((e) => e.details.what);
    expect(reads).toEqual(expect.arrayContaining(['export:osv', 'export:cve5', 'export:csaf', 'export:ghsa', 'export:md']));
    expect(events.filter((e) => e.details.what === 'export:ghsa').at(-1)!.actor).toBe('alice');
  });

  it('keeps need-to-know: 401 without a token, 404 for a member outside the access list', async () => {
    const anonymous = client(t.server);
    expect((await anonymous.get(`/api/v1/cases/${id}/export?format=osv`)).status).toBe(401);
    for (const url of [`/api/v1/cases/${id}/export?format=osv`, `/api/v1/cases/${id}/case-file`]) {
      const res = await mallory.get(url);
      expect(res.status).toBe(404);
      expect(res.body.error.message).toBe(`case ${id} not found`);
    }
  });

  it('writes the case file without the reporter contact; importing it back changes nothing', async () => {
    await alice.put(`/api/v1/cases/${id}/embargo`, { endsAt: '2026-04-23 17:00', timeZone: 'Europe/Berlin' });
    await alice.put(`/api/v1/cases/${id}/release-plan`, {
      lines: [
        { line: '1.33', version: '1.33.4' },
        { line: '1.32', version: '1.32.5' },
        { line: '1.31', version: '1.31.6' },
      ],
    });
    const res = await alice.get(`/api/v1/cases/${id}/case-file`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/yaml/);
    expect(res.body).toContain(`id: ${id}`);
    expect(res.body).toContain('name: Rosalind Quill');
    expect(res.body).not.toContain('rosalind@hushed.example');
    const before = (await alice.get(`/api/v1/cases/${id}`)).body;
    const again = await alice.post('/api/v1/case-files', { file: res.body });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ created: false, changed: [] });
    expect(again.body.case.revision).toBe(before.revision);
    // The contact survived the round trip through a file that does not carry it.
    expect((await alice.get(`/api/v1/cases/${id}`)).body.reporter.contact).toBe('rosalind@hushed.example');
  });

  it('imports a changed file as commands in one transaction, and a new file as a new case', async () => {
    const file = (await alice.get(`/api/v1/cases/${id}/case-file`)).body as string;
    const before = (await alice.get(`/api/v1/cases/${id}`)).body;
    const changed = await alice.post('/api/v1/case-files', {
      file: file.replace('cwe: [ CWE-94 ]', 'cwe: [ CWE-74 ]').replaceAll('1.31.6', '1.31.7'),
    });
    expect(changed.status).toBe(200);
    expect(changed.body.changed).toEqual(['affected', 'severity', 'releasePlan']);
    expect(changed.body.case.revision).toBe(before.revision + 2);
    const events = (await alice.get(`/api/v1/cases/${id}/events`)).body.events as { action: string }[];
    // The two reads above, then the import's two commands and the read of its answer (the read of
    // this list is logged after it).
    expect(events.slice(-5).map((e) => e.action)).toEqual(['case.read', 'case.read', 'case.edited', 'release.planned', 'case.read']);

    // A file whose later command fails changes nothing at all: the edit before it is rolled back.
    expect((await alice.post(`/api/v1/cases/${id}/releases`, { line: '1.33' })).status).toBe(200);
    const revision = (await alice.get(`/api/v1/cases/${id}`)).body.revision;
    const dropsReleased = file.replace('cwe: [ CWE-94 ]', 'cwe: [ CWE-20 ]').replace('  - { line: "1.33", version: 1.33.4 }\n', '');
    expect(dropsReleased).not.toContain('line: "1.33"');
    const refused = await alice.post('/api/v1/case-files', { file: dropsReleased });
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toBe('release line 1.33 is already released and cannot be dropped from the plan');
    const after = (await alice.get(`/api/v1/cases/${id}`)).body;
    expect(after.severity.cwe).toEqual(['CWE-74']);
    expect(after.revision).toBe(revision);

    const created = await alice.post('/api/v1/case-files', {
      file: 'title: Imported from a file\npackage: {ecosystem: npm, name: left-pad}\n',
    });
    expect(created.status).toBe(201);
    expect(created.body.created).toBe(true);
    expect(created.body.case).toMatchObject({
      title: 'Imported from a file',
      package: { ecosystem: 'npm', name: 'left-pad' },
      status: 'reported',
    });
    expect((await alice.get(`/api/v1/cases/${created.body.case.id}`)).status).toBe(200);
  });

  it('never reveals or touches a case outside the access list: its id in a file opens a new case', async () => {
    const secretTitle = (await alice.get(`/api/v1/cases/${id}`)).body.title;
    const res = await mallory.post('/api/v1/case-files', { file: `id: ${id}\ntitle: Overwritten by mallory\n` });
    expect(res.status).toBe(201);
    expect(res.body.case.id).not.toBe(id);
    expect(JSON.stringify(res.body)).not.toContain(secretTitle);
    expect((await alice.get(`/api/v1/cases/${id}`)).body.title).toBe(secretTitle);
  });

  it('refuses an import without the write scope, and a broken file with the line and field', async () => {
    expect((await reader.post('/api/v1/case-files', { file: 'title: x\n' })).status).toBe(403);
    const broken = await alice.post('/api/v1/case-files', { file: 'title: x\ncve: nope\n' });
    expect(broken.status).toBe(400);
    expect(broken.body.error.message).toBe('line 2, cve: cve "nope" is not valid; expected something like CVE-2026-41246');
  });

  it('reads a case stored before the advisory fields existed, with their defaults', async () => {
    const row = await t.app.store.db.selectFrom('cases').select('state').where('id', '=', bareId).executeTakeFirstOrThrow();
    const { description: _d, package: _p, workarounds: _w, references: _r, credits: _c, publishedAt: _a, ...old } = JSON.parse(row.state);
    await t.app.store.write((tx) =>
      tx
        .updateTable('cases')
        .set({ state: JSON.stringify(old) })
        .where('id', '=', bareId)
        .execute(),
    );
    const res = await alice.get(`/api/v1/cases/${bareId}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ description: '', package: null, workarounds: '', references: [], credits: [], publishedAt: null });
    const edited = await alice.patch(`/api/v1/cases/${bareId}`, { workarounds: 'None known.' });
    expect(edited.status).toBe(200);
    expect(edited.body.workarounds).toBe('None known.');
  });
});
