/**
 * Issue 14, item 8: no answer that is not the same for everyone may stay in a cache. Every registered
 * route is asked (signed in, anonymous, and with a portal link), and so are unknown URLs and errors.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PORTAL_TOKEN_HEADER } from '../../src/server/routes/portal.js';
import { client, startApp, userWithToken, type TestApp } from '../support/app.js';
import { storeFactories } from '../support/databases.js';
import { fillRoute, SAMPLE_BODIES } from '../support/route-samples.js';

/** The answers the same for everyone: the static pages and the API description. */
// '/' is the web app's index.html: no-store, so a deploy is seen at once. Its hashed assets are cached
// (test/web/serving.test.ts); '/assets/*' as such is a 404, and a 404 is no-store.
const CACHEABLE = new Set(['/app.css', '/report', '/report.js', '/portal.js', '/portal.css', '/api/v1/openapi.json']);

describe.each(storeFactories())('Cache-Control: no-store ($name)', ({ open }) => {
  let t: TestApp;
  let token: string;
  let caseId: string;
  let portalSecret: string;

  beforeAll(async () => {
    t = await startApp(open);
    token = (await userWithToken(t.app, 'root', 'admin')).token;
    const admin = client(t.server, token);
    caseId = (await admin.post('/api/v1/cases', { title: 'Cached nowhere', reporter: { name: 'Rea', contact: 'rea@example.org' } })).body
      .id;
    const link = await admin.post(`/api/v1/cases/${caseId}/portal-link`, {});
    portalSecret = link.body.url.split('/portal/')[1];
  });
  afterAll(() => t.close());

  it('marks every answer of every route no-store, signed in or not, but the static pages', async () => {
    let checked = 0;
    for (const r of t.server.embargoRoutes) {
      const body = r.method === 'GET' || r.method === 'DELETE' ? undefined : (SAMPLE_BODIES[`${r.method} ${r.url}`] ?? {});
      const url = fillRoute(r.url, caseId, { secret: portalSecret });
      for (const who of [token, undefined]) {
        const res = await client(t.server, who).call(
          r.method,
          url,
          body,
          r.url.startsWith('/api/v1/portal') ? { [PORTAL_TOKEN_HEADER]: portalSecret } : {},
        );
        const header = res.headers['cache-control'];
        if (CACHEABLE.has(r.url)) expect(header, `${r.method} ${r.url}`).not.toBe('no-store');
        else expect(header, `${r.method} ${r.url} -> ${res.status}`).toBe('no-store');
        checked += 1;
      }
    }
    expect(checked).toBe(t.server.embargoRoutes.length * 2);
  });

  it('marks the case, its export and its case file no-store (the finding), and unknown URLs too', async () => {
    const admin = client(t.server, token);
    for (const url of [
      `/api/v1/cases/${caseId}`,
      `/api/v1/cases/${caseId}/export?format=osv`,
      `/api/v1/cases/${caseId}/case-file`,
      '/api/v1/nowhere',
    ]) {
      const res = await admin.get(url);
      expect(res.headers['cache-control'], url).toBe('no-store');
    }
  });
});
