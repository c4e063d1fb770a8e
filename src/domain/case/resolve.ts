/**
 * Closing a report without an advisory, and taking that back. A report that is not a vulnerability,
 * duplicates another case, or that its reporter withdrew must end somewhere: without this it stays
 * open forever, its codename blocked by the leak guard. The outcome, its reason and who decided are
 * kept on the case and in its events; the case's status becomes the outcome.
 */
import { conflict, invalidInput } from '../errors.js';
import { event } from '../events.js';
import { CASE_ID_PATTERN } from './case-id.js';
import { decisionReason } from './fields.js';
import { REJECTION_CATEGORIES, RESOLUTION_OUTCOMES } from './schema.js';
import type { Case, CommandContext, CommandResult, RejectionCategory, Resolution, ResolutionOutcome } from './types.js';

export interface ResolutionInput {
  outcome?: unknown;
  reason?: unknown;
  category?: unknown;
  duplicateOf?: unknown;
}

/** What an outcome is called in a sentence. */
export const OUTCOME_WORDS: Record<ResolutionOutcome, string> = {
  rejected: 'rejected',
  duplicate: 'closed as a duplicate',
  withdrawn: 'withdrawn by the reporter',
};

/** The case as it was closed, or null while it is open. Cases stored before resolutions existed have none. */
export const resolutionOf = (c: Case): Resolution | null => c.resolution ?? null;

/** Refuses a change to a closed report: it must be reopened first. */
export function requireUnresolved(c: Case, doing: string): void {
  const r = resolutionOf(c);
  if (r) {
    throw conflict(
      `${c.id} was ${OUTCOME_WORDS[r.outcome]} on ${r.at.slice(0, 10)}; reopen it first to ${doing} (embargo case reopen ${c.id} --reason …)`,
    );
  }
}

export function resolveCase(c: Case, input: ResolutionInput, ctx: CommandContext): CommandResult {
  if (!RESOLUTION_OUTCOMES.includes(input.outcome as ResolutionOutcome)) {
    throw invalidInput(`outcome must be one of ${RESOLUTION_OUTCOMES.join(', ')}`, { field: 'outcome' });
  }
  const outcome = input.outcome as ResolutionOutcome;
  requireUnresolved(c, 'close it again');
  if (c.publishedAt)
    throw conflict(`the advisory of ${c.id} is published; a published case ends with its retrospective, not as ${outcome}`);
  const reason = decisionReason(input.reason, `close ${c.id} as ${outcome}`);
  let category: RejectionCategory | null = null;
  if (outcome === 'rejected') {
    category = (input.category ?? 'not-a-vulnerability') as RejectionCategory;
    if (!REJECTION_CATEGORIES.includes(category)) {
      throw invalidInput(`category must be one of ${REJECTION_CATEGORIES.join(', ')}`, { field: 'category' });
    }
  } else if (input.category !== undefined && input.category !== null) {
    throw invalidInput('a category is only for a rejected report', { field: 'category' });
  }
  let duplicateOf: string | null = null;
  if (outcome === 'duplicate') {
    if (typeof input.duplicateOf !== 'string' || !CASE_ID_PATTERN.test(input.duplicateOf)) {
      throw invalidInput('name the case it duplicates (--of EMB-2026-0001)', { field: 'duplicateOf' });
    }
    if (input.duplicateOf === c.id) throw invalidInput(`${c.id} cannot duplicate itself`, { field: 'duplicateOf' });
    duplicateOf = input.duplicateOf;
  } else if (input.duplicateOf !== undefined && input.duplicateOf !== null) {
    throw invalidInput('duplicateOf is only for a duplicate', { field: 'duplicateOf' });
  }
  const at = ctx.now.toISOString();
  const resolution: Resolution = { outcome, category, duplicateOf, reason, by: ctx.actor, at };
  return {
    state: { ...c, resolution, updatedAt: at, revision: c.revision + 1 },
    events: [event('case.resolved', c.id, { outcome, category, duplicateOf, reason })],
  };
}

/** Takes the outcome back: the case is open again where its steps left it. */
export function reopenCase(c: Case, reasonInput: unknown, ctx: CommandContext): CommandResult {
  const previous = resolutionOf(c);
  if (!previous) throw conflict(`${c.id} is not closed as rejected, duplicate or withdrawn; there is nothing to reopen`);
  const reason = decisionReason(reasonInput, `reopen ${c.id}`);
  const at = ctx.now.toISOString();
  return {
    state: { ...c, resolution: null, updatedAt: at, revision: c.revision + 1 },
    events: [event('case.reopened', c.id, { previous: previous.outcome, reason })],
  };
}
