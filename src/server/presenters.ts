/**
 * Answers that are not the domain's own shapes. The response schemas decide which fields go out;
 * a presenter builds a smaller shape on purpose: a case list never carries embargoed details.
 */
import type { Case } from '../domain/case/index.js';

export function presentCaseSummary(
  c: Pick<Case, 'id' | 'title' | 'codename' | 'project' | 'playbook' | 'status' | 'embargo' | 'updatedAt'>,
) {
  return {
    id: c.id,
    title: c.title,
    codename: c.codename,
    project: c.project,
    playbook: c.playbook,
    status: c.status,
    embargo: c.embargo,
    updatedAt: c.updatedAt,
  };
}
