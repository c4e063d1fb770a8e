/**
 * The release plan from a project's tags (checklist step 2: "decide patch releases; multiple minors
 * could be impacted"): which minor lines are supported, the latest final release of each and the
 * patch version each will ship, and the affected/patched ranges that plan implies.
 */
import { DomainError, invalidInput } from '../errors.js';
import {
  compareLines,
  compareVersions,
  formatVersion,
  isPrerelease,
  lineOf,
  lineStart,
  nextPatch,
  parseLine,
  parseVersion,
  versionFromTag,
  type Line,
  type Version,
} from './version.js';

/** Contour's policy until 2026-05-29, and what many projects do (Kubernetes: the three newest minors). */
export const DEFAULT_SUPPORTED_LINES = 3;
export const DEFAULT_TAG_PREFIX = 'v';
/** A case's release plan holds at most 32 lines. */
export const MAX_SUPPORTED_LINES = 32;

/** A tag as git lists it: its name and when it was created (ISO 8601; null when git cannot say). */
export interface TagInput {
  name: string;
  createdAt?: string | null;
}

export interface ReleaseTag {
  name: string;
  version: Version;
  createdAt: string | null;
}

/** One minor line and where it stands. */
export interface LineRelease {
  /** "1.33" */
  line: string;
  /** Tag of the line's latest final release, e.g. "v1.33.3". */
  latest: string;
  /** Its version without the tag prefix, e.g. "1.33.3". */
  latestVersion: string;
  latestAt: string | null;
  /** The next patch version, without the tag prefix: "1.33.4". */
  next: string;
  /** The tag that patch will carry: "v1.33.4". */
  nextTag: string;
  /** How many final releases the line has had. */
  releases: number;
}

export interface ReleaseLines {
  tagPrefix: string;
  /** Tags created at or after this instant were left out (ISO 8601), or null. */
  asOf: string | null;
  /** The supported lines, newest first: each gets a patch release. */
  lines: LineRelease[];
  /** Every other line with a final release, newest first: not supported, so no patch. */
  unsupported: LineRelease[];
  /** Pre-release tags seen and left out of "final release" (newest first). */
  prereleases: string[];
}

export interface LineSelection {
  /** The N most recent minor lines that have a final release. */
  count?: number;
  /** Or exactly these lines ("1.31", "1.33"). */
  lines?: readonly string[];
  tagPrefix?: string;
  /** Leave out tags created at or after this instant (to replay an earlier day). */
  asOf?: Date;
}

/** One affected range: `fixed` null means affected with no fix planned, and `note` says why. */
export interface AffectedEntry {
  introduced: string;
  fixed: string | null;
  note?: string;
}

/** Tags created strictly before `asOf`; a tag whose creation time is unknown cannot be shown to qualify. */
export function tagsAsOf<T extends TagInput>(tags: readonly T[], asOf: Date): T[] {
  const limit = asOf.getTime();
  return tags.filter((t) => {
    if (!t.createdAt) return false;
    const at = Date.parse(t.createdAt);
    return !Number.isNaN(at) && at < limit;
  });
}

/** The tags named `<prefix><version>`, split into final releases and pre-releases, newest first. */
export function releaseTags(
  tags: readonly TagInput[],
  tagPrefix: string = DEFAULT_TAG_PREFIX,
): { finals: ReleaseTag[]; prereleases: ReleaseTag[] } {
  const finals: ReleaseTag[] = [];
  const prereleases: ReleaseTag[] = [];
  for (const t of tags) {
    const version = versionFromTag(t.name, tagPrefix);
    if (!version) continue;
    (isPrerelease(version) ? prereleases : finals).push({ name: t.name, version, createdAt: t.createdAt ?? null });
  }
  const newestFirst = (a: ReleaseTag, b: ReleaseTag) => compareVersions(b.version, a.version) || (a.name < b.name ? -1 : 1);
  return { finals: finals.sort(newestFirst), prereleases: prereleases.sort(newestFirst) };
}

function checkPrefix(prefix: string): string {
  if (prefix.length > 64 || /[\s~^:?*[\\]/.test(prefix)) {
    throw invalidInput(`tag prefix "${prefix}" cannot start a git tag name`, { field: 'tagPrefix' });
  }
  return prefix;
}

function checkCount(count: number): number {
  if (!Number.isInteger(count) || count < 1 || count > MAX_SUPPORTED_LINES) {
    throw invalidInput(`the number of supported lines must be a whole number from 1 to ${MAX_SUPPORTED_LINES}, not ${count}`, {
      field: 'count',
    });
  }
  return count;
}

function describeAsOf(asOf: Date | undefined): string {
  return asOf ? ` created before ${asOf.toISOString()}` : '';
}

/**
 * The supported lines: the `count` most recent minor lines that have a final release (a line with
 * only pre-releases is not supported yet), or exactly the `lines` asked for; with the latest final
 * release of each and the next patch version.
 */
export function supportedLines(tags: readonly TagInput[], selection: LineSelection = {}): ReleaseLines {
  const tagPrefix = checkPrefix(selection.tagPrefix ?? DEFAULT_TAG_PREFIX);
  if (selection.count !== undefined && selection.lines !== undefined) {
    throw invalidInput('give either a number of supported lines or the lines themselves, not both', { field: 'lines' });
  }
  if (selection.asOf && Number.isNaN(selection.asOf.getTime())) throw invalidInput('the as-of date is not a valid date', { field: 'asOf' });
  const considered = selection.asOf ? tagsAsOf(tags, selection.asOf) : [...tags];
  const { finals, prereleases } = releaseTags(considered, tagPrefix);

  // Finals are newest first, so the first tag seen on a line is its latest release.
  const byLine = new Map<string, { line: Line; latest: ReleaseTag; releases: number }>();
  for (const t of finals) {
    const key = lineOf(t.version);
    const entry = byLine.get(key);
    if (entry) entry.releases += 1;
    else byLine.set(key, { line: { major: t.version.major, minor: t.version.minor }, latest: t, releases: 1 });
  }
  const all: LineRelease[] = [...byLine.values()]
    .sort((a, b) => compareLines(b.line, a.line))
    .map(({ line, latest, releases }) => {
      const next = formatVersion(nextPatch(latest.version));
      return {
        line: lineOf(line),
        latest: latest.name,
        latestVersion: formatVersion(latest.version),
        latestAt: latest.createdAt,
        next,
        nextTag: `${tagPrefix}${next}`,
        releases,
      };
    });

  if (all.length === 0) {
    const pre =
      prereleases.length > 0 ? `; ${prereleases.length} pre-release tag${prereleases.length === 1 ? ' was' : 's were'} left out` : '';
    throw new DomainError(
      'not_found',
      `no final release found: none of the ${considered.length} tag${considered.length === 1 ? '' : 's'}${describeAsOf(selection.asOf)} is named like ${tagPrefix}1.2.3${pre}`,
      { reason: 'no_final_release' },
    );
  }

  let supported: LineRelease[];
  if (selection.lines !== undefined) {
    const wanted: string[] = [];
    for (const raw of selection.lines) {
      const parsed = typeof raw === 'string' ? parseLine(raw.trim()) : null;
      if (!parsed) throw invalidInput(`line "${String(raw)}" is not a minor release line like 1.33`, { field: 'lines' });
      const name = lineOf(parsed);
      if (!wanted.includes(name)) wanted.push(name);
    }
    if (wanted.length === 0) throw invalidInput('name at least one release line, e.g. 1.33', { field: 'lines' });
    if (wanted.length > MAX_SUPPORTED_LINES) throw invalidInput(`more than ${MAX_SUPPORTED_LINES} release lines`, { field: 'lines' });
    const problems = wanted
      .filter((name) => !byLine.has(name))
      .map((name) => {
        const pre = prereleases.filter((t) => lineOf(t.version) === name).map((t) => t.name);
        return pre.length > 0
          ? `line ${name} has no final release yet, only pre-releases (${pre.join(', ')})`
          : `line ${name} has no release tagged ${tagPrefix}${name}.N${describeAsOf(selection.asOf)}`;
      });
    if (problems.length > 0)
      throw invalidInput(`${problems.join('; ')}; lines with a final release: ${all.map((l) => l.line).join(', ')}`, { field: 'lines' });
    supported = all.filter((l) => wanted.includes(l.line));
  } else {
    supported = all.slice(0, checkCount(selection.count ?? DEFAULT_SUPPORTED_LINES));
  }
  return {
    tagPrefix,
    asOf: selection.asOf ? selection.asOf.toISOString() : null,
    lines: supported,
    unsupported: all.filter((l) => !supported.includes(l)),
    prereleases: prereleases.map((t) => t.name),
  };
}

/**
 * A version a person types for "where the bug first appeared": "1.19.0", "v1.19.0" (the tag prefix
 * is dropped) or just the line "1.19" (its first release).
 */
export function parseIntroduced(text: string, tagPrefix = DEFAULT_TAG_PREFIX, label = 'introduced'): Version {
  const raw = text.trim();
  const bare = tagPrefix !== '' && raw.startsWith(tagPrefix) && /^\d/.test(raw.slice(tagPrefix.length)) ? raw.slice(tagPrefix.length) : raw;
  const line = parseLine(bare);
  const version = line ? lineStart(line) : parseVersion(bare);
  if (!version) throw invalidInput(`${label} "${text}" is not a version like 1.19.0`, { field: 'introduced' });
  return version;
}

interface LineState extends LineRelease {
  supported: boolean;
  parsed: Line;
}

function versionOf(l: LineRelease): Version {
  return parseVersion(l.latestVersion)!;
}

/** Whether any release of the line carries a bug that first appeared in `introduced`. */
function lineAffected(l: LineState, introduced: Version | null): boolean {
  if (!introduced) return true;
  const cmp = compareLines(introduced, l.parsed);
  if (cmp > 0) return false;
  if (cmp < 0) return true;
  return compareVersions(introduced, versionOf(l)) <= 0;
}

const lineWord = (lines: LineState[]) => {
  const newest = lines[0]!.line;
  const oldest = lines[lines.length - 1]!.line;
  return lines.length === 1 ? `line ${newest}` : `lines ${oldest} to ${newest}`;
};

function upgradeAdvice(above: LineState | undefined): string {
  return above ? `users must upgrade to ${above.next} or later` : 'no supported line is newer, so there is nothing to upgrade to';
}

/**
 * The affected/patched ranges a plan implies: one range per affected supported line, from the
 * line's x.y.0 (or `introduced` when it falls inside that line) to the line's next patch; and the
 * affected lines that are not supported — those older than the oldest supported line, starting at
 * `introduced` when it is given — as affected with no fix, with a note that says so.
 * Newest first. Without `introduced` every line with a release is taken as affected.
 */
export function affectedRanges(plan: ReleaseLines, options: { introduced?: string; label?: string } = {}): AffectedEntry[] {
  const label = options.label ?? 'introduced';
  const introduced = options.introduced === undefined ? null : parseIntroduced(options.introduced, plan.tagPrefix, label);
  const all: LineState[] = [
    ...plan.lines.map((l) => ({ ...l, supported: true, parsed: parseLine(l.line)! })),
    ...plan.unsupported.map((l) => ({ ...l, supported: false, parsed: parseLine(l.line)! })),
  ].sort((a, b) => compareLines(b.parsed, a.parsed));
  if (plan.lines.length === 0) throw invalidInput('the plan has no supported line', { field: 'lines' });

  const affected = all.filter((l) => lineAffected(l, introduced));
  if (!affected.some((l) => l.supported)) {
    const newest = all.find((l) => l.supported)!;
    throw invalidInput(
      `${label} ${formatVersion(introduced!)} is newer than every supported line: the newest supported release is ${newest.latest}, so no supported release is affected`,
      { field: 'introduced' },
    );
  }

  const supportedParsed = all.filter((l) => l.supported).map((l) => l.parsed);
  const newestSupported = supportedParsed[0]!;
  const oldestSupported = supportedParsed[supportedParsed.length - 1]!;
  const entries: AffectedEntry[] = [];
  const supportedAbove = (i: number) => {
    for (let j = i - 1; j >= 0; j--) if (affected[j]!.supported) return affected[j];
    return undefined;
  };
  let i = 0;
  while (i < affected.length) {
    const l = affected[i]!;
    if (l.supported) {
      const inLine = introduced !== null && compareLines(introduced, l.parsed) === 0;
      entries.push({ introduced: formatVersion(inLine ? introduced : lineStart(l.parsed)), fixed: l.next });
      i += 1;
      continue;
    }
    // A run of consecutive unsupported lines is one range with no fix.
    let j = i;
    while (j < affected.length && !affected[j]!.supported) j += 1;
    const run = affected.slice(i, j);
    const oldest = run[run.length - 1]!;
    const bottom = j === affected.length;
    const from = bottom && introduced ? introduced : lineStart(oldest.parsed);
    const where =
      compareLines(run[0]!.parsed, oldestSupported) < 0
        ? 'older than the supported lines'
        : compareLines(oldest.parsed, newestSupported) > 0
          ? 'newer than the supported lines, and not supported'
          : 'not supported';
    const assumed =
      bottom && !introduced
        ? `; when the bug appeared is not known, so every release from ${formatVersion(from)} on is taken as affected (say where it appeared to narrow this)`
        : '';
    entries.push({
      introduced: formatVersion(from),
      fixed: null,
      note: `versions ${formatVersion(from)} to ${run[0]!.latestVersion} (${lineWord(run)}, ${where}) are affected and get no fix; ${upgradeAdvice(supportedAbove(i))}${assumed}`,
    });
    i = j;
  }

  // A bug older than every tagged line: the versions before the oldest tag are affected too.
  const lowest = affected[affected.length - 1]!;
  if (introduced && lowest.supported && compareLines(introduced, lowest.parsed) < 0) {
    entries.push({
      introduced: formatVersion(introduced),
      fixed: null,
      note: `versions ${formatVersion(introduced)} to before ${formatVersion(lineStart(lowest.parsed))} (older than the supported lines; no release tag of theirs was found) are affected and get no fix; users must upgrade to ${lowest.next} or later`,
    });
  }
  return entries;
}

/** What a case stores from a plan: the release lines with their patch versions, and the affected ranges. */
export function casePlanOf(
  plan: ReleaseLines,
  affected: readonly AffectedEntry[],
): {
  lines: { line: string; version: string; latest: string }[];
  affected: { introduced: string; fixed: string | null }[];
} {
  return {
    lines: plan.lines.map((l) => ({ line: l.line, version: l.next, latest: l.latest })),
    affected: affected.map(({ introduced, fixed }) => ({ introduced, fixed })),
  };
}

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const INSTANT = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/i;

/**
 * A day ("2026-05-01": the start of that day in UTC) or an instant with its offset
 * ("2026-05-01T09:00:00+02:00"), for replaying the plan as it was then. A time without an offset is
 * refused: it would mean a different instant on every machine.
 */
export function parseAsOf(text: string, label = 'as-of'): Date {
  const raw = text.trim();
  const day = DAY.exec(raw);
  const instant = day ? null : INSTANT.exec(raw);
  const parts = day ?? instant;
  if (!parts) {
    const hint = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2})?$/.test(raw) ? ' (add Z or an offset such as +02:00 to the time)' : '';
    throw invalidInput(`${label} "${text}" is not a date like 2026-05-01 or a time like 2026-05-01T09:00:00Z${hint}`, { field: 'asOf' });
  }
  const [, y, mo, d] = parts;
  const at = new Date(day ? `${raw}T00:00:00Z` : raw.replace(' ', 'T').replace(/z$/, 'Z'));
  // "2026-02-30" parses to March 2nd in some engines: the calendar date must survive the round trip.
  const probe = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
  if (Number.isNaN(at.getTime()) || probe.getUTCMonth() !== Number(mo) - 1 || probe.getUTCDate() !== Number(d)) {
    throw invalidInput(`${label} "${text}" is not a real date`, { field: 'asOf' });
  }
  return at;
}
