/**
 * Issue 14, item 4: hostile strings on every route, on SQLite and PostgreSQL. A NUL byte gave 500 on
 * PostgreSQL (`invalid byte sequence for encoding "UTF8": 0x00`) on seven routes, the anonymous report
 * form among them; now every control character but tab and line ends is a 400 with a sentence, the
 * same on both databases. Then a seeded fuzz over every registered route: no answer may be a 5xx.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, startApp, userWithToken, type TestApp } from '../support/app.js';
import { storeFactories } from '../support/databases.js';
import { fillRoute, SAMPLE_BODIES } from '../support/route-samples.js';

/** A small seeded generator (mulberry32): the same probes every run, so a failure replays. */
function random(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, pick: <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]! };
}

const PIECES = [
  '\u0000',
  '\u0001',
  '\u001b[31m',
  '\u007f',
  '\u0085',
  '\t',
  '\n',
  '\r\n',
  '\u200b',
  '\u202e',
  '\ufeff',
  '\ud800',
  '😀',
  'é',
  "'; drop table cases; --",
  '%00',
  '../../etc/passwd',
  '<script>alert(1)</script>',
  '{{7*7}}',
  '${x}',
  'CVE-2026-31337',
  'a'.repeat(300),
  ' ',
  '',
];

function hostileString(r: ReturnType<typeof random>): string {
  let s = '';
  const n = 1 + Math.floor(r.next() * 4);
  for (let i = 0; i < n; i++) s += r.pick(PIECES);
  return s;
}

/** For a URL: a lone surrogate cannot be percent-encoded, so it goes as U+FFFD. */
const inUrl = (s: string) =>
  encodeURIComponent(s.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd'));

function hostileValue(r: ReturnType<typeof random>): unknown {
  const roll = r.next();
  if (roll < 0.7) return hostileString(r);
  if (roll < 0.8) return [hostileString(r)];
  if (roll < 0.9) return { [hostileString(r)]: hostileString(r) };
  return r.pick([0, -1, 1e308, null, true, 2 ** 53 + 1]);
}

describe.each(storeFactories())('hostile input ($name)', ({ open }) => {
  let t: TestApp;
  let token: string;
  let caseId: string;

  beforeAll(async () => {
    t = await startApp(open);
    token = (await userWithToken(t.app, 'root', 'admin')).token;
    caseId = (await client(t.server, token).post('/api/v1/cases', { title: 'Fuzzed' })).body.id;
  });
  afterAll(() => t.close());

  it('refuses a NUL byte in the anonymous report form with 400, not 500 (the finding)', async () => {
    const res = await client(t.server).post('/api/v1/reports', {
      title: 'Overflow\u0000in the parser',
      description: 'Found it.',
      reporter: { name: 'Ada', contact: 'ada@example.org' },
    });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'invalid_input', details: { field: 'body.title', character: 'U+0000' } });
    expect(res.body.error.message).toBe('body.title contains a control character (U+0000); only tab and line ends are allowed in text');
  });

  it('refuses control characters in a body, a nested field, a key, a path parameter and a query', async () => {
    const admin = client(t.server, token);
    const cases = [
      [await admin.patch(`/api/v1/cases/${caseId}`, { title: 'Escape \u001b[2J' }), 'body.title'],
      [await admin.patch(`/api/v1/cases/${caseId}`, { reporter: { name: 'A\u0007', contact: 'a@example.org' } }), 'body.reporter.name'],
      [await admin.post(`/api/v1/cases/${caseId}/guard-terms`, { terms: ['ok', 'bad\u0000'] }), 'body.terms[1]'],
      [await admin.patch(`/api/v1/cases/${caseId}`, { 'ti\u0000tle': 'x' }), 'body[key]'],
      [await admin.put(`/api/v1/cases/${caseId}/access/al%00ice`), 'params.username'],
      [await admin.get('/api/v1/cases?q=%00'), 'query.q'],
    ] as const;
    for (const [res, field] of cases) {
      expect(res.status, field).toBe(400);
      expect(res.body.error.details.field, field).toBe(field);
    }
    // Nothing of it reached the case.
    expect((await admin.get(`/api/v1/cases/${caseId}`)).body.title).toBe('Fuzzed');
  });

  it('keeps tab, newline and CRLF as text', async () => {
    const res = await client(t.server, token).patch(`/api/v1/cases/${caseId}`, { description: 'Steps:\r\n\t1. send\n\t2. watch' });
    expect(res.status).toBe(200);
    // Accepted; the description keeps its line ends as newlines.
    expect(res.body.description).toBe('Steps:\n\t1. send\n\t2. watch');
  });

  it('answers a seeded fuzz over every route without a 5xx', async () => {
    const r = random(14);
    // The connection routes would send a fuzzed token to GitHub; they are fuzzed in the GitHub tests.
    const routes = t.server.embargoRoutes.filter((x) => !x.url.startsWith('/api/v1/github/connections'));
    const failures: string[] = [];
    let sent = 0;
    for (const route of routes) {
      for (let round = 0; round < 6; round++) {
        const sample = SAMPLE_BODIES[`${route.method} ${route.url}`];
        const params = [...route.url.matchAll(/:(\w+)/g)].map((m) => m[1]!);
        const overrides: Record<string, string> = {};
        let body: unknown = route.method === 'GET' || route.method === 'DELETE' ? undefined : { ...((sample as object) ?? {}) };
        if (params.length > 0 && r.next() < 0.3) {
          overrides[r.pick(params)] = inUrl(hostileString(r));
        } else if (body && typeof body === 'object') {
          const keys = Object.keys(body);
          const key = keys.length > 0 && r.next() < 0.8 ? r.pick(keys) : hostileString(r);
          body = { ...body, [key]: hostileValue(r) };
        }
        const query = route.method === 'GET' && r.next() < 0.5 ? `?q=${inUrl(hostileString(r))}` : '';
        const url = fillRoute(route.url, caseId, overrides) + query;
        const res = await client(t.server, r.next() < 0.9 ? token : undefined).call(route.method, url, body);
        sent += 1;
        if (res.status >= 500) failures.push(`${route.method} ${url} ${JSON.stringify(body)} -> ${res.status}`);
      }
    }
    expect(failures).toEqual([]);
    expect(sent).toBe(routes.length * 6);
  });
});
