/**
 * Mistakes in a recorded release: a wrong tag (v1.2.9 recorded for the planned 1.2.3) would otherwise
 * block publishing for good — the right tag is "already released", verifying it finds no line, and
 * the line cannot be re-planned. A release can be corrected (another tag, or the version that really
 * shipped) or undone, each with a reason and an event; either resets the line's verification, which
 * was about the old tag.
 */
import { conflict, invalidInput } from '../errors.js';
import { event } from '../events.js';
import { decisionReason, optionalText, releaseLine, version } from './fields.js';
import { TAG_MAX } from './limits.js';
import { revise } from './revise.js';
import type { Case, CommandContext, CommandResult, ReleaseLine } from './types.js';

/** A sentence when the tag does not name the planned version (e.g. v1.2.9 for 1.2.3), else null. */
export function releaseTagWarning(l: Pick<ReleaseLine, 'line' | 'version' | 'tag'>): string | null {
  if (!l.tag) return null;
  const named = /(\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?)$/.exec(l.tag)?.[1];
  if (named === l.version) return null;
  return `the tag ${l.tag} does not name the planned version ${l.version} of line ${l.line}`;
}

function releasedLine(c: Case, value: unknown): ReleaseLine {
  const line = releaseLine('line', value);
  const l = c.releasePlan.find((x) => x.line === line);
  if (!l) throw conflict(`release line ${line} is not in the release plan of ${c.id}`);
  if (!l.releasedAt)
    throw conflict(`release line ${line} has no recorded release to correct; record it with embargo case release ${c.id} ${line}`);
  if (c.publishedAt) throw conflict(`the advisory of ${c.id} is published; its releases are part of the public record`);
  return l;
}

/** Without verification: it was about the old tag. */
function unverified(l: ReleaseLine): ReleaseLine {
  const { verifiedAt: _v, fixCommit: _f, ...rest } = l;
  return rest;
}

export function correctRelease(
  c: Case,
  input: { line: unknown; tag?: unknown; version?: unknown; reason: unknown },
  ctx: CommandContext,
): CommandResult {
  const l = releasedLine(c, input.line);
  const reason = decisionReason(input.reason, `correct the release of line ${l.line}`);
  const tag = optionalText('tag', input.tag, TAG_MAX);
  const shipped = input.version === undefined || input.version === null ? l.version : version('version', input.version);
  if (!shipped.startsWith(`${l.line}.`)) throw invalidInput(`version ${shipped} is not on release line ${l.line}`, { field: 'version' });
  if (tag === null && shipped === l.version) throw invalidInput('say what is right: --tag, --version, or both', { field: 'tag' });
  const next: ReleaseLine = unverified({ ...l, version: shipped, tag: tag ?? l.tag });
  return {
    state: revise(c, ctx, { releasePlan: c.releasePlan.map((x) => (x.line === l.line ? next : x)) }),
    events: [
      event('release.corrected', c.id, {
        line: l.line,
        version: shipped,
        tag: next.tag,
        previous: { version: l.version, tag: l.tag, verified: Boolean(l.verifiedAt) },
        reason,
      }),
    ],
  };
}

/** The line back to "not released yet", keeping its planned version. */
export function undoRelease(c: Case, input: { line: unknown; reason: unknown }, ctx: CommandContext): CommandResult {
  const l = releasedLine(c, input.line);
  const reason = decisionReason(input.reason, `undo the release of line ${l.line}`);
  const next: ReleaseLine = unverified({ ...l, releasedAt: null, tag: null });
  return {
    state: revise(c, ctx, { releasePlan: c.releasePlan.map((x) => (x.line === l.line ? next : x)) }),
    events: [
      event('release.undone', c.id, {
        line: l.line,
        version: l.version,
        previous: { releasedAt: l.releasedAt!, tag: l.tag, verified: Boolean(l.verifiedAt) },
        reason,
      }),
    ],
  };
}
