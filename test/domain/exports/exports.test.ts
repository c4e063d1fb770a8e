/**
 * The five advisory exports of a multi-line case (a Contour-like Go module: three patched lines
 * and older lines without a fix, CVSS 3.1 and 4.0, CWE-94, an anonymous reporter, a named finder):
 * every JSON document passes its official validator, and credit preferences hold in every format.
 */
import { describe, expect, it } from 'vitest';
import type { Case } from '../../../src/domain/case/types.js';
import { DomainError } from '../../../src/domain/errors.js';
import {
  csafDocument,
  cve5Record,
  cveCnaContainer,
  EXPORT_FORMATS,
  type ExportFormat,
  exportDocument,
  ghsaAdvisory,
  ghsaCvss,
  lineRanges,
  markdownAdvisory,
  osvRecord,
  parseExportFormat,
  recordedRanges,
  renderExport,
} from '../../../src/domain/exports/index.js';
import { cvssJson } from '../../../src/domain/severity/cvss.js';
import { makeCase } from '../../support/case-fixture.js';
import { ANONYMOUS_REPORTER, contourCase, contourCaseWithReporter } from './fixtures.js';
import {
  validateCsafMandatory,
  validateCsafSchema,
  validateCveCna,
  validateCveRecord,
  validateGhsaCreate,
  validateGhsaUpdate,
  validateOsv,
} from './validators.js';

const c = contourCase();

/** Every JSON export with its validators (CSAF: the schema here, the mandatory tests below). */
const JSON_FORMATS: [string, (k: Case) => unknown, ((doc: unknown) => string[])[]][] = [
  ['osv', osvRecord, [validateOsv]],
  ['cve5', (k) => cve5Record(k), [validateCveRecord]],
  ['cve5 CNA container', (k) => cveCnaContainer(k), [validateCveCna]],
  ['csaf', (k) => csafDocument(k), [validateCsafSchema]],
  ['ghsa', ghsaAdvisory, [validateGhsaCreate, validateGhsaUpdate]],
];

describe('every export of a multi-line case', () => {
  it('renders each format with its own builder: two-space JSON and a final newline, or the Markdown text', () => {
    // Each builder by name (not through exportDocument, which renderExport itself calls), and the
    // first lines as a person would see them in the file.
    const expected: Record<ExportFormat, { contentType: string; text: string; opening: string[] }> = {
      osv: {
        contentType: 'application/json',
        text: `${JSON.stringify(osvRecord(c), null, 2)}\n`,
        opening: ['{', '  "schema_version": "1.6.0",', '  "id": "GHSA-x4mj-7f9g-29h4",'],
      },
      cve5: {
        contentType: 'application/json',
        text: `${JSON.stringify(cve5Record(c), null, 2)}\n`,
        opening: ['{', '  "dataType": "CVE_RECORD",', '  "dataVersion": "5.1",'],
      },
      csaf: {
        contentType: 'application/json',
        text: `${JSON.stringify(csafDocument(c), null, 2)}\n`,
        opening: ['{', '  "document": {', '    "category": "csaf_security_advisory",'],
      },
      ghsa: {
        contentType: 'application/json',
        text: `${JSON.stringify(ghsaAdvisory(c), null, 2)}\n`,
        opening: ['{', '  "summary": "Lua code injection via Cookie Path Rewrite Policy",'],
      },
      md: {
        contentType: 'text/markdown; charset=utf-8',
        text: markdownAdvisory(c),
        opening: ['# Lua code injection via Cookie Path Rewrite Policy', '', '**GHSA:** GHSA-x4mj-7f9g-29h4  '],
      },
    };
    expect([...EXPORT_FORMATS].sort()).toEqual(Object.keys(expected).sort());
    for (const format of EXPORT_FORMATS) {
      const out = renderExport(c, format);
      const want = expected[format];
      expect(out, format).toEqual({ format, contentType: want.contentType, text: want.text });
      expect(out.text.split('\n').slice(0, want.opening.length), format).toEqual(want.opening);
      expect(out.text.endsWith('\n'), format).toBe(true);
    }
  });

  it.each(JSON_FORMATS)('%s passes its official schema', (_name, build, validators) => {
    const doc = build(c);
    for (const validate of validators) expect(validate(doc)).toEqual([]);
  });

  it('csaf passes the strict schema test and every mandatory test of csaf-validator-lib, published and draft', async () => {
    expect(await validateCsafMandatory(csafDocument(c))).toEqual([]);
    const draft = { ...c, publishedAt: null };
    expect(validateCsafSchema(csafDocument(draft))).toEqual([]);
    expect(await validateCsafMandatory(csafDocument(draft))).toEqual([]);
  });

  it('each validator rejects a document that breaks its rules (the oracles are live)', async () => {
    expect(validateOsv({ ...osvRecord(c), id: 'EMB-2026-0007' })).not.toEqual([]);
    const { cveId: _cve, ...metadata } = cve5Record(c).cveMetadata as Record<string, unknown>;
    expect(validateCveRecord({ ...cve5Record(c), cveMetadata: metadata })).not.toEqual([]);
    expect(validateCveCna({ ...cveCnaContainer(c), affected: [] })).not.toEqual([]);
    expect(validateGhsaCreate({ ...ghsaAdvisory(c), state: 'published' })).not.toEqual([]);
    expect(validateGhsaUpdate({ ...ghsaAdvisory(c), credits: [{ name: 'Jane Doe', type: 'finder' }] })).not.toEqual([]);
    const csaf = csafDocument(c) as any;
    csaf.vulnerabilities[0].cwe.name = 'Code injection';
    csaf.vulnerabilities[0].product_status.known_affected.push('no-such-product');
    const problems = await validateCsafMandatory(csaf);
    expect(problems.some((p) => p.startsWith('mandatoryTest_6_1_11'))).toBe(true);
    expect(problems.some((p) => p.startsWith('mandatoryTest_6_1_1 '))).toBe(true);
  });
});

describe('what each format says', () => {
  it('folds older lines without a fix into the first patched line; each patched line is its own range', () => {
    expect(lineRanges(c)).toEqual([
      { line: '1.31', introduced: '1.10.0', fixed: '1.31.6' },
      { line: '1.32', introduced: '1.32.0', fixed: '1.32.5' },
      { line: '1.33', introduced: '1.33.0', fixed: '1.33.4' },
    ]);
    const open = { ...c, affected: [...c.affected, { introduced: '1.34.0', fixed: null }] };
    expect(lineRanges(open).at(-1)).toEqual({ line: '1.34', introduced: '1.34.0', fixed: null });
  });

  it('orders ranges by semver precedence: pre-releases before their release, numeric identifiers as numbers', () => {
    // Recorded out of order; the text order of the introduced versions would be wrong at every step.
    const introduced = ['1.2.3', '1.2.3-rc.10', '1.10.0-alpha', '1.2.3-beta', '1.2.3-rc.2', '1.2.3-alpha.1', '1.9.0', '1.2.3-alpha'];
    const k = makeCase({ affected: introduced.map((v) => ({ introduced: v, fixed: null })) });
    expect(recordedRanges(k).map((r) => r.introduced)).toEqual([
      '1.2.3-alpha',
      '1.2.3-alpha.1',
      '1.2.3-beta',
      '1.2.3-rc.2',
      '1.2.3-rc.10',
      '1.2.3',
      '1.9.0',
      '1.10.0-alpha',
    ]);
  });

  it('OSV: GHSA id with the CVE as alias, an ECOSYSTEM range per line, CVSS in severity, CWE in database_specific', () => {
    const osv = osvRecord(c);
    expect(osv.id).toBe('GHSA-x4mj-7f9g-29h4');
    expect(osv.aliases).toEqual(['CVE-2026-41246']);
    expect(osv.published).toBe('2026-04-24T00:00:00.000Z');
    expect(osv.modified).toBe('2026-04-24T10:00:00.000Z');
    expect(osv.affected[0]!.package).toEqual({ ecosystem: 'Go', name: 'github.com/projectcontour/contour' });
    expect(osv.affected[0]!.ranges).toEqual([
      { type: 'ECOSYSTEM', events: [{ introduced: '1.10.0' }, { fixed: '1.31.6' }] },
      { type: 'ECOSYSTEM', events: [{ introduced: '1.32.0' }, { fixed: '1.32.5' }] },
      { type: 'ECOSYSTEM', events: [{ introduced: '1.33.0' }, { fixed: '1.33.4' }] },
    ]);
    expect(osv.severity).toEqual([
      { type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:N/A:H' },
      { type: 'CVSS_V4', score: 'CVSS:4.0/AV:N/AC:L/AT:N/PR:L/UI:N/VC:H/VI:N/VA:H/SC:N/SI:N/SA:N' },
    ]);
    expect(osv.database_specific).toEqual({ cwe_ids: ['CWE-94'], severity: 'HIGH' });
    expect(osv.references.map((r) => r.type)).toEqual(['ADVISORY', 'FIX', 'WEB', 'PACKAGE']);
    expect(osv.credits).toEqual([
      { name: 'Jane Doe', type: 'FINDER' },
      { name: 'Sam Patcher', type: 'REMEDIATION_DEVELOPER' },
    ]);
  });

  it('OSV: the CVE is the id when there is no GHSA, and a draft without ids uses the private x_ prefix', () => {
    expect(osvRecord({ ...c, ghsaId: null })).toMatchObject({ id: 'CVE-2026-41246', aliases: [] });
    const draft = osvRecord({ ...c, ghsaId: null, cveId: null, publishedAt: null });
    expect(draft.id).toBe('x_EMB-2026-0007');
    expect(draft.published).toBeUndefined();
    expect(validateOsv(draft)).toEqual([]);
  });

  it('CVE 5: CVSS as FIRST CVSS-JSON in metrics, CWE in problemTypes, lessThan per line, the markdown as supporting media', () => {
    const cna = cveCnaContainer(c) as any;
    expect(cna.metrics).toEqual([
      { format: 'CVSS', scenarios: [{ lang: 'en', value: 'GENERAL' }], cvssV3_1: cvssJson('CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:N/A:H') },
      {
        format: 'CVSS',
        scenarios: [{ lang: 'en', value: 'GENERAL' }],
        cvssV4_0: cvssJson('CVSS:4.0/AV:N/AC:L/AT:N/PR:L/UI:N/VC:H/VI:N/VA:H/SC:N/SI:N/SA:N'),
      },
    ]);
    expect(cna.metrics[0].cvssV3_1).toMatchObject({ baseScore: 8.1, baseSeverity: 'HIGH', attackVector: 'NETWORK' });
    expect(cna.problemTypes).toEqual([
      {
        descriptions: [
          { lang: 'en', description: "CWE-94: Improper Control of Generation of Code ('Code Injection')", cweId: 'CWE-94', type: 'CWE' },
        ],
      },
    ]);
    expect(cna.affected[0]).toMatchObject({
      vendor: 'projectcontour',
      product: 'contour',
      collectionURL: 'https://pkg.go.dev',
      packageName: 'github.com/projectcontour/contour',
      defaultStatus: 'unaffected',
    });
    expect(cna.affected[0].versions).toEqual([
      { version: '1.10.0', lessThan: '1.31.6', status: 'affected', versionType: 'semver' },
      { version: '1.32.0', lessThan: '1.32.5', status: 'affected', versionType: 'semver' },
      { version: '1.33.0', lessThan: '1.33.4', status: 'affected', versionType: 'semver' },
    ]);
    expect(cna.descriptions[0].supportingMedia[0]).toMatchObject({ type: 'text/markdown', value: c.description });
    expect(cna.source).toEqual({ advisory: 'GHSA-x4mj-7f9g-29h4', discovery: 'EXTERNAL' });
    expect(cna.solutions).toEqual([
      {
        lang: 'en',
        value: 'Upgrade github.com/projectcontour/contour to the patched release of its line: 1.31.6, 1.32.5 or 1.33.4 (or later).',
      },
    ]);
    expect(cna.workarounds).toEqual([{ lang: 'en', value: c.workarounds }]);
    const record = cve5Record(c) as any;
    expect(record.cveMetadata).toMatchObject({ cveId: 'CVE-2026-41246', state: 'PUBLISHED', assignerShortName: 'GitHub_M' });
    expect(record.containers.cna).toEqual(cna);
  });

  it('CVE 5: a CNA of its own; a description over 4,096 characters is clipped with the full text in the markdown', () => {
    const own = { orgId: '5ff0f7b4-1c1b-4b0e-9b4f-7a3f0c0e1d2a', shortName: 'contour' };
    expect((cve5Record(c, { cna: own }) as any).cveMetadata.assignerOrgId).toBe(own.orgId);
    const long = { ...c, description: `${'A long story about Lua. '.repeat(400)}The end.` };
    const cna = cveCnaContainer(long) as any;
    expect(cna.descriptions[0].value.length).toBeLessThanOrEqual(4096);
    expect(cna.descriptions[0].value.endsWith('…')).toBe(true);
    expect(cna.descriptions[0].supportingMedia[0].value).toBe(long.description);
    expect(validateCveCna(cna)).toEqual([]);
  });

  it('CVE 5: the full record needs a CVE id; the CNA container does not', () => {
    const noCve = { ...c, cveId: null };
    expect(() => cve5Record(noCve)).toThrow(/needs a CVE id/);
    expect(validateCveCna(cveCnaContainer(noCve))).toEqual([]);
  });

  it('CSAF: product tree from package and versions, known_affected and fixed, vendor_fix per line, the 3.1 score, CWE, 4.0 in a note', () => {
    const doc = csafDocument(c) as any;
    const versions = doc.product_tree.branches[0].branches[0].branches;
    expect(doc.product_tree.branches[0]).toMatchObject({ category: 'vendor', name: 'projectcontour' });
    expect(versions.map((b: any) => `${b.category} ${b.name}`)).toEqual([
      'product_version_range vers:golang/>=1.10.0|<1.31.6',
      'product_version 1.31.6',
      'product_version_range vers:golang/>=1.32.0|<1.32.5',
      'product_version 1.32.5',
      'product_version_range vers:golang/>=1.33.0|<1.33.4',
      'product_version 1.33.4',
    ]);
    expect(versions[1].product.product_identification_helper.purl).toBe('pkg:golang/github.com/projectcontour/contour@v1.31.6');
    const v = doc.vulnerabilities[0];
    expect(v.product_status).toEqual({
      known_affected: ['affected-1.10.0-to-1.31.6', 'affected-1.32.0-to-1.32.5', 'affected-1.33.0-to-1.33.4'],
      fixed: ['fixed-1.31.6', 'fixed-1.32.5', 'fixed-1.33.4'],
    });
    expect(v.remediations.filter((r: any) => r.category === 'vendor_fix').map((r: any) => r.product_ids)).toEqual([
      ['affected-1.10.0-to-1.31.6'],
      ['affected-1.32.0-to-1.32.5'],
      ['affected-1.33.0-to-1.33.4'],
    ]);
    expect(v.remediations.at(-1)).toMatchObject({ category: 'workaround', details: c.workarounds });
    expect(v.scores).toEqual([{ products: v.product_status.known_affected, cvss_v3: cvssJson(c.severity.cvss[0]!) }]);
    expect(v.cwe).toEqual({ id: 'CWE-94', name: "Improper Control of Generation of Code ('Code Injection')" });
    expect(v.notes.find((n: any) => n.title === 'Further CVSS vectors').text).toContain('CVSS:4.0/AV:N');
    expect(doc.document.tracking).toMatchObject({
      id: 'GHSA-x4mj-7f9g-29h4',
      status: 'final',
      version: '1',
      revision_history: [{ number: '1' }],
    });
    const draft = (csafDocument({ ...c, publishedAt: null }) as any).document;
    expect(draft.tracking).toMatchObject({ status: 'draft', version: '0' });
    expect(doc.document.distribution).toEqual({ tlp: { label: 'WHITE', url: 'https://www.first.org/tlp/' } });
    expect(draft.distribution).toEqual({
      text: 'Embargoed: not for publication before 2026-04-23 17:00 Europe/Berlin. Share only with the people and distributors on the case.',
      tlp: { label: 'AMBER', url: 'https://www.first.org/tlp/' },
    });
  });

  it('GHSA: a vulnerability per line with its range and patched version, the 3.1 vector, credits with a login (the others in the description)', () => {
    const body = ghsaAdvisory(c);
    expect(body.vulnerabilities).toEqual([
      {
        package: { ecosystem: 'go', name: 'github.com/projectcontour/contour' },
        vulnerable_version_range: '>= 1.10.0, < 1.31.6',
        patched_versions: '1.31.6',
      },
      {
        package: { ecosystem: 'go', name: 'github.com/projectcontour/contour' },
        vulnerable_version_range: '>= 1.32.0, < 1.32.5',
        patched_versions: '1.32.5',
      },
      {
        package: { ecosystem: 'go', name: 'github.com/projectcontour/contour' },
        vulnerable_version_range: '>= 1.33.0, < 1.33.4',
        patched_versions: '1.33.4',
      },
    ]);
    expect(body).toMatchObject({ summary: c.title, cve_id: 'CVE-2026-41246', cwe_ids: ['CWE-94'] });
    // Named credits without a GitHub login are written into the description; anonymous ones are not.
    expect(body.description).toBe(`${c.description.trimEnd()}\n\n### Credits\n\n- Sam Patcher (remediation developer)`);
    expect(body.description).not.toContain('Rosalind');
    expect(body.cvss_vector_string).toBe('CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:N/A:H');
    expect(body.credits).toEqual([{ login: 'janedoe-sec', type: 'finder' }]);
    const only4 = ghsaAdvisory({ ...c, severity: { ...c.severity, cvss: [c.severity.cvss[1]!] } });
    expect(only4.cvss_vector_string).toMatch(/^CVSS:4\.0\//);
    expect(validateGhsaCreate(only4)).toEqual([]);
  });

  it('Markdown: title, ids, summary, a table per line (older lines bounded, no fix), workarounds, references, credits', () => {
    const md = markdownAdvisory(c);
    expect(md.startsWith('# Lua code injection via Cookie Path Rewrite Policy\n')).toBe(true);
    expect(md).toContain('**CVE:** CVE-2026-41246');
    expect(md).toContain('## Summary and impact\n\nContour');
    expect(md).toContain('| 1.10 to 1.30 | `>= 1.10.0, < 1.31.0` | none; upgrade to 1.31.6 or later |');
    expect(md).toContain('| 1.33 | `>= 1.33.0, < 1.33.4` | 1.33.4 |');
    expect(md).toContain('## Workarounds\n\nDeny tenants');
    expect(md).toContain('- <https://github.com/projectcontour/contour/security/advisories/GHSA-x4mj-7f9g-29h4>');
    expect(md).toContain('- An anonymous reporter\n- Jane Doe (@janedoe-sec), finder\n- Sam Patcher, remediation developer');
    expect(md).not.toContain('Embargoed');
    const draft = markdownAdvisory({ ...c, publishedAt: null });
    expect(draft.split('\n').slice(0, 3)).toEqual([
      '# Lua code injection via Cookie Path Rewrite Policy',
      '',
      '> **Embargoed: not for publication before 2026-04-23 17:00 Europe/Berlin. Share only with the people and distributors on the case.**',
    ]);
  });

  it('Markdown: names and titles cannot inject links, table cells or HTML', () => {
    const hostile = {
      ...c,
      title: 'Pipes | and <script>alert(1)</script> [x](javascript:alert(1))',
      credits: [{ name: 'Eve | *bold* <img src=x>', type: 'finder' as const }],
    };
    const md = markdownAdvisory(hostile);
    expect(md).not.toContain('<script>');
    expect(md).not.toContain('<img');
    expect(md).not.toContain('[x](');
    expect(md.split('\n')[0]).toBe('# Pipes \\| and &lt;script>alert(1)&lt;/script> \\[x\\](javascript:alert(1))');
    expect(md).toContain('- Eve \\| \\*bold\\* &lt;img src=x>, finder');
  });
});

describe('credit preferences in every format', () => {
  const everyFormat = (k: Case) => EXPORT_FORMATS.map((f) => [f, renderExport(k, f).text] as const);

  it('an anonymous reporter stays anonymous: no name, company or contact anywhere', () => {
    for (const [format, text] of everyFormat(c)) {
      for (const secret of [
        ANONYMOUS_REPORTER.name,
        'Rosalind',
        'Quill',
        ANONYMOUS_REPORTER.company,
        ANONYMOUS_REPORTER.contact,
        'hushed',
      ]) {
        expect(text.toLowerCase(), `${format} leaks "${secret}"`).not.toContain(secret.toLowerCase());
      }
      expect(text, `${format} leaks the codename`).not.toContain(c.codename);
    }
    // It is still acknowledged where a format can say so without a name.
    expect(markdownAdvisory(c)).toContain('An anonymous reporter');
    expect((cveCnaContainer(c) as any).credits).toContainEqual({ lang: 'en', value: 'Anonymous', type: 'reporter' });
    expect((csafDocument(c) as any).document.acknowledgments).toContainEqual({ summary: 'anonymous reporter' });
  });

  it('name-without-company: the name where a format credits names, the company nowhere, the contact never', () => {
    const k = contourCaseWithReporter('name-without-company');
    for (const [format, text] of everyFormat(k)) {
      expect(text, `${format} leaks the company`).not.toContain('Blabbermouth');
      expect(text, `${format} leaks the contact`).not.toContain('wendy@');
      // GitHub credits go by login, and the reporter has none recorded.
      if (format !== 'ghsa') expect(text, `${format} omits the reporter`).toContain('Wendy Whistler');
    }
    for (const [, build, validators] of JSON_FORMATS) for (const validate of validators) expect(validate(build(k))).toEqual([]);
  });

  it('named: the company too where the format has room for it (CVE credit text, CSAF organization, Markdown), never the contact', () => {
    const k = contourCaseWithReporter('named');
    expect((cveCnaContainer(k) as any).credits[0]).toEqual({ lang: 'en', value: 'Wendy Whistler (Blabbermouth Inc)', type: 'reporter' });
    expect((csafDocument(k) as any).document.acknowledgments[0]).toEqual({
      names: ['Wendy Whistler'],
      organization: 'Blabbermouth Inc',
      summary: 'reporter',
    });
    expect(markdownAdvisory(k)).toContain('- Wendy Whistler (Blabbermouth Inc), reporter');
    expect(osvRecord(k).credits![0]).toEqual({ name: 'Wendy Whistler', type: 'REPORTER' });
    for (const [format, text] of everyFormat(k)) expect(text, format).not.toContain('wendy@blabbermouth.example');
  });

  it('anonymous extra credits carry no name either, and OSV and GHSA leave them out', () => {
    const k = { ...c, credits: [{ anonymous: true, type: 'analyst' as const }] };
    expect(osvRecord(k).credits).toBeUndefined();
    expect(ghsaAdvisory(k).credits).toEqual([]);
    expect(markdownAdvisory(k)).toContain('- An anonymous analyst');
  });
});

describe('what a case needs before it can be exported', () => {
  const bare = makeCase({ title: 'Header smuggling' });

  it('refuses every format, Markdown too, until the team wrote the description; names what is missing and the command', () => {
    // Issue 13, item 4: the original report is never the public text; nothing exports without the team's description.
    expect(() => markdownAdvisory(bare)).toThrow(
      `cannot export ${bare.id} as Markdown: the case still needs the advisory's description, which the team writes (the original report is not published): embargo case edit ${bare.id} --description-file FILE`,
    );
    expect(markdownAdvisory({ ...bare, description: 'What the team wrote.' })).toContain(
      '## Affected and patched versions\n\nNot determined yet.',
    );
    for (const format of ['osv', 'csaf', 'ghsa'] as const) {
      let error: unknown;
      try {
        exportDocument(bare, format);
      } catch (err) {
        error = err;
      }
      expect(error, format).toBeInstanceOf(DomainError);
      expect((error as DomainError).code).toBe('conflict');
      expect((error as DomainError).message).toMatch(/needs the advisory's description.*; a package .*; affected versions/);
      expect((error as DomainError).details.missing).toEqual(['description', 'package', 'affected']);
    }
    expect(() => exportDocument(bare, 'cve5')).toThrow(
      /a CVE id .*; the advisory's description.*; a package .*; affected versions .*; at least one reference URL/,
    );
  });

  it('sends GitHub the CVSS version the playbook prefers, and says why (issue 13, item 9)', () => {
    const v31 = 'CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:H/I:H/A:N';
    const v40 = 'CVSS:4.0/AV:N/AC:L/AT:N/PR:L/UI:N/VC:H/VI:H/VA:N/SC:H/SI:H/SA:N';
    const both = { ...bare, description: 'Text.', severity: { cvss: [v40, v31], cwe: [] } };
    expect(ghsaCvss(both, '3.1')).toEqual({
      vector: v31,
      version: '3.1',
      why: 'the playbook prefers CVSS 3.1; the other vector stays in the exports',
    });
    expect(ghsaCvss(both, '4.0')).toMatchObject({ vector: v40, version: '4.0' });
    expect(ghsaCvss({ ...both, severity: { cvss: [v40], cwe: [] } }, '3.1')).toEqual({
      vector: v40,
      version: '4.0',
      why: 'the case has no CVSS 3.1 vector, which the playbook prefers',
    });
    expect(ghsaCvss(both)).toMatchObject({ vector: v31 });
    expect(ghsaCvss(bare)).toBeNull();
  });

  it('parses format names as typed and refuses others, listing the formats', () => {
    expect(parseExportFormat('OSV')).toBe('osv');
    expect(parseExportFormat('markdown')).toBe('md');
    expect(() => parseExportFormat('pdf')).toThrow('format "pdf" is not one of osv, cve5, csaf, ghsa, md');
  });
});
