/**
 * What GitHub changed that the case should know: the CVE id GitHub assigned, the publication, the
 * private fork once it exists. Only facts the case lacks (or that GitHub alone decides, like its
 * CVE id) are returned, so a sync after nothing happened changes nothing.
 */
import type { Case } from '../case/types.js';
import type { AdvisoryView } from './types.js';

/** Case fields to record (the keys of recordAdvisoryFacts); absent keys did not change. */
export interface AdvisorySyncFacts {
  cveId?: string;
  publishedAt?: string;
  forkUrl?: string;
}

export function advisorySyncChanges(c: Case, a: AdvisoryView): AdvisorySyncFacts {
  const facts: AdvisorySyncFacts = {};
  // GitHub is the CNA for the ids it assigns: its id wins over none, and over a different one typed by hand.
  if (a.cve_id && a.cve_id !== c.cveId) facts.cveId = a.cve_id;
  // The case's publication time is set once; a publish through Embargo already recorded it.
  if (a.state === 'published' && a.published_at && !c.publishedAt) facts.publishedAt = a.published_at;
  if (a.private_fork?.html_url && !c.forkUrl) facts.forkUrl = a.private_fork.html_url;
  return facts;
}

/**
 * A sentence when GitHub's state needs a person's attention (no case field holds it): the advisory
 * was withdrawn, or closed while the case still expects to publish it.
 */
export function advisoryStateNote(c: Case, a: AdvisoryView): string | null {
  if (a.state === 'withdrawn')
    return `GitHub shows ${a.ghsa_id} as withdrawn: it is no longer a valid advisory; check with the team before doing anything else on ${c.id}.`;
  if (a.state === 'closed' && !c.publishedAt)
    return `${a.ghsa_id} is closed on GitHub: reopen it there as a draft before pushing or publishing ${c.id}.`;
  if (a.state === 'published' && !c.publishedAt) return `${a.ghsa_id} was published on GitHub; ${c.id} now records the publication.`;
  return null;
}
