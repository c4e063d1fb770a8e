/**
 * When GitHub fails, the API says so in a sentence with a fitting status, and the case is exactly as
 * it was (revision, ids, no event of the action): 401, 403 with the missing permission, 404, 422,
 * secondary and primary rate limits (429 with Retry-After), a 5xx and a dropped connection. A short
 * secondary limit is waited out. And the token never appears anywhere: not in the server log, not in
 * any API answer, export or case file, not in the event log, not in the database in clear text.
 */
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app/app.js';
import { configFromEnv } from '../../src/app/config.js';
import { localActor } from '../../src/app/actor.js';
import { syncAdvisory } from '../../src/app/github/advisory.js';
import { tuneGitHub } from '../../src/app/github/connection.js';
import { DomainError } from '../../src/domain/errors.js';
import { buildServer } from '../../src/server/server.js';
import { storeFactories } from '../support/databases.js';
import { startFakeGitHub, type Failure, type FailureOptions } from '../support/fake-github.js';
import { client, userWithToken } from '../support/app.js';
import { advisoryWorld, caseState, REPO, WRITER_TOKEN, type AdvisoryWorld } from './advisory-support.js';

describe.each(storeFactories())('GitHub failures through the API ($name)', ({ open }) => {
  let w: AdvisoryWorld;
  let sleeps: number[];

  beforeAll(async () => {
    w = await advisoryWorld(open);
    sleeps = [];
    tuneGitHub(w.t.app, { sleep: async (ms) => void sleeps.push(ms) });
    await w.connect();
  });
  afterAll(() => w.close());
  afterEach(() => w.fake.expectNoViolations());

  const CREATE = { method: 'POST', path: /\/security-advisories$/ };
  const cases: [Failure, FailureOptions, number, string, RegExp][] = [
    [
      'unauthorized',
      CREATE,
      502,
      'github_unauthorized',
      /^GitHub did not accept the token while trying to create the advisory draft on projectcontour\/contour .*save a new token/,
    ],
    [
      'missing-permission',
      CREATE,
      502,
      'github_forbidden',
      /^GitHub refused: the token lacks the 'repository_advisories: write' permission on projectcontour\/contour/,
    ],
    ['not-found', CREATE, 502, 'github_not_found', /^GitHub found no repository projectcontour\/contour/],
    [
      'validation',
      CREATE,
      422,
      'github_validation',
      /^GitHub rejected the request to create the advisory draft on projectcontour\/contour: Validation Failed — vulnerabilities: Package name is required/,
    ],
    [
      'secondary-rate-limit',
      { ...CREATE, retryAfter: 600 },
      429,
      'github_rate_limited',
      /^GitHub's secondary rate limit: try again in 10 min; nothing was changed on the case\.$/,
    ],
    ['too-many-requests', { ...CREATE, retryAfter: 90 }, 429, 'github_rate_limited', /^GitHub's secondary rate limit: try again in 90 s/],
    [
      'server-error',
      CREATE,
      502,
      'github_unavailable',
      /^GitHub answered 502 \(a server error\) while trying to create the advisory draft on projectcontour\/contour; nothing was changed on the case/,
    ],
    [
      'drop',
      CREATE,
      502,
      'github_network',
      /^GitHub did not answer \(.+\) while trying to create the advisory draft on projectcontour\/contour; nothing was changed on the case/,
    ],
    // Last: it uses up the token's window (reset afterwards).
    ['primary-rate-limit', CREATE, 429, 'github_rate_limited', /^GitHub's API rate limit for this token is used up/],
  ];

  it.each(cases)('%s: a sentence, a fitting status, and the case unchanged', async (failure, options, status, code, message) => {
    const kase = await w.newCase(`Case for ${failure}`);
    const before = await caseState(w.admin, kase.id);
    w.fake.failNext(failure, options);
    const res = await w.alice.post(`/api/v1/cases/${kase.id}/advisory/push`, {});
    expect(res.status, JSON.stringify(res.body)).toBe(status);
    expect(res.body.error.code).toBe(code);
    expect(res.body.error.message).toMatch(message);
    if (status === 429) expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    const after = await caseState(w.admin, kase.id);
    expect(after).toEqual(before);
    expect(after.actions).not.toContain('advisory.pushed');
    if (failure === 'primary-rate-limit') {
      // The client now knows the limit is used up: the next call stops before asking GitHub.
      const sent = w.fake.requests.length;
      const next = await w.alice.post(`/api/v1/cases/${kase.id}/advisory/push`, {});
      expect(next.status).toBe(429);
      expect(next.body.error.message).toMatch(/nothing was sent/);
      expect(w.fake.requests.length).toBe(sent);
      // A new window on GitHub, and a token saved anew (a fresh client that has not seen the limit).
      w.fake.setRateLimitRemaining(WRITER_TOKEN, 4000);
      await w.connect();
    }
  });

  it('waits out a short secondary rate limit and then succeeds', async () => {
    const kase = await w.newCase('Case after a short limit');
    sleeps.length = 0;
    w.fake.failNext('secondary-rate-limit', { ...CREATE, retryAfter: 2 });
    const res = await w.alice.post(`/api/v1/cases/${kase.id}/advisory/push`, {});
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(sleeps).toEqual([2000]);
    expect(res.body.case.ghsaId).toMatch(/^GHSA-/);
  });

  it('a changed secret key is a sentence for the operator, not a server error', async () => {
    const kase = await w.newCase('Case after a key change');
    const other = await createApp(
      w.t.app.store,
      { ...w.t.app.config, secretKey: randomBytes(32).toString('base64') },
      { clock: w.t.app.clock },
    );
    const err = await syncAdvisory(other, localActor('test'), kase.id).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DomainError);
    expect((err as DomainError).code).toBe('conflict');
    expect((err as DomainError).message).toMatch(
      /^the GitHub token cannot be used: a stored secret cannot be decrypted with the key from EMBARGO_SECRET_KEY: the key changed or the value was tampered with; connect again/,
    );
  });

  it('a failure on the CVE request or the fork changes nothing either', async () => {
    const kase = await w.newCase('Case with a failing CVE request');
    expect((await w.alice.post(`/api/v1/cases/${kase.id}/advisory/push`, {})).status).toBe(200);
    const before = await caseState(w.admin, kase.id);
    w.fake.failNext('missing-permission', { method: 'POST', path: /\/cve$/ });
    const cve = await w.alice.post(`/api/v1/cases/${kase.id}/advisory/cve`, {});
    expect(cve.status).toBe(502);
    expect(cve.body.error.message).toMatch(
      /lacks the 'repository_advisories: write' permission .* needed to request a CVE id for advisory GHSA-/,
    );
    w.fake.failNext('drop', { method: 'POST', path: /\/forks$/ });
    const fork = await w.alice.post(`/api/v1/cases/${kase.id}/advisory/fork`, {});
    expect(fork.status).toBe(502);
    expect(fork.body.error.message).toMatch(/^GitHub did not answer .* the request may still have reached GitHub/);
    expect(await caseState(w.admin, kase.id)).toEqual(before);
  });
});

describe.each(storeFactories())('the GitHub token never leaks ($name)', ({ open }) => {
  it('is in no log line, API answer, export, case file, event or clear-text column', async () => {
    const TOKEN = `ghp_${randomBytes(18).toString('hex')}`;
    const WRONG = `ghp_${randomBytes(18).toString('hex')}`;
    const fake = await startFakeGitHub({ tokens: { [TOKEN]: { login: 'maintainer', permissions: { repository_advisories: 'write' } } } });
    const log: string[] = [];
    const stream = new Writable({
      write(chunk, _enc, done) {
        log.push(String(chunk));
        done();
      },
    });
    const store = await open();
    const now = new Date('2026-11-25T10:00:00Z');
    const app = await createApp(store, { ...configFromEnv({}), secretKey: randomBytes(32).toString('base64') }, { clock: () => now });
    tuneGitHub(app, { sleep: async () => {}, pollIntervalMs: 0 });
    const server = await buildServer(app, { logger: { level: 'trace', stream } });
    const answers: string[] = [];
    const admin = client(server, (await userWithToken(app, 'root', 'admin')).token);
    const call = async (method: string, url: string, body?: unknown) => {
      const res = await admin.call(method, url, body);
      answers.push(JSON.stringify({ status: res.status, headers: res.headers, body: res.body }));
      return res;
    };
    try {
      await call('PUT', '/api/v1/github/connections/contour', { repository: REPO, token: WRONG, apiUrl: fake.url });
      expect((await call('PUT', '/api/v1/github/connections/contour', { repository: REPO, token: TOKEN, apiUrl: fake.url })).status).toBe(
        200,
      );
      const kase = (await call('POST', '/api/v1/cases', { title: 'Leak check', reporter: { name: 'Ada', contact: 'ada@example.org' } }))
        .body;
      await call('PATCH', `/api/v1/cases/${kase.id}`, {
        description: 'What goes wrong.',
        package: { ecosystem: 'Go', name: 'github.com/projectcontour/contour', repository: 'https://github.com/projectcontour/contour' },
        affected: [{ introduced: '1.20.0', fixed: '1.28.2' }],
        cvss: ['CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:H/I:H/A:N'],
        cwe: ['CWE-284'],
      });
      await call('PUT', `/api/v1/cases/${kase.id}/release-plan`, { lines: [{ line: '1.28', version: '1.28.2' }] });
      await call('POST', `/api/v1/cases/${kase.id}/advisory/push`, { dryRun: true });
      await call('POST', `/api/v1/cases/${kase.id}/advisory/push`, {});
      await call('POST', `/api/v1/cases/${kase.id}/advisory/cve`, {});
      await call('POST', `/api/v1/cases/${kase.id}/advisory/fork`, {});
      await call('POST', `/api/v1/cases/${kase.id}/advisory/sync`, {});
      for (const failure of ['unauthorized', 'missing-permission', 'drop'] as const) {
        fake.failNext(failure);
        await call('POST', `/api/v1/cases/${kase.id}/advisory/sync`, {});
      }
      await call('PATCH', `/api/v1/cases/${kase.id}`, { title: 'Leak check, edited' });
      fake.failNext('validation', { method: 'PATCH' });
      expect((await call('POST', `/api/v1/cases/${kase.id}/advisory/push`, {})).status).toBe(422);
      await call('POST', `/api/v1/cases/${kase.id}/advisory/publish`, {});
      await call('POST', '/api/v1/github/connections/contour/check');
      await call('GET', '/api/v1/github/connections');
      await call('POST', '/api/v1/github/imports', { project: 'contour' });
      for (const format of ['osv', 'cve5', 'csaf', 'ghsa', 'md']) await call('GET', `/api/v1/cases/${kase.id}/export?format=${format}`);
      await call('GET', `/api/v1/cases/${kase.id}/case-file`);
      await call('GET', `/api/v1/cases/${kase.id}`);
      await call('GET', `/api/v1/cases/${kase.id}/events`);
      const openapi = await call('GET', '/api/v1/openapi.json');
      expect(openapi.status).toBe(200);
      expect(Object.keys(openapi.body.paths)).toEqual(
        expect.arrayContaining(['/api/v1/cases/{caseId}/advisory/push', '/api/v1/github/connections/{project}']),
      );
      const events = await store.db.selectFrom('events').selectAll().execute();
      const connections = await store.db.selectFrom('github_connections').selectAll().execute();
      const links = await store.db.selectFrom('github_advisory_links').selectAll().execute();
      const settings = await store.db.selectFrom('settings').selectAll().execute();

      expect(answers.length).toBeGreaterThan(25);
      expect(log.length).toBeGreaterThan(25);
      expect(events.some((e) => e.action === 'github.connected')).toBe(true);
      expect(connections).toHaveLength(1);
      const haystacks: [string, string][] = [
        ['server log', log.join('\n')],
        ['API answers', answers.join('\n')],
        ['events', JSON.stringify(events)],
        ['github_connections', JSON.stringify(connections)],
        ['github_advisory_links', JSON.stringify(links)],
        ['settings', JSON.stringify(settings)],
      ];
      for (const secret of [TOKEN, WRONG]) {
        const needles = [
          secret,
          Buffer.from(secret).toString('base64'),
          Buffer.from(secret).toString('base64url'),
          Buffer.from(secret).toString('hex'),
          secret.slice(4),
        ];
        for (const [where, text] of haystacks)
          for (const needle of needles)
            expect(text.includes(needle), `${where} holds the token (${needle === secret ? 'clear' : 'encoded'})`).toBe(false);
      }
      // The fake did get it, as a Bearer header: the check above is not vacuous.
      expect(
        fake.requests.some(
          (r) =>
            r.headers.authorization === `token ${TOKEN}` ||
            r.headers.authorization === `bearer ${TOKEN}` ||
            r.headers.authorization === `Bearer ${TOKEN}`,
        ),
      ).toBe(true);
      fake.expectNoViolations();
    } finally {
      await server.close();
      await store.close();
      await fake.close();
    }
  });
});
