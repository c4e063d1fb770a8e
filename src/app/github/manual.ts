/**
 * Manual mode: a project without a GitHub connection does every GitHub step by hand. Each action
 * answers with the exact fields to paste into GitHub's forms (from the same GHSA body the API would
 * send, and the Markdown export for the description) and the command that records the result.
 */
import type { Case } from '../../domain/case/types.js';
import { ghsaAdvisory, githubRepo, markdownAdvisory, type GhsaAdvisoryBody, type GhsaOptions } from '../../domain/exports/index.js';

export type AdvisoryAction = 'push' | 'request-cve' | 'fork' | 'publish';

export interface ManualField {
  label: string;
  value: string;
}

export interface ManualInstructions {
  mode: 'manual';
  action: AdvisoryAction;
  /** Where to do it: a GitHub page, or words when the repository is unknown. */
  where: string;
  fields: ManualField[];
  /** What to run afterwards so Embargo knows what happened. */
  then: string[];
  /** The request body the API would send (push only). */
  body?: GhsaAdvisoryBody;
  /** The whole advisory as Markdown (push only), for the description or for review. */
  markdown?: string;
}

function repoPage(c: Case, path: string, fallback: string): string {
  const gh = githubRepo(c.package?.repository);
  return gh ? `https://github.com/${gh.owner}/${gh.repo}/security/advisories${path}` : fallback;
}

function advisoryPage(c: Case): string {
  return c.ghsaId
    ? repoPage(c, `/${c.ghsaId}`, `the advisory ${c.ghsaId} on your repository's Security tab`)
    : "the advisory draft on your repository's Security tab";
}

/** The fields of GitHub's "New draft security advisory" form, in its order. */
export function manualPush(c: Case, options: GhsaOptions = {}): ManualInstructions {
  const body = ghsaAdvisory(c, options);
  const fields: ManualField[] = [{ label: 'Title', value: body.summary }];
  if (body.cve_id) fields.push({ label: 'CVE identifier', value: body.cve_id });
  fields.push({ label: 'Description', value: body.description });
  body.vulnerabilities.forEach((v, i) => {
    const n = body.vulnerabilities.length > 1 ? ` (product ${i + 1})` : '';
    fields.push(
      { label: `Ecosystem${n}`, value: v.package.ecosystem },
      { label: `Package name${n}`, value: v.package.name },
      { label: `Affected versions${n}`, value: v.vulnerable_version_range },
      { label: `Patched versions${n}`, value: v.patched_versions ?? '' },
    );
  });
  if (body.cvss_vector_string) fields.push({ label: 'Severity: CVSS vector', value: body.cvss_vector_string });
  if (body.cwe_ids.length > 0) fields.push({ label: 'Weaknesses (CWE)', value: body.cwe_ids.join(', ') });
  for (const k of body.credits) fields.push({ label: `Credit (${k.type.replace(/_/g, ' ')})`, value: `@${k.login}` });
  const then = c.ghsaId
    ? [`The case already records ${c.ghsaId}: edit that draft rather than creating another.`]
    : [`Record the draft's id: embargo case edit ${c.id} --ghsa GHSA-xxxx-xxxx-xxxx`];
  return {
    mode: 'manual',
    action: 'push',
    where: c.ghsaId ? advisoryPage(c) : repoPage(c, '/new', "your repository's Security tab → Advisories → New draft security advisory"),
    fields,
    then,
    body,
    markdown: markdownAdvisory(c),
  };
}

export function manualCveRequest(c: Case): ManualInstructions {
  return {
    mode: 'manual',
    action: 'request-cve',
    where: advisoryPage(c),
    fields: [{ label: 'Button', value: 'Request CVE' }],
    then: [`Once GitHub assigns it (usually within a few days), record it: embargo case edit ${c.id} --cve CVE-YYYY-NNNNN`],
  };
}

export function manualFork(c: Case, collaborators: string[], withoutLogin: string[]): ManualInstructions {
  const fields: ManualField[] = [{ label: 'Button', value: 'Start a temporary private fork' }];
  if (collaborators.length > 0)
    fields.push({ label: 'Collaborators (GitHub logins)', value: collaborators.map((l) => `@${l}`).join(', ') });
  const then = [`Record the fork: embargo case edit ${c.id} --fork-url https://github.com/OWNER/REPO-ghsa-xxxx-xxxx-xxxx`];
  if (withoutLogin.length > 0)
    then.push(
      `No GitHub login on record for ${withoutLogin.join(', ')}: add them by hand, or set it with embargo user edit USER --github-login LOGIN`,
    );
  return { mode: 'manual', action: 'fork', where: advisoryPage(c), fields, then };
}

export function manualPublish(c: Case, stepId: string | null): ManualInstructions {
  const then = [`Record the publication: embargo case edit ${c.id} --published NOW (the time GitHub shows)`];
  if (stepId) then.push(`Then: embargo case step done ${c.id} ${stepId}`);
  return { mode: 'manual', action: 'publish', where: advisoryPage(c), fields: [{ label: 'Button', value: 'Publish advisory' }], then };
}
