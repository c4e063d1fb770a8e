import { conflict, invalidInput } from '../errors.js';
import { optionalText, releaseLine, version } from './fields.js';
import { revise } from './revise.js';
import type { Case, CommandContext, CommandResult, ReleaseLine } from './types.js';
import { parseAsOf } from '../releases/plan.js';
import { RELEASE_LINES_MAX, TAG_MAX, TIME_INPUT_MAX } from './limits.js';

export interface PlannedLine {
  line: unknown;
  version: unknown;
  /** The line's latest release tag, when the plan came from the repository. */
  latest?: unknown;
  /** When the patch is planned to ship: a day or an instant with its offset. */
  plannedAt?: unknown;
}

/**
 * Sets the supported lines that get a patch and the version each will ship (checklist step 2:
 * "decide patch releases (multiple minors could be impacted)"). Lines already released keep their
 * release record; dropping a released line is refused because it would hide a published patch.
 */
export function planRelease(c: Case, lines: unknown, ctx: CommandContext): CommandResult {
  if (!Array.isArray(lines) || lines.length === 0) throw invalidInput('the release plan needs at least one line', { field: 'lines' });
  if (lines.length > RELEASE_LINES_MAX) throw invalidInput(`the release plan has more than ${RELEASE_LINES_MAX} lines`, { field: 'lines' });
  const planned: ReleaseLine[] = lines.map((raw: unknown, i) => {
    const entry = (typeof raw === 'object' && raw !== null ? raw : {}) as PlannedLine;
    const line = releaseLine(`lines[${i}].line`, entry.line);
    const v = version(`lines[${i}].version`, entry.version);
    if (!v.startsWith(`${line}.`))
      throw invalidInput(`lines[${i}]: version ${v} is not on release line ${line}`, { field: `lines[${i}].version` });
    const existing = c.releasePlan.find((l) => l.line === line);
    if (existing?.releasedAt && existing.version !== v) {
      throw conflict(`release line ${line} was already released as ${existing.version}; its version cannot change`);
    }
    if (existing?.releasedAt) return existing;
    const latest = optionalText(`lines[${i}].latest`, entry.latest, TAG_MAX) ?? (existing?.version === v ? existing.latest : undefined);
    const planned = optionalText(`lines[${i}].plannedAt`, entry.plannedAt, TIME_INPUT_MAX);
    const plannedAt = planned ? parseAsOf(planned, `lines[${i}].plannedAt`).toISOString() : undefined;
    return { line, version: v, ...(latest ? { latest } : {}), ...(plannedAt ? { plannedAt } : {}), releasedAt: null, tag: null };
  });
  const seen = new Set<string>();
  for (const l of planned) {
    if (seen.has(l.line)) throw invalidInput(`release line ${l.line} is listed twice`, { field: 'lines' });
    seen.add(l.line);
  }
  const dropped = c.releasePlan.filter((l) => l.releasedAt && !seen.has(l.line));
  if (dropped.length > 0) throw conflict(`release line ${dropped[0]!.line} is already released and cannot be dropped from the plan`);
  planned.sort((a, b) => compareLines(b.line, a.line));
  return {
    state: revise(c, ctx, { releasePlan: planned }),
    events: [
      { action: 'release.planned', caseId: c.id, details: { lines: planned.map(({ line, version: v }) => ({ line, version: v })) } },
    ],
  };
}

/** Marks one line's patch as released (checklist step 8). */
export function recordRelease(c: Case, input: { line: unknown; tag?: unknown }, ctx: CommandContext): CommandResult {
  const line = releaseLine('line', input.line);
  const tag = optionalText('tag', input.tag, TAG_MAX);
  const planned = c.releasePlan.find((l) => l.line === line);
  if (!planned) throw conflict(`release line ${line} is not in the release plan of ${c.id}`);
  if (planned.releasedAt) throw conflict(`release line ${line} was already released on ${planned.releasedAt}`);
  const released: ReleaseLine = { ...planned, releasedAt: ctx.now.toISOString(), tag: tag ?? `v${planned.version}` };
  return {
    state: revise(c, ctx, { releasePlan: c.releasePlan.map((l) => (l.line === line ? released : l)) }),
    events: [{ action: 'release.recorded', caseId: c.id, details: { line, version: planned.version, tag: released.tag } }],
  };
}

function compareLines(a: string, b: string): number {
  const [amaj = 0, amin = 0] = a.split('.').map(Number);
  const [bmaj = 0, bmin = 0] = b.split('.').map(Number);
  return amaj - bmaj || amin - bmin;
}
