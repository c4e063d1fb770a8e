/**
 * Bad input on every endpoint gets a 4xx with a sentence, never a 500: the probes are generated
 * from each registered route's own schema (wrong types, missing fields, huge strings, unknown
 * fields, bad JSON, wrong media type, unknown and malformed ids), plus values that pass the schema
 * but break a domain rule.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeFactories } from '../support/databases.js';
import { client, startApp, userWithToken, type TestApp } from '../support/app.js';
import { fillRoute, VALID_FIELDS } from '../support/route-samples.js';

interface Probe {
  route: string;
  what: string;
  method: string;
  url: string;
  payload?: unknown;
  headers?: Record<string, string>;
}

type JsonSchema = { type?: string; properties?: Record<string, JsonSchema>; required?: string[]; anyOf?: JsonSchema[]; items?: JsonSchema };

const WRONG_TYPES: Record<string, unknown[]> = {
  string: [42, true, {}, ['a']],
  array: ['not a list', 42, { 0: 'a' }],
  object: ['not an object', 42, ['a']],
  integer: ['x', 1.5],
  boolean: ['yes', 1],
};

function typeOf(s: JsonSchema): string | undefined {
  return s.type ?? s.anyOf?.find((a) => a.type !== 'null')?.type;
}

function validBody(schema: JsonSchema): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const key of schema.required ?? []) body[key] = VALID_FIELDS[key] ?? 'x';
  return body;
}

function bodyProbes(route: string, method: string, url: string, schema: JsonSchema): Probe[] {
  const probes: Probe[] = [];
  const base = validBody(schema);
  for (const [key, prop] of Object.entries(schema.properties ?? {})) {
    const t = typeOf(prop);
    for (const wrong of (t && WRONG_TYPES[t]) || []) {
      probes.push({ route, method, url, what: `${key} = ${JSON.stringify(wrong)} (wrong type)`, payload: { ...base, [key]: wrong } });
    }
    if (t === 'string')
      probes.push({ route, method, url, what: `${key} 100k characters long`, payload: { ...base, [key]: 'a'.repeat(100_000) } });
    if (t === 'array')
      probes.push({ route, method, url, what: `${key} with 10k entries`, payload: { ...base, [key]: Array(10_000).fill('a') } });
  }
  for (const key of schema.required ?? []) {
    const { [key]: _dropped, ...rest } = base;
    probes.push({ route, method, url, what: `missing ${key}`, payload: rest });
  }
  probes.push({ route, method, url, what: 'an unknown field', payload: { ...base, isAdmin: true } });
  probes.push({ route, method, url, what: 'a JSON array instead of an object', payload: [base] });
  probes.push({ route, method, url, what: 'JSON null', payload: 'null', headers: { 'content-type': 'application/json' } });
  probes.push({
    route,
    method,
    url,
    what: 'broken JSON',
    payload: '{"title": "unterminated',
    headers: { 'content-type': 'application/json' },
  });
  probes.push({ route, method, url, what: 'a non-JSON media type', payload: 'title=x', headers: { 'content-type': 'text/plain' } });
  probes.push({ route, method, url, what: 'a 300 kB body', payload: { ...base, padding: 'p'.repeat(300_000) } });
  return probes;
}

describe.each(storeFactories())('bad input on every endpoint ($name)', ({ open }) => {
  let t: TestApp;
  let api: ReturnType<typeof client>;
  let caseId: string;

  beforeAll(async () => {
    t = await startApp(open);
    const { token } = await userWithToken(t.app, 'root', 'admin');
    api = client(t.server, token);
    caseId = (await api.post('/api/v1/cases', { title: 'Target' })).body.id;
    await api.put(`/api/v1/cases/${caseId}/release-plan`, { lines: [{ line: '1.27', version: '1.27.4' }] });
  });
  afterAll(() => t.close());

  const fill = (url: string, ids: Record<string, string> = {}) => fillRoute(url, caseId, { username: 'root', ...ids });

  function probes(): Probe[] {
    const all: Probe[] = [];
    for (const r of t.server.embargoRoutes) {
      const route = `${r.method} ${r.url}`;
      if (r.schema.body) all.push(...bodyProbes(route, r.method, fill(r.url), r.schema.body as JsonSchema));
      const query = r.schema.querystring as JsonSchema | undefined;
      for (const key of Object.keys(query?.properties ?? {})) {
        all.push({
          route,
          method: r.method,
          url: `${fill(r.url)}?${key}=${'%FF'.repeat(3)}-${'z'.repeat(5000)}`,
          what: `a bad ${key} parameter`,
        });
      }
      if (query) all.push({ route, method: r.method, url: `${fill(r.url)}?nonsense=1`, what: 'an unknown query parameter' });
      const unknownIds: [string, Record<string, string>][] = [
        [':caseId', { caseId: 'EMB-2026-9999' }],
        [':caseId', { caseId: 'not-a-case' }],
        [':caseId', { caseId: `EMB-${'9'.repeat(5000)}` }],
        [':stepId', { stepId: 'no-such-step' }],
        [':stepId', { stepId: '../../etc/passwd' }],
        [':username', { username: 'nobody-here' }],
        [':tokenId', { tokenId: 'not-a-uuid' }],
        [':tokenId', { tokenId: '11111111-1111-4111-8111-111111111111' }],
        [':playbookId', { playbookId: 'no-such-playbook' }],
        [':playbookId', { playbookId: '%00' }],
      ];
      // Every path parameter, known or added later: an unknown value and an overlong one.
      for (const name of r.url.match(/:(\w+)/g) ?? []) {
        unknownIds.push([name, { [name.slice(1)]: 'zz-unknown-9' }], [name, { [name.slice(1)]: 'z'.repeat(300) }]);
      }
      for (const [param, ids] of unknownIds) {
        if (!r.url.includes(param)) continue;
        const payload = r.schema.body ? validBody(r.schema.body as JsonSchema) : undefined;
        all.push({ route, method: r.method, url: fill(r.url, ids), payload, what: `${param} = ${Object.values(ids)[0]!.slice(0, 20)}` });
      }
    }
    // Values that pass the schema but break a domain rule.
    const domain: [string, string, unknown][] = [
      ['PATCH', `/api/v1/cases/${caseId}`, { cveId: 'CVE-nope' }],
      ['PATCH', `/api/v1/cases/${caseId}`, { ghsaId: 'GHSA-1234' }],
      ['PATCH', `/api/v1/cases/${caseId}`, { cvss: ['AV:N/AC:L'] }],
      ['PATCH', `/api/v1/cases/${caseId}`, { cwe: ['XSS'] }],
      ['PATCH', `/api/v1/cases/${caseId}`, { affected: [{ introduced: 'one', fixed: null }] }],
      ['PATCH', `/api/v1/cases/${caseId}`, { reporter: { name: ' ', contact: 'x@example.org' } }],
      ['PATCH', `/api/v1/cases/${caseId}`, {}],
      ['PUT', `/api/v1/cases/${caseId}/embargo`, { endsAt: 'next tuesday', timeZone: 'Europe/Berlin' }],
      ['PUT', `/api/v1/cases/${caseId}/embargo`, { endsAt: '2026-02-30 10:00', timeZone: 'Europe/Berlin' }],
      ['PUT', `/api/v1/cases/${caseId}/embargo`, { endsAt: '2026-12-01 17:00', timeZone: 'Mars/Olympus_Mons' }],
      ['PUT', `/api/v1/cases/${caseId}/release-plan`, { lines: [{ line: '1.27', version: '1.28.0' }] }],
      ['PUT', `/api/v1/cases/${caseId}/release-plan`, { lines: [{ line: 'v1', version: '1.0.0' }] }],
      [
        'PUT',
        `/api/v1/cases/${caseId}/release-plan`,
        {
          lines: [
            { line: '1.27', version: '1.27.1' },
            { line: '1.27', version: '1.27.2' },
          ],
        },
      ],
      ['POST', `/api/v1/cases/${caseId}/releases`, { line: '9.99' }],
      ['POST', `/api/v1/cases/${caseId}/steps/publish-advisory/skip`, { reason: 'no' }],
      ['POST', `/api/v1/cases/${caseId}/steps/report/reopen`, { reason: 'not done yet' }],
      ['POST', `/api/v1/cases/${caseId}/steps/report/done`, { confirm: ['no-such-confirmation'] }],
      ['POST', '/api/v1/cases', { title: 'x', playbook: 'no-such-playbook' }],
      ['POST', '/api/v1/cases', { title: 'x', project: 'Not A Slug!' }],
      ['POST', '/api/v1/cases', { title: '   ' }],
      ['POST', '/api/v1/users', { username: 'Bad Name', password: 'correct horse battery staple' }],
      ['POST', '/api/v1/users', { username: 'shorty', password: 'short' }],
      ['POST', '/api/v1/users', { username: 'root', password: 'correct horse battery staple' }],
      ['POST', '/api/v1/tokens', { name: '   ' }],
      ['POST', '/api/v1/session', { username: 'root', password: 'wrong password here' }],
    ];
    for (const [method, url, payload] of domain)
      all.push({ route: `${method} ${url}`, method, url, payload, what: `domain rule: ${JSON.stringify(payload).slice(0, 60)}` });
    return all;
  }

  it('answers every probe with a 4xx and a clear message, never a 500', async () => {
    const list = probes();
    const failures: string[] = [];
    const routesProbed = new Set<string>();
    for (const p of list) {
      const res = await api.call(p.method, p.url, p.payload, p.headers);
      routesProbed.add(p.route);
      const message = res.body?.error?.message;
      if (
        res.status < 400 ||
        res.status >= 500 ||
        typeof message !== 'string' ||
        message.length < 8 ||
        /\bat \S+\.(ts|js):\d+/.test(message)
      ) {
        failures.push(`${p.method} ${p.url.slice(0, 80)} (${p.what}) -> ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
      }
    }
    console.log(`bad-input: ${list.length} probes over ${t.server.embargoRoutes.length} routes, ${failures.length} failures`);
    expect(failures).toEqual([]);
    expect(list.length).toBeGreaterThan(250);
    expect(routesProbed.size).toBeGreaterThan(25);
    // Every route that takes input got probed.
    const withInput = t.server.embargoRoutes.filter((r) => r.schema.body || r.schema.params || r.schema.querystring);
    for (const r of withInput)
      expect(
        [...routesProbed].some((p) => p === `${r.method} ${r.url}`),
        `${r.method} ${r.url}`,
      ).toBe(true);
  });

  it('left the target case as it was (no probe changed it)', async () => {
    const c = await api.get(`/api/v1/cases/${caseId}`);
    expect(c.body.title).toBe('Target');
    expect(c.body.revision).toBe(2);
  });
});
