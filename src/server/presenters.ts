/** Presenters pick the fields a response carries; lists never carry embargoed details. */
import type { Case } from '../domain/case/index.js';
import type { StoredEvent } from '../store/events.js';

export function presentCaseSummary(c: Case) {
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

export function presentEvent(e: StoredEvent) {
  return { seq: e.seq, id: e.id, at: e.at, actor: e.actor, action: e.action, caseId: e.caseId, details: e.details, hash: e.hash };
}
