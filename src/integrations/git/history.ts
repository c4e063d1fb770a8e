/**
 * What the leak guard reads from git: commit messages (streamed, so a history of millions of
 * commits never sits in memory), the lines a range of commits added to changelog files, ref names,
 * and where a repository keeps its hooks.
 */
import path from 'node:path';
import { git, gitRecords } from './run.js';

const RS = '\x1e';
const US = '\x1f';

/**
 * Into a pipe, git log flushes after every commit (GIT_FLUSH unset: "record-oriented" output): a
 * million commits arrive as half a million tiny reads, and reading them costs more than scanning
 * them. GIT_FLUSH=0 lets git fill its output buffer first.
 */
const BUFFERED = { GIT_FLUSH: '0' };

/**
 * Calls `onCommit` with each commit's id and message for `revisions` (git log arguments: `--all`,
 * `A..B`, `SHA --not --remotes=o`) and returns how many there were. Revisions that come from a
 * person should follow `--end-of-options`. A callback rather than a generator: over a million
 * commits, every extra await per commit shows.
 */
export async function forEachCommitMessage(
  repo: string,
  revisions: string[],
  onCommit: (commit: string, message: string) => void,
): Promise<number> {
  let n = 0;
  for await (const record of gitRecords(['log', `--format=%H${US}%B${RS}`, ...revisions], { cwd: repo, separator: RS, env: BUFFERED })) {
    // Records after the first start with the newline git puts after each entry.
    const start = record.charCodeAt(0) === 10 ? 1 : 0;
    const sep = record.indexOf(US, start);
    if (sep < 0) continue;
    const end = record.charCodeAt(record.length - 1) === 10 ? record.length - 1 : record.length;
    onCommit(record.slice(start, sep), record.slice(sep + 1, end));
    n++;
  }
  return n;
}

export interface AddedLine {
  commit: string;
  /** Path of the file in the commit (new name). */
  path: string;
  /** 1-based line number in the file as the commit left it. */
  line: number;
  text: string;
}

/**
 * Lines that the commits of `revisions` added to files matching `pathspecs` (git pathspecs, magic
 * allowed), one commit at a time. Merge commits show no diff, as in `git log -p`.
 */
export async function* addedLines(repo: string, revisions: string[], pathspecs: readonly string[]): AsyncGenerator<AddedLine> {
  if (pathspecs.length === 0) return;
  const args = [
    '-c',
    'core.quotePath=false',
    'log',
    `--format=${RS}%H`,
    '-p',
    '-U0',
    '--no-color',
    '--no-ext-diff',
    '--no-renames',
    ...revisions,
    '--',
    ...pathspecs,
  ];
  for await (const record of gitRecords(args, { cwd: repo, separator: RS, env: BUFFERED })) {
    const lines = record.split('\n');
    const commit = lines[0]?.trim() ?? '';
    if (!/^[0-9a-f]{40,64}$/.test(commit)) continue;
    let file: string | null = null;
    let inHeader = false;
    let next = 0;
    for (let i = 1; i < lines.length; i++) {
      const l = lines[i]!;
      if (l.startsWith('diff --git ')) {
        inHeader = true;
        file = null;
        continue;
      }
      if (inHeader) {
        if (l.startsWith('+++ ')) file = l === '+++ /dev/null' ? null : l.slice(4).replace(/^b\//, '');
        else if (l.startsWith('@@')) {
          inHeader = false;
          next = hunkStart(l);
        }
        continue;
      }
      if (l.startsWith('@@')) next = hunkStart(l);
      else if (l.startsWith('+')) {
        if (file !== null) yield { commit, path: file, line: next, text: l.slice(1) };
        next++;
      } else if (l.startsWith(' ')) next++;
    }
  }
}

function hunkStart(header: string): number {
  const m = /^@@ -\d+(?:,\d+)? \+(\d+)/.exec(header);
  return m ? Number(m[1]) : 0;
}

/** Every ref name (branches, remote-tracking branches, tags), in short form: `main`, `origin/fix`. */
export async function refNames(repo: string): Promise<string[]> {
  const out = await git(['for-each-ref', '--format=%(refname:short)'], { cwd: repo });
  return out.split('\n').filter((r) => r !== '');
}

export interface RepoPaths {
  /** The work tree's top directory; null for a bare repository. */
  top: string | null;
  gitDir: string;
  /** Where git looks for hooks (core.hooksPath or GIT_DIR/hooks), absolute. */
  hooksDir: string;
}

export async function repoPaths(repo: string): Promise<RepoPaths> {
  const out = await git(['rev-parse', '--path-format=absolute', '--absolute-git-dir', '--git-path', 'hooks', '--is-bare-repository'], {
    cwd: repo,
  });
  const [gitDir, hooksDir, bare] = out.split('\n');
  const top = bare === 'true' ? null : (await git(['rev-parse', '--show-toplevel'], { cwd: repo })).trim();
  return { top, gitDir: gitDir!.trim(), hooksDir: path.resolve(repo, hooksDir!.trim()) };
}

/** The character that starts comment lines in commit messages (core.commentChar, default #). */
export async function commentChar(repo: string): Promise<string> {
  const value = await git(['config', '--get', 'core.commentChar'], { cwd: repo }).catch(() => '');
  const c = value.trim();
  // "auto" picks a character per message; the editor template then shows it, # is git's first pick.
  return c === '' || c === 'auto' ? '#' : c;
}

/** True when `revision` names a commit in the repository. */
export async function hasCommit(repo: string, revision: string): Promise<boolean> {
  try {
    await git(['cat-file', '-e', `${revision}^{commit}`], { cwd: repo });
    return true;
  } catch {
    return false;
  }
}
