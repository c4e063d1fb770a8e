/**
 * The GitHub client against the fake GitHub: every method on the happy path, then every error path.
 * The fake validates each request and each of its responses against GitHub's OpenAPI description;
 * every test ends with no violations.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ghsaAdvisory } from '../../../src/domain/exports/ghsa.js';
import { createGitHubClient, GitHubError, type GitHubClient, type GitHubRepo } from '../../../src/integrations/github/client.js';
import { contourCase } from '../../domain/exports/fixtures.js';
import { startFakeGitHub, type FakeGitHub } from '../../support/fake-github.js';
import { githubContract } from '../../support/github-openapi.js';

const WRITER = 'ghp_writer_0123456789abcdefABCDEF';
const READER = 'ghp_reader_0123456789abcdefABCDEF';
const NOBODY = 'ghp_nobody_0123456789abcdefABCDEF';
const CLASSIC = 'ghp_classic_0123456789abcdefABCDEF';
const OTHER_REPO = 'github_pat_other_0123456789abcdef';
const REPORTER = 'ghp_reporter_0123456789abcdefABCD';
const contour: GitHubRepo = { owner: 'projectcontour', name: 'contour' };

let fake: FakeGitHub;
let slept: number[];

const client = (token = WRITER, extra: { maxRetryAfterSeconds?: number; now?: () => number } = {}): GitHubClient =>
  createGitHubClient({
    baseUrl: fake.url,
    token,
    sleep: async (ms) => {
      slept.push(ms);
    },
    ...extra,
  });

/** The body Embargo pushes for the Contour-like case, without its CVE id (so one can be requested). */
const draftBody = () => ({ ...ghsaAdvisory(contourCase()), cve_id: null });

async function failure(p: Promise<unknown>): Promise<GitHubError> {
  const err = await p.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(GitHubError);
  const g = err as GitHubError;
  for (const token of [WRITER, READER, NOBODY, CLASSIC]) expect(g.message).not.toContain(token);
  expect(g.message).toMatch(/[.]$/);
  return g;
}

beforeEach(async () => {
  slept = [];
  fake = await startFakeGitHub({
    tokens: {
      [WRITER]: { login: 'maintainer', permissions: { repository_advisories: 'write' } },
      [READER]: { login: 'viewer', permissions: { repository_advisories: 'read' } },
      [NOBODY]: { login: 'stranger', permissions: {} },
      [CLASSIC]: { login: 'oldschool', scopes: ['repo', 'read:org'] },
      [OTHER_REPO]: { login: 'elsewhere', permissions: { repository_advisories: 'write' }, repos: ['someone/else'] },
      [REPORTER]: { login: 'finder-fiona', permissions: {} },
    },
    repos: ['projectcontour/contour', 'someone/else'],
  });
});

afterEach(async () => {
  fake.expectNoViolations();
  await fake.close();
});

describe('the GitHub client, happy paths', () => {
  it('reads who the token belongs to, with scopes only for classic tokens', async () => {
    const gh = client();
    expect(gh.rateLimit()).toBeNull();
    expect(await gh.authenticatedUser()).toEqual({ login: 'maintainer', scopes: null });
    expect(gh.rateLimit()).toMatchObject({ limit: 5000, remaining: 4999 });
    expect(await client(CLASSIC).authenticatedUser()).toEqual({ login: 'oldschool', scopes: ['repo', 'read:org'] });
  });

  it('checks access to the advisories with a read permission', async () => {
    await expect(client(READER).checkAdvisoryAccess(contour)).resolves.toBeUndefined();
    await expect(client(CLASSIC).checkAdvisoryAccess(contour)).resolves.toBeUndefined();
  });

  it('creates the draft from ghsaAdvisory(case), a body that passes GitHub’s schema', async () => {
    const body = ghsaAdvisory(contourCase());
    expect(githubContract().checkSchema('repository-advisory-create', body)).toEqual([]);
    const created = await client().createAdvisory(contour, body);
    expect(created.ghsa_id).toMatch(/^GHSA(-[23456789cfghjmpqrvwx]{4}){3}$/);
    expect(created).toMatchObject({
      state: 'draft',
      summary: 'Lua code injection via Cookie Path Rewrite Policy',
      cve_id: 'CVE-2026-41246',
      cwe_ids: ['CWE-94'],
      severity: 'high',
      credits: [{ login: 'janedoe-sec', type: 'finder' }],
      author: { login: 'maintainer' },
      published_at: null,
    });
    expect(created.vulnerabilities).toHaveLength(body.vulnerabilities.length);
    expect(created.vulnerabilities?.map((v) => v.patched_versions)).toEqual(body.vulnerabilities.map((v) => v.patched_versions));
    expect(created.cvss?.vector_string).toBe('CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:N/A:H');
    const sent = fake.requests.find((r) => r.method === 'POST')!;
    expect(sent.headers.authorization).toBe(`token ${WRITER}`);
    expect(sent.body).toEqual(body);
  });

  it('reads an advisory conditionally: 304 comes back as notModified, a change as the new value', async () => {
    const gh = client();
    const { ghsa_id } = await gh.createAdvisory(contour, draftBody());
    const first = await gh.getAdvisory(contour, ghsa_id);
    expect(first.notModified).toBe(false);
    expect(first.etag).toMatch(/^W\/"/);
    expect(first.value?.ghsa_id).toBe(ghsa_id);

    const again = await gh.getAdvisory(contour, ghsa_id, first.etag!);
    expect(again).toEqual({ notModified: true, etag: first.etag, value: null });
    expect(fake.requests.at(-1)).toMatchObject({ status: 304 });

    fake.changeOnGitHub('projectcontour/contour', ghsa_id, { summary: 'Edited on GitHub' });
    const changed = await gh.getAdvisory(contour, ghsa_id, first.etag!);
    expect(changed.notModified).toBe(false);
    expect(changed.value?.summary).toBe('Edited on GitHub');
    expect(changed.etag).not.toBe(first.etag);
  });

  it('lists every page of advisories, filters by state, and answers notModified for an unchanged list', async () => {
    await fake.close();
    // GitHub's timestamps have whole seconds: let each change happen a second after the last.
    let tick = Date.parse('2026-11-25T10:00:00Z');
    fake = await startFakeGitHub({
      tokens: { [WRITER]: { login: 'maintainer', permissions: { repository_advisories: 'write' } }, [REPORTER]: { login: 'finder-fiona' } },
      maxPerPage: 2,
      now: () => new Date((tick += 1000)),
    });
    const gh = client();
    const ids = [];
    for (let i = 0; i < 5; i++) ids.push((await gh.createAdvisory(contour, { ...draftBody(), summary: `Advisory ${i}` })).ghsa_id);
    const report = await fake.submitReport('projectcontour/contour', REPORTER, {
      summary: 'XSS in the dashboard',
      description: 'Steps to reproduce…',
    });

    const all = await gh.listAdvisories(contour);
    expect(all.value?.map((a) => a.ghsa_id).sort()).toEqual([...ids, report.ghsa_id].sort());
    expect(fake.requests.filter((r) => r.operation === 'GET /repos/{owner}/{repo}/security-advisories')).toHaveLength(3);

    const triage = await gh.listAdvisories(contour, { state: 'triage' });
    expect(triage.value?.map((a) => [a.ghsa_id, a.state, a.submission])).toEqual([[report.ghsa_id, 'triage', { accepted: false }]]);
    expect(triage.value?.[0]?.credits).toEqual([{ login: 'finder-fiona', type: 'reporter' }]);

    const unchanged = await gh.listAdvisories(contour, { state: 'triage', etag: triage.etag! });
    expect(unchanged).toMatchObject({ notModified: true, value: null });
    // An update anywhere moves that advisory to the first page (sorted by update), so the ETag changes.
    fake.changeOnGitHub('projectcontour/contour', ids[0]!, { summary: 'Touched' });
    const touched = await gh.listAdvisories(contour, { etag: all.etag! });
    expect(touched.notModified).toBe(false);
    expect(touched.value?.[0]?.summary).toBe('Touched');

    fake.changeOnGitHub('projectcontour/contour', ids[1]!, { state: 'withdrawn', withdrawn_at: '2026-11-25T10:00:00Z' });
    expect((await gh.listAdvisories(contour, { state: 'withdrawn' })).value?.map((a) => a.ghsa_id)).toEqual([ids[1]]);
  });

  it('updates the draft, sets collaborators and publishes', async () => {
    const gh = client();
    const { ghsa_id } = await gh.createAdvisory(contour, draftBody());
    const updated = await gh.updateAdvisory(contour, ghsa_id, {
      summary: 'New summary',
      cwe_ids: ['CWE-94', 'CWE-79'],
      collaborating_users: ['alice', 'bob'],
    });
    expect(updated.summary).toBe('New summary');
    expect(updated.cwe_ids).toEqual(['CWE-94', 'CWE-79']);
    expect(updated.collaborating_users?.map((u) => u.login)).toEqual(['alice', 'bob']);

    const published = await gh.updateAdvisory(contour, ghsa_id, { state: 'published' });
    expect(published.state).toBe('published');
    expect(published.published_at).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(published.publisher?.login).toBe('maintainer');
  });

  it('requests a CVE (202) whose id appears on the advisory after a few reads', async () => {
    fake.setCveDelay(2);
    const gh = client();
    const { ghsa_id } = await gh.createAdvisory(contour, draftBody());
    await expect(gh.requestCve(contour, ghsa_id)).resolves.toBeUndefined();
    expect(fake.requests.at(-1)).toMatchObject({ status: 202 });
    expect((await gh.getAdvisory(contour, ghsa_id)).value?.cve_id).toBeNull();
    expect((await gh.getAdvisory(contour, ghsa_id)).value?.cve_id).toBeNull();
    const assigned = (await gh.getAdvisory(contour, ghsa_id)).value!;
    expect(assigned.cve_id).toMatch(/^CVE-\d{4}-\d{4,}$/);
    expect(assigned.identifiers).toContainEqual({ type: 'CVE', value: assigned.cve_id });
  });

  it('creates the temporary private fork (202), which appears on the advisory later', async () => {
    fake.setForkDelay(1);
    const gh = client();
    const { ghsa_id } = await gh.createAdvisory(contour, draftBody());
    const fork = await gh.createPrivateFork(contour, ghsa_id);
    expect(fork).toEqual({
      fullName: `projectcontour/contour-${ghsa_id.toLowerCase()}`,
      htmlUrl: `https://github.com/projectcontour/contour-${ghsa_id.toLowerCase()}`,
    });
    expect((await gh.getAdvisory(contour, ghsa_id)).value?.private_fork).toBeNull();
    expect((await gh.getAdvisory(contour, ghsa_id)).value?.private_fork).toMatchObject({ full_name: fork.fullName, private: true });
  });
});

describe('the GitHub client, error paths', () => {
  it('401: a sentence about the token, without the token', async () => {
    const err = await failure(createGitHubClient({ baseUrl: fake.url, token: 'ghp_revoked_token_123456' }).authenticatedUser());
    expect(err).toMatchObject({ kind: 'unauthorized', status: 401 });
    expect(err.message).toContain('GitHub did not accept the token');
    expect(err.message).not.toContain('ghp_revoked_token_123456');

    fake.failNext('unauthorized');
    expect(await failure(client().createAdvisory(contour, draftBody()))).toMatchObject({ kind: 'unauthorized' });
  });

  it('403: names the permission the token lacks, from X-Accepted-GitHub-Permissions', async () => {
    const read = await failure(client(NOBODY).checkAdvisoryAccess(contour));
    expect(read).toMatchObject({ kind: 'forbidden', status: 403, missingPermission: 'repository_advisories: read' });
    expect(read.message).toBe(
      "GitHub refused: the token lacks the 'repository_advisories: read' permission on projectcontour/contour, needed to read the security advisories of projectcontour/contour.",
    );
    const write = await failure(client(READER).createAdvisory(contour, draftBody()));
    expect(write.missingPermission).toBe('repository_advisories: write');
    expect(write.message).toContain(
      "GitHub refused: the token lacks the 'repository_advisories: write' permission on projectcontour/contour",
    );

    fake.failNext('missing-permission', { method: 'PATCH' });
    const { ghsa_id } = await client().createAdvisory(contour, draftBody());
    expect(await failure(client().updateAdvisory(contour, ghsa_id, { state: 'published' }))).toMatchObject({
      kind: 'forbidden',
      missingPermission: 'repository_advisories: write',
    });
    expect(fake.advisory('projectcontour/contour', ghsa_id)?.state).toBe('draft');
  });

  it('403 for a classic token without the scope names the scope', async () => {
    fake.state.tokens.set('ghp_classic_noscope_1234567890', { login: 'oldschool', scopes: ['read:org'] });
    const err = await failure(client('ghp_classic_noscope_1234567890').checkAdvisoryAccess(contour));
    expect(err).toMatchObject({ kind: 'forbidden', missingPermission: "repo' or 'repository_advisories" });
    expect(err.message).toContain("lacks the 'repo' or 'repository_advisories' scope on projectcontour/contour");
  });

  it('404: an unknown repository, one the token cannot see, an unknown advisory', async () => {
    const unknown = await failure(client().checkAdvisoryAccess({ owner: 'projectcontour', name: 'nope' }));
    expect(unknown).toMatchObject({ kind: 'not_found', status: 404 });
    expect(unknown.message).toContain('GitHub found no repository projectcontour/nope');
    expect(await failure(client(OTHER_REPO).listAdvisories(contour))).toMatchObject({ kind: 'not_found' });
    const advisory = await failure(client().getAdvisory(contour, 'GHSA-2222-3333-4444'));
    expect(advisory.message).toContain('GitHub found no advisory GHSA-2222-3333-4444 in projectcontour/contour');
  });

  it("422: GitHub's validation message and details in the sentence", async () => {
    const gh = client();
    const { ghsa_id } = await gh.createAdvisory(contour, draftBody());
    await gh.updateAdvisory(contour, ghsa_id, { state: 'published' });
    const back = await failure(gh.updateAdvisory(contour, ghsa_id, { state: 'draft' }));
    expect(back).toMatchObject({ kind: 'validation', status: 422 });
    expect(back.message).toBe(
      `GitHub rejected the request to update advisory ${ghsa_id}: Invalid state transition from \`published\` to \`draft\`.`,
    );

    fake.failNext('validation');
    const injected = await failure(gh.requestCve(contour, ghsa_id));
    expect(injected.message).toContain('Validation Failed — vulnerabilities: Package name is required for a published advisory');
  });

  it('waits out a short secondary rate limit (403 or 429 with retry-after), at most twice', async () => {
    const gh = client();
    fake.failNext('secondary-rate-limit', { retryAfter: 3 });
    fake.failNext('too-many-requests', { retryAfter: 5 });
    const created = await gh.createAdvisory(contour, draftBody());
    expect(created.state).toBe('draft');
    expect(slept).toEqual([3000, 5000]);
    expect(fake.state.repos.get('projectcontour/contour')!.advisories.size).toBe(1);

    fake.failNext('secondary-rate-limit', { retryAfter: 1, times: 3 });
    const err = await failure(gh.getAdvisory(contour, created.ghsa_id));
    expect(err).toMatchObject({ kind: 'rate_limited', status: 403, retryAfterSeconds: 1 });
    expect(err.message).toBe("GitHub's secondary rate limit: try again in 1 s; nothing was changed on the case.");
  });

  it('reports a secondary rate limit longer than maxRetryAfterSeconds instead of waiting', async () => {
    fake.failNext('too-many-requests', { retryAfter: 60 });
    const err = await failure(client(WRITER, { maxRetryAfterSeconds: 30 }).listAdvisories(contour));
    expect(err).toMatchObject({ kind: 'rate_limited', status: 429, retryAfterSeconds: 60 });
    expect(err.message).toBe("GitHub's secondary rate limit: try again in 60 s; nothing was changed on the case.");
    expect(slept).toEqual([]);
  });

  it('the primary rate limit: reported with the reset time, and no request is sent while it lasts', async () => {
    const gh = client();
    fake.failNext('primary-rate-limit');
    const err = await failure(gh.authenticatedUser());
    expect(err).toMatchObject({ kind: 'rate_limited', status: 403 });
    expect(err.retryAfterSeconds).toBeGreaterThan(3500);
    expect(err.message).toMatch(/^GitHub's API rate limit for this token is used up: try again in 60 min/);

    const sent = fake.requests.length;
    const early = await failure(gh.checkAdvisoryAccess(contour));
    expect(early).toMatchObject({ kind: 'rate_limited', status: null });
    expect(early.message).toMatch(/used up until \d{4}-\d\d-\d\dT.*Z: try again in 60 min; nothing was sent\.$/);
    expect(fake.requests.length).toBe(sent);
  });

  it('stops before asking once the last answer said no requests remain, and again after the reset', async () => {
    let clock = Date.now();
    const gh = client(WRITER, { now: () => clock });
    fake.setRateLimitRemaining(WRITER, 0);
    await gh.authenticatedUser();
    expect(gh.rateLimit()?.remaining).toBe(0);
    const sent = fake.requests.length;
    expect(await failure(gh.authenticatedUser())).toMatchObject({ kind: 'rate_limited' });
    expect(fake.requests.length).toBe(sent);
    clock += 3601_000;
    fake.setRateLimitRemaining(WRITER, 10);
    await expect(gh.authenticatedUser()).resolves.toMatchObject({ login: 'maintainer' });
  });

  it('5xx: unavailable, nothing changed', async () => {
    fake.failNext('server-error');
    const err = await failure(client().listAdvisories(contour));
    expect(err).toMatchObject({ kind: 'unavailable', status: 502 });
    expect(err.message).toContain('GitHub answered 502 (a server error)');
  });

  it('a dropped connection: network, with a warning that a write may have arrived', async () => {
    fake.failNext('drop');
    const read = await failure(client().getAdvisory(contour, 'GHSA-2222-3333-4444'));
    expect(read).toMatchObject({ kind: 'network', status: null });
    expect(read.message).toBe(
      'GitHub did not answer (connection reset) while trying to read advisory GHSA-2222-3333-4444; nothing was changed on the case.',
    );

    fake.failNext('drop', { method: 'POST' });
    const write = await failure(client().createAdvisory(contour, draftBody()));
    expect(write.message).toContain(
      'GitHub did not answer (connection reset) while trying to create the advisory draft on projectcontour/contour',
    );
    expect(write.message).toContain("check projectcontour/contour's advisories before trying again");
  });

  it('an answer that never comes: network, after the timeout', async () => {
    fake.failNext('hang');
    const err = await failure(createGitHubClient({ baseUrl: fake.url, token: WRITER, timeoutMs: 300 }).listAdvisories(contour));
    expect(err).toMatchObject({ kind: 'network', status: null });
    expect(err.message).toBe(
      'GitHub did not answer (timed out after 0.3 s) while trying to list the security advisories of projectcontour/contour; nothing was changed on the case.',
    );
  });

  it('a server that is not there: network', async () => {
    const url = fake.url;
    await fake.close();
    const err = await failure(createGitHubClient({ baseUrl: url, token: WRITER }).authenticatedUser());
    expect(err).toMatchObject({ kind: 'network' });
    expect(err.message).toContain('connection refused');
    fake = await startFakeGitHub();
  });
});
