/**
 * Verified releases (checklist steps 8 and 9): a released line counts as verified once its tag was
 * checked to contain the fix commit (or a cherry-pick of it). Publishing the advisory needs every
 * planned line released AND verified, so a tag cut from the wrong branch cannot open the gate.
 */
import { conflict, invalidInput } from '../errors.js';
import { requiredText } from './fields.js';
import { COMMIT_MAX, TAG_MAX, VERIFIED_TAGS_MAX } from './limits.js';
import { revise } from './revise.js';
import type { Case, CommandContext, CommandResult, ReleaseLine } from './types.js';

/** One tag's check result, as `embargo plan verify` found it. */
export interface TagCheck {
  tag: unknown;
  /** The tag exists and carries the fix. */
  contains: unknown;
}

export interface ReleaseVerificationInput {
  /** The fix commit (full hash) the tags were checked against. */
  fixCommit: unknown;
  checks: TagCheck[];
}

/** The case's line a tag belongs to: the tag recorded at release, else the planned version's usual tag. */
function lineOfTag(c: Case, tag: string): ReleaseLine | undefined {
  return (
    c.releasePlan.find((l) => l.tag === tag) ??
    c.releasePlan.find((l) => l.tag === null && (tag === l.version || tag.endsWith(`v${l.version}`)))
  );
}

/**
 * Records tag checks on the case's release lines: a line whose tag contains the fix is verified
 * (verifiedAt, fixCommit); one whose tag lacks it loses an earlier verification. A tag that belongs to
 * no released line is refused, naming what to do, so a check is never silently dropped.
 */
export function recordReleaseVerification(c: Case, input: ReleaseVerificationInput, ctx: CommandContext): CommandResult {
  const fixCommit = requiredText('fixCommit', input.fixCommit, COMMIT_MAX);
  if (!/^[0-9a-f]{7,64}$/i.test(fixCommit)) throw invalidInput(`fixCommit "${fixCommit}" is not a commit hash`, { field: 'fixCommit' });
  if (!Array.isArray(input.checks) || input.checks.length === 0) throw invalidInput('name at least one checked tag', { field: 'checks' });
  if (input.checks.length > VERIFIED_TAGS_MAX) throw invalidInput(`more than ${VERIFIED_TAGS_MAX} checked tags`, { field: 'checks' });
  const now = ctx.now.toISOString();
  let plan = c.releasePlan;
  const results: { line: string; tag: string; verified: boolean }[] = [];
  input.checks.forEach((check, i) => {
    const tag = requiredText(`checks[${i}].tag`, check.tag, TAG_MAX);
    if (typeof check.contains !== 'boolean')
      throw invalidInput(`checks[${i}].contains must be true or false`, { field: `checks[${i}].contains` });
    const line = lineOfTag(c, tag);
    if (!line)
      throw conflict(
        `tag ${tag} belongs to no release line of ${c.id}; its lines are ${c.releasePlan.map((l) => `${l.line} (${l.tag ?? `v${l.version}`})`).join(', ') || 'not planned yet'}`,
      );
    if (line.releasedAt === null)
      throw conflict(`release line ${line.line} of ${c.id} is not recorded as released yet; record the release of ${tag} first`);
    const { verifiedAt: _v, fixCommit: _f, ...unverified } = line;
    const next: ReleaseLine = check.contains ? { ...unverified, verifiedAt: now, fixCommit } : unverified;
    plan = plan.map((l) => (l.line === line.line ? next : l));
    results.push({ line: line.line, tag, verified: check.contains });
  });
  return {
    state: revise(c, ctx, { releasePlan: plan }),
    events: [{ action: 'release.verified', caseId: c.id, details: { fixCommit, lines: results } }],
  };
}

/** A planned line without its release, with the command that records it (shared with the releasesOut gate). */
export const unreleasedLine = (c: Case, line: string) =>
  `release line ${line} has no released patch (embargo case release ${c.id} ${line} [--tag TAG])`;
/** No plan yet, with the command that makes one (shared with the playbook's gates). */
export const noReleasePlan = (c: Case) => `no release line is planned (embargo case plan ${c.id} --line MINOR=VERSION)`;

/** Why the releases do not allow publication yet: one sentence per planned line that is not verified. */
export function unverifiedReleases(c: Case): string[] {
  // The same sentences as the playbook's releasesOut gate, so a list that holds both says each once.
  if (c.releasePlan.length === 0) return [noReleasePlan(c)];
  return c.releasePlan.flatMap((l) => {
    if (l.releasedAt === null) return [unreleasedLine(c, l.line)];
    if (!l.verifiedAt)
      return [
        `release line ${l.line}: tag ${l.tag ?? `v${l.version}`} is not verified to contain the fix (embargo plan verify --case ${c.id})`,
      ];
    return [];
  });
}
