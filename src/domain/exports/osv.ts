/**
 * OSV (https://ossf.github.io/osv-schema/): the format osv.dev, the Go vulnerability database and
 * GitHub's advisory database exchange. One `affected` entry for the package with one ECOSYSTEM range
 * per release line; CVSS vectors in `severity`; CWE ids in `database_specific`.
 */
import type { Case } from '../case/types.js';
import { advisoryId, cvssScore, cvssVersion, lineRanges, publicCredits, referenceUrls, requireFields } from './common.js';
import { referenceType } from './references.js';

/** The OSV schema version the records claim (one that knows CVSS_V4 severities and typed credits). */
export const OSV_SCHEMA_VERSION = '1.6.0';

export type OsvEvent = { introduced: string } | { fixed: string };

export interface OsvRecord {
  schema_version: string;
  id: string;
  modified: string;
  published?: string;
  aliases: string[];
  summary: string;
  details: string;
  severity?: { type: 'CVSS_V3' | 'CVSS_V4'; score: string }[];
  affected: {
    package: { ecosystem: string; name: string };
    ranges: { type: 'ECOSYSTEM'; events: OsvEvent[] }[];
  }[];
  references: { type: string; url: string }[];
  credits?: { name: string; type: string }[];
  database_specific: { cwe_ids: string[]; severity?: string };
}

/** An id OSV accepts: the GHSA id, else the CVE id, else the case id under OSV's private prefix x_. */
function osvId(c: Case): string {
  const id = advisoryId(c);
  return id === c.id ? `x_${c.id}` : id;
}

export function osvRecord(c: Case): OsvRecord {
  requireFields('osv', c, ['description', 'package', 'affected']);
  const pkg = c.package!;
  const id = osvId(c);
  const vectors = c.severity.cvss;
  // The one-word severity comes from the first vector the team listed.
  const headline = vectors[0] === undefined ? null : cvssScore(vectors[0]);
  const refs = referenceUrls(c).map((url) => ({ type: referenceType(url), url }));
  if (pkg.repository && !refs.some((r) => r.url === pkg.repository)) refs.push({ type: 'PACKAGE', url: pkg.repository });
  // OSV credits need a name: an anonymous credit has none to give, so it is left out.
  const credits = publicCredits(c)
    .filter((k) => !k.anonymous && k.name !== null)
    .map((k) => ({ name: k.name!, type: k.type.toUpperCase() }));
  return {
    schema_version: OSV_SCHEMA_VERSION,
    id,
    modified: c.updatedAt,
    ...(c.publishedAt ? { published: c.publishedAt } : {}),
    aliases: [c.ghsaId, c.cveId].filter((a): a is string => a !== null && a !== id),
    summary: c.title,
    details: c.description || c.title,
    ...(vectors.length > 0
      ? { severity: vectors.map((v) => ({ type: cvssVersion(v) === '4.0' ? ('CVSS_V4' as const) : ('CVSS_V3' as const), score: v })) }
      : {}),
    affected: [
      {
        package: { ecosystem: pkg.ecosystem, name: pkg.name },
        ranges: lineRanges(c).map((r) => ({
          type: 'ECOSYSTEM' as const,
          events: r.fixed === null ? [{ introduced: r.introduced }] : [{ introduced: r.introduced }, { fixed: r.fixed }],
        })),
      },
    ],
    references: refs,
    ...(credits.length > 0 ? { credits } : {}),
    database_specific: { cwe_ids: [...c.severity.cwe], ...(headline ? { severity: headline.severity } : {}) },
  };
}
