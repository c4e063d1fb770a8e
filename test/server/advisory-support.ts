/**
 * Shared setup for the advisory API tests: a real app on a real database, the fake GitHub over real
 * HTTP (checked against GitHub's OpenAPI description), users with GitHub logins, and a case with
 * every advisory field, in the project connected to the fake.
 */
import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import { tuneGitHub } from '../../src/app/github/connection.js';
import { getCase, updateCase } from '../../src/store/cases.js';
import type { Store } from '../../src/store/store.js';
import { startFakeGitHub, type FakeGitHub } from '../support/fake-github.js';
import { client, startApp, userWithToken, type TestApp } from '../support/app.js';

export const WRITER_TOKEN = 'ghp_test_writer';
export const REPO = 'projectcontour/contour';

export type Api = ReturnType<typeof client>;

export interface AdvisoryWorld {
  t: TestApp;
  fake: FakeGitHub;
  admin: Api;
  alice: Api;
  bob: Api;
  mallory: Api;
  /** A case in project "contour" with everything a GHSA body needs; alice and bob are on it. */
  newCase(title?: string, project?: string): Promise<{ id: string; revision: number; title: string; codename: string }>;
  connect(token?: string): Promise<void>;
  close(): Promise<void>;
}

export async function advisoryWorld(open: () => Promise<Store>, startAt = '2026-11-25T10:00:00Z'): Promise<AdvisoryWorld> {
  const fake = await startFakeGitHub();
  const t = await startApp(open, startAt);
  // A key for this app only: no key file lands in the working directory.
  t.app.config.secretKey = randomBytes(32).toString('base64');
  // No real waiting in tests: polls and secondary-limit retries go at once.
  tuneGitHub(t.app, { sleep: async () => {}, pollAttempts: 4, pollIntervalMs: 0 });
  const admin = client(t.server, (await userWithToken(t.app, 'root', 'admin')).token);
  const alice = client(t.server, (await userWithToken(t.app, 'alice', 'member')).token);
  const bob = client(t.server, (await userWithToken(t.app, 'bob', 'member')).token);
  const mallory = client(t.server, (await userWithToken(t.app, 'mallory', 'member')).token);
  expect((await admin.put('/api/v1/users/root/github-login', { login: 'root-gh' })).status).toBe(200);
  expect((await alice.put('/api/v1/users/alice/github-login', { login: 'alice-gh' })).status).toBe(200);

  /** Projects other than the example one are added on first use, with alice and bob as members. */
  async function ensureProject(project: string) {
    if (project === 'contour') return;
    const added = await admin.post('/api/v1/projects', { id: project });
    expect([201, 409], JSON.stringify(added.body)).toContain(added.status);
    for (const u of ['alice', 'bob']) expect((await admin.put(`/api/v1/projects/${project}/members/${u}`, {})).status).toBe(200);
  }

  async function newCase(title = 'HTTPProxy include lets a tenant route to another namespace', project = 'contour') {
    await ensureProject(project);
    const created = await admin.post('/api/v1/cases', {
      title,
      project,
      reporter: { name: 'Ada Reporter', contact: 'ada@example.org', company: 'Acme', credit: 'name-without-company' },
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const edited = await admin.patch(`/api/v1/cases/${id}`, {
      description: 'A tenant can include an HTTPProxy from another namespace and route traffic there.',
      package: { ecosystem: 'Go', name: 'github.com/projectcontour/contour', repository: 'https://github.com/projectcontour/contour' },
      affected: [
        { introduced: '1.20.0', fixed: '1.27.4' },
        { introduced: '1.28.0', fixed: '1.28.2' },
      ],
      cvss: ['CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:H/I:H/A:N'],
      cwe: ['CWE-284'],
      credits: [
        { name: 'Jane Finder', login: 'jane-finder', type: 'finder' },
        { name: 'Nils Nologin', type: 'analyst' },
        { anonymous: true, type: 'coordinator' },
      ],
    });
    expect(edited.status, JSON.stringify(edited.body)).toBe(200);
    expect(
      (
        await admin.put(`/api/v1/cases/${id}/release-plan`, {
          lines: [
            { line: '1.28', version: '1.28.2' },
            { line: '1.27', version: '1.27.4' },
          ],
        })
      ).status,
    ).toBe(200);
    const embargo = await admin.put(`/api/v1/cases/${id}/embargo`, { endsAt: '2026-12-01 17:00', timeZone: 'Europe/Berlin' });
    expect(embargo.status).toBe(200);
    for (const who of ['alice', 'bob']) expect((await admin.put(`/api/v1/cases/${id}/access/${who}`)).status).toBe(200);
    const c = (await admin.get(`/api/v1/cases/${id}`)).body;
    return { id, revision: c.revision as number, title, codename: c.codename as string };
  }

  async function connect(token = WRITER_TOKEN) {
    const res = await admin.put('/api/v1/github/connections/contour', { repository: REPO, token, apiUrl: fake.url });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  }

  return {
    t,
    fake,
    admin,
    alice,
    bob,
    mallory,
    newCase,
    connect,
    close: async () => {
      await t.close();
      await fake.close();
    },
  };
}

/** Marks every step before `stepId` done, straight in the store: the tests here are about publication, not the step engine. */
export async function settleStepsBefore(t: TestApp, caseId: string, stepId: string): Promise<void> {
  await t.app.store.write(async (tx) => {
    const c = (await getCase(tx, caseId))!;
    const pb = t.app.playbooks.get(c.playbook);
    const upTo = pb.steps.findIndex((s) => s.id === stepId);
    const steps = { ...c.steps };
    for (const s of pb.steps.slice(0, upTo))
      steps[s.id] = { status: 'done', by: 'root', at: '2026-11-25T10:00:00.000Z', reason: null, confirmed: [] };
    await updateCase(tx, { ...c, steps, revision: c.revision + 1 }, c.revision);
  });
}

/** The case's revision and its events' actions, to prove a failure changed nothing. */
export async function caseState(
  api: Api,
  id: string,
): Promise<{ revision: number; ghsaId: string | null; cveId: string | null; actions: string[] }> {
  const c = (await api.get(`/api/v1/cases/${id}`)).body;
  const events = (await api.get(`/api/v1/cases/${id}/events`)).body.events as { action: string }[];
  return { revision: c.revision, ghsaId: c.ghsaId, cveId: c.cveId, actions: events.map((e) => e.action).filter((a) => a !== 'case.read') };
}
