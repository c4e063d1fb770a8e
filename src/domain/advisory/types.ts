/**
 * The part of a GitHub repository advisory the domain reads: what GitHub's API returns (field names
 * as GitHub spells them), narrowed to what the diff, the report import and the sync need. The
 * GitHub adapter's `Advisory` fits this shape; the domain does not import the adapter.
 */

export type AdvisoryState = 'published' | 'closed' | 'withdrawn' | 'draft' | 'triage';

export interface AdvisoryUserRef {
  login: string;
}

export interface AdvisoryVulnerabilityView {
  package: { ecosystem: string; name: string | null } | null;
  vulnerable_version_range: string | null;
  patched_versions: string | null;
}

export interface AdvisoryCvssView {
  vector_string: string | null;
}

export interface AdvisoryView {
  ghsa_id: string;
  cve_id: string | null;
  html_url: string;
  summary: string;
  description: string | null;
  state: AdvisoryState;
  cvss?: AdvisoryCvssView | null;
  cvss_severities?: { cvss_v3?: AdvisoryCvssView | null; cvss_v4?: AdvisoryCvssView | null } | null;
  cwe_ids: string[] | null;
  vulnerabilities: AdvisoryVulnerabilityView[] | null;
  credits: { login?: string; type?: string }[] | null;
  /** Set on private vulnerability reports. */
  submission: { accepted: boolean } | null;
  author: AdvisoryUserRef | null;
  published_at: string | null;
  private_fork?: { full_name: string; html_url: string } | null;
}
