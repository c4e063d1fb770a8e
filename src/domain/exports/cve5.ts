/**
 * CVE JSON 5.1 (https://github.com/CVEProject/cve-schema): the full CVE record, and its CNA
 * container on its own (what a CNA submits through CVE Services, e.g. `cve publish --json`).
 * CVSS as FIRST's CVSS-JSON in `metrics`, CWE in `problemTypes`, one `lessThan` version range per
 * release line.
 */
import type { Case } from '../case/types.js';
import {
  creditText,
  creditTypeWords,
  cvssDocument,
  cvssVersion,
  cweName,
  lineRanges,
  productOf,
  publicCredits,
  referenceUrls,
  requireFields,
  vendorOf,
} from './common.js';
import { referenceType } from './references.js';

/** CVE JSON 5 caps plain-text descriptions at 4,096 characters and supporting media at 16,384. */
export const CVE_DESCRIPTION_MAX = 4096;
export const CVE_MEDIA_MAX = 16_384;

export interface CnaIdentity {
  /** The CNA's organization UUID in the CVE user registry. */
  orgId: string;
  /** Its short name, e.g. GitHub_M. */
  shortName: string;
}

/**
 * GitHub's CNA, which assigns the CVE when a project requests one from its repository advisory
 * (checklist step 3); a project that is its own CNA passes its identity instead.
 */
export const GITHUB_CNA: CnaIdentity = { orgId: 'a0819718-46f1-4df5-94e2-005712e83aaa', shortName: 'GitHub_M' };

export interface Cve5Options {
  cna?: CnaIdentity;
}

/** Where an ecosystem's packages are listed, for collectionURL (values from the CVE schema's examples). */
const COLLECTIONS: Record<string, string> = {
  Go: 'https://pkg.go.dev',
  npm: 'https://registry.npmjs.org',
  PyPI: 'https://pypi.python.org',
  'crates.io': 'https://crates.io',
  RubyGems: 'https://rubygems.org',
  Maven: 'https://repo.maven.apache.org/maven2',
  NuGet: 'https://nuget.org/packages',
  Packagist: 'https://packagist.org',
  Hex: 'https://repo.hex.pm',
  Pub: 'https://pub.dev',
  CRAN: 'https://cran.r-project.org',
  Hackage: 'https://hackage.haskell.org',
};

/** Cuts text to `max` characters at a word boundary, marking the cut. */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > max * 0.8 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

const REFERENCE_TAGS: Record<string, string[]> = { ADVISORY: ['vendor-advisory'], FIX: ['patch'], REPORT: ['issue-tracking'] };

/** The CNA container: valid against the CVE schema's cnaPublishedContainer on its own. */
export function cveCnaContainer(c: Case, options: Cve5Options = {}): Record<string, unknown> {
  requireFields('cve5', c, ['description', 'package', 'affected', 'references']);
  const cna = options.cna ?? GITHUB_CNA;
  const pkg = c.package!;
  const text = c.description || c.title;
  const description: Record<string, unknown> = { lang: 'en', value: clip(text, CVE_DESCRIPTION_MAX) };
  if (c.description) description.supportingMedia = [{ type: 'text/markdown', base64: false, value: clip(c.description, CVE_MEDIA_MAX) }];

  const collectionURL = COLLECTIONS[pkg.ecosystem];
  const affected = {
    vendor: vendorOf(c),
    product: productOf(c),
    ...(collectionURL ? { collectionURL, packageName: pkg.name } : {}),
    ...(pkg.repository ? { repo: pkg.repository } : {}),
    versions: lineRanges(c).map((r) => ({ version: r.introduced, lessThan: r.fixed ?? '*', status: 'affected', versionType: 'semver' })),
    defaultStatus: 'unaffected',
  };

  const container: Record<string, unknown> = {
    providerMetadata: { orgId: cna.orgId, shortName: cna.shortName, dateUpdated: c.updatedAt },
    title: c.title,
    ...(c.publishedAt ? { datePublic: c.publishedAt } : {}),
    descriptions: [description],
    affected: [affected],
    references: referenceUrls(c).map((url) => {
      const tags = REFERENCE_TAGS[referenceType(url)];
      return tags ? { url, tags } : { url };
    }),
  };
  if (c.severity.cwe.length > 0) {
    container.problemTypes = [
      {
        descriptions: c.severity.cwe.map((id) => {
          const name = cweName(id);
          return { lang: 'en', description: name ? `${id}: ${name}` : id, cweId: id, type: 'CWE' };
        }),
      },
    ];
  }
  if (c.severity.cvss.length > 0) {
    container.metrics = c.severity.cvss.map((v) => ({
      format: 'CVSS',
      scenarios: [{ lang: 'en', value: 'GENERAL' }],
      [`cvssV${cvssVersion(v).replace('.', '_')}`]: cvssDocument(v),
    }));
  }
  const fixed = lineRanges(c).flatMap((r) => (r.fixed ? [r.fixed] : []));
  if (fixed.length > 0) {
    const list = fixed.length === 1 ? fixed[0]! : `${fixed.slice(0, -1).join(', ')} or ${fixed.at(-1)!}`;
    const to = fixed.length === 1 ? `${list} or later` : `the patched release of its line: ${list} (or later)`;
    container.solutions = [{ lang: 'en', value: `Upgrade ${pkg.name} to ${to}.` }];
  }
  if (c.workarounds) container.workarounds = [{ lang: 'en', value: clip(c.workarounds, CVE_DESCRIPTION_MAX) }];
  const credits = publicCredits(c).map((k) => ({ lang: 'en', value: creditText(k), type: creditTypeWords(k.type) }));
  if (credits.length > 0) {
    // Two anonymous credits of one type read the same; the schema wants unique items.
    const seen = new Set<string>();
    container.credits = credits.filter((k) => !seen.has(JSON.stringify(k)) && seen.add(JSON.stringify(k)));
  }
  if (c.ghsaId) container.source = { advisory: c.ghsaId, discovery: 'EXTERNAL' };
  return container;
}

/** The full CVE record (dataType CVE_RECORD, state PUBLISHED). Needs the case's CVE id. */
export function cve5Record(c: Case, options: Cve5Options = {}): Record<string, unknown> {
  requireFields('cve5', c, ['cveId', 'description', 'package', 'affected', 'references']);
  const cna = options.cna ?? GITHUB_CNA;
  return {
    dataType: 'CVE_RECORD',
    dataVersion: '5.1',
    cveMetadata: {
      cveId: c.cveId,
      assignerOrgId: cna.orgId,
      assignerShortName: cna.shortName,
      state: 'PUBLISHED',
      ...(c.publishedAt ? { datePublished: c.publishedAt } : {}),
      dateUpdated: c.updatedAt,
    },
    containers: { cna: cveCnaContainer(c, options) },
  };
}
