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
  secret: 'rpt_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
  distributorId: '00000000-0000-4000-8000-0000000000d1',
  leakId: '00000000-0000-4000-8000-0000000000e1',
  project: 'contour',
  projectId: 'contour',
  line: '1.33',
  actionId: '00000000-0000-4000-8000-0000000000f1',
  feedId: '00000000-0000-4000-8000-0000000000f2',
  feed: 'cal_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.ics',
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
  // GitHub (docs/github.md). The connection body is for probes that must not reach GitHub: only
  // admins pass the route, and the access matrix probes as a member.
  'PUT /api/v1/github/connections/:project': { repository: 'projectcontour/contour', token: 'ghp_probe' },
  'POST /api/v1/github/imports': { project: 'contour' },
  'POST /api/v1/cases/:caseId/resolution': { outcome: 'withdrawn', reason: 'probe' },
  'POST /api/v1/cases/:caseId/reopen': { reason: 'probe' },
  'POST /api/v1/cases/:caseId/releases/:line/correction': { tag: 'v1.33.4', reason: 'probe' },
  'POST /api/v1/cases/:caseId/releases/:line/undo': { reason: 'probe' },
  // Projects (docs/projects.md): instance admins add, project admins change.
  'POST /api/v1/projects': { id: 'probe-project', name: 'Probe' },
  'PATCH /api/v1/projects/:projectId': { settings: { securityTag: '#probe' } },
  'PUT /api/v1/projects/:projectId/members/:username': { role: 'member' },
  'POST /api/v1/cases/:caseId/advisory/push': { dryRun: true },
  'POST /api/v1/cases/:caseId/advisory/cve': {},
  'POST /api/v1/cases/:caseId/advisory/fork': {},
  'POST /api/v1/cases/:caseId/advisory/publish': {},
  'POST /api/v1/cases/:caseId/advisory/sync': {},
  'POST /api/v1/cases/:caseId/release-verifications': {
    fixCommit: 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678',
    checks: [{ tag: 'v1.27.9', contains: true }],
  },
  'PUT /api/v1/users/:username/github-login': { login: 'probe-login' },
  'PATCH /api/v1/users/:username': { displayName: 'Probe' },
  'PUT /api/v1/users/:username/notifications': { mail: { events: [] } },
  'POST /api/v1/messages/:messageId/mark-sent': {},
  'POST /api/v1/cases/:caseId/messages': { kind: 'reporter-ack' },
  'POST /api/v1/session': { username: 'mallory', password: PASSWORD },
  'POST /api/v1/setup': { secret: 'not-the-setup-secret', username: 'mallory', password: PASSWORD },
  'POST /api/v1/users': { username: 'zed', password: PASSWORD },
  'POST /api/v1/tokens': { name: 'probe' },
  'POST /api/v1/admin/tokens': { name: 'probe', username: 'alice' },
  'POST /api/v1/cases': { title: 'Unrelated report' },
  'PATCH /api/v1/cases/:caseId': { title: 'Changed by an outsider' },
  'PUT /api/v1/cases/:caseId/embargo': { endsAt: '2036-12-24 12:00', timeZone: 'UTC' },
  'PUT /api/v1/cases/:caseId/release-plan': { lines: [{ line: '1.27', version: '1.27.9' }] },
  'POST /api/v1/cases/:caseId/releases': { line: '1.27' },
  'POST /api/v1/cases/:caseId/steps/:stepId/done': {},
  'POST /api/v1/cases/:caseId/steps/:stepId/skip': { reason: 'probe' },
  'POST /api/v1/cases/:caseId/steps/:stepId/reopen': { reason: 'probe' },
  'POST /api/v1/cvss': { vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' },
  'POST /api/v1/cases/:caseId/guard-terms': { terms: ['probeTermName'] },
  'POST /api/v1/case-files': { file: 'title: Imported by a probe\n' },
  'POST /api/v1/reports/mail-preview': { eml: 'From: probe@example.org\nSubject: Probe\n\nA probe.\n' },
  'POST /api/v1/cases/:caseId/portal-link': {},
  'POST /api/v1/portal/replies': { body: 'A reply from a probe' },
  'PUT /api/v1/portal/credit': { credit: 'anonymous' },
  'POST /api/v1/reports': {
    title: 'A probe report',
    description: 'Probing the form.',
    reporter: { name: 'Probe', contact: 'probe@example.org' },
  },
  'POST /api/v1/reports/import': { title: 'A probe mail', description: 'Probing the mail import.' },
  'POST /api/v1/distributors': { organisation: 'Probe Linux', contact: 'security@probe.example' },
  'PATCH /api/v1/distributors/:distributorId': { vouchedBy: 'a probe' },
  'POST /api/v1/cases/:caseId/disclosures': { recipient: 'A probe', what: 'everything' },
  'POST /api/v1/cases/:caseId/leaks': { what: 'everything', leakedTo: 'the press', reportedBy: 'a probe' },
  'PATCH /api/v1/cases/:caseId/leaks/:leakId': { status: 'closed' },
  'PUT /api/v1/cases/:caseId/acks/:distributorId': { answer: 'ack' },
  'POST /api/v1/secrets/rotate': {},
  // A key, not a passphrase: the probes must not run scrypt thousands of times.
  'PUT /api/v1/cases/:caseId/retrospective': { notes: 'What went well, what did not.' },
  'POST /api/v1/cases/:caseId/retrospective/actions': { text: 'Automate the release notes', owner: 'alice' },
  'POST /api/v1/backup': { key: '0'.repeat(64) },
  'POST /api/v1/restore': { file: 'AAAA', key: '0'.repeat(64) },
  // Well-formed, signed by no key of the server: verifying it answers ok: false.
  'POST /api/v1/audit/checkpoints/verify': {
    format: 'embargo-audit-checkpoint/1',
    seq: 1,
    hash: '0'.repeat(64),
    signedAt: '2026-11-25T10:00:00.000Z',
    publicKey: `${'A'.repeat(43)}=`,
    signature: `${'A'.repeat(86)}==`,
  },
};

/** Valid values for required body fields, by field name; bad-input probes break one at a time. */
export const VALID_FIELDS: Record<string, unknown> = {
  // No valid `repository` or `token` on purpose: a connection probe with both would call GitHub.
  fixCommit: 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678',
  checks: [{ tag: 'v1.27.4', contains: true }],
  project: 'contour',
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
  kind: 'reporter-ack',
  description: 'What goes wrong and how to reproduce it.',
  reporter: { name: 'Ada Reporter', contact: 'ada@example.org' },
  body: 'A reply to the security team.',
  credit: 'anonymous',
  organisation: 'Example Linux',
  contact: 'security@example-linux.example',
  recipient: 'Jane at Example Cloud',
  what: 'the affected versions and the disclosure date',
  leakedTo: 'a public chat channel',
  reportedBy: 'Jane Doe',
  answer: 'ack',
};
