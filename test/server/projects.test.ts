/**
 * Many projects in one install, over the API: each project's settings laid over its playbook's and
 * checked when configured, per-project roles, a distributors list per project, mail addresses from
 * the case's project only, and need-to-know with a project dimension (a member of one project learns
 * nothing of another's cases, not even that they exist).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, startApp, userWithToken, type TestApp } from '../support/app.js';
import { storeFactories } from '../support/databases.js';

const K8S = {
  id: 'kubernetes',
  name: 'Kubernetes',
  playbook: 'kubernetes',
  repository: 'https://github.com/kubernetes/kubernetes',
  settings: {
    distributorsList: 'distributors-announce@kubernetes.example',
    usersList: 'security-announce@kubernetes.example',
    securityContact: 'security@kubernetes.example',
    timeZone: 'America/Los_Angeles',
    holidays: ['2026-12-25', '2026-12-24'],
  },
};

describe.each(storeFactories())('projects ($name)', ({ open }) => {
  let t: TestApp;
  let root: ReturnType<typeof client>;
  let kate: ReturnType<typeof client>; // kubernetes member only
  let carl: ReturnType<typeof client>; // contour member only
  let paula: ReturnType<typeof client>; // kubernetes project admin, not an instance admin
  let contourCase: { id: string; title: string; codename: string };
  let k8sCase: { id: string; title: string; codename: string };

  beforeAll(async () => {
    t = await startApp(open);
    root = client(t.server, (await userWithToken(t.app, 'root', 'admin')).token);
    // One project so far: new users join it.
    carl = client(t.server, (await userWithToken(t.app, 'carl', 'member')).token);
    const k = await root.post('/api/v1/projects', K8S);
    expect(k.status, JSON.stringify(k.body)).toBe(201);
    kate = client(t.server, (await userWithToken(t.app, 'kate', 'member', undefined, ['kubernetes'])).token);
    paula = client(t.server, (await userWithToken(t.app, 'paula', 'member', undefined, ['kubernetes:admin'])).token);
    contourCase = (await carl.post('/api/v1/cases', { title: 'Contour header smuggling', project: 'contour' })).body;
    k8sCase = (await kate.post('/api/v1/cases', { title: 'Kubelet path traversal', project: 'kubernetes' })).body;
    expect(contourCase.id && k8sCase.id).toBeTruthy();
  });
  afterAll(() => t.close());

  it('starts with Contour as the example project, and lays each project over its playbook', async () => {
    const list = await root.get('/api/v1/projects');
    expect(list.body.projects.map((p: { id: string; playbook: string }) => [p.id, p.playbook])).toEqual([
      ['contour', 'contour'],
      ['kubernetes', 'kubernetes'],
    ]);
    const k = await root.get('/api/v1/projects/kubernetes');
    expect(k.status).toBe(200);
    expect(k.headers.etag).toBe('"1"');
    expect(k.body).toMatchObject({
      repository: 'kubernetes/kubernetes',
      settings: { ...K8S.settings, holidays: ['2026-12-24', '2026-12-25'] },
      // Its own addresses win; what it does not set (the note, the tag) comes from the playbook.
      effectiveSettings: {
        distributorsList: 'distributors-announce@kubernetes.example',
        embargoedMailCarriesCve: true,
        securityTag: '[Security Advisory]',
      },
    });
    expect(k.body.effectiveSettings.embargoNote).toContain('This notice is embargoed');
  });

  it('refuses a mistyped setting when it is configured, naming it', async () => {
    const cases: [unknown, RegExp][] = [
      [{ distributorsList: 'distributors-announce@@kubernetes.example' }, /^settings\.distributorsList .* is not a plain mail address/],
      [{ timeZone: 'America/Los Angeles' }, /^settings\.timeZone "America\/Los Angeles" is not a time zone/],
      [{ holidays: ['2026-02-30'] }, /^settings\.holidays: "2026-02-30" is not a day like 2026-12-25$/],
      [{ releasePolicy: { supportedLines: 0, tagPrefix: 'v' } }, /supportedLines/],
    ];
    for (const [settings, message] of cases) {
      const res = await root.patch('/api/v1/projects/kubernetes', { settings });
      expect(res.status, JSON.stringify(settings)).toBe(400);
      expect(res.body.error.message).toMatch(message);
    }
    const unknownKey = await root.patch('/api/v1/projects/kubernetes', { settings: { distributorList: 'x@y.example' } });
    expect(unknownKey.status).toBe(400);
    expect((await root.post('/api/v1/projects', { id: 'Not A Slug' })).status).toBe(400);
    expect((await root.post('/api/v1/projects', { id: 'x', playbook: 'nope' })).body.error.message).toBe(
      'no playbook "nope"; known: contour, kubernetes',
    );
    expect((await root.post('/api/v1/projects', { id: 'kubernetes' })).status).toBe(409);
    expect((await root.get('/api/v1/projects/kubernetes')).body.revision).toBe(1);
  });

  it('lets a project admin change its settings and members, but not its playbook or another project', async () => {
    const tag = await paula.patch('/api/v1/projects/kubernetes', { settings: { securityTag: '[K8s Security]' } });
    expect(tag.status, JSON.stringify(tag.body)).toBe(200);
    expect(tag.body.revision).toBe(2);
    const stale = await paula.call('PATCH', '/api/v1/projects/kubernetes', { settings: { securityTag: '#x' } }, { 'if-match': '"1"' });
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('revision_conflict');
    // Back to the playbook's tag.
    expect((await paula.patch('/api/v1/projects/kubernetes', { settings: { securityTag: null } })).body.effectiveSettings.securityTag).toBe(
      '[Security Advisory]',
    );
    expect((await paula.patch('/api/v1/projects/kubernetes', { playbook: 'contour' })).status).toBe(403);
    expect((await paula.post('/api/v1/projects/kubernetes/archive')).status).toBe(403);
    expect((await paula.put('/api/v1/projects/kubernetes/members/carl', { role: 'member' })).status).toBe(200);
    expect((await paula.delete('/api/v1/projects/kubernetes/members/carl')).status).toBe(200);
    // Another project is one she is not told about.
    expect((await paula.patch('/api/v1/projects/contour', { settings: { securityTag: '#x' } })).status).toBe(404);
    // A plain member reads the project but changes nothing.
    expect((await kate.get('/api/v1/projects/kubernetes')).body.role).toBe('member');
    expect((await kate.patch('/api/v1/projects/kubernetes', { name: 'K' })).status).toBe(403);
    // Every change is in the audit log, with who did it.
    const log = await root.get('/api/v1/audit/events?limit=500');
    const mine = log.body.events.filter((e: { actor: string; action: string }) => e.actor === 'paula' && e.action.startsWith('project.'));
    expect(mine.map((e: { action: string }) => e.action)).toEqual([
      'project.edited',
      'project.edited',
      'project.member_added',
      'project.member_removed',
    ]);
  });

  it('keeps a member of one project from learning that the other project or its cases exist', async () => {
    expect((await carl.get('/api/v1/projects')).body.projects.map((p: { id: string }) => p.id)).toEqual(['contour']);
    expect((await carl.get('/api/v1/projects/kubernetes')).status).toBe(404);
    // The same answer as for a project that does not exist.
    expect((await carl.get('/api/v1/projects/kubernetes')).body.error.message).toBe(
      'no project "kubernetes"; an admin adds it with: embargo project add kubernetes --name NAME --playbook PLAYBOOK',
    );
    const mine = await carl.get('/api/v1/cases');
    expect(mine.body.cases.map((c: { id: string }) => c.id)).toEqual([contourCase.id]);
    expect((await carl.get('/api/v1/cases?project=kubernetes')).body.cases).toEqual([]);
    expect((await carl.get(`/api/v1/cases?q=${encodeURIComponent(k8sCase.title)}`)).body.cases).toEqual([]);
    const probe = await carl.get(`/api/v1/cases/${k8sCase.id}`);
    expect(probe.status).toBe(404);
    expect(JSON.stringify(probe.body)).not.toContain(k8sCase.title);
    // Nor can they open a case there, or be put on one.
    expect((await carl.post('/api/v1/cases', { title: 'x', project: 'kubernetes' })).status).toBe(404);
    const put = await root.put(`/api/v1/cases/${k8sCase.id}/access/carl`);
    expect(put.status).toBe(409);
    expect(put.body.error.message).toBe(
      'carl is not a member of project kubernetes; add them first with: embargo project member add kubernetes carl',
    );
  });

  it("shows a project admin every case of the project, and lets them manage its cases' access lists", async () => {
    const cases = await paula.get('/api/v1/cases');
    expect(cases.body.cases.map((c: { id: string }) => c.id)).toEqual([k8sCase.id]);
    expect((await paula.get(`/api/v1/cases/${k8sCase.id}`)).status).toBe(200);
    expect((await paula.get(`/api/v1/cases/${contourCase.id}`)).status).toBe(404);
    const granted = await paula.put(`/api/v1/cases/${k8sCase.id}/access/paula`);
    expect(granted.status).toBe(200);
    expect((await kate.put(`/api/v1/cases/${k8sCase.id}/access/paula`)).status).toBe(403);
  });

  it('asks which project when there are several, and names the command for an unknown one', async () => {
    const none = await root.post('/api/v1/cases', { title: 'Which project?' });
    expect(none.status).toBe(400);
    expect(none.body.error.message).toBe('name the project (--project): one of contour, kubernetes');
    const unknown = await root.post('/api/v1/cases', { title: 'x', project: 'gatekeeper' });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.message).toBe(
      'no project "gatekeeper"; an admin adds it with: embargo project add gatekeeper --name NAME --playbook PLAYBOOK',
    );
    const wrongPlaybook = await root.post('/api/v1/cases', { title: 'x', project: 'kubernetes', playbook: 'contour' });
    expect(wrongPlaybook.status).toBe(400);
    // A member of one project only needs no --project.
    const kates = await kate.post('/api/v1/cases', { title: 'Second kubelet issue' });
    expect(kates.status).toBe(201);
    expect(kates.body).toMatchObject({ project: 'kubernetes', playbook: 'kubernetes' });
  });

  it("keeps a distributors list per project, and counts only the case's project's members", async () => {
    const alpha = await root.post('/api/v1/distributors', {
      project: 'contour',
      organisation: 'Alpha Linux',
      contact: 'security@alpha.example',
    });
    expect(alpha.status).toBe(201);
    const kube = await paula.post('/api/v1/distributors', {
      project: 'kubernetes',
      organisation: 'Kube Vendor',
      contact: 'psirt@kube.example',
    });
    expect(kube.status, JSON.stringify(kube.body)).toBe(201);
    expect((await paula.post('/api/v1/distributors', { project: 'contour', organisation: 'X', contact: 'x@x.example' })).status).toBe(404);
    expect((await kate.post('/api/v1/distributors', { project: 'kubernetes', organisation: 'X', contact: 'x@x.example' })).status).toBe(
      403,
    );
    expect((await kate.get('/api/v1/distributors')).body.distributors.map((d: { organisation: string }) => d.organisation)).toEqual([
      'Kube Vendor',
    ]);
    expect((await carl.get('/api/v1/distributors?project=kubernetes')).status).toBe(404);
    // Another project's member cannot answer on this case's date.
    await root.put(`/api/v1/cases/${k8sCase.id}/embargo`, { endsAt: '2026-12-10 09:00', timeZone: 'America/Los_Angeles' });
    const wrongList = await root.put(`/api/v1/cases/${k8sCase.id}/acks/${alpha.body.id}`, { answer: 'ack' });
    expect(wrongList.status).toBe(404);
    expect(wrongList.body.error.message).toBe(`distributor ${alpha.body.id} is not on the distributors list of project kubernetes`);
    const acks = await root.put(`/api/v1/cases/${k8sCase.id}/acks/${kube.body.id}`, { answer: 'ack' });
    expect(acks.status, JSON.stringify(acks.body)).toBe(200);
    expect(acks.body.members.map((m: { organisation: string }) => m.organisation)).toEqual(['Kube Vendor']);
  });

  it("takes every address and name of a mail from the case's project, and the lint refuses the other project's list", async () => {
    const draft = await root.get(`/api/v1/cases/${k8sCase.id}/messages/draft?kind=distributors-notice`);
    expect(draft.status).toBe(200);
    expect(draft.body.message.to).toEqual(['distributors-announce@kubernetes.example']);
    expect(draft.body.message.from).toBe('security@kubernetes.example');
    expect(draft.body.message.body).toContain('The Kubernetes Security Team');
    // The CSAF document is published by the project, at its GitHub owner.
    const facts = await root.patch(`/api/v1/cases/${k8sCase.id}`, {
      package: { ecosystem: 'Go', name: 'k8s.io/kubernetes' },
      affected: [{ introduced: '1.30.0', fixed: '1.30.9' }],
      description: 'A node can read secrets of another namespace.',
    });
    expect(facts.status, JSON.stringify(facts.body)).toBe(200);
    const csaf = await root.get(`/api/v1/cases/${k8sCase.id}/export?format=csaf`);
    expect(csaf.status, JSON.stringify(csaf.body)).toBe(200);
    expect(csaf.body.document.publisher).toMatchObject({ name: 'Kubernetes', namespace: 'https://github.com/kubernetes' });
    const contourDraft = await root.get(`/api/v1/cases/${contourCase.id}/messages/draft?kind=distributors-notice`);
    expect(contourDraft.body.message.to).toEqual(['cncf-contour-distributors-announce@lists.cncf.io']);
    const wrong = await root.post(`/api/v1/cases/${k8sCase.id}/messages`, {
      kind: 'distributors-notice',
      to: ['cncf-contour-distributors-announce@lists.cncf.io'],
      via: 'copy',
    });
    expect(wrong.status).toBe(422);
    expect(JSON.stringify(wrong.body)).toContain(
      'cncf-contour-distributors-announce@lists.cncf.io is not a configured address for the embargoed distributors notice; it goes only to distributors-announce@kubernetes.example.',
    );
  });

  it('archives a project: no new cases, its cases stay readable, and it can be restored', async () => {
    const archived = await root.post('/api/v1/projects/kubernetes/archive');
    expect(archived.status).toBe(200);
    expect(archived.body.archivedAt).toBe('2026-11-25T10:00:00.000Z');
    expect((await kate.post('/api/v1/cases', { title: 'x', project: 'kubernetes' })).status).toBe(409);
    expect((await kate.get(`/api/v1/cases/${k8sCase.id}`)).status).toBe(200);
    expect((await root.get('/api/v1/projects')).body.projects.map((p: { id: string }) => p.id)).toEqual(['contour']);
    expect((await root.get('/api/v1/projects?all=true')).body.projects).toHaveLength(2);
    expect((await root.post('/api/v1/projects/kubernetes/restore')).body.archivedAt).toBeNull();
  });
});
