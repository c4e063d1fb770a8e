/**
 * Which of a case's fields an event changed, and so what changed since a revision someone based an
 * edit on. A reader of every event: the switch is exhaustive, so a new action must say here whether
 * it changes the case.
 */
import { DomainError } from '../errors.js';
import type { DomainEvent } from '../events.js';

/** The case fields the event changed; empty for reads and for events about other things. */
export function fieldsChangedBy(e: DomainEvent): string[] {
  switch (e.action) {
    case 'case.created':
      return ['title', 'project', 'codename', 'playbook'];
    case 'case.edited':
      return Object.keys(e.details.changed);
    case 'case.embargo-set':
      return ['embargo'];
    case 'case.resolved':
    case 'case.reopened':
      return ['resolution'];
    case 'release.planned':
    case 'release.recorded':
    case 'release.verified':
    case 'release.corrected':
    case 'release.undone':
      return ['releasePlan'];
    case 'step.done':
      return e.details.publishedAt ? ['steps', 'publishedAt'] : ['steps'];
    case 'step.skipped':
    case 'step.reopened':
      return ['steps'];
    case 'advisory.pushed':
    case 'advisory.cve_requested':
    case 'advisory.cve_assigned':
    case 'advisory.fork_created':
    case 'advisory.collaborators_set':
    case 'advisory.synced':
      return Object.keys(e.details.changed ?? {});
    case 'advisory.published':
      return e.details.step ? ['publishedAt', 'steps'] : ['publishedAt'];
    case 'message.queued':
      return ['messages'];
    case 'case.read':
    case 'report.received':
    case 'access.granted':
    case 'access.revoked':
    case 'guard.terms.exported':
    case 'guard.terms.added':
    case 'guard.terms.removed':
    case 'advisory.imported':
    case 'advisory.publish_overridden':
    case 'github.connected':
    case 'github.checked':
    case 'github.disconnected':
    case 'message.sent':
    case 'message.failed':
    case 'message.unknown':
    case 'message.retried':
    case 'message.copied':
    case 'message.marked_sent':
    case 'distributor.added':
    case 'distributor.updated':
    case 'distributor.removed':
    case 'distributor.acknowledged':
    case 'distributor.objected':
    case 'distributor.answer-cleared':
    case 'disclosure.recorded':
    case 'leak.reported':
    case 'leak.updated':
    case 'leak.closed':
    case 'leak.reopened':
    case 'embargo.agreed':
    case 'portal.link-created':
    case 'portal.link-revoked':
    case 'reporter.replied':
    case 'user.created':
    case 'user.github_login_set':
    case 'user.changed':
    case 'session.signed-in':
    case 'session.signed-out':
    case 'session.sign-in-failed':
    case 'token.created':
    case 'token.revoked':
    case 'calendar.feed_created':
    case 'calendar.feed_revoked':
    case 'project.created':
    case 'project.edited':
    case 'project.archived':
    case 'project.restored':
    case 'project.member_added':
    case 'project.member_removed':
    case 'audit.checkpointed':
    case 'secrets.rotated':
    case 'backup.taken':
    case 'backup.restored':
    case 'retro.written':
    case 'retro.action-added':
    case 'retro.action-done':
      return [];
    default:
      return unknownAction(e);
  }
}

/** Unreachable while the switch is exhaustive; an event from a newer Embargo changes nothing we know. */
function unknownAction(e: never): string[] {
  void e;
  return [];
}

/**
 * The fields changed by the last `revisions` changes of a case, from its events newest first. Every
 * command that changes the case moves its revision by one and says so in one event that names
 * fields (the other events of a command, like an override's, name none), so the last `revisions`
 * such events are the changes since.
 */
export function fieldsChangedSince(newestFirst: readonly DomainEvent[], revisions: number): string[] {
  const fields = new Set<string>();
  let changes = 0;
  for (const e of newestFirst) {
    if (changes >= revisions) break;
    const changed = fieldsChangedBy(e);
    if (changed.length === 0) continue;
    for (const f of changed) fields.add(f);
    changes += 1;
  }
  return [...fields].sort();
}

/** Parses an If-Match style revision: `"7"`, `7`, `W/"7"`; undefined when absent, 400 when not a revision. */
export function parseRevision(value: unknown, field = 'If-Match'): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const text = String(value)
    .trim()
    .replace(/^W\//, '')
    .replace(/^"(.*)"$/, '$1')
    .trim();
  if (!/^\d{1,9}$/.test(text)) {
    throw new DomainError('invalid_input', `${field} must be the revision the change is based on, e.g. "7"`, { field });
  }
  return Number(text);
}

/** The refusal of a change based on an old revision: the current one and what changed since. */
export function revisionConflict(caseId: string, expected: number, current: number, changed: string[]): DomainError {
  const what = changed.length > 0 ? `: ${changed.join(', ')} changed since` : '';
  return new DomainError(
    'revision_conflict',
    `case ${caseId} is at revision ${current}, not ${expected}${what}; load it again and redo the change`,
    { caseId, expectedRevision: expected, currentRevision: current, changed },
  );
}
