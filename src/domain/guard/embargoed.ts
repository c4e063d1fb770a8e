/**
 * Which cases are under embargo: a case is, until it is closed or its playbook's publish step is
 * done. The publish step is the one gated on the end of the embargo (`embargoOver`), so any
 * playbook — Contour's "Publish the security advisory", Kubernetes' "Announce" — names its own.
 */
import type { Case } from '../case/types.js';
import { deriveStatus } from '../playbook/engine.js';
import type { Playbook } from '../playbook/types.js';
import { canonicalId } from './ids.js';

/** The steps after which the case is public: those gated on the embargo being over. */
export function publishStepIds(pb: Playbook): string[] {
  return pb.steps.filter((s) => s.gates.some((g) => 'embargoOver' in g)).map((s) => s.id);
}

/** The case's advisory has been published (its publish step is done). */
export function isPublished(pb: Playbook, c: Case): boolean {
  return publishStepIds(pb).some((id) => c.steps[id]?.status === 'done');
}

export function isEmbargoed(pb: Playbook, c: Case): boolean {
  // A report closed without an advisory has nothing left to keep secret: its codename and terms retire.
  if (c.resolution) return false;
  if (deriveStatus(pb, c) === 'closed') return false;
  return !isPublished(pb, c);
}

/** The case's CVE and GHSA ids in canonical form. */
export function advisoryIds(c: Case): string[] {
  return [c.cveId, c.ghsaId].flatMap((v) => {
    const id = v ? canonicalId(v) : null;
    return id ? [id] : [];
  });
}
