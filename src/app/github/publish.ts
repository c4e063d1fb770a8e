/**
 * Publishing the advisory (checklist step 9) happens only through the playbook's gate: the publish
 * step's own conditions (for Contour: every line released, the embargo over, the CVE id recorded,
 * earlier steps settled) plus every planned line's tag verified to contain the fix. A person sees
 * every unmet condition; an admin may override with a written reason, which is recorded with the
 * conditions it overrode.
 */
import { overrideReason, recordManualOverride, recordPublication, unverifiedReleases, type Case } from '../../domain/case/index.js';
import { DomainError, conflict } from '../../domain/errors.js';
import { unmetConditions, type Playbook, type PlaybookStep } from '../../domain/playbook/index.js';
import { saveAdvisoryLink } from '../../store/github.js';
import { requireScope, type Actor } from '../actor.js';
import type { App } from '../app.js';
import { readCase } from '../cases.js';
import { changeCase, readableAnswer, withStatus, workOnCase } from '../unit-of-work.js';
import { connectionOf } from './connection.js';
import { onGitHub } from './errors.js';
import { manualPublish, type ManualInstructions } from './manual.js';

/** The step that publishes the advisory: the one marked `publishes`, else `publish-advisory`, else the first gated on the embargo's end. */
export function publishStepOf(pb: Playbook): PlaybookStep | null {
  return (
    pb.steps.find((s) => s.publishes) ??
    pb.steps.find((s) => s.id === 'publish-advisory') ??
    pb.steps.find((s) => s.gates.some((g) => 'embargoOver' in g)) ??
    null
  );
}

/** The gates every publication needs, whatever the playbook says. */
const BASELINE: Playbook = {
  id: 'publication-baseline',
  name: 'publication baseline',
  description: '',
  sequential: false,
  settings: { embargoedMailCarriesCve: false },
  steps: [
    {
      id: 'publish',
      number: 1,
      title: 'Publish',
      phase: 'disclosure',
      guidance: [],
      skippable: false,
      gates: [{ releasesOut: true }, { embargoOver: true }],
    },
  ],
  clocks: [],
};

/** Every condition that keeps the advisory from being published now; empty when it may go out. */
export function publicationBlockers(pb: Playbook, c: Case, now: Date): string[] {
  const step = publishStepOf(pb);
  const fromStep = step && (c.steps[step.id]?.status ?? 'open') === 'open' ? unmetConditions(pb, c, step.id, now) : [];
  return [...new Set([...fromStep, ...unmetConditions(BASELINE, c, 'publish', now), ...unverifiedReleases(c)])];
}

export interface PublishInput {
  override?: boolean;
  reason?: unknown;
}

export interface PublishResult {
  mode: 'github' | 'manual';
  case: Case;
  published: boolean;
  overridden: boolean;
  /** The conditions an override went past (empty otherwise). */
  unmet: string[];
  manual?: ManualInstructions;
}

/** Why publishing is blocked, or nothing: the same sentences the refusal would give. */
export async function publicationCheck(app: App, actor: Actor, caseId: string): Promise<{ blockers: string[]; step: string | null }> {
  const now = app.clock();
  return readCase(app, actor, caseId, 'publication check', (c) => {
    const pb = app.playbooks.get(c.playbook);
    return { blockers: publicationBlockers(pb, c, now), step: publishStepOf(pb)?.id ?? null };
  });
}

function refuse(c: Case, unmet: string[]): DomainError {
  const count = unmet.length === 1 ? '1 condition is unmet' : `${unmet.length} conditions are unmet`;
  return new DomainError('gate_failed', `the advisory of ${c.id} cannot be published: ${count}`, { unmet });
}

export async function publishAdvisory(app: App, actor: Actor, caseId: string, input: PublishInput = {}): Promise<PublishResult> {
  requireScope(actor, 'write');
  const now = app.clock();
  // Decide first, from what the actor may see; GitHub is asked only when the gate (or an override) allows.
  const { c, unmet, connected } = await readCase(app, actor, caseId, 'advisory publication', async (c, db) => {
    const pb = app.playbooks.get(c.playbook);
    return { c, unmet: publicationBlockers(pb, c, now), connected: await connectionOf(app, db, c.project) };
  });
  if (c.publishedAt) throw conflict(`the advisory of ${c.id} was already published on ${c.publishedAt}`);
  const overriding = unmet.length > 0 && input.override === true;
  if (unmet.length > 0 && !overriding) throw refuse(c, unmet);
  if (overriding) {
    if (actor.role !== 'admin') throw new DomainError('forbidden', 'only an admin can publish past unmet conditions');
    // Checked before anything is sent: an override without its reason must not reach GitHub.
    overrideReason(input.reason);
  }
  const pb = app.playbooks.get(c.playbook);
  const step = publishStepOf(pb);
  const stepId = step && (c.steps[step.id]?.status ?? 'open') === 'open' ? step.id : null;

  if (!connected) {
    // Manual mode: the person publishes on GitHub and records it; an override is on record already now.
    if (overriding) await changeCase(app, actor, caseId, 'write', (current) => recordManualOverride(current, input.reason, unmet));
    return {
      mode: 'manual',
      case: c,
      published: false,
      overridden: overriding,
      unmet: overriding ? unmet : [],
      manual: manualPublish(c, stepId),
    };
  }
  if (!c.ghsaId) throw conflict(`${c.id} has no GitHub advisory yet: push it first (embargo advisory push ${c.id})`);

  const advisory = await onGitHub(() => connected.client.updateAdvisory(connected.repo, c.ghsaId!, { state: 'published' }));
  try {
    const updated = await workOnCase(app, actor, caseId, 'write', async (current, ctx) => {
      const publication = {
        publishedAt: advisory.published_at ?? now.toISOString(),
        stepId,
        ...(overriding ? { override: { reason: input.reason, unmet } } : {}),
      };
      const { state, events } = recordPublication(current, publication, current.ghsaId, ctx);
      await saveAdvisoryLink(ctx.tx, caseId, { ghsaId: c.ghsaId!, remoteState: advisory.state });
      const next = withStatus(state, ctx);
      return { state: next, events, value: next };
    });
    return {
      mode: 'github',
      case: readableAnswer(updated, actor),
      published: true,
      overridden: overriding,
      unmet: overriding ? unmet : [],
    };
  } catch (err) {
    // GitHub has published; only our record failed. Say so, and how to catch up.
    throw new DomainError(
      'conflict',
      `GitHub published ${c.ghsaId}, but Embargo could not record it (${(err as Error).message}); run embargo advisory sync ${c.id}`,
    );
  }
}
