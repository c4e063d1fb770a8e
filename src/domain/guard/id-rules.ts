/**
 * The rules over CVE, GHSA and Embargo case ids found in a text: an embargoed case's id or advisory
 * id, an id not known to be public, an Embargo case id. Public ids pass (and are counted).
 */
import type { GuardConfig } from './config.js';
import type { RawFinding } from './finding.js';
import { idKey } from './hash.js';
import { idContext, type IdContext, type IdMatch } from './ids.js';
import type { TermsIndex } from './terms-index.js';

const ID_HINTS: Record<Exclude<IdContext, null>, string> = {
  'ghsa-merge':
    "this is GitHub's default message for merging a temporary private fork; reword the merge commit (git commit --amend) before it leaves the fork",
  'cherry-pick': 'a cherry-pick title carries the id; give the forward-port a pithy message of its own',
  'advisory-url': 'an advisory link names the vulnerability; leave it out until the advisory is published',
};

export class IdRules {
  /** Public ids seen (and allowed) so far. */
  allowed = 0;

  constructor(
    private readonly severity: GuardConfig['severity'],
    private readonly salt: string,
    private readonly index: Pick<TermsIndex, 'idCases' | 'embargoedCaseIds'>,
    private readonly publicIds: ReadonlySet<string>,
  ) {}

  /** The finding for one id in the (folded) text, or null when it is allowed or its rule is off. */
  finding(id: IdMatch, text: string): RawFinding | null {
    const { severity, index } = this;
    const context = idContext(text, id.start);
    const hint = context ? ID_HINTS[context] : undefined;
    const base = { start: id.start, end: id.end };
    if (id.kind === 'case') {
      if (index.embargoedCaseIds.has(id.canonical)) {
        if (severity['case-id'] === 'off') return null;
        return {
          ...base,
          rule: 'case-id',
          severity: severity['case-id'],
          message: `${id.canonical} is the id of a case under embargo`,
          caseId: id.canonical,
          match: id.canonical,
          secret: false,
        };
      }
      if (severity['unknown-case-id'] === 'off') return null;
      return {
        ...base,
        rule: 'unknown-case-id',
        severity: severity['unknown-case-id'],
        message: `${id.canonical} is an Embargo case id (not of a case the guard knows to be under embargo)`,
        caseId: id.canonical,
        match: id.canonical,
        secret: false,
      };
    }
    const label = id.kind === 'cve' ? 'a CVE id' : 'a GHSA id';
    const cases = index.idCases.size > 0 ? index.idCases.get(idKey(this.salt, id.canonical)) : undefined;
    if (cases) {
      if (severity['embargoed-id'] === 'off') return null;
      return {
        ...base,
        rule: 'embargoed-id',
        severity: severity['embargoed-id'],
        message: `${label} of embargoed case ${cases.join(', ')}`,
        ...(hint ? { hint } : {}),
        caseId: cases[0]!,
        secret: true,
      };
    }
    if (this.publicIds.has(id.canonical)) {
      this.allowed++;
      return null;
    }
    if (severity['unknown-id'] === 'off') return null;
    return {
      ...base,
      rule: 'unknown-id',
      severity: severity['unknown-id'],
      message: `${id.canonical} is not known to be public`,
      hint: hint ?? "if it is public (e.g. a dependency's CVE), list it under public-ids in .embargo-guard.yml or in a --public-ids file",
      match: id.canonical,
      secret: false,
    };
  }
}
