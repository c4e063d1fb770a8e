/** The git adapter on real repositories built with the system git (test/support/git-repo.ts). */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DomainError } from '../../../src/domain/errors.js';
import { GitRepository, isTagName } from '../../../src/integrations/git/repo.js';
import { buildReleaseHistory, TestRepo, type ReleaseHistory } from '../../support/git-repo.js';

let history: ReleaseHistory;
let repo: GitRepository;
const cleanup: (() => void)[] = [];

beforeAll(async () => {
  history = buildReleaseHistory();
  cleanup.push(() => history.repo.remove());
  repo = await GitRepository.open(history.repo.dir);
});

afterAll(() => {
  for (const c of cleanup) c();
});

async function rejection(p: Promise<unknown>): Promise<DomainError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof DomainError) return err;
    throw err;
  }
  throw new Error('expected a DomainError');
}

describe('GitRepository.open', () => {
  it('refuses a path that does not exist, is a file, or is not a git repository, in a sentence', async () => {
    const plain = mkdtempSync(join(tmpdir(), 'embargo-not-git-'));
    cleanup.push(() => rmSync(plain, { recursive: true, force: true }));
    writeFileSync(join(plain, 'file.txt'), 'x');

    const missing = await rejection(GitRepository.open(join(plain, 'nope'), '--repo'));
    expect(missing.code).toBe('invalid_input');
    expect(missing.message).toBe(`--repo ${join(plain, 'nope')} does not exist`);
    expect((await rejection(GitRepository.open(join(plain, 'file.txt'), '--repo'))).message).toBe(
      `--repo ${join(plain, 'file.txt')} is not a directory`,
    );
    expect((await rejection(GitRepository.open(plain, '--repo'))).message).toBe(`--repo ${plain} is not a git repository`);
    expect((await rejection(GitRepository.open('  '))).message).toBe('repository needs the path of a git repository');
  });

  it('opens a bare clone too, with the same tags', async () => {
    const bare = mkdtempSync(join(tmpdir(), 'embargo-bare-'));
    cleanup.push(() => rmSync(bare, { recursive: true, force: true }));
    history.repo.git(['clone', '--quiet', '--bare', history.repo.dir, bare]);
    const clone = await GitRepository.open(bare);
    expect(clone.gitDir).toBe(bare);
    expect((await clone.listTags()).map((t) => t.name).sort()).toEqual((await repo.listTags()).map((t) => t.name).sort());
  });

  it('reads the repository it was given even when GIT_DIR points elsewhere', async () => {
    const other = TestRepo.init();
    cleanup.push(() => other.remove());
    other.commit('unrelated', { 'x.txt': 'x' }, '2026-01-01T00:00:00Z');
    other.tag('v9.0.0');
    const saved = process.env.GIT_DIR;
    process.env.GIT_DIR = join(other.dir, '.git');
    try {
      const tags = (await (await GitRepository.open(history.repo.dir)).listTags()).map((t) => t.name);
      expect(tags).toContain('v1.33.4');
      expect(tags).not.toContain('v9.0.0');
    } finally {
      if (saved === undefined) delete process.env.GIT_DIR;
      else process.env.GIT_DIR = saved;
    }
  });
});

describe('listTags', () => {
  it('lists annotated and lightweight tags with their creation dates and commits', async () => {
    const tags = await repo.listTags();
    const byName = new Map(tags.map((t) => [t.name, t]));
    expect(tags).toHaveLength(24);
    // Annotated: dated by the tagger, a week after its commit.
    expect(byName.get('v1.30.0')).toMatchObject({ annotated: true, createdAt: '2025-02-10T09:00:00.000Z' });
    // Lightweight: dated by its commit.
    expect(byName.get('v1.30.1')).toMatchObject({ annotated: false, createdAt: '2025-03-03T09:00:00.000Z' });
    // Both kinds resolve to the commit, not to the tag object.
    expect(byName.get('v1.33.4')!.commit).toBe(history.pick133);
    expect(byName.get('v1.30.2')!.commit).toBe(history.backport130);
    expect(byName.get('v1.34.0-rc.2')!.commit).toBe(history.repo.git(['rev-parse', 'main']));
    // Oldest first.
    expect(tags.map((t) => t.createdAt!)).toEqual([...tags.map((t) => t.createdAt!)].sort());
  });

  it('with asOf keeps only the tags created before that instant', async () => {
    const then = await repo.listTags({ asOf: new Date('2026-04-01T00:00:00Z') });
    const names = then.map((t) => t.name);
    expect(names).toContain('v1.33.3');
    expect(names).not.toContain('v1.34.0-rc.1');
    expect(names).not.toContain('v1.33.4');
    expect(then.every((t) => Date.parse(t.createdAt!) < Date.parse('2026-04-01T00:00:00Z'))).toBe(true);
  });
});

describe('commits and tags', () => {
  it('resolves commits by hash, short hash or branch, and refuses unknown ones and option-like names', async () => {
    expect(await repo.resolveCommit(history.fix.slice(0, 10))).toBe(history.fix);
    expect(await repo.resolveCommit('release-1.33')).toBe(history.pick133);
    const unknown = await rejection(repo.resolveCommit('deadbeefdeadbeef', '--fix'));
    expect(unknown.code).toBe('invalid_input');
    expect(unknown.message).toBe(`--fix deadbeefdeadbeef is not a commit in ${history.repo.dir}`);
    const out = join(history.repo.dir, 'owned.txt');
    expect((await rejection(repo.resolveCommit(`--output=${out}`, '--fix'))).message).toBe(`--fix "--output=${out}" is not a commit name`);
    expect(existsSync(out)).toBe(false);
    // A tree is not a commit.
    expect((await rejection(repo.resolveCommit('HEAD^{tree}'))).message).toMatch(/is not a commit in/);
  });

  it('finds the commit a tag points to, and null for a tag that does not exist or a revision expression', async () => {
    expect(await repo.tagCommit('v1.33.4')).toBe(history.pick133);
    expect(await repo.tagCommit('refs/tags/v1.33.4')).toBe(history.pick133);
    expect(await repo.tagCommit('v9.9.9')).toBeNull();
    expect(await repo.tagCommit('v1.33.4~1')).toBeNull();
    expect(await repo.tagCommit('release-1.33')).toBeNull(); // a branch, not a tag
    expect(await repo.tagCommit('--output=x')).toBeNull();
  });

  it('tagContains: the fix itself only (a cherry-pick is not the commit); null for a missing tag', async () => {
    expect(await repo.tagContains('v1.34.0-rc.2', history.fix)).toBe(true);
    expect(await repo.tagContains('v1.34.0-rc.1', history.fix)).toBe(false);
    expect(await repo.tagContains('v1.33.4', history.fix)).toBe(false);
    expect(await repo.tagContains('v1.33.4', history.pick133)).toBe(true);
    expect(await repo.tagContains('v9.9.9', history.fix)).toBeNull();
  });

  it('knows which names git could give a tag', () => {
    for (const ok of ['v1.33.4', 'release/1.33', 'v1.34.0-rc.1', 'contour-1.2.0']) expect(isTagName(ok), ok).toBe(true);
    for (const bad of [
      '',
      'v1.33.4~1',
      'v1^{tree}',
      'a..b',
      'x:y',
      'a b',
      '.hidden',
      'x.lock',
      'x/',
      '/x',
      'x@{1}',
      'a//b',
      'end.',
      '@',
      'a*',
      'a?b',
      'a[b',
      'a\\b',
    ]) {
      expect(isTagName(bad), bad).toBe(false);
    }
  });
});

describe('verifyFix', () => {
  it('finds the fix directly, by cherry-pick (patch-id), and a cherry-pick whose patch differs', async () => {
    const result = await repo.verifyFix(history.fix, ['v1.34.0-rc.2', 'v1.33.4', 'v1.32.3', 'v1.30.2']);
    expect(result.fix).toBe(history.fix);
    expect(result.fixIsMerge).toBe(false);
    expect(result.checks.map((c) => [c.tag, c.contains, c.how, c.via])).toEqual([
      ['v1.34.0-rc.2', true, 'direct', history.fix],
      ['v1.33.4', true, 'cherry-pick', history.pick133],
      ['v1.32.3', true, 'cherry-pick', history.pick132],
      ['v1.30.2', true, 'cherry-pick-noted', history.backport130],
    ]);
    // The picks really are other commits.
    expect(new Set([history.fix, history.pick133, history.pick132]).size).toBe(3);
  });

  it('reports the tag that lacks the fix and the tag that does not exist, without failing', async () => {
    const result = await repo.verifyFix(history.fix.slice(0, 8), ['v1.33.4', 'v1.31.2', 'v9.9.9', 'v1.33.4']);
    expect(result.checks.map((c) => [c.tag, c.exists, c.contains])).toEqual([
      ['v1.33.4', true, true],
      ['v1.31.2', true, false],
      ['v9.9.9', false, false],
    ]);
    expect(result.checks[1]!.note).toBe(`v1.31.2 contains neither ${history.fix.slice(0, 12)} nor a cherry-pick of it`);
    // Older tags on the lines with the fix predate it.
    expect((await repo.findFix('v1.33.3', history.fix)).contains).toBe(false);
  });

  it('works the other way round: the cherry-pick given as the fix is found on main by patch-id', async () => {
    const result = await repo.verifyFix(history.pick133, ['v1.34.0-rc.2', 'v1.32.3']);
    expect(result.checks.map((c) => [c.tag, c.how, c.via])).toEqual([
      ['v1.34.0-rc.2', 'cherry-pick', history.fix],
      ['v1.32.3', 'cherry-pick', history.pick132],
    ]);
  });

  it('says when the fix is a merge commit: only the merge itself can be found', async () => {
    const r = TestRepo.init();
    cleanup.push(() => r.remove());
    r.commit('base', { 'a.txt': 'a\n' }, '2026-01-01T00:00:00Z');
    r.tag('v1.0.0', { annotated: true, at: '2026-01-01T01:00:00Z' });
    r.branch('topic');
    r.checkout('topic');
    r.commit('fix on a topic branch', { 'a.txt': 'fixed\n' }, '2026-01-02T00:00:00Z');
    r.checkout('main');
    r.commit('other work', { 'b.txt': 'b\n' }, '2026-01-03T00:00:00Z');
    r.git(['merge', '--no-ff', '--quiet', '--message', 'Merge topic', 'topic'], '2026-01-04T00:00:00Z');
    const merge = r.head();
    r.tag('v1.1.0', { annotated: true, at: '2026-01-05T00:00:00Z' });
    const opened = await GitRepository.open(r.dir);
    const result = await opened.verifyFix(merge, ['v1.1.0', 'v1.0.0']);
    expect(result.fixIsMerge).toBe(true);
    expect(result.checks.map((c) => [c.tag, c.how])).toEqual([
      ['v1.1.0', 'direct'],
      ['v1.0.0', null],
    ]);
  });

  it('refuses an unknown fix commit in a sentence', async () => {
    const err = await rejection(repo.verifyFix('0123456789abcdef0123456789abcdef01234567', ['v1.33.4'], '--fix'));
    expect(err.code).toBe('invalid_input');
    expect(err.message).toBe(`--fix 0123456789abcdef0123456789abcdef01234567 is not a commit in ${history.repo.dir}`);
  });
});
