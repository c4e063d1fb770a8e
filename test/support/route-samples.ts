/**
 * Sample values for the tests that probe every registered route (access matrix, bad input). A new
 * route with a new path parameter or a request body needs an entry here; those tests fail until it
 * has one, so no route goes unprobed.
 */
import { PASSWORD } from './app.js';

/** A valid value for each path parameter (the case id is filled in by each test). */
export const PATH_PARAMS: Record<string, string> = {
  stepId: 'report',
  username: 'alice',
  tokenId: '00000000-0000-4000-8000-000000000000',
  playbookId: 'contour',
  messageId: '00000000-0000-4000-8000-00000000000a',
  cweId: 'CWE-79',
  termId: '00000000-0000-4000-8000-0000000000aa',
};

/** Fills `:caseId` and every other `:param` of a route URL. */
export function fillRoute(url: string, caseId: string, overrides: Record<string, string> = {}): string {
  return url.replace(/:(\w+)/g, (_m, name: string) => {
    if (name in overrides) return overrides[name]!;
    if (name === 'caseId') return caseId;
    const value = PATH_PARAMS[name];
    if (value === undefined) throw new Error(`no sample value for path parameter :${name}; add one to test/support/route-samples.ts`);
    return value;
  });
}

/** A valid request body for every route that takes one, so that only access decides the answer. */
export const SAMPLE_BODIES: Record<string, unknown> = {
  'POST /api/v1/messages/:messageId/mark-sent': {},
  'POST /api/v1/session': { username: 'mallory', password: PASSWORD },
  'POST /api/v1/users': { username: 'zed', password: PASSWORD },
  'POST /api/v1/tokens': { name: 'probe' },
  'POST /api/v1/cases': { title: 'Unrelated report' },
  'PATCH /api/v1/cases/:caseId': { title: 'Changed by an outsider' },
  'PUT /api/v1/cases/:caseId/embargo': { endsAt: '2026-12-24 12:00', timeZone: 'UTC' },
  'PUT /api/v1/cases/:caseId/release-plan': { lines: [{ line: '1.27', version: '1.27.9' }] },
  'POST /api/v1/cases/:caseId/releases': { line: '1.27' },
  'POST /api/v1/cases/:caseId/steps/:stepId/done': {},
  'POST /api/v1/cases/:caseId/steps/:stepId/skip': { reason: 'probe' },
  'POST /api/v1/cases/:caseId/steps/:stepId/reopen': { reason: 'probe' },
  'POST /api/v1/cvss': { vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' },
  'POST /api/v1/cases/:caseId/guard-terms': { terms: ['probeTermName'] },
  'POST /api/v1/case-files': { file: 'title: Imported by a probe\n' },
};

/** Valid values for required body fields, by field name; bad-input probes break one at a time. */
export const VALID_FIELDS: Record<string, unknown> = {
  title: 'A title',
  username: 'newuser',
  password: PASSWORD,
  name: 'a token',
  endsAt: '2026-12-01 17:00',
  timeZone: 'Europe/Berlin',
  lines: [{ line: '1.27', version: '1.27.4' }],
  line: '1.27',
  reason: 'a reason',
  vector: 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N',
  terms: ['someFunctionName'],
  file: 'title: A case from a file\n',
};
