/**
 * The guard's git hooks, installed by `embargo guard install` into a real repository and run by
 * real `git commit` and `git push`: a leaking message is refused, a neutral one is not, a branch of
 * an embargoed case goes to the private remote only, an existing hook is chained and put back.
 */
import { chmodSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GuardRepo } from './guard-support.js';
import { cliWith, tempDir } from './run-cli.js';

const home = tempDir('embargo-guard-hooks-');
afterAll(() => rmSync(home, { recursive: true, force: true }));

const FOREIGN_HOOK = '#!/bin/sh\necho "lint hook saw $1" >> "$(git rev-parse --git-dir)/foreign-hook.log"\n';

describe('embargo guard install: the hooks in a real repository', () => {
  const cli = cliWith({ EMBARGO_DATA_DIR: join(home, 'data') });
  const repo = GuardRepo.init(join(home, 'repo'));
  const publicRemote = GuardRepo.init(join(home, 'public.git'), { bare: true });
  const privateRemote = GuardRepo.init(join(home, 'private.git'), { bare: true });
  const hooks = join(repo.dir, '.git', 'hooks');
  let caseId: string;
  let codename: string;

  beforeAll(async () => {
    const created = await cli.json<{ id: string; codename: string }>(['case', 'new', '--title', 'Header smuggling']);
    caseId = created.id;
    codename = created.codename;
    await cli.ok(['case', 'edit', caseId, '--ghsa', 'GHSA-x4mj-7f9g-29h4']);
    repo.commit('Initial import', { 'README.md': 'hello\n' });
    repo.git(['remote', 'add', 'origin', publicRemote.dir]);
    repo.git(['remote', 'add', 'security', privateRemote.dir]);
    repo.git(['push', '--quiet', 'origin', 'main']);
    writeFileSync(join(hooks, 'commit-msg'), FOREIGN_HOOK);
    chmodSync(join(hooks, 'commit-msg'), 0o755);
  });

  it('installs both hooks, chaining the commit-msg hook that was there', async () => {
    const r = await cli.ok(['guard', 'install', '--repo', repo.dir, '--private-remote', privateRemote.dir]);
    expect(r.stdout).toContain(
      `installed ${join(hooks, 'commit-msg')}; the hook that was there is now commit-msg.embargo-chained and runs first`,
    );
    expect(r.stdout).toContain(`installed ${join(hooks, 'pre-push')}`);
    expect(r.stdout).toContain(`embargo guard terms export --out ${join(repo.dir, '.git', 'embargo-guard-terms.json')}`);
    expect(readFileSync(join(hooks, 'commit-msg.embargo-chained'), 'utf8')).toBe(FOREIGN_HOOK);
    expect(readFileSync(join(hooks, 'commit-msg'), 'utf8')).toMatch(/^#!\/bin\/sh\n# embargo-guard-hook v1\n/);
    await cli.ok(['guard', 'terms', 'export', '--out', join(repo.dir, '.git', 'embargo-guard-terms.json')]);
  });

  it('refuses a commit whose message names the codename; HEAD stays where it was', () => {
    const before = repo.head();
    const r = repo.tryGit(['commit', '--allow-empty', '-m', `Tidy up ${codename} handling`]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('embargo guard: this commit message would leak an embargo:');
    expect(r.stderr).toContain(`matches an embargoed term of case ${caseId}`);
    expect(r.stderr).not.toContain(codename);
    expect(repo.head()).toBe(before);
    // The chained hook ran first, with the same argument.
    expect(readFileSync(join(repo.dir, '.git', 'foreign-hook.log'), 'utf8')).toContain('lint hook saw .git/COMMIT_EDITMSG');
  });

  it("refuses GitHub's fork merge message", () => {
    const r = repo.tryGit(['commit', '--allow-empty', '-m', 'Merge pull request from GHSA-x4mj-7f9g-29h4']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(`a GHSA id of embargoed case ${caseId}`);
  });

  it("lets a neutral message through, even on the case's branch where git's comment lines name it", () => {
    repo.git(['checkout', '--quiet', '-b', `fix/${codename}`]);
    const before = repo.head();
    // -e with a no-op editor: the message file carries "# On branch fix/<codename>" when the hook runs.
    const r = repo.tryGit(['commit', '--allow-empty', '-e', '-m', 'Escape lua strings for cookie rewrite policies'], {
      GIT_EDITOR: 'true',
    });
    expect(r.code, r.stderr).toBe(0);
    expect(repo.head()).not.toBe(before);
    expect(repo.git(['log', '-1', '--format=%s'])).toBe('Escape lua strings for cookie rewrite policies');
  });

  it("refuses to push the case's branch to the public remote, and pushes it to the private one", () => {
    const refused = repo.tryGit(['push', 'origin', `fix/${codename}`]);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain(`embargo guard: refusing to push to origin (${publicRemote.dir}), which is not a private remote:`);
    expect(refused.stderr).toContain(`branch fix/${'*'.repeat(codename.length)}`);
    expect(refused.stderr).not.toContain(`fix/${codename} (column`);
    expect(publicRemote.tryGit(['rev-parse', '--verify', `refs/heads/fix/${codename}`]).code).not.toBe(0);

    const pushed = repo.tryGit(['push', 'security', `fix/${codename}`]);
    expect(pushed.code, pushed.stderr).toBe(0);
    expect(privateRemote.git(['rev-parse', `refs/heads/fix/${codename}`])).toBe(repo.head());
  });

  it('refuses to push a commit whose message leaks, made past the commit hook', () => {
    repo.git(['checkout', '--quiet', '-b', 'release-1.31', 'main']);
    repo.git(['commit', '--quiet', '--allow-empty', '--no-verify', '-m', 'Cherry pick GHSA-x4mj-7f9g-29h4 fix']);
    const refused = repo.tryGit(['push', 'origin', 'release-1.31']);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain(`a GHSA id of embargoed case ${caseId}`);
    repo.git(['reset', '--quiet', '--hard', 'main']);
    const clean = repo.tryGit(['push', 'origin', 'release-1.31']);
    expect(clean.code, clean.stderr).toBe(0);
  });

  it('refuses to push a changelog or doc line that names the case, behind a neutral message (issue 13, item 11)', async () => {
    repo.git(['checkout', '--quiet', '-b', 'release-1.32', 'main']);
    repo.commit('Update changelog', { 'CHANGELOG.md': `# Changelog\n\n## 1.32.1\n\n- Fixed ${codename}\n` });
    const refused = repo.tryGit(['push', 'origin', 'release-1.32']);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('which is not a private remote');
    expect(refused.stderr).toMatch(/CHANGELOG\.md:5/);
    expect(refused.stderr).toContain('take the line out of the file');
    expect(publicRemote.tryGit(['rev-parse', '--verify', 'refs/heads/release-1.32']).code).not.toBe(0);

    // Docs too; a source file only with --strict.
    repo.git(['reset', '--quiet', '--hard', 'main']);
    repo.commit('Document the listener', { 'docs/listener.md': `The ${codename} fix closes the gap.\n` });
    expect(repo.tryGit(['push', 'origin', 'release-1.32']).code).not.toBe(0);
    repo.git(['reset', '--quiet', '--hard', 'main']);
    repo.commit('Tidy the listener', { 'listener.go': `// ${codename}\npackage main\n` });
    const lenient = repo.tryGit(['push', 'origin', 'release-1.32']);
    expect(lenient.code, lenient.stderr).toBe(0);
    await cli.ok(['guard', 'install', '--repo', repo.dir, '--strict']);
    repo.commit('Tidy the listener again', { 'listener.go': `// ${codename} again\npackage main\n` });
    const strict = repo.tryGit(['push', 'origin', 'release-1.32']);
    expect(strict.code).not.toBe(0);
    expect(strict.stderr).toMatch(/listener\.go:1/);
    await cli.ok(['guard', 'install', '--repo', repo.dir]);
    repo.git(['checkout', '--quiet', 'main']);
  });

  it('uninstalls only its own hooks and puts the chained one back', async () => {
    const r = await cli.ok(['guard', 'uninstall', '--repo', repo.dir]);
    expect(r.stdout).toBe(`removed ${join(hooks, 'commit-msg')} and put back the hook it chained\nremoved ${join(hooks, 'pre-push')}\n`);
    expect(readFileSync(join(hooks, 'commit-msg'), 'utf8')).toBe(FOREIGN_HOOK);
    expect(existsSync(join(hooks, 'pre-push'))).toBe(false);
    expect(existsSync(join(hooks, 'commit-msg.embargo-chained'))).toBe(false);
    const again = await cli.ok(['guard', 'uninstall', '--repo', repo.dir]);
    expect(again.stdout).toContain(`left ${join(hooks, 'commit-msg')} alone: it is not Embargo's`);
    // Without the hook, the same message goes through: it was the guard that refused it.
    expect(repo.tryGit(['commit', '--allow-empty', '-m', `Tidy up ${codename} handling`]).code).toBe(0);
  });

  it('with --no-chain, refuses to touch an existing hook and says what to do', async () => {
    const r = await cli.run(['guard', 'install', '--repo', repo.dir, '--no-chain']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`embargo: ${join(hooks, 'commit-msg')} exists and is not Embargo's; not touching it`);
    expect(r.stderr).toContain('call the guard from it yourself:');
    expect(existsSync(join(hooks, 'pre-push'))).toBe(false);
  });

  it('will not write hooks into the work tree (core.hooksPath of husky and friends)', async () => {
    const husky = GuardRepo.init(join(home, 'husky'));
    husky.git(['config', 'core.hooksPath', '.husky']);
    const r = await cli.run(['guard', 'install', '--repo', husky.dir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('inside the work tree; Embargo does not write files the project tracks');
    expect(r.stderr).toMatch(/add these lines to .*\.husky\/commit-msg/);
    expect(existsSync(join(husky.dir, '.husky', 'commit-msg'))).toBe(false);
  });
});
