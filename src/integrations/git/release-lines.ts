/**
 * Release plans from a repository (checklist steps 2 and 8): read a repository's tags and work out the
 * supported lines, their next patch versions and the affected ranges; check that release tags carry
 * a fix. They read a git repository and no database: storing a plan on a case goes through the case
 * commands (planRelease, editCase) like any other change.
 */
import { invalidInput } from '../../domain/errors.js';
import type { Playbook, PlaybookSettings } from '../../domain/playbook/types.js';
import {
  affectedRanges,
  casePlanOf,
  DEFAULT_SUPPORTED_LINES,
  DEFAULT_TAG_PREFIX,
  fixVerdict,
  supportedLines,
  type AffectedEntry,
  type FixVerdict,
  type LineRelease,
} from '../../domain/releases/index.js';
import { GitRepository, type FixVerification } from './repo.js';

export type ReleasePolicy = NonNullable<PlaybookSettings['releasePolicy']>;

/** Where the plan's supported lines came from, for people reading it. */
export type PolicySource =
  | { kind: 'lines' }
  | { kind: 'count' }
  | { kind: 'playbook'; playbook: string }
  | { kind: 'project'; project: string }
  | { kind: 'default' };

/** Whose release policy applies: a project's own, or its playbook's. */
export interface PolicyOwner {
  playbook: Pick<Playbook, 'id' | 'settings'>;
  /** The project, when its own settings set the policy. */
  project?: { id: string; settings: { releasePolicy?: ReleasePolicy } };
}

/** A project's release policy, else its playbook's, else the fallback (the three most recent lines, tags named v1.2.3). */
export function releasePolicyOf(owner: PolicyOwner | undefined): { policy: ReleasePolicy; source: PolicySource } {
  const own = owner?.project?.settings.releasePolicy;
  if (owner?.project && own) {
    return {
      policy: { supportedLines: own.supportedLines, tagPrefix: own.tagPrefix },
      source: { kind: 'project', project: owner.project.id },
    };
  }
  const p = owner?.playbook.settings.releasePolicy;
  if (owner && p)
    return {
      policy: { supportedLines: p.supportedLines, tagPrefix: p.tagPrefix },
      source: { kind: 'playbook', playbook: owner.playbook.id },
    };
  return { policy: { supportedLines: DEFAULT_SUPPORTED_LINES, tagPrefix: DEFAULT_TAG_PREFIX }, source: { kind: 'default' } };
}

export interface RepositoryPlanRequest {
  /** Path of the git repository (work tree or bare). */
  repo: string;
  tagPrefix: string;
  /** The N most recent lines with a final release, or exactly these lines. */
  supported: { count: number } | { lines: string[] };
  /** Only tags created before this instant. */
  asOf?: Date;
  /** Where the bug first appeared, e.g. "1.19.0". */
  introduced?: string;
  /** How the caller names `introduced` in messages, e.g. "--introduced". */
  introducedLabel?: string;
  /** How the caller names `repo` in messages, e.g. "--repo". */
  repoLabel?: string;
}

export interface RepositoryPlan {
  repo: string;
  tagPrefix: string;
  asOf: string | null;
  introduced: string | null;
  /** The supported lines, newest first, each with its latest release and next patch. */
  lines: LineRelease[];
  /** The other lines with a final release, newest first. */
  unsupported: LineRelease[];
  affected: AffectedEntry[];
  /** How many tags were read (after --as-of). */
  tagsRead: number;
  /** Pre-release tags left out. */
  prereleases: string[];
}

/** The release plan a repository's tags imply. */
export async function planFromRepository(req: RepositoryPlanRequest): Promise<RepositoryPlan> {
  const repo = await GitRepository.open(req.repo, req.repoLabel ?? 'repository');
  const tags = await repo.listTags(req.asOf ? { asOf: req.asOf } : {});
  const plan = supportedLines(tags, {
    tagPrefix: req.tagPrefix,
    ...('count' in req.supported ? { count: req.supported.count } : { lines: req.supported.lines }),
    ...(req.asOf ? { asOf: req.asOf } : {}),
  });
  const affected = affectedRanges(plan, {
    ...(req.introduced !== undefined ? { introduced: req.introduced } : {}),
    label: req.introducedLabel ?? 'introduced',
  });
  return {
    repo: repo.path,
    tagPrefix: plan.tagPrefix,
    asOf: plan.asOf,
    introduced: req.introduced ?? null,
    lines: plan.lines,
    unsupported: plan.unsupported,
    affected,
    tagsRead: tags.length,
    prereleases: plan.prereleases,
  };
}

/** What a case keeps of the plan: lines with their patch versions (no tag prefix) and the affected ranges. */
export function caseChangesOf(plan: RepositoryPlan): ReturnType<typeof casePlanOf> {
  return casePlanOf(
    { tagPrefix: plan.tagPrefix, asOf: plan.asOf, lines: plan.lines, unsupported: plan.unsupported, prereleases: plan.prereleases },
    plan.affected,
  );
}

export interface FixCheckRequest {
  repo: string;
  /** The fix commit: a hash, a branch or any revision. */
  fix: string;
  tags: string[];
  repoLabel?: string;
  fixLabel?: string;
}

export interface FixCheckResult extends FixVerification, FixVerdict {
  repo: string;
}

/** Whether each tag exists and carries the fix (or a cherry-pick of it). */
export async function checkFixInTags(req: FixCheckRequest): Promise<FixCheckResult> {
  if (req.tags.length === 0) throw invalidInput('name at least one tag to check', { field: 'tags' });
  const repo = await GitRepository.open(req.repo, req.repoLabel ?? 'repository');
  const verification = await repo.verifyFix(req.fix, req.tags, req.fixLabel ?? 'fix');
  return { repo: repo.path, ...verification, ...fixVerdict(verification.fix, verification.checks) };
}
