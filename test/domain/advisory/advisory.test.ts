/**
 * The pure side of the GitHub integration: the difference shown before a push, a private report as
 * a new case's input, and what a sync records.
 */
import { describe, expect, it } from 'vitest';
import {
  advisoryDiff,
  advisoryStateNote,
  advisorySyncChanges,
  affectedRange,
  caseInputFromReport,
  normalizeRange,
  withReporterCredit,
  type AdvisoryView,
} from '../../../src/domain/advisory/index.js';
import { createCase } from '../../../src/domain/case/create-case.js';
import { editCase } from '../../../src/domain/case/edit-case.js';
import { ghsaAdvisory } from '../../../src/domain/exports/ghsa.js';
import { contourCase } from '../exports/fixtures.js';
import { ctx, makeCase } from '../../support/case-fixture.js';

/** The advisory GitHub would hold after creating it from `body`, in GitHub's order and spacing. */
function onGitHub(overrides: Partial<AdvisoryView> = {}): AdvisoryView {
  const body = ghsaAdvisory(contourCase());
  return {
    ghsa_id: 'GHSA-x4mj-7f9g-29h4',
    cve_id: body.cve_id,
    html_url: 'https://github.com/projectcontour/contour/security/advisories/GHSA-x4mj-7f9g-29h4',
    summary: body.summary,
    description: body.description.replace(/\n/g, '\r\n'),
    state: 'draft',
    cvss: { vector_string: body.cvss_vector_string! },
    cvss_severities: { cvss_v3: { vector_string: body.cvss_vector_string! }, cvss_v4: null },
    cwe_ids: [...body.cwe_ids].reverse(),
    vulnerabilities: [...body.vulnerabilities].reverse().map((v) => ({
      ...v,
      vulnerable_version_range: v.vulnerable_version_range.replace(/ /g, ''),
    })),
    credits: body.credits,
    submission: null,
    author: { login: 'maintainer' },
    published_at: null,
    ...overrides,
  };
}

describe('advisoryDiff', () => {
  it('finds nothing when GitHub holds the same advisory in its own order and spacing', () => {
    expect(advisoryDiff(onGitHub(), ghsaAdvisory(contourCase()))).toEqual([]);
  });

  it('lists each changed field with what GitHub has and what the push sends', () => {
    const body = ghsaAdvisory(contourCase());
    const current = onGitHub({
      summary: 'Old summary',
      cwe_ids: ['CWE-79'],
      credits: [{ login: 'someone-else', type: 'analyst' }],
      vulnerabilities: [
        {
          package: { ecosystem: 'go', name: 'github.com/projectcontour/contour' },
          vulnerable_version_range: '>= 1.33.0, < 1.33.3',
          patched_versions: '1.33.3',
        },
      ],
      cvss_severities: { cvss_v3: { vector_string: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' }, cvss_v4: null },
    });
    const diff = advisoryDiff(current, body);
    expect(diff.map((d) => d.field)).toEqual(['summary', 'cvss_vector_string', 'cwe_ids', 'credits', 'vulnerabilities']);
    expect(diff[0]).toEqual({ field: 'summary', from: 'Old summary', to: 'Lua code injection via Cookie Path Rewrite Policy' });
    expect(diff[1]).toEqual({
      field: 'cvss_vector_string',
      from: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
      to: body.cvss_vector_string,
    });
    expect(diff[2]).toEqual({ field: 'cwe_ids', from: ['CWE-79'], to: ['CWE-94'] });
    expect(diff[3]).toEqual({
      field: 'credits',
      from: [{ login: 'someone-else', type: 'analyst' }],
      to: [{ login: 'janedoe-sec', type: 'finder' }],
    });
    expect((diff[4]!.from as unknown[]).length).toBe(1);
    expect((diff[4]!.to as unknown[]).length).toBe(body.vulnerabilities.length);
  });

  it('never reports a null cve_id as a change (a CVE id GitHub assigned stays)', () => {
    expect(advisoryDiff(onGitHub({ cve_id: 'CVE-2026-99999' }), { ...ghsaAdvisory(contourCase()), cve_id: null })).toEqual([]);
    expect(advisoryDiff(onGitHub({ cve_id: null }), ghsaAdvisory(contourCase()))).toEqual([
      { field: 'cve_id', from: null, to: 'CVE-2026-41246' },
    ]);
  });

  it('compares a 4.0 vector with GitHub’s 4.0 vector, and shows a removed vector', () => {
    const v4 = 'CVSS:4.0/AV:N/AC:L/AT:N/PR:L/UI:N/VC:H/VI:N/VA:H/SC:N/SI:N/SA:N';
    const current = onGitHub({ cvss_severities: { cvss_v3: null, cvss_v4: { vector_string: v4 } }, cvss: null });
    expect(advisoryDiff(current, { cvss_vector_string: v4 })).toEqual([]);
    expect(advisoryDiff(onGitHub(), { cvss_vector_string: null as unknown as string })).toEqual([
      { field: 'cvss_vector_string', from: 'CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:N/A:H', to: null },
    ]);
  });

  it('compares only the fields a partial body carries', () => {
    expect(advisoryDiff(onGitHub({ summary: 'Different' }), { cwe_ids: ['CWE-94'] })).toEqual([]);
  });

  it('before the advisory exists: every field with a value is new, empty ones are left out', () => {
    const body = { ...ghsaAdvisory(contourCase()), credits: [], cve_id: null };
    const diff = advisoryDiff(null, body);
    expect(diff.map((d) => d.field)).toEqual(['summary', 'description', 'cvss_vector_string', 'cwe_ids', 'vulnerabilities']);
    expect(diff.every((d) => d.from === null)).toBe(true);
  });

  it('normalises version ranges', () => {
    expect(normalizeRange('>=1.0.0,<1.2.0')).toBe('>= 1.0.0, < 1.2.0');
    expect(normalizeRange(' >= 1.0.0 ,  < 1.2.0 ')).toBe('>= 1.0.0, < 1.2.0');
    expect(normalizeRange('')).toBeNull();
  });
});

/** A private report as GitHub returns it (state triage). */
function report(overrides: Partial<AdvisoryView> = {}): AdvisoryView {
  return {
    ghsa_id: 'GHSA-2c8m-hx4q-9r7w',
    cve_id: null,
    html_url: 'https://github.com/projectcontour/contour/security/advisories/GHSA-2c8m-hx4q-9r7w',
    summary: 'HTTPProxy include lets a tenant route to another namespace',
    description: 'Steps to reproduce:\r\n1. create an HTTPProxy…',
    state: 'triage',
    cvss: { vector_string: 'CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:H/I:H/A:N' },
    cvss_severities: { cvss_v3: { vector_string: 'CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:H/I:H/A:N' }, cvss_v4: null },
    cwe_ids: ['CWE-284', 'CWE-99999999', 'not-a-cwe'],
    vulnerabilities: [
      {
        package: { ecosystem: 'go', name: 'github.com/projectcontour/contour' },
        vulnerable_version_range: '>= 1.20.0, < 1.28.2',
        patched_versions: '1.28.2',
      },
      {
        package: { ecosystem: 'go', name: 'github.com/projectcontour/contour' },
        vulnerable_version_range: '<= 1.19',
        patched_versions: null,
      },
      { package: { ecosystem: 'npm', name: 'something-else' }, vulnerable_version_range: '< 2.0.0', patched_versions: '2.0.0' },
    ],
    credits: [
      { login: 'finder-fiona', type: 'reporter' },
      { login: 'helper-hal', type: 'analyst' },
      { login: 'not a login!', type: 'finder' },
    ],
    submission: { accepted: false },
    author: { login: 'finder-fiona' },
    published_at: null,
    ...overrides,
  };
}

describe('caseInputFromReport', () => {
  it('maps the report to the case’s fields, each already valid', () => {
    const input = caseInputFromReport(report());
    expect(input).toEqual({
      title: 'HTTPProxy include lets a tenant route to another namespace',
      reporter: { name: 'finder-fiona', contact: 'https://github.com/finder-fiona', company: null, credit: 'named' },
      description: 'Steps to reproduce:\n1. create an HTTPProxy…',
      ghsaId: 'GHSA-2c8m-hx4q-9r7w',
      affected: [{ introduced: '1.20.0', fixed: '1.28.2' }],
      package: { ecosystem: 'Go', name: 'github.com/projectcontour/contour' },
      cvss: ['CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:H/I:H/A:N'],
      cwe: ['CWE-284'],
      credits: [{ name: 'helper-hal', login: 'helper-hal', type: 'analyst' }],
      reporterLogin: 'finder-fiona',
    });
    // The real commands accept it as it is.
    const created = createCase(
      { title: input.title, reporter: input.reporter },
      { id: 'EMB-2026-0042', codename: 'amber-heron', playbook: { id: 'contour', firstPhase: 'triage' } },
      ctx('2026-11-25T10:00:00Z'),
    );
    const { title: _t, reporter: _r, reporterLogin: _l, ...edit } = input;
    const edited = editCase(created.state, edit, ctx('2026-11-25T10:00:00Z'));
    expect(edited.state).toMatchObject({ ghsaId: input.ghsaId, affected: input.affected, severity: { cvss: input.cvss, cwe: input.cwe } });
  });

  it('falls back to the author, clips a long summary, and copes with a report that says little', () => {
    const input = caseInputFromReport(
      report({
        summary: 'x'.repeat(500),
        description: null,
        credits: null,
        vulnerabilities: null,
        cvss: null,
        cvss_severities: null,
        cwe_ids: null,
        author: { login: 'author-amy' },
      }),
    );
    expect(input.title).toHaveLength(200);
    expect(input.title.endsWith('…')).toBe(true);
    expect(input.description).toBe(input.title);
    expect(input.reporter?.name).toBe('author-amy');
    expect(input).toMatchObject({ affected: [], package: null, cvss: [], cwe: [], credits: [] });
  });

  it('has no reporter when GitHub shows nobody', () => {
    expect(caseInputFromReport(report({ credits: [], author: null })).reporter).toBeNull();
  });

  it('reads version ranges GitHub’s way', () => {
    expect(affectedRange('>= 1.0.0, < 1.0.5', null)).toEqual({ introduced: '1.0.0', fixed: '1.0.5' });
    expect(affectedRange('< 1.0.5', null)).toEqual({ introduced: '0.0.0', fixed: '1.0.5' });
    expect(affectedRange('>= v2.1.0', 'v2.1.3')).toEqual({ introduced: '2.1.0', fixed: '2.1.3' });
    expect(affectedRange('<= 1.0.4', '1.0.5')).toBeNull();
    expect(affectedRange(null, null)).toBeNull();
  });
});

describe('advisorySyncChanges', () => {
  const c = makeCase({ ghsaId: 'GHSA-2c8m-hx4q-9r7w' });

  it('records the CVE id GitHub assigned, the publication and the fork', () => {
    const a = report({
      state: 'published',
      cve_id: 'CVE-2026-40001',
      published_at: '2026-12-01T16:05:00Z',
      private_fork: {
        full_name: 'projectcontour/contour-ghsa-2c8m-hx4q-9r7w',
        html_url: 'https://github.com/projectcontour/contour-ghsa-2c8m-hx4q-9r7w',
      },
    });
    expect(advisorySyncChanges(c, a)).toEqual({
      cveId: 'CVE-2026-40001',
      publishedAt: '2026-12-01T16:05:00Z',
      forkUrl: 'https://github.com/projectcontour/contour-ghsa-2c8m-hx4q-9r7w',
    });
  });

  it('returns nothing when the case already knows it all', () => {
    const known = makeCase({ cveId: 'CVE-2026-40001', publishedAt: '2026-12-01T16:00:00.000Z', forkUrl: 'https://github.com/x/y' });
    const a = report({
      state: 'published',
      cve_id: 'CVE-2026-40001',
      published_at: '2026-12-01T16:05:00Z',
      private_fork: { full_name: 'x/z', html_url: 'https://github.com/x/z' },
    });
    expect(advisorySyncChanges(known, a)).toEqual({});
    expect(advisorySyncChanges(c, report())).toEqual({});
  });

  it('says when GitHub withdrew or closed the advisory', () => {
    expect(advisoryStateNote(c, report({ state: 'withdrawn' }))).toMatch(/withdrawn/);
    expect(advisoryStateNote(c, report({ state: 'closed' }))).toMatch(/closed on GitHub: reopen it there/);
    expect(advisoryStateNote(c, report({ state: 'draft' }))).toBeNull();
  });
});

describe('withReporterCredit', () => {
  const imported = makeCase({
    reporter: { name: 'finder-fiona', contact: 'https://github.com/finder-fiona', company: null, credit: 'named' },
  });
  const body = { credits: [{ login: 'helper-hal', type: 'analyst' }] };

  it('keeps the reporter credit GitHub gave the submitter of a private report', () => {
    expect(withReporterCredit(body, imported, report())).toEqual({
      credits: [
        { login: 'helper-hal', type: 'analyst' },
        { login: 'finder-fiona', type: 'reporter' },
      ],
    });
    expect(
      advisoryDiff(
        report({
          credits: [
            { login: 'finder-fiona', type: 'reporter' },
            { login: 'helper-hal', type: 'analyst' },
          ],
        }),
        withReporterCredit(body, imported, report()),
      ),
    ).toEqual([]);
  });

  it('lets it go when the reporter asked to be anonymous, or is someone else, or before the advisory exists', () => {
    const anonymous = makeCase({ reporter: { ...imported.reporter!, credit: 'anonymous' } });
    expect(withReporterCredit(body, anonymous, report())).toBe(body);
    expect(withReporterCredit(body, makeCase({ reporter: { ...imported.reporter!, name: 'Someone Else' } }), report())).toBe(body);
    expect(withReporterCredit(body, imported, null)).toBe(body);
  });
});
