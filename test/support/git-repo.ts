/**
 * Builds real git repositories for tests with the system git: commits, branches, annotated and
 * lightweight tags and cherry-picks at controlled dates (GIT_AUTHOR_DATE / GIT_COMMITTER_DATE), so
 * tag creation dates are known and --as-of can replay an earlier day. The user's git configuration
 * is left out (no signing, no hooks, no default branch surprises).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { GIT_ENV } from './git-env.js';

export class TestRepo {
  private constructor(readonly dir: string) {}

  /** A new repository on branch main in a fresh temporary directory. */
  static init(prefix = 'embargo-git-'): TestRepo {
    const dir = mkdtempSync(join(tmpdir(), prefix));
    const repo = new TestRepo(dir);
    repo.git(['init', '--quiet', '--initial-branch=main']);
    return repo;
  }

  /** Runs git in the repository; `at` (ISO 8601) is both the author and the committer date. */
  git(args: string[], at?: string): string {
    const env = at ? { ...GIT_ENV, GIT_AUTHOR_DATE: at, GIT_COMMITTER_DATE: at } : GIT_ENV;
    return execFileSync('git', ['-c', 'commit.gpgSign=false', '-c', 'tag.gpgSign=false', ...args], {
      cwd: this.dir,
      env,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    }).trim();
  }

  write(files: Record<string, string>): void {
    for (const [path, text] of Object.entries(files)) {
      const full = join(this.dir, path);
      mkdirSync(dirname(full), { recursive: true });
      writeFileSync(full, text);
    }
  }

  /** Writes the files and commits them; returns the new commit id. */
  commit(message: string, files: Record<string, string>, at: string): string {
    this.write(files);
    this.git(['add', '--all']);
    this.git(['commit', '--quiet', '--message', message], at);
    return this.head();
  }

  head(): string {
    return this.git(['rev-parse', 'HEAD']);
  }

  /** Tags HEAD (or `target`): annotated tags carry their own date, lightweight ones their commit's. */
  tag(name: string, options: { at?: string; annotated?: boolean; target?: string } = {}): void {
    const target = options.target ?? 'HEAD';
    if (options.annotated) this.git(['tag', '--annotate', '--message', `Release ${name}`, name, target], options.at);
    else this.git(['tag', name, target]);
  }

  branch(name: string, from = 'HEAD'): void {
    this.git(['branch', name, from]);
  }

  checkout(name: string): void {
    this.git(['checkout', '--quiet', name]);
  }

  /** git cherry-pick: the same patch as a new commit (a different id); returns it. */
  cherryPick(commit: string, at: string, options: { recordOrigin?: boolean } = {}): string {
    this.git(['cherry-pick', ...(options.recordOrigin ? ['-x'] : []), commit], at);
    return this.head();
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Ten lines of "Lua filter" code: the fix changes one line of it, release branches change other files. */
export const LUA = `${Array.from({ length: 10 }, (_, i) => `line ${i + 1}: rewrite cookie path`).join('\n')}\n`;
const fixedLua = LUA.replace('line 5: rewrite cookie path', 'line 5: rewrite cookie path, escaping Lua syntax');
const backportedLua = LUA.replace('line 6: rewrite cookie path', 'line 6: rewrite cookie path (escaped by hand on 1.30)');

/** What the release history fixture holds, for assertions. */
export interface ReleaseHistory {
  repo: TestRepo;
  /** The fix, committed on main on 2026-04-15. */
  fix: string;
  /** Its cherry-picks on release-1.33 and release-1.32 (different ids, same patch). */
  pick133: string;
  pick132: string;
  /** A hand-made back-port on release-1.30: says "cherry picked from", changes something else. */
  backport130: string;
}

/**
 * A Contour-like history: minor lines 1.30 to 1.33 on release branches, each x.y.0 on main after
 * pre-releases (v1.33.0-beta.1, v1.33.0-rc.1), v1.34.0-rc.1/rc.2 on main with no final 1.34 yet;
 * then a fix on main (2026-04-15) cherry-picked to release-1.33 and release-1.32 and released
 * on 2026-04-24 as v1.33.4 and v1.32.3 — while v1.31.2 was released the same day WITHOUT it, and
 * 1.30 got a hand-resolved back-port (v1.30.2). Plus tags that are not releases.
 */
export function buildReleaseHistory(): ReleaseHistory {
  const repo = TestRepo.init('embargo-releases-');
  repo.commit('Initial router and Lua filter', { 'README.md': '# proxy\n', 'lua.go': LUA, 'router.go': 'v0\n' }, '2025-01-06T09:00:00Z');
  repo.tag('1.29.9'); // no "v": not a release under the default prefix
  repo.tag('v01.2.3'); // leading zero: not a version
  repo.tag('v1.28'); // two parts: not a version

  const minor = (line: string, day: string, tagDay: string, pre: { name: string; at: string }[] = []) => {
    repo.checkout('main');
    repo.commit(`Features for ${line}`, { 'router.go': `${line}\n` }, day);
    for (const p of pre) repo.tag(p.name, { annotated: true, at: p.at });
    repo.tag(`v${line}.0`, { annotated: true, at: tagDay });
    repo.branch(`release-${line}`);
  };
  const patch = (line: string, n: number, day: string) => {
    repo.checkout(`release-${line}`);
    repo.commit(`Bump Envoy for ${line}.${n}`, { 'envoy.txt': `${line}.${n}\n` }, day);
    repo.tag(`v${line}.${n}`); // lightweight: dated by its commit
  };

  minor('1.30', '2025-02-03T09:00:00Z', '2025-02-10T09:00:00Z', [{ name: 'v1.30.0-rc.1', at: '2025-02-03T12:00:00Z' }]);
  patch('1.30', 1, '2025-03-03T09:00:00Z');
  minor('1.31', '2025-04-07T09:00:00Z', '2025-04-14T09:00:00Z');
  patch('1.31', 1, '2025-05-05T09:00:00Z');
  minor('1.32', '2025-06-02T09:00:00Z', '2025-06-09T09:00:00Z');
  patch('1.32', 1, '2025-07-07T09:00:00Z');
  patch('1.32', 2, '2025-08-04T09:00:00Z');
  minor('1.33', '2025-09-01T09:00:00Z', '2025-10-06T09:00:00Z', [
    { name: 'v1.33.0-beta.1', at: '2025-09-01T12:00:00Z' },
    { name: 'v1.33.0-rc.1', at: '2025-09-15T12:00:00Z' },
  ]);
  patch('1.33', 1, '2025-11-03T09:00:00Z');
  patch('1.33', 2, '2026-01-12T09:00:00Z');
  patch('1.33', 3, '2026-03-02T09:00:00Z');

  repo.checkout('main');
  repo.commit('Features for 1.34', { 'router.go': '1.34\n' }, '2026-04-01T10:00:00Z');
  repo.tag('v1.34.0-rc.1', { annotated: true, at: '2026-04-01T10:00:00Z' });
  const fix = repo.commit('Tidy cookie path handling', { 'lua.go': fixedLua }, '2026-04-15T09:00:00Z');
  repo.commit('More work for 1.34', { 'README.md': '# proxy\n\nmore\n' }, '2026-04-16T09:00:00Z');
  repo.tag('v1.34.0-rc.2', { annotated: true, at: '2026-04-16T09:30:00Z' });
  repo.tag('latest');

  repo.checkout('release-1.33');
  const pick133 = repo.cherryPick(fix, '2026-04-20T09:00:00Z');
  repo.tag('v1.33.4', { annotated: true, at: '2026-04-24T09:00:00Z' });
  repo.checkout('release-1.32');
  const pick132 = repo.cherryPick(fix, '2026-04-20T09:10:00Z', { recordOrigin: true });
  repo.tag('v1.32.3', { annotated: true, at: '2026-04-24T09:00:00Z' });
  repo.checkout('release-1.31');
  repo.commit('Bump Envoy for 1.31.2', { 'envoy.txt': '1.31.2\n' }, '2026-04-20T09:20:00Z');
  repo.tag('v1.31.2', { annotated: true, at: '2026-04-24T09:00:00Z' }); // the cherry-pick was forgotten
  repo.checkout('release-1.30');
  const backport130 = repo.commit(
    `Tidy cookie path handling\n\n(cherry picked from commit ${fix})`,
    { 'lua.go': backportedLua },
    '2026-04-21T09:00:00Z',
  );
  repo.tag('v1.30.2');
  repo.checkout('main');
  return { repo, fix, pick133, pick132, backport130 };
}
