/**
 * The request body of GitHub's "create a repository security advisory" (POST
 * /repos/{owner}/{repo}/security-advisories) and "update" (PATCH …/{ghsa_id}) endpoints: the same
 * body fits both. One vulnerability entry per release line with its range and patched version.
 */
import type { Case } from '../case/types.js';
import { creditText, creditTypeWords, cvssVersion, lineRanges, publicCredits, requireFields } from './common.js';

/** GitHub's ecosystem names by OSV ecosystem; any other is "other". */
export const GITHUB_ECOSYSTEM: Record<string, string> = {
  Go: 'go',
  npm: 'npm',
  PyPI: 'pip',
  Maven: 'maven',
  NuGet: 'nuget',
  Packagist: 'composer',
  RubyGems: 'rubygems',
  'crates.io': 'rust',
  Hex: 'erlang',
  'GitHub Actions': 'actions',
  Pub: 'pub',
  SwiftURL: 'swift',
};

export interface GhsaVulnerability {
  package: { ecosystem: string; name: string };
  vulnerable_version_range: string;
  patched_versions: string | null;
}

export interface GhsaAdvisoryBody {
  summary: string;
  description: string;
  vulnerabilities: GhsaVulnerability[];
  cve_id: string | null;
  cwe_ids: string[];
  credits: { login: string; type: string }[];
  cvss_vector_string?: string;
}

/**
 * GitHub credits people only by login. Named credits without one would vanish from the advisory, so
 * they are written into the description instead; anonymous credits stay out everywhere.
 */
function withUnlinkedCredits(description: string, c: Case): string {
  const unlinked = publicCredits(c).filter((k) => !k.anonymous && k.login === null);
  if (unlinked.length === 0) return description;
  const lines = unlinked.map((k) => `- ${creditText(k)} (${creditTypeWords(k.type)})`);
  return `${description.trimEnd()}\n\n### Credits\n\n${lines.join('\n')}`;
}

/** Which CVSS vector goes to GitHub, and why, in words for the dry run. */
export interface GhsaCvssChoice {
  vector: string;
  version: string;
  why: string;
}

/**
 * GitHub takes one vector in cvss_vector_string (3.x or 4.0) and computes the severity from it
 * (issue 13, item 9): the version the playbook prefers when the case has one, else the other.
 * Without a preference a 3.x vector goes first, the version every GitHub advisory has carried.
 */
export function ghsaCvss(c: Case, prefer?: '3.1' | '4.0'): GhsaCvssChoice | null {
  const vectors = c.severity.cvss;
  if (vectors.length === 0) return null;
  const is4 = (v: string) => cvssVersion(v) === '4.0';
  const wanted = prefer ?? '3.1';
  const match = vectors.find((v) => (wanted === '4.0' ? is4(v) : !is4(v)));
  const vector = match ?? vectors[0]!;
  const version = cvssVersion(vector);
  const why = match
    ? prefer
      ? `the playbook prefers CVSS ${prefer}${vectors.length > 1 ? '; the other vector stays in the exports' : ''}`
      : 'a 3.x vector first when the playbook names no version'
    : `the case has no CVSS ${wanted} vector${prefer ? `, which the playbook prefers` : ''}`;
  return { vector, version, why };
}

export interface GhsaOptions {
  /** The playbook's githubCvss: which vector goes to GitHub when the case has both. */
  cvss?: '3.1' | '4.0';
}

export function ghsaAdvisory(c: Case, options: GhsaOptions = {}): GhsaAdvisoryBody {
  requireFields('ghsa', c, ['description', 'package', 'affected']);
  const pkg = c.package!;
  const ecosystem = GITHUB_ECOSYSTEM[pkg.ecosystem] ?? 'other';
  const vector = ghsaCvss(c, options.cvss)?.vector;
  return {
    summary: c.title,
    description: withUnlinkedCredits(c.description || c.title, c),
    vulnerabilities: lineRanges(c).map((r) => ({
      package: { ecosystem, name: pkg.name },
      vulnerable_version_range: r.fixed ? `>= ${r.introduced}, < ${r.fixed}` : `>= ${r.introduced}`,
      patched_versions: r.fixed,
    })),
    cve_id: c.cveId,
    cwe_ids: [...c.severity.cwe],
    // GitHub credits people by login: credits without one (and every anonymous credit) stay out.
    credits: publicCredits(c)
      .filter((k) => !k.anonymous && k.login !== null)
      .map((k) => ({ login: k.login!, type: k.type })),
    ...(vector ? { cvss_vector_string: vector } : {}),
  };
}
