/**
 * The fake GitHub holds itself and its callers to GitHub's OpenAPI description: a request that
 * drifts from it (an unknown field, a wrong type, an unknown query parameter, an undocumented path)
 * and a response that drifts from it are recorded as violations — and fail any test that ends with
 * expectNoViolations().
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AdvisoryView } from '../../../src/domain/advisory/types.js';
import { ghsaAdvisory } from '../../../src/domain/exports/ghsa.js';
import type { Advisory } from '../../../src/integrations/github/client.js';
import { contourCase } from '../../domain/exports/fixtures.js';
import { startFakeGitHub, type FakeGitHub } from '../../support/fake-github.js';
import { githubContract } from '../../support/github-openapi.js';

const TOKEN = 'ghp_fake_test_token_0123456789';
let fake: FakeGitHub;

const call = (method: string, path: string, body?: unknown, token: string | null = TOKEN) =>
  fetch(`${fake.url}${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      accept: 'application/vnd.github+json',
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

beforeEach(async () => {
  fake = await startFakeGitHub({ tokens: { [TOKEN]: { login: 'maintainer', permissions: { repository_advisories: 'write' } } } });
});
afterEach(async () => {
  await fake.close();
});

// The domain's view of an advisory must accept what the adapter returns (checked by the compiler).
const _fits: (a: Advisory) => AdvisoryView = (a) => a;

describe('the fake GitHub validates requests against GitHub’s description', () => {
  it('a valid create body passes and the advisory comes back valid', async () => {
    const res = await call('POST', '/repos/projectcontour/contour/security-advisories', ghsaAdvisory(contourCase()));
    expect(res.status).toBe(201);
    expect(githubContract().checkSchema('repository-advisory', await res.json())).toEqual([]);
    expect(() => fake.expectNoViolations()).not.toThrow();
  });

  it('catches a drifting create body: an unknown field and a wrong type (and answers 422 like GitHub)', async () => {
    const drifted = { ...ghsaAdvisory(contourCase()), severity_score: 8.1, cwe_ids: 'CWE-94' };
    const res = await call('POST', '/repos/projectcontour/contour/security-advisories', drifted);
    expect(res.status).toBe(422);
    expect(((await res.json()) as { message: string }).message).toMatch(/^Invalid request/);
    expect(fake.violations.join('\n')).toContain(
      'request body must NOT have additional properties {"additionalProperty":"severity_score"}',
    );
    expect(fake.violations.join('\n')).toContain('request body/cwe_ids must be array');
    expect(() => fake.expectNoViolations()).toThrow(/GitHub's contract was broken/);
    expect(fake.state.repos.get('projectcontour/contour')!.advisories.size).toBe(0);
  });

  it('catches a credit without a login and a bad ecosystem', async () => {
    const body = { ...ghsaAdvisory(contourCase()), credits: [{ name: 'Jane Doe', type: 'finder' }] };
    body.vulnerabilities = [{ ...body.vulnerabilities[0]!, package: { ecosystem: 'Go', name: 'x' } }];
    await call('POST', '/repos/projectcontour/contour/security-advisories', body);
    const all = fake.violations.join('\n');
    expect(all).toContain("/credits/0 must have required property 'login'");
    expect(all).toContain('/vulnerabilities/0/package/ecosystem must be equal to one of the allowed values');
  });

  it('catches unknown or invalid query parameters and undocumented paths', async () => {
    await call('GET', '/repos/projectcontour/contour/security-advisories?state=open&status=x&per_page=500');
    await call('DELETE', '/repos/projectcontour/contour/security-advisories/GHSA-2222-3333-4444');
    const all = fake.violations.join('\n');
    expect(all).toContain('query parameters/state must be equal to one of the allowed values');
    expect(all).toContain('query parameters must NOT have additional properties {"additionalProperty":"status"}');
    expect(all).toContain('query parameters/per_page must be <= 100');
    expect(all).toContain('DELETE /repos/projectcontour/contour/security-advisories/GHSA-2222-3333-4444 is no operation');
  });

  it('catches a body sent to an endpoint that takes none', async () => {
    const created = (await (
      await call('POST', '/repos/projectcontour/contour/security-advisories', ghsaAdvisory(contourCase()))
    ).json()) as Advisory;
    await call('POST', `/repos/projectcontour/contour/security-advisories/${created.ghsa_id}/cve`, { reason: 'please' });
    expect(fake.violations).toEqual([expect.stringContaining('/cve takes no request body')]);
  });
});

describe('the fake GitHub validates its own responses', () => {
  it('records a response that breaks the advisory schema', async () => {
    const created = (await (
      await call('POST', '/repos/projectcontour/contour/security-advisories', ghsaAdvisory(contourCase()))
    ).json()) as Advisory;
    fake.changeOnGitHub('projectcontour/contour', created.ghsa_id, { severity: 'severe', unexpected: true });
    await call('GET', `/repos/projectcontour/contour/security-advisories/${created.ghsa_id}`);
    const all = fake.violations.join('\n');
    expect(all).toContain('200 response/severity must be equal to one of the allowed values');
    expect(all).toContain('must NOT have additional properties {"additionalProperty":"unexpected"}');
  });

  it('answers like GitHub: rate-limit headers everywhere, 401 without a token, ETags, Link pagination', async () => {
    const anonymous = await call('GET', '/user', undefined, null);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('x-ratelimit-limit')).toBe('60');
    const me = await call('GET', '/user');
    expect(me.headers.get('x-ratelimit-limit')).toBe('5000');
    expect(me.headers.get('x-ratelimit-remaining')).toBe('4999');
    expect(me.headers.get('x-ratelimit-resource')).toBe('core');
    expect(Number(me.headers.get('x-ratelimit-reset'))).toBeGreaterThan(Date.now() / 1000);
    const etag = me.headers.get('etag')!;
    const again = await fetch(`${fake.url}/user`, { headers: { authorization: `Bearer ${TOKEN}`, 'if-none-match': etag } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');

    for (let i = 0; i < 3; i++)
      await call('POST', '/repos/projectcontour/contour/security-advisories', { ...ghsaAdvisory(contourCase()), summary: `n${i}` });
    const page = await call('GET', '/repos/projectcontour/contour/security-advisories?per_page=2');
    expect(((await page.json()) as unknown[]).length).toBe(2);
    const next = /<([^>]+)>; rel="next"/.exec(page.headers.get('link') ?? '')![1]!;
    const rest = (await (await fetch(next, { headers: { authorization: `Bearer ${TOKEN}` } })).json()) as unknown[];
    expect(rest.length).toBe(1);
    fake.expectNoViolations();
  });

  it('takes private vulnerability reports from any signed-in user, as triage', async () => {
    fake.addToken('ghp_reporter_abc', { login: 'finder-fiona' });
    const r = await fake.submitReport('projectcontour/contour', 'ghp_reporter_abc', {
      summary: 'Tenant escape',
      description: 'Details',
      vulnerabilities: [{ package: { ecosystem: 'go', name: 'github.com/projectcontour/contour' }, vulnerable_version_range: '< 1.33.4' }],
      cwe_ids: ['CWE-284'],
    });
    expect(r).toMatchObject({
      state: 'triage',
      submission: { accepted: false },
      author: { login: 'finder-fiona' },
      credits: [{ login: 'finder-fiona', type: 'reporter' }],
    });
    // Accepting the report makes it a draft.
    const accepted = await call('PATCH', `/repos/projectcontour/contour/security-advisories/${r.ghsa_id}`, { state: 'draft' });
    expect(await accepted.json()).toMatchObject({ state: 'draft', submission: { accepted: true } });
    fake.expectNoViolations();
  });
});
