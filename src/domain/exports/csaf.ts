/**
 * CSAF 2.0 (https://docs.oasis-open.org/csaf/csaf/v2.0/): a csaf_security_advisory whose product
 * tree has, under the vendor and the package, one version range per release line (known_affected)
 * and the patched version of each line (fixed), with a vendor_fix remediation per line, the CVSS v3
 * score, the CWE, and tracking with a revision history. It passes the CSAF 2.0 schema and the
 * mandatory tests (section 6.1).
 */
import type { Case } from '../case/types.js';
import type { CvssScore } from '../severity/cvss.js';
import {
  creditTypeWords,
  cvssDocument,
  embargoNotice,
  cvssScore,
  cvssVersion,
  cweName,
  lineRanges,
  publicCredits,
  referenceUrls,
  requireFields,
  vendorOf,
  githubRepo,
  type LineRange,
} from './common.js';

export interface CsafOptions {
  /** The publisher of the document (its project); by default the vendor (the repository owner, else the project slug). */
  publisher?: { name?: string; namespace?: string };
}

/** vers (https://github.com/package-url/purl-spec, VERSION-RANGE-SPEC) schemes by OSV ecosystem. */
const VERS_SCHEME: Record<string, string> = {
  Go: 'golang',
  npm: 'npm',
  PyPI: 'pypi',
  Maven: 'maven',
  'crates.io': 'cargo',
  RubyGems: 'gem',
  NuGet: 'nuget',
  Packagist: 'composer',
  Hex: 'hex',
  Pub: 'pub',
};

/** purl types by OSV ecosystem; Go module versions carry their "v". */
const PURL_TYPE: Record<string, string> = { ...VERS_SCHEME, Pub: 'pub' };

function purlOf(ecosystem: string, name: string, version: string): string | undefined {
  const type = PURL_TYPE[ecosystem];
  if (!type) return undefined;
  const path = ecosystem === 'Maven' ? name.replace(':', '/') : name;
  const segments = path
    .split('/')
    .filter(Boolean)
    .map((s) => encodeURIComponent(s));
  if (segments.length === 0) return undefined;
  const v = ecosystem === 'Go' && !version.startsWith('v') ? `v${version}` : version;
  return `pkg:${type}/${segments.join('/')}@${encodeURIComponent(v)}`;
}

function versRange(ecosystem: string, r: LineRange): string {
  const scheme = VERS_SCHEME[ecosystem] ?? 'semver';
  return `vers:${scheme}/>=${r.introduced}${r.fixed ? `|<${r.fixed}` : ''}`;
}

const TLP_URL = 'https://www.first.org/tlp/';

const rangeId = (r: LineRange) => `affected-${r.introduced}-${r.fixed ? `to-${r.fixed}` : 'on'}`;
const fixedId = (version: string) => `fixed-${version}`;

function namespaceOf(c: Case): string {
  const gh = githubRepo(c.package?.repository);
  if (gh) return `https://github.com/${gh.owner}`;
  return c.package?.repository ?? `urn:embargo:project:${encodeURIComponent(c.project)}`;
}

function tracking(c: Case) {
  // Until publication the document is a draft: version 0, the only revision dated at the case's last change.
  const published = c.publishedAt !== null;
  const date = c.publishedAt ?? c.updatedAt;
  const version = published ? '1' : '0';
  return {
    id: c.ghsaId ?? c.cveId ?? c.id,
    status: published ? 'final' : 'draft',
    version,
    initial_release_date: date,
    current_release_date: date,
    revision_history: [{ number: version, date, summary: published ? 'Initial public release.' : 'Draft; not published yet.' }],
    generator: { engine: { name: 'Embargo' } },
  };
}

export function csafDocument(c: Case, options: CsafOptions = {}): Record<string, unknown> {
  requireFields('csaf', c, ['description', 'package', 'affected']);
  const pkg = c.package!;
  const ranges = lineRanges(c);
  const vectors = c.severity.cvss;
  const headline = vectors[0] === undefined ? null : cvssScore(vectors[0]);

  const versions = ranges.flatMap((r) => {
    const entries: Record<string, unknown>[] = [
      {
        category: 'product_version_range',
        name: versRange(pkg.ecosystem, r),
        product: { product_id: rangeId(r), name: `${pkg.name} ${r.fixed ? `>=${r.introduced} <${r.fixed}` : `>=${r.introduced}`}` },
      },
    ];
    if (r.fixed) {
      const purl = purlOf(pkg.ecosystem, pkg.name, r.fixed);
      entries.push({
        category: 'product_version',
        name: r.fixed,
        product: {
          product_id: fixedId(r.fixed),
          name: `${pkg.name} ${r.fixed}`,
          ...(purl ? { product_identification_helper: { purl } } : {}),
        },
      });
    }
    return entries;
  });
  const affectedIds = ranges.map(rangeId);
  const fixedIds = ranges.flatMap((r) => (r.fixed ? [fixedId(r.fixed)] : []));

  // CSAF 2.0 knows CVSS v2 and v3 only, one score per product and version: the first 3.x vector
  // listed is the score; the others (and any 4.0 vector) are stated in a note.
  const v3 = vectors.find((v) => cvssVersion(v) !== '4.0');
  const otherScores = vectors.filter((v) => v !== v3).map(cvssScore);
  const [cwe, ...moreCwes] = c.severity.cwe.filter((id) => cweName(id) !== undefined);
  const unnamedCwes = c.severity.cwe.filter((id) => cweName(id) === undefined);

  const refs = referenceUrls(c).map((url) => ({
    category: 'external',
    summary: url.includes('/security/advisories/') ? 'Advisory' : 'Reference',
    url,
  }));
  const vulnerabilityNotes: Record<string, unknown>[] = [{ category: 'description', title: 'Description', text: c.description || c.title }];
  if (otherScores.length > 0) {
    vulnerabilityNotes.push({ category: 'other', title: 'Further CVSS vectors', text: otherScores.map(scoreLine).join('\n') });
  }
  if (moreCwes.length > 0 || unnamedCwes.length > 0) {
    vulnerabilityNotes.push({
      category: 'other',
      title: 'Further weaknesses',
      text: [...moreCwes, ...unnamedCwes].map((id) => `${id}${cweName(id) ? `: ${cweName(id)}` : ''}`).join('\n'),
    });
  }

  const remediations: Record<string, unknown>[] = ranges.map((r) =>
    r.fixed
      ? { category: 'vendor_fix', details: `Upgrade ${pkg.name} to ${r.fixed} or later.`, product_ids: [rangeId(r)] }
      : {
          category: 'none_available',
          details: `No fix is planned for ${pkg.name} ${r.introduced} and later on this line.`,
          product_ids: [rangeId(r)],
        },
  );
  if (c.workarounds) remediations.push({ category: 'workaround', details: c.workarounds, product_ids: affectedIds });

  const acknowledgments = publicCredits(c).map((k) =>
    k.anonymous || k.name === null
      ? { summary: `anonymous ${creditTypeWords(k.type)}` }
      : { names: [k.name], ...(k.company ? { organization: k.company } : {}), summary: creditTypeWords(k.type) },
  );

  const vulnerability: Record<string, unknown> = {
    ...(c.cveId ? { cve: c.cveId } : {}),
    ...(c.ghsaId ? { ids: [{ system_name: 'GitHub Security Advisory', text: c.ghsaId }] } : {}),
    title: c.title,
    ...(cwe ? { cwe: { id: cwe, name: cweName(cwe)! } } : {}),
    notes: vulnerabilityNotes,
    product_status: { known_affected: affectedIds, ...(fixedIds.length > 0 ? { fixed: fixedIds } : {}) },
    remediations,
    ...(v3 ? { scores: [{ products: affectedIds, cvss_v3: cvssDocument(v3) }] } : {}),
    ...(refs.length > 0 ? { references: refs } : {}),
    ...(c.publishedAt ? { release_date: c.publishedAt } : {}),
  };

  const notes: Record<string, unknown>[] = [{ category: 'summary', title: 'Summary', text: c.title }];
  if (c.description) notes.push({ category: 'description', title: 'Description', text: c.description });

  return {
    document: {
      category: 'csaf_security_advisory',
      csaf_version: '2.0',
      lang: 'en',
      title: c.title,
      // TLP: WHITE once published; AMBER (limited to the recipients' organizations) while embargoed.
      distribution: c.publishedAt
        ? { tlp: { label: 'WHITE', url: TLP_URL } }
        : { text: embargoNotice(c), tlp: { label: 'AMBER', url: TLP_URL } },
      publisher: {
        category: 'vendor',
        name: options.publisher?.name ?? vendorOf(c),
        namespace: options.publisher?.namespace ?? namespaceOf(c),
      },
      tracking: tracking(c),
      notes,
      ...(refs.length > 0 ? { references: refs } : {}),
      ...(acknowledgments.length > 0 ? { acknowledgments } : {}),
      ...(headline ? { aggregate_severity: { text: headline.severity } } : {}),
    },
    product_tree: {
      branches: [
        {
          category: 'vendor',
          name: vendorOf(c),
          branches: [{ category: 'product_name', name: pkg.name, branches: versions }],
        },
      ],
    },
    vulnerabilities: [vulnerability],
  };
}

function scoreLine(s: CvssScore): string {
  return `${s.vector} (${s.score.toFixed(1)} ${s.severity}${s.nomenclature ? `, ${s.nomenclature}` : ''})`;
}
