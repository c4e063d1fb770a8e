/**
 * A project's git repository as the release plan needs it: its tags with their creation dates, and
 * whether a tag carries a fix — the fix commit itself, or a cherry-pick of it (same patch-id).
 * Runs the system git through run.ts (execFile, no shell). Names a person typed (commits, tags) are
 * passed after --end-of-options or inside a refs/tags/ path, so none can be read as a git option.
 */
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { invalidInput } from '../../domain/errors.js';
import { tagsAsOf, type TagInput } from '../../domain/releases/plan.js';
import { fixNote, type FixCheck } from '../../domain/releases/verify.js';
import { git, gitRecords, GitError, type GitOptions } from './run.js';

/** One tag: its name, the commit it points to and when it was created. */
export interface TagRecord extends TagInput {
  name: string;
  /**
   * When the tag was made (ISO 8601, UTC): the tagger date of an annotated tag, the commit date of
   * a lightweight one (git's `creatordate`); null if git cannot say.
   */
  createdAt: string | null;
  /** The commit the tag points to; null for a tag of a tree or a blob. */
  commit: string | null;
  annotated: boolean;
}

export interface FixVerification {
  /** The fix commit, in full. */
  fix: string;
  /** A merge commit has no patch of its own: only the commit itself can be found, not a cherry-pick. */
  fixIsMerge: boolean;
  checks: FixCheck[];
}

// Variables that would make git work on another repository than the one asked for.
const REPO_OVERRIDES: NodeJS.ProcessEnv = {
  GIT_DIR: undefined,
  GIT_WORK_TREE: undefined,
  GIT_INDEX_FILE: undefined,
  GIT_COMMON_DIR: undefined,
  GIT_NAMESPACE: undefined,
  GIT_OBJECT_DIRECTORY: undefined,
  GIT_ALTERNATE_OBJECT_DIRECTORIES: undefined,
};

const FIELD = '\x1f';
const HASH = /^[0-9a-f]{40}([0-9a-f]{24})?$/;

function unixToIso(text: string | undefined): string | null {
  if (!text || !/^-?\d+$/.test(text)) return null;
  return new Date(Number(text) * 1000).toISOString();
}

/** The last line git wrote on stderr: its own words for what went wrong. */
function gitSays(err: unknown): string {
  if (err instanceof GitError)
    return (
      err.stderr
        .trim()
        .split('\n')
        .pop()
        ?.replace(/^(fatal|error): /, '') || err.message
    );
  return err instanceof Error ? err.message : String(err);
}

function gitMissing(err: unknown): boolean {
  return err instanceof GitError && err.exitCode === null && /ENOENT/.test(err.message);
}

/** Whether git could have a tag of this name (the rules of git check-ref-format). */
export function isTagName(name: string): boolean {
  if (name === '' || name === '@' || name.length > 255) return false;
  if (/[\x00-\x20\x7f~^:?*[\\]/.test(name) || name.includes('..') || name.includes('@{') || name.includes('//')) return false;
  if (name.startsWith('/') || name.endsWith('/') || name.endsWith('.')) return false;
  return name.split('/').every((part) => !part.startsWith('.') && !part.endsWith('.lock'));
}

export class GitRepository {
  private constructor(
    /** The directory as given, made absolute. */
    readonly path: string,
    /** Where git keeps the repository (the .git directory, or the bare repository). */
    readonly gitDir: string,
  ) {}

  /**
   * Opens a repository (a work tree, any directory inside one, or a bare repository). A path that
   * does not exist, is not a directory or is not in a git repository is an invalid_input error that
   * says so; `label` names where the path came from (e.g. "--repo").
   */
  static async open(path: string, label = 'repository'): Promise<GitRepository> {
    if (typeof path !== 'string' || path.trim() === '')
      throw invalidInput(`${label} needs the path of a git repository`, { field: 'repo' });
    const absolute = resolve(path);
    let isDir: boolean;
    try {
      isDir = (await stat(absolute)).isDirectory();
    } catch {
      throw invalidInput(`${label} ${path} does not exist`, { field: 'repo' });
    }
    if (!isDir) throw invalidInput(`${label} ${path} is not a directory`, { field: 'repo' });
    let gitDir: string;
    try {
      gitDir = (await git(['rev-parse', '--absolute-git-dir'], { cwd: absolute, env: REPO_OVERRIDES })).trim();
    } catch (err) {
      if (gitMissing(err)) throw new Error('the git command was not found; install git to read a repository');
      const says = gitSays(err);
      if (/not a git repository/i.test(says)) throw invalidInput(`${label} ${path} is not a git repository`, { field: 'repo' });
      throw invalidInput(`${label} ${path} cannot be read as a git repository: ${says}`, { field: 'repo' });
    }
    return new GitRepository(absolute, gitDir);
  }

  private options(): GitOptions {
    return { cwd: this.path, env: REPO_OVERRIDES };
  }

  private run(args: string[]): Promise<string> {
    return git(args, this.options());
  }

  /** Runs git and tells exit status 1 ("no", "not found") apart from a real failure. */
  private async probe(args: string[]): Promise<{ ok: boolean; stdout: string }> {
    try {
      return { ok: true, stdout: await this.run(args) };
    } catch (err) {
      if (err instanceof GitError && err.exitCode === 1) return { ok: false, stdout: '' };
      throw err;
    }
  }

  /**
   * Every tag, annotated or lightweight, with the commit it points to and its creation date, oldest
   * first; with `asOf`, only the tags created before that instant (to replay an earlier day).
   */
  async listTags(options: { asOf?: Date } = {}): Promise<TagRecord[]> {
    const format = [
      '%(refname)',
      '%(objecttype)',
      '%(objectname)',
      '%(*objecttype)',
      '%(*objectname)',
      '%(creatordate:unix)',
      '%(*committerdate:unix)',
    ].join('%1f');
    const out = await this.run(['for-each-ref', '--sort=creatordate', `--format=${format}`, 'refs/tags/']);
    const tags: TagRecord[] = [];
    for (const row of out.split('\n')) {
      if (row === '') continue;
      const [ref = '', type, object, peeledType, peeled, created, peeledCommitted] = row.split(FIELD);
      const annotated = type === 'tag';
      const commit = type === 'commit' ? object! : peeledType === 'commit' ? peeled! : null;
      tags.push({
        name: ref.replace(/^refs\/tags\//, ''),
        createdAt: unixToIso(created) ?? unixToIso(peeledCommitted),
        commit: commit || null,
        annotated,
      });
    }
    return options.asOf ? tagsAsOf(tags, options.asOf) : tags;
  }

  /** The full id of a commit named by a hash, a branch, a tag or any git revision; invalid_input if none. */
  async resolveCommit(ref: string, label = 'commit'): Promise<string> {
    const name = typeof ref === 'string' ? ref.trim() : '';
    if (name === '' || name.startsWith('-') || /[\0\n]/.test(name))
      throw invalidInput(`${label} "${ref}" is not a commit name`, { field: 'commit' });
    let found: { ok: boolean; stdout: string };
    try {
      found = await this.probe(['rev-parse', '--verify', '--quiet', '--end-of-options', `${name}^{commit}`]);
    } catch (err) {
      throw invalidInput(`${label} ${name} is not a commit in ${this.path}: ${gitSays(err)}`, { field: 'commit' });
    }
    const id = found.stdout.trim();
    if (!found.ok || !HASH.test(id)) throw invalidInput(`${label} ${name} is not a commit in ${this.path}`, { field: 'commit' });
    return id;
  }

  /** The commit a tag points to (through annotated tags), or null when there is no such tag. */
  async tagCommit(tag: string): Promise<string | null> {
    const name = tag.replace(/^refs\/tags\//, '');
    // A name git would never give a tag ("v1.33.4~1", "v1.33.4^{tree}") names no tag, not a revision.
    if (!isTagName(name)) return null;
    const found = await this.probe(['rev-parse', '--verify', '--quiet', '--end-of-options', `refs/tags/${name}^{commit}`]);
    const id = found.stdout.trim();
    return found.ok && HASH.test(id) ? id : null;
  }

  /** True when `commit` is `descendant` or one of its ancestors. Both must be full commit ids. */
  async isAncestor(commit: string, descendant: string): Promise<boolean> {
    return (await this.probe(['merge-base', '--is-ancestor', commit, descendant])).ok;
  }

  /** Whether the tag's history holds the commit itself (not a cherry-pick); null when the tag does not exist. */
  async tagContains(tag: string, commit: string): Promise<boolean | null> {
    const at = await this.tagCommit(tag);
    if (!at) return null;
    return this.isAncestor(await this.resolveCommit(commit), at);
  }

  private async parents(commit: string): Promise<string[]> {
    const [, ...parents] = (await this.run(['rev-list', '--parents', '-n', '1', commit])).trim().split(' ');
    return parents;
  }

  /**
   * A commit in `tagCommit`'s history with the same patch as `fix` (git patch-id, whitespace-blind),
   * or null. Git compares only the commits the tag has and the fix's side lacks (since their
   * merge-base), hashing file names first and diffing only where they match, so a long history
   * costs little.
   */
  private async cherryPickIn(tagCommit: string, fix: string, parents: string[]): Promise<string | null> {
    const args = ['log', '--no-merges', '--cherry-mark', '--left-only', '--format=%m %H', `${tagCommit}...${fix}`];
    // Only the fix on its side: its own history is not what we are looking for.
    if (parents[0]) args.push(`^${parents[0]}`);
    for await (const line of gitRecords(args, { ...this.options(), separator: '\n' })) {
      if (line.startsWith('= ')) return line.slice(2).trim();
    }
    return null;
  }

  /** A commit in the tag's history that says "(cherry picked from commit <fix>)" (git cherry-pick -x). */
  private async notedCherryPickIn(tagCommit: string, fix: string): Promise<string | null> {
    const out = await this.run([
      'log',
      '--no-merges',
      '--fixed-strings',
      `--grep=cherry picked from commit ${fix}`,
      '--format=%H',
      '-n',
      '1',
      tagCommit,
      `^${fix}`,
    ]);
    return out.trim() || null;
  }

  /** Does the tag exist, and does it carry the fix (a full commit id) directly or as a cherry-pick? */
  async findFix(tag: string, fix: string, parents?: string[]): Promise<FixCheck> {
    const commit = await this.tagCommit(tag);
    const check = (found: Omit<FixCheck, 'note' | 'tag'>): FixCheck => {
      const c = { tag, ...found };
      return { ...c, note: fixNote(c, fix) };
    };
    if (!commit) return check({ exists: false, commit: null, contains: false, how: null, via: null });
    if (await this.isAncestor(fix, commit)) return check({ exists: true, commit, contains: true, how: 'direct', via: fix });
    const ps = parents ?? (await this.parents(fix));
    if (ps.length <= 1) {
      const via = await this.cherryPickIn(commit, fix, ps);
      if (via) return check({ exists: true, commit, contains: true, how: 'cherry-pick', via });
    }
    const noted = await this.notedCherryPickIn(commit, fix);
    if (noted) return check({ exists: true, commit, contains: true, how: 'cherry-pick-noted', via: noted });
    return check({ exists: true, commit, contains: false, how: null, via: null });
  }

  /** Checks every tag (each once, in the order given) for the fix; an unknown fix is invalid_input. */
  async verifyFix(fixRef: string, tags: readonly string[], label = 'fix'): Promise<FixVerification> {
    const fix = await this.resolveCommit(fixRef, label);
    const parents = await this.parents(fix);
    const checks: FixCheck[] = [];
    for (const tag of [...new Set(tags)]) checks.push(await this.findFix(tag, fix, parents));
    return { fix, fixIsMerge: parents.length > 1, checks };
  }
}
