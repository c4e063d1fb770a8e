/**
 * Runs the leak guard over the sources a command line or a hook names: commit message files, texts,
 * branch names, commit ranges (and the changelog lines they add), whole histories. Shared by
 * `embargo guard` and the hooks' entry (guard-hook.ts), so it imports only the guard's pure rules,
 * the git readers and node built-ins: the commit-msg hook must start fast.
 */
import { readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { applyGuardConfig, defaultGuardConfig, publicIdList, pushedDiffPaths, type GuardConfig } from '../domain/guard/config.js';
import { commitMessageText } from '../domain/guard/message.js';
import { buildReport, type GuardFinding, type GuardReport, type GuardSource, type ScanCounts } from '../domain/guard/report.js';
import { createScanner, type GuardScanner, type TextFinding } from '../domain/guard/scanner.js';
import { parseTermsFile, type TermsFile } from '../domain/guard/terms-file.js';

// The git readers (and child_process) load only when a scan reads git: the commit-msg hook reads a file.
const history = () => import('../integrations/git/history.js');

export const CONFIG_FILES = ['.embargo-guard.yml', '.embargo-guard.yaml'];

export class GuardInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GuardInputError';
  }
}

const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** Reads and checks a terms file; a missing or broken file is an error (exit 2), never "no terms". */
export async function readTermsFile(file: string): Promise<TermsFile> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new GuardInputError(
      `cannot read the terms file ${file}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : errorText(err)}`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new GuardInputError(`${file} is not JSON; export a terms file with embargo guard terms export --out FILE`);
  }
  try {
    return parseTermsFile(json, file);
  } catch (err) {
    throw new GuardInputError(errorText(err));
  }
}

/** One id per line (CVE or GHSA, any spelling); blank lines and # comments are skipped. */
export async function readPublicIds(file: string): Promise<string[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new GuardInputError(`cannot read the public ids file ${file}: ${errorText(err)}`);
  }
  const lines = text
    .split('\n')
    .map((l) => l.replace(/#.*/, '').trim())
    .filter(Boolean);
  try {
    return publicIdList(lines, file);
  } catch (err) {
    throw new GuardInputError(errorText(err));
  }
}

async function parseYaml(text: string, file: string): Promise<unknown> {
  // Loaded only when a config file exists and its cached parse is stale: `yaml` takes longer to
  // load than the whole commit-msg hook may.
  const { parse } = await import('yaml');
  try {
    return parse(text);
  } catch (err) {
    throw new GuardInputError(`${file} is not valid YAML: ${errorText(err)}`);
  }
}

/**
 * The repository's guard settings (`.embargo-guard.yml` at the top of the work tree) over the
 * defaults. With `cacheDir`, the parsed file is cached there by size and modification time.
 */
export async function loadRepoConfig(
  top: string | null,
  options: { cacheDir?: string; explicitFile?: string } = {},
): Promise<{ config: GuardConfig; file: string | null }> {
  const candidates = options.explicitFile ? [options.explicitFile] : top ? CONFIG_FILES.map((f) => path.join(top, f)) : [];
  for (const file of candidates) {
    let info: Awaited<ReturnType<typeof stat>>;
    try {
      info = await stat(file);
    } catch {
      if (options.explicitFile) throw new GuardInputError(`cannot read the config file ${file}`);
      continue;
    }
    const stamp = `${info.size}:${info.mtimeMs}:${file}`;
    const cacheFile = options.cacheDir ? path.join(options.cacheDir, 'embargo-guard-config.json') : null;
    let raw: unknown;
    let cached = false;
    if (cacheFile) {
      try {
        const c = JSON.parse(await readFile(cacheFile, 'utf8')) as { stamp?: string; value?: unknown };
        if (c.stamp === stamp) {
          raw = c.value;
          cached = true;
        }
      } catch {
        // no cache yet
      }
    }
    if (!cached) {
      raw = await parseYaml(await readFile(file, 'utf8'), file);
      if (cacheFile) await writeFile(cacheFile, JSON.stringify({ stamp, value: raw })).catch(() => {});
    }
    try {
      return { config: applyGuardConfig(defaultGuardConfig(), raw, path.basename(file)), file };
    } catch (err) {
      throw new GuardInputError(errorText(err));
    }
  }
  return { config: defaultGuardConfig(), file: null };
}

export interface GuardSources {
  /** Commit message files (the commit-msg hook's argument). */
  messageFiles?: string[];
  /** Texts already read: PR title and body. */
  texts?: { path: string; text: string }[];
  branches?: string[];
  /** Commit ranges (A..B, or one revision for its whole history). */
  ranges?: string[];
  /** With ranges / all: also the lines added to changelog files. */
  diff?: boolean;
  /** Every commit on every ref, and every ref name. */
  all?: boolean;
  /** Raw git log revision arguments (the pre-push hook's "SHA --not --remotes=origin"). */
  revisions?: string[][];
}

export interface GuardRun {
  /** The repository git commands run in. */
  repo: string;
  config: GuardConfig;
  terms: TermsFile | null;
  strict?: boolean;
  commentChar?: string;
  /** Called every few thousand commits with the running count. */
  onProgress?: (commits: number) => void;
}

/** Masks the secret spans (hashed terms, embargoed ids) of a short text such as a branch name. */
export function maskSecrets(text: string, findings: TextFinding[]): string {
  const chars = text.split('');
  for (const f of findings) if (f.secret) for (let i = f.start; i < f.end; i++) chars[i] = '*';
  return chars.join('');
}

export class GuardSession {
  readonly scanner: GuardScanner;
  readonly findings: GuardFinding[] = [];
  readonly counts: ScanCounts = { messages: 0, commits: 0, diffLines: 0, texts: 0, refs: 0 };

  constructor(private readonly run: GuardRun) {
    this.scanner = createScanner(run.config, run.terms);
  }

  private add(found: TextFinding[], source: GuardSource, lineOffset = 0): void {
    for (const f of found) this.findings.push({ ...f, line: f.line + lineOffset, endLine: f.endLine + lineOffset, source });
  }

  text(text: string, source: GuardSource): void {
    this.counts.texts++;
    this.add(this.scanner.scan(text), source);
  }

  branch(name: string): void {
    this.counts.refs++;
    const found = this.scanner.scan(name);
    if (found.length > 0) this.add(found, { kind: 'ref', ref: maskSecrets(name, found) });
  }

  async messageFile(file: string): Promise<void> {
    let raw: string;
    try {
      raw = await readFile(file, 'utf8');
    } catch (err) {
      throw new GuardInputError(`cannot read the commit message file ${file}: ${errorText(err)}`);
    }
    this.counts.messages++;
    this.add(this.scanner.scan(commitMessageText(raw, this.run.commentChar ?? '#')), { kind: 'message', path: file });
  }

  async commits(revisions: string[]): Promise<void> {
    const every = 10_000;
    const { forEachCommitMessage } = await history();
    await forEachCommitMessage(this.run.repo, revisions, (commit, message) => {
      const found = this.scanner.scan(message);
      if (found.length > 0) this.add(found, { kind: 'commit', commit });
      if (++this.counts.commits % every === 0) this.run.onProgress?.(this.counts.commits);
    });
  }

  /** The lines the commits of `revisions` add to files matching `pathspecs` (default: the changelogs). */
  async changelogLines(revisions: string[], pathspecs: readonly string[] = this.run.config.changelogPaths): Promise<void> {
    const { addedLines } = await history();
    for await (const l of addedLines(this.run.repo, revisions, pathspecs)) {
      this.counts.diffLines++;
      const found = this.scanner.scan(l.text);
      if (found.length > 0) this.add(found, { kind: 'diff', commit: l.commit, path: l.path }, l.line - 1);
    }
  }

  report(): GuardReport {
    return buildReport({
      findings: this.findings,
      scanned: { ...this.counts },
      allowedIds: this.scanner.allowedIds,
      cases: this.scanner.caseCount,
      strict: this.run.strict ?? false,
    });
  }
}

const revisionArgs = (range: string) => ['--end-of-options', range];

/** Scans every source named and returns the report. Git errors (a bad range) propagate. */
export async function runGuard(sources: GuardSources, run: GuardRun): Promise<GuardReport> {
  const session = new GuardSession(run);
  for (const file of sources.messageFiles ?? []) await session.messageFile(file);
  for (const t of sources.texts ?? []) session.text(t.text, { kind: 'text', path: t.path });
  for (const b of sources.branches ?? []) session.branch(b);
  for (const range of sources.ranges ?? []) {
    await session.commits(revisionArgs(range));
    if (sources.diff) await session.changelogLines(revisionArgs(range));
  }
  for (const revs of sources.revisions ?? []) await session.commits(revs);
  if (sources.all) {
    await session.commits(['--all']);
    if (sources.diff) await session.changelogLines(['--all']);
    const { refNames } = await history();
    for (const ref of await refNames(run.repo)) session.branch(ref);
  }
  return session.report();
}

export interface RefUpdate {
  localRef: string;
  localSha: string;
  remoteRef: string;
  remoteSha: string;
}

const ZERO = /^0+$/;

/** git's pre-push stdin: `<local ref> <local sha> <remote ref> <remote sha>` per line. */
export function parsePrePushInput(input: string): RefUpdate[] {
  return input
    .split('\n')
    .map((l) => l.trim().split(/\s+/))
    .filter((p) => p.length === 4)
    .map(([localRef, localSha, remoteRef, remoteSha]) => ({
      localRef: localRef!,
      localSha: localSha!,
      remoteRef: remoteRef!,
      remoteSha: remoteSha!,
    }));
}

const shortRef = (ref: string) => ref.replace(/^refs\/(heads|tags)\//, '');

export interface PrePushResult {
  /** The remote is private: everything may go there, nothing was checked. */
  privateRemote: boolean;
  report: GuardReport;
}

/**
 * The pre-push check: to a remote that is not private, neither a branch name, a new commit message
 * nor a line the new commits add to a changelog or doc (any file, with --strict) may carry an
 * embargoed case's terms or ids.
 */
export async function prePush(
  remoteName: string,
  url: string,
  updates: RefUpdate[],
  run: GuardRun & { privateRemotes: string[] },
): Promise<PrePushResult> {
  const { isPrivateRemote } = await import('../domain/guard/remote.js');
  const { hasCommit } = await history();
  if (isPrivateRemote(url, [...run.config.privateRemotes, ...run.privateRemotes])) {
    return { privateRemote: true, report: new GuardSession(run).report() };
  }
  const session = new GuardSession(run);
  for (const u of updates) {
    if (ZERO.test(u.localSha)) continue; // deleting a remote branch
    const names = new Set([shortRef(u.localRef), shortRef(u.remoteRef)]);
    for (const name of names) session.branch(name);
    const known = !ZERO.test(u.remoteSha) && (await hasCommit(run.repo, u.remoteSha));
    // What the remote does not have yet: since its old tip, or (new branch) since anything it has.
    // A push to a bare URL has no remote-tracking branches of its own: then anything on any remote counts as there.
    const there = /^[\w.-]+$/.test(remoteName) && remoteName !== url ? `--remotes=${remoteName}` : '--remotes';
    const revisions = known ? ['--end-of-options', `${u.remoteSha}..${u.localSha}`] : [u.localSha, '--not', there];
    await session.commits(revisions);
    // What those commits add to changelogs and docs (every file with --strict) goes public too.
    await session.changelogLines(revisions, pushedDiffPaths(run.config, run.strict ?? false));
  }
  return { privateRemote: false, report: session.report() };
}
