/**
 * Step commands on a Case: complete, skip, reopen. Each returns the new Case and the event that
 * says what happened; nothing is mutated, nothing is stored, and time comes from the context.
 */
import { requireUnresolved } from '../case/resolve.js';
import type { Case, CommandContext, CommandResult, StepState, StepStatus } from '../case/types.js';
import { DomainError, conflict, invalidInput } from '../errors.js';
import { confirmationsOf, findStep, isSettled, stepLabel, unmetConditions, unsettledEarlierSteps } from './gates.js';
import type { GateFacts, Playbook, PlaybookStep, PlaybookSummary, StepView } from './types.js';

/** Long enough for a real explanation, short enough to stay an audit note rather than a document. */
export const MAX_REASON_LENGTH = 2000;

/**
 * The phase of the first step still open; 'closed' once every step is done or skipped; the outcome
 * (rejected, duplicate, withdrawn) of a report closed without an advisory.
 */
export function deriveStatus(pb: Playbook, c: Case): string {
  if (c.resolution) return c.resolution.outcome;
  return pb.steps.find((s) => !isSettled(c, s.id))?.phase ?? 'closed';
}

function requireSamePlaybook(pb: Playbook, c: Case): void {
  if (c.playbook !== pb.id) {
    throw conflict(`case ${c.id} follows playbook "${c.playbook}", not "${pb.id}"`);
  }
}

function requireReason(reason: string, doing: string, step: PlaybookStep): string {
  const trimmed = typeof reason === 'string' ? reason.trim() : '';
  if (trimmed === '') throw invalidInput(`a reason is required to ${doing} ${stepLabel(step)}`);
  if (trimmed.length > MAX_REASON_LENGTH) {
    throw invalidInput(
      `the reason to ${doing} ${stepLabel(step)} is ${trimmed.length} characters long; at most ${MAX_REASON_LENGTH} are allowed`,
    );
  }
  return trimmed;
}

function gateFailed(step: PlaybookStep, doing: string, unmet: string[]): DomainError {
  const count = unmet.length === 1 ? '1 condition is unmet' : `${unmet.length} conditions are unmet`;
  return new DomainError('gate_failed', `${stepLabel(step)} cannot be ${doing}: ${count}`, {
    step: step.id,
    unmet,
  });
}

/** The case with one step's state replaced, its status re-derived and its revision bumped. */
function withStep(pb: Playbook, c: Case, stepId: string, state: StepState, now: Date): Case {
  const next: Case = { ...c, steps: { ...c.steps, [stepId]: state }, updatedAt: now.toISOString(), revision: c.revision + 1 };
  next.status = deriveStatus(pb, next);
  return next;
}

function stepDetails(step: PlaybookStep): { step: string; number: number; title: string } {
  return { step: step.id, number: step.number, title: step.title };
}

export function completeStep(
  pb: Playbook,
  c: Case,
  stepId: string,
  ctx: CommandContext,
  confirmed: string[],
  facts: GateFacts = {},
): CommandResult {
  requireSamePlaybook(pb, c);
  requireUnresolved(c, 'work on its steps');
  const step = findStep(pb, stepId);
  const known = confirmationsOf(step).map((k) => k.id);
  const unknown = confirmed.filter((id) => !known.includes(id));
  if (unknown.length > 0) {
    const offered = known.length > 0 ? `its confirmations are: ${known.join(', ')}` : 'it asks for no confirmation';
    throw invalidInput(`${stepLabel(step)} has no confirmation ${unknown.map((id) => `"${id}"`).join(', ')}; ${offered}`, { unknown });
  }
  const current = c.steps[stepId]?.status;
  if (current === 'done') throw conflict(`${stepLabel(step)} is already done`);
  if (current === 'skipped') throw conflict(`${stepLabel(step)} was skipped; reopen it before completing it`);

  const attested = [...new Set(confirmed)];
  const unmet = unmetConditions(pb, c, stepId, ctx.now, attested, facts);
  if (unmet.length > 0) throw gateFailed(step, 'completed', unmet);

  const state: StepState = { status: 'done', by: ctx.actor, at: ctx.now.toISOString(), reason: null, confirmed: attested };
  const next = withStep(pb, c, stepId, state, ctx.now);
  const publishedNow = step.publishes === true && c.publishedAt === null;
  return {
    state: publishedNow ? { ...next, publishedAt: ctx.now.toISOString() } : next,
    events: [
      {
        action: 'step.done',
        caseId: c.id,
        details: { ...stepDetails(step), confirmed: attested, ...(publishedNow ? { publishedAt: ctx.now.toISOString() } : {}) },
      },
    ],
  };
}

/**
 * Skipping records that a step does not apply, with the reason. The step's own gates do not apply
 * either, but a sequential playbook still keeps its order: earlier steps must be settled first.
 */
export function skipStep(pb: Playbook, c: Case, stepId: string, reason: string, ctx: CommandContext): CommandResult {
  requireSamePlaybook(pb, c);
  requireUnresolved(c, 'work on its steps');
  const step = findStep(pb, stepId);
  const why = requireReason(reason, 'skip', step);
  if (!step.skippable) {
    // Before publication, what people mean by skipping a required step is usually "this gets no advisory".
    const instead = step.publishes
      ? ''
      : `. A report that will get no advisory is closed instead: embargo case reject|duplicate|withdraw ${c.id} --reason …`;
    throw conflict(`${stepLabel(step)} cannot be skipped; the ${pb.name} playbook requires it${instead}`);
  }
  const current = c.steps[stepId]?.status;
  if (current === 'done') throw conflict(`${stepLabel(step)} is already done`);
  if (current === 'skipped') throw conflict(`${stepLabel(step)} is already skipped`);

  const unmet = unsettledEarlierSteps(pb, c, step);
  if (unmet.length > 0) throw gateFailed(step, 'skipped', unmet);

  const state: StepState = { status: 'skipped', by: ctx.actor, at: ctx.now.toISOString(), reason: why, confirmed: [] };
  return {
    state: withStep(pb, c, stepId, state, ctx.now),
    events: [{ action: 'step.skipped', caseId: c.id, details: { ...stepDetails(step), reason: why } }],
  };
}

/**
 * Reopening puts a done or skipped step back to open (e.g. a release had to be redone). Later steps
 * keep their state: what was done stays done, but the case status goes back to this step's phase.
 */
export function reopenStep(pb: Playbook, c: Case, stepId: string, reason: string, ctx: CommandContext): CommandResult {
  requireSamePlaybook(pb, c);
  requireUnresolved(c, 'work on its steps');
  const step = findStep(pb, stepId);
  const previous = c.steps[stepId]?.status ?? 'open';
  if (previous === 'open') throw conflict(`${stepLabel(step)} is open; only a done or skipped step can be reopened`);
  const why = requireReason(reason, 'reopen', step);

  const state: StepState = { status: 'open', by: ctx.actor, at: ctx.now.toISOString(), reason: why, confirmed: [] };
  return {
    state: withStep(pb, c, stepId, state, ctx.now),
    events: [{ action: 'step.reopened', caseId: c.id, details: { ...stepDetails(step), reason: why, previous } }],
  };
}

/** Every step of the playbook as it stands for this case, in order, with what blocks the open ones. */
export function stepViews(pb: Playbook, c: Case, now: Date, facts: GateFacts = {}): StepView[] {
  return pb.steps.map((step) => {
    const state = c.steps[step.id];
    const status: StepStatus = state?.status ?? 'open';
    return {
      id: step.id,
      number: step.number,
      title: step.title,
      phase: step.phase,
      status,
      by: state?.by ?? null,
      at: state?.at ?? null,
      reason: state?.reason ?? null,
      guidance: [...step.guidance],
      skippable: step.skippable,
      confirmations: confirmationsOf(step, c, facts),
      confirmed: [...(state?.confirmed ?? [])],
      unmet: status === 'open' ? unmetConditions(pb, c, step.id, now, [], facts) : [],
    };
  });
}

export function playbookSummary(pb: Playbook): PlaybookSummary {
  return {
    id: pb.id,
    name: pb.name,
    description: pb.description,
    source: pb.source ?? null,
    sequential: pb.sequential,
    phases: [...new Set(pb.steps.map((s) => s.phase))],
    steps: pb.steps.map((s) => ({ id: s.id, number: s.number, title: s.title, phase: s.phase, skippable: s.skippable })),
  };
}
export { unmetConditions } from './gates.js';
