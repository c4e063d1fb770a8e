/**
 * The arguments and flags of `embargo case …` turned into the API's request values, with a usage
 * error (exit 2) in one sentence for anything malformed. No I/O but reading a named file.
 */
import { type Command, Option } from 'commander';
import { CREDIT_PREFERENCES } from '../domain/case/types.js';
import type { CaseEdit as CaseEditInput, ReporterInput } from './api-types.js';
import { type Context, requireUsage } from './context.js';
import { usageError } from './errors.js';

export interface ReporterFlags {
  reporterName?: string;
  reporterContact?: string;
  reporterCompany?: string;
  reporterGithub?: string;
  credit?: string;
}

export function reporterOptions(cmd: Command): Command {
  return cmd
    .option('--reporter-name <name>', 'who reported it')
    .option('--reporter-contact <contact>', 'how to reach them privately (never published)')
    .option('--reporter-company <company>', 'their company ("" for none)')
    .option('--reporter-github <login>', 'their GitHub login: credited on the advisory and made a collaborator on push ("" for none)')
    .addOption(new Option('--credit <how>', 'how they want to be credited').choices([...CREDIT_PREFERENCES]));
}

export const hasReporterFlags = (f: ReporterFlags) =>
  f.reporterName !== undefined ||
  f.reporterContact !== undefined ||
  f.reporterCompany !== undefined ||
  f.reporterGithub !== undefined ||
  f.credit !== undefined;

/** Reporter flags over what is already recorded (null: nothing recorded yet). */
export function reporterFrom(f: ReporterFlags, current: ReporterInput | null): ReporterInput {
  const name = f.reporterName ?? current?.name;
  const contact = f.reporterContact ?? current?.contact;
  requireUsage(
    name !== undefined && contact !== undefined,
    'a reporter needs both --reporter-name and --reporter-contact (the contact stays private)',
  );
  const company = f.reporterCompany !== undefined ? f.reporterCompany.trim() || null : (current?.company ?? null);
  const credit = f.credit ?? current?.credit;
  const githubLogin = f.reporterGithub !== undefined ? f.reporterGithub.trim().replace(/^@/, '') || null : (current?.githubLogin ?? null);
  return {
    name: name!,
    contact: contact!,
    company,
    ...(credit ? { credit: credit as ReporterInput['credit'] } : {}),
    ...(githubLogin ? { githubLogin } : {}),
  };
}

type LineArg = { line: string; version: string; plannedAt?: string };

/** `--line 1.33=1.33.4`, `--line 1.33.4`, with an optional planned date: `--line 1.33=1.33.4@2026-12-10`. */
export function lineArg(raw: string, previous: LineArg[] | undefined): LineArg[] {
  const at = raw.indexOf('@');
  const value = at >= 0 ? raw.slice(0, at) : raw;
  const plannedAt = at >= 0 ? raw.slice(at + 1).trim() : '';
  if (at >= 0 && !plannedAt) throw usageError(`--line "${raw}" names no date after @; write e.g. 1.33=1.33.4@2026-12-10`);
  let line: string;
  let version: string;
  const eq = value.indexOf('=');
  if (eq >= 0) {
    line = value.slice(0, eq).trim();
    version = value.slice(eq + 1).trim();
  } else {
    // "1.33.4" alone: the line is its major.minor.
    version = value.trim();
    const m = /^(\d+\.\d+)\.\d+/.exec(version);
    if (!m) throw usageError(`--line "${value}" is not a release line; write LINE=VERSION, e.g. 1.33=1.33.4 (or just 1.33.4)`);
    line = m[1]!;
  }
  if (!line || !version) throw usageError(`--line "${value}" is not a release line; write LINE=VERSION, e.g. 1.33=1.33.4`);
  return [...(previous ?? []), { line, version, ...(plannedAt ? { plannedAt } : {}) }];
}

export function affectedArg(value: string, previous: { introduced: string; fixed: string | null }[] | undefined) {
  // --affected "" clears the list.
  if (value.trim() === '') return [...(previous ?? [])];
  const m = /^([^.\s][^\s]*?)\.\.([^\s]*)$/.exec(value.trim());
  if (!m)
    throw usageError(
      `--affected "${value}" is not a range; write INTRODUCED..FIXED, e.g. 1.20.0..1.33.4 (or 1.20.0.. when there is no fix)`,
    );
  return [...(previous ?? []), { introduced: m[1]!, fixed: m[2] ? m[2] : null }];
}

export interface AdvisoryFlags {
  description?: string;
  descriptionFile?: string;
  package?: string;
  packageRepository?: string;
  workarounds?: string;
  workaroundsFile?: string;
  reference?: string[];
  published?: string;
  forkUrl?: string;
}

/** "Go:github.com/x/y" → {ecosystem, name}; the name may itself hold colons (Maven group:artifact). */
function packageArg(value: string, repository: string | undefined): CaseEditInput['package'] {
  if (value.trim() === '') return null;
  const colon = value.indexOf(':');
  if (colon <= 0 || colon === value.length - 1)
    throw usageError(`--package "${value}" is not ECOSYSTEM:NAME, e.g. Go:github.com/projectcontour/contour or npm:left-pad`);
  return { ecosystem: value.slice(0, colon).trim(), name: value.slice(colon + 1).trim(), ...(repository ? { repository } : {}) };
}

/** The advisory fields of `case edit` (description, package, workarounds, references, publication). */
export function advisoryEdit(ctx: Context, opts: AdvisoryFlags): CaseEditInput {
  requireUsage(opts.description === undefined || opts.descriptionFile === undefined, 'use --description or --description-file, not both');
  requireUsage(opts.workarounds === undefined || opts.workaroundsFile === undefined, 'use --workarounds or --workarounds-file, not both');
  requireUsage(
    opts.packageRepository === undefined || opts.package !== undefined,
    '--package-repository goes with --package ECOSYSTEM:NAME',
  );
  const edit: CaseEditInput = {};
  if (opts.descriptionFile !== undefined) edit.description = ctx.readArg(opts.descriptionFile, '--description-file').toString('utf8');
  if (opts.description !== undefined) edit.description = opts.description;
  if (opts.workaroundsFile !== undefined) edit.workarounds = ctx.readArg(opts.workaroundsFile, '--workarounds-file').toString('utf8');
  if (opts.workarounds !== undefined) edit.workarounds = opts.workarounds;
  if (opts.package !== undefined) edit.package = packageArg(opts.package, opts.packageRepository);
  if (opts.reference !== undefined) edit.references = listOrNull(opts.reference);
  if (opts.published !== undefined) edit.publishedAt = orNull(opts.published);
  if (opts.forkUrl !== undefined) edit.forkUrl = orNull(opts.forkUrl);
  return edit;
}

/** "" clears a value, as null does in the API. */
export const orNull = (v: string) => (v.trim() === '' ? null : v);
export const listOrNull = (vs: string[]) => {
  const kept = vs.map((v) => v.trim()).filter(Boolean);
  return kept.length === 0 ? null : kept;
};

export function revisionArg(value: string): number {
  if (!/^\d{1,9}$/.test(value)) throw usageError(`--revision "${value}" is not a revision number (case show prints it)`);
  return Number(value);
}

export function limitArg(value: string): number {
  const n = Number(value);
  if (!/^\d{1,7}$/.test(value) || n < 1) throw usageError(`--limit "${value}" is not a number of cases (1 or more)`);
  return n;
}
