/**
 * What GitHub tells Embargo about a case's advisory (its GHSA id, the CVE id GitHub assigned, the
 * private fork, the publication) recorded on the case: one command, one event per GitHub action, so
 * the audit log says "advisory.cve_requested" rather than a bare field edit.
 */
import { invalidInput } from '../errors.js';
import { instant, url } from './advisory-fields.js';
import * as fields from './fields.js';
import { revise } from './revise.js';
import type { DomainEvent, EventOf } from '../events.js';
import type { Case, CommandContext, CommandResult, StepState } from './types.js';

export interface AdvisoryFacts {
  ghsaId?: unknown;
  cveId?: unknown;
  forkUrl?: unknown;
  cveRequestedAt?: unknown;
  publishedAt?: unknown;
  /** The reporter's login GitHub accepted among the advisory's collaborators. */
  reporterCollaborator?: unknown;
}

/** The GitHub actions whose facts `recordAdvisoryFacts` records. */
type GitHubAction =
  | 'advisory.pushed'
  | 'advisory.cve_requested'
  | 'advisory.cve_assigned'
  | 'advisory.fork_created'
  | 'advisory.collaborators_set'
  | 'advisory.synced';

/** The event that describes the GitHub action, e.g. {action: 'advisory.pushed', details: {…}}; `changed` is added here. */
export type AdvisoryEvent = {
  [A in GitHubAction]: { action: A; details: Omit<EventOf<A>['details'], 'changed'> };
}[GitHubAction];

function factChanges(facts: AdvisoryFacts): Partial<Case> {
  const changes: Partial<Case> = {};
  if (facts.ghsaId !== undefined) changes.ghsaId = fields.ghsaId(facts.ghsaId);
  if (facts.cveId !== undefined) changes.cveId = fields.cveId(facts.cveId);
  if (facts.forkUrl !== undefined) changes.forkUrl = facts.forkUrl === null ? null : url('forkUrl', facts.forkUrl);
  if (facts.cveRequestedAt !== undefined) changes.cveRequestedAt = instant('cveRequestedAt', facts.cveRequestedAt);
  if (facts.publishedAt !== undefined) changes.publishedAt = instant('publishedAt', facts.publishedAt);
  if (facts.reporterCollaborator !== undefined)
    changes.reporterCollaborator = typeof facts.reporterCollaborator === 'string' ? facts.reporterCollaborator : null;
  return changes;
}

/**
 * Records facts from GitHub and the event of the action that produced them. The event is returned
 * even when no field changed (an update pushed to GitHub is worth a line in the log); the revision
 * moves only when the case itself changed.
 */
export function recordAdvisoryFacts(c: Case, facts: AdvisoryFacts, event: AdvisoryEvent, ctx: CommandContext): CommandResult {
  const changes = factChanges(facts);
  const changed = Object.keys(changes).filter(
    (k) => JSON.stringify(changes[k as keyof Case] ?? null) !== JSON.stringify(c[k as keyof Case] ?? null),
  );
  const details = {
    ...event.details,
    ...(changed.length > 0 ? { changed: Object.fromEntries(changed.map((k) => [k, changes[k as keyof Case] ?? null])) } : {}),
  };
  return {
    state: changed.length > 0 ? revise(c, ctx, Object.fromEntries(changed.map((k) => [k, changes[k as keyof Case]]))) : c,
    // The details belong to the action they came with: the spread keeps them, adding `changed`.
    events: [{ action: event.action, caseId: c.id, details } as DomainEvent],
  };
}

export interface Publication {
  /** When GitHub published the advisory (or now, when published by hand). */
  publishedAt: unknown;
  /** The playbook step that publication completes, when the playbook has one and it is open. */
  stepId: string | null;
  /** Set when an admin published past unmet conditions. */
  override?: { reason: unknown; unmet: string[] };
}

export const MAX_OVERRIDE_REASON = 2000;

/** The written reason an override needs: required, trimmed, at most MAX_OVERRIDE_REASON characters. */
export function overrideReason(value: unknown): string {
  const text = typeof value === 'string' ? value.trim() : '';
  if (text === '')
    throw invalidInput('an override needs a written reason (--reason): say why the advisory goes out before its conditions are met', {
      field: 'reason',
    });
  if (text.length > MAX_OVERRIDE_REASON)
    throw invalidInput(`the override reason is longer than ${MAX_OVERRIDE_REASON} characters`, { field: 'reason' });
  return text;
}

/**
 * In manual mode the person publishes on GitHub and records it later; an override of unmet
 * conditions is on record already now. The case itself does not change.
 */
export function recordManualOverride(c: Case, reason: unknown, unmet: string[]): CommandResult {
  return {
    state: c,
    events: [
      {
        action: 'advisory.publish_overridden',
        caseId: c.id,
        details: { ghsaId: c.ghsaId, reason: overrideReason(reason), unmet, mode: 'manual' },
      },
    ],
  };
}

/**
 * The advisory is public: publishedAt is set and the publish step, if open, is done. An override
 * is recorded as its own event, with the reason and every condition that was not met.
 */
export function recordPublication(c: Case, p: Publication, ghsaId: string | null, ctx: CommandContext): CommandResult {
  const publishedAt = instant('publishedAt', p.publishedAt) ?? ctx.now.toISOString();
  const reason = p.override ? overrideReason(p.override.reason) : null;
  const steps = { ...c.steps };
  if (p.stepId && (steps[p.stepId]?.status ?? 'open') === 'open') {
    const done: StepState = { status: 'done', by: ctx.actor, at: ctx.now.toISOString(), reason, confirmed: [] };
    steps[p.stepId] = done;
  }
  const events: DomainEvent[] = [];
  if (p.override && reason !== null) {
    events.push({ action: 'advisory.publish_overridden', caseId: c.id, details: { ghsaId, reason, unmet: [...p.override.unmet] } });
  }
  events.push({ action: 'advisory.published', caseId: c.id, details: { ghsaId, publishedAt, ...(p.stepId ? { step: p.stepId } : {}) } });
  return { state: revise(c, ctx, { publishedAt, steps }), events };
}
