/** The severity API: the CVSS calculator (POST /api/v1/cvss) and the CWE picker (GET /api/v1/cwe…). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, PASSWORD, startApp, userWithToken, type TestApp } from '../support/app.js';
import { storeFactories } from '../support/databases.js';

const V31 = 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H';
const V40 = 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N';

describe.each(storeFactories())('severity API ($name)', ({ open }) => {
  let t: TestApp;
  let api: ReturnType<typeof client>;
  let readOnly: ReturnType<typeof client>;

  beforeAll(async () => {
    t = await startApp(open);
    api = client(t.server, (await userWithToken(t.app, 'alice', 'member')).token);
    readOnly = client(t.server, (await userWithToken(t.app, 'rita', 'member', ['read'])).token);
  });
  afterAll(() => t.close());

  describe('POST /api/v1/cvss', () => {
    it('scores a 3.1 vector', async () => {
      const res = await api.post('/api/v1/cvss', { vector: ` ${V31}/E:P ` });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        version: '3.1',
        vector: `${V31}/E:P`,
        baseScore: 9.8,
        temporalScore: 9.3,
        environmentalScore: null,
        score: 9.3,
        severity: 'CRITICAL',
        nomenclature: null,
      });
    });

    it('scores a 4.0 vector with its nomenclature and threat score', async () => {
      const res = await api.post('/api/v1/cvss', { vector: `${V40}/E:U/MAV:L` });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        version: '4.0',
        vector: `${V40}/E:U/MAV:L`,
        baseScore: 9.3,
        temporalScore: null,
        environmentalScore: 6.1,
        threatScore: 8.1,
        score: 6.1,
        severity: 'MEDIUM',
        nomenclature: 'CVSS-BTE',
      });
    });

    it('answers 400 with the specific reason for a malformed vector', async () => {
      const cases: [unknown, RegExp][] = [
        [{ vector: 'CVSS:3.1/AV:N/AC:L' }, /is missing base metrics PR \(Privileges Required\)/],
        [{ vector: `${V31}/AV:L` }, /gives metric AV \(Attack Vector\) more than once/],
        [{ vector: `${V31}/XX:Y` }, /has an unknown metric "XX" for CVSS 3\.1/],
        [{ vector: V31.replace('S:U', 'S:Q') }, /has an unknown value "Q" for metric S \(Scope\); allowed: U, C/],
        [
          { vector: 'CVSS:4.0/AV:N/AT:N/AC:L/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N' },
          /lists AC after AT, but CVSS 4\.0 metrics must follow the specification's order/,
        ],
        [{ vector: 'AV:N/AC:L' }, /is not a CVSS 3\.x or 4\.0 vector/],
        [{ vector: '   ' }, /^the CVSS vector is empty$/],
        [{}, /body must have required property 'vector'/],
        [{ vector: 'C'.repeat(513) }, /body\/vector must NOT have more than 512 characters/],
        [{ vector: V31, extra: 1 }, /body must NOT have additional properties/],
      ];
      for (const [body, message] of cases) {
        const res = await api.post('/api/v1/cvss', body);
        expect(res.status, JSON.stringify(body).slice(0, 60)).toBe(400);
        expect(res.body.error.code).toBe('invalid_input');
        expect(res.body.error.message).toMatch(message);
      }
    });

    it('is a read: a read-only token may score; no credentials is 401', async () => {
      expect((await readOnly.post('/api/v1/cvss', { vector: V40 })).body.score).toBe(9.3);
      const anonymous = await client(t.server).post('/api/v1/cvss', { vector: V40 });
      expect(anonymous.status).toBe(401);
    });

    it('needs the CSRF token from a browser session', async () => {
      const signIn = await client(t.server).post('/api/v1/session', { username: 'alice', password: PASSWORD });
      expect(signIn.status).toBe(200);
      const cookie = String(signIn.headers['set-cookie']).split(';')[0]!;
      const browser = client(t.server);
      const without = await browser.call('POST', '/api/v1/cvss', { vector: V40 }, { cookie });
      expect(without.status).toBe(403);
      const withToken = await browser.call('POST', '/api/v1/cvss', { vector: V40 }, { cookie, 'x-csrf-token': signIn.body.csrfToken });
      expect([withToken.status, withToken.body.score]).toEqual([200, 9.3]);
    });
  });

  describe('GET /api/v1/cwe', () => {
    it("searches, best match first, with MITRE's attribution", async () => {
      const res = await api.get('/api/v1/cwe?q=path%20traversal&limit=2');
      expect(res.status).toBe(200);
      expect(res.body.query).toBe('path traversal');
      expect(res.body.results.map((r: { id: string }) => r.id)).toEqual(['CWE-22', 'CWE-24']);
      expect(res.body.results[0]).toEqual({
        id: 'CWE-22',
        name: "Improper Limitation of a Pathname to a Restricted Directory ('Path Traversal')",
        status: 'Stable',
        usage: 'Allowed',
        description: expect.stringMatching(/^The product uses external input to construct a pathname/),
        terms: expect.arrayContaining(['Directory traversal']),
        url: 'https://cwe.mitre.org/data/definitions/22.html',
        match: 'name-prefix',
      });
      expect(res.body.catalogue.version).toBe('4.17');
      expect(res.body.source.notice).toBe('CWE™ is a trademark of The MITRE Corporation.');
      expect(res.body.source.copyright).toMatch(/^Copyright © 2006–2025, The MITRE Corporation\./);
      expect(res.body.source.license).toMatch(/reproduce MITRE's copyright designation and this license/);
    });

    it('defaults to 10 results, allows up to 100, and finds ids and alternate terms', async () => {
      expect((await api.get('/api/v1/cwe?q=injection')).body.results).toHaveLength(10);
      expect((await api.get('/api/v1/cwe?q=injection&limit=100')).body.results.length).toBeGreaterThan(10);
      expect((await api.get('/api/v1/cwe?q=CWE-94')).body.results[0].id).toBe('CWE-94');
      expect((await api.get('/api/v1/cwe?q=XSS')).body.results[0]).toMatchObject({ id: 'CWE-79', match: 'term' });
      const none = await api.get('/api/v1/cwe?q=zzqxv');
      expect([none.status, none.body.results]).toEqual([200, []]);
    });

    it('answers 400 for a missing, blank or overlong query, a bad limit and unknown parameters', async () => {
      const bad: [string, RegExp][] = [
        ['/api/v1/cwe', /querystring must have required property 'q'/],
        ['/api/v1/cwe?q=%20%20', /^say what to search for/],
        [`/api/v1/cwe?q=${'a'.repeat(201)}`, /querystring\/q must NOT have more than 200 characters/],
        ['/api/v1/cwe?q=xss&limit=0', /querystring\/limit must match pattern/],
        ['/api/v1/cwe?q=xss&limit=101', /querystring\/limit must match pattern/],
        ['/api/v1/cwe?q=xss&limit=ten', /querystring\/limit must match pattern/],
        ['/api/v1/cwe?q=xss&sort=name', /querystring must NOT have additional properties/],
      ];
      for (const [url, message] of bad) {
        const res = await api.get(url);
        expect(res.status, url).toBe(400);
        expect(res.body.error.message, url).toMatch(message);
      }
    });

    it('needs a signed-in user', async () => {
      expect((await client(t.server).get('/api/v1/cwe?q=xss')).status).toBe(401);
      expect((await readOnly.get('/api/v1/cwe?q=xss')).status).toBe(200);
    });
  });

  describe('GET /api/v1/cwe/:cweId', () => {
    it('gives one weakness by id, in any usual spelling', async () => {
      for (const id of ['CWE-79', 'cwe-79', '79']) {
        const res = await api.get(`/api/v1/cwe/${id}`);
        expect(res.status, id).toBe(200);
        expect(res.body).toMatchObject({
          id: 'CWE-79',
          status: 'Stable',
          usage: 'Allowed',
          url: 'https://cwe.mitre.org/data/definitions/79.html',
        });
        expect(res.body.terms).toContain('XSS');
        expect(res.body.source.publisher).toBe('The MITRE Corporation');
      }
      const discouraged = await api.get('/api/v1/cwe/CWE-20');
      expect(discouraged.body.usage).toBe('Discouraged');
      const newer = await api.get('/api/v1/cwe/CWE-1427');
      expect([newer.status, newer.body.description]).toEqual([200, null]);
    });

    it('404 with a sentence for an unknown id, 400 for a malformed one', async () => {
      const unknown = await api.get('/api/v1/cwe/CWE-16');
      expect(unknown.status).toBe(404);
      expect(unknown.body.error).toEqual({
        code: 'not_found',
        message:
          'CWE-16 is not a weakness in the CWE 4.17 catalogue (categories and views are not weaknesses; search by name with "cwe search")',
        details: {},
      });
      const bad = await api.get('/api/v1/cwe/XSS');
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toBe('"XSS" is not a CWE id like CWE-79');
      const long = await api.get(`/api/v1/cwe/CWE-${'7'.repeat(20)}`);
      expect(long.status).toBe(400);
      expect(long.body.error.message).toMatch(/params\/cweId must NOT have more than 16 characters/);
    });

    it('is listed in the OpenAPI document', async () => {
      const doc = await api.get('/api/v1/openapi.json');
      expect(Object.keys(doc.body.paths)).toEqual(expect.arrayContaining(['/api/v1/cvss', '/api/v1/cwe', '/api/v1/cwe/{cweId}']));
    });
  });
});
