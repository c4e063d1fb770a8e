/**
 * `embargo guard` on real git repositories built by the test: the leaks real projects made (GitHub's
 * fork merge message, "Cherry pick CVE-…", an id in a changelog), a codename in a branch name, a
 * hashed team term, and what must pass (a public dependency CVE, neutral fix messages). Terms come
 * from the local database, a terms file, or a server with a guard-scoped token.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, createApiToken } from '../../src/app/accounts.js';
import { localActor } from '../../src/app/actor.js';
import { openApp, type App } from '../../src/app/app.js';
import { configFromEnv } from '../../src/app/config.js';
import { buildServer } from '../../src/server/server.js';
import { GIT_ENV, GuardRepo } from './guard-support.js';
import { cliWith, tempDir } from './run-cli.js';

const dirs: string[] = [];
const fresh = (prefix: string) => {
  const d = tempDir(prefix);
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

interface JsonReport {
  ok: boolean;
  errors: number;
  warnings: number;
  allowedIds: number;
  cases: number;
  scanned: { messages: number; commits: number; diffLines: number; texts: number; refs: number };
  findings: {
    rule: string;
    severity: string;
    message: string;
    caseId?: string;
    match?: string;
    source: Record<string, string>;
    line: number;
    column: number;
    excerpt: string;
  }[];
}

describe('embargo guard on a real repository, terms from the local database and a terms file', () => {
  const home = fresh('embargo-guard-cli-');
  const cli = cliWith({ EMBARGO_DATA_DIR: join(home, 'data') });
  const repo = GuardRepo.init(join(home, 'repo'));
  const termsFile = join(home, 'terms.json');
  const publicIds = join(home, 'public-ids.txt');
  let caseId: string;
  let codename: string;
  const c: Record<string, string> = {};

  beforeAll(async () => {
    const created = await cli.json<{ id: string; codename: string }>([
      'case',
      'new',
      '--title',
      'Lua code injection via Cookie Path Rewrite Policy',
    ]);
    caseId = created.id;
    codename = created.codename;
    await cli.ok(['case', 'edit', caseId, '--cve', 'CVE-2026-41246', '--ghsa', 'GHSA-x4mj-7f9g-29h4']);
    await cli.ok(['guard', 'terms', 'add', caseId, 'rewriteCookiePath']);
    await cli.ok(['guard', 'terms', 'export', '--out', termsFile]);
    writeFileSync(publicIds, '# dependencies\nCVE-2023-44487\n');

    c.base = repo.commit('Initial import', { 'CHANGELOG.md': '# Changelog\n\n## 1.31.5\n\n- Fixed a typo\n', 'main.go': 'package main\n' });
    c.neutral = repo.commit('Escape lua strings for cookie rewrite policies', { 'main.go': 'package main // escaped\n' });
    c.bump = repo.commit('Bump golang.org/x/net for CVE-2023-44487', { 'go.mod': 'golang.org/x/net v0.17.0\n' });
    c.tidy = repo.commit('Validate header names before forwarding');
    // A temporary private fork merged the GitHub way.
    repo.git(['checkout', '--quiet', '-b', 'ghsa-fork', c.base]);
    c.fix = repo.commit('Fix escaping', { 'lua.go': 'package main // lua\n' });
    repo.git(['checkout', '--quiet', 'main']);
    repo.git(['merge', '--quiet', '--no-ff', '-m', 'Merge pull request from GHSA-x4mj-7f9g-29h4', 'ghsa-fork']);
    c.merge = repo.head();
    c.changelog = repo.commit('Update changelog', {
      'CHANGELOG.md': '# Changelog\n\n## 1.31.6\n\n- Fixed CVE-2026-41246 in the cookie rewriter\n\n## 1.31.5\n\n- Fixed a typo\n',
    });
    c.term = repo.commit('Refactor RewriteCookiePath for clarity');
    repo.git(['checkout', '--quiet', '-b', 'release-1.31', c.base]);
    c.pick = repo.commit('Cherry pick CVE-2026-41246 onto release-1.31');
    repo.git(['checkout', '--quiet', '-b', `fix/${codename}`]);
    repo.git(['checkout', '--quiet', 'main']);
    repo.git(['branch', '--quiet', '--delete', '--force', 'ghsa-fork']);
  });

  const guard = (args: string[], input?: string) => cli.run(['guard', '--repo', repo.dir, ...args], input === undefined ? {} : { input });
  const report = async (args: string[], input?: string) => {
    const r = await guard([...args, '--json'], input);
    expect(r.code, r.stderr).not.toBe(2);
    return { code: r.code, report: JSON.parse(r.stdout) as JsonReport, stderr: r.stderr };
  };

  it('writes a terms file with salted hashes only: no codename, term or embargoed id in it', () => {
    const text = readFileSync(termsFile, 'utf8');
    const file = JSON.parse(text);
    expect(file.format).toBe('embargo-guard-terms/1');
    expect(file.cases.map((k: { caseId: string }) => k.caseId)).toEqual([caseId]);
    for (const secret of [...codename.split('-'), 'rewrite', 'Cookie', '41246', 'x4mj']) expect(text).not.toContain(secret);
  });

  it('passes neutral fix messages and a public dependency CVE (exit 0)', async () => {
    const r = await guard(['--range', `${c.base}..${c.tidy}`, '--terms', termsFile, '--public-ids', publicIds]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^embargo guard: no leaks in 3 commits, terms of 1 embargoed case; 1 public id allowed\n$/);
  });

  it('fails an unknown CVE id by default, and passes it once .embargo-guard.yml lists it as public', async () => {
    const unknown = await report(['--range', `${c.neutral}..${c.bump}`, '--terms', termsFile]);
    expect(unknown.code).toBe(1);
    expect(unknown.report.findings.map((f) => [f.rule, f.severity, f.match])).toEqual([['unknown-id', 'error', 'CVE-2023-44487']]);
    repo.write({ '.embargo-guard.yml': 'public-ids:\n  - CVE-2023-44487 # golang.org/x/net rapid reset\n' });
    try {
      const listed = await report(['--range', `${c.neutral}..${c.bump}`, '--terms', termsFile]);
      expect(listed.code).toBe(0);
      expect(listed.report.allowedIds).toBe(1);
    } finally {
      rmSync(join(repo.dir, '.embargo-guard.yml'));
    }
  });

  it("catches GitHub's temporary-fork merge message without repeating the id", async () => {
    const r = await report(['--range', `${c.tidy}..${c.merge}`, '--terms', termsFile]);
    expect(r.code).toBe(1);
    const merge = r.report.findings.filter((f) => f.source.commit === c.merge);
    expect(merge.map((f) => [f.rule, f.caseId, f.line, f.column])).toEqual([['embargoed-id', caseId, 1, 25]]);
    expect(JSON.stringify(r.report)).not.toMatch(/x4mj/i);
  });

  it('catches a "Cherry pick CVE-…" message on a release branch', async () => {
    const r = await guard(['--range', `${c.base}..release-1.31`, '--terms', termsFile]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`commit ${c.pick!.slice(0, 12)} message:1:13  error  a CVE id of embargoed case ${caseId}  [embargoed-id]`);
    expect(r.stdout).toContain('| Cherry pick ************** onto release-1.31');
    expect(r.stdout).toContain('hint: a cherry-pick title carries the id');
    expect(r.stdout).not.toContain('41246');
  });

  it('catches an id added to a changelog with --diff, at its line in the file', async () => {
    const messagesOnly = await report(['--range', `${c.merge}..${c.changelog}`, '--terms', termsFile]);
    expect(messagesOnly.code).toBe(0);
    const withDiff = await report(['--range', `${c.merge}..${c.changelog}`, '--diff', '--terms', termsFile]);
    expect(withDiff.code).toBe(1);
    expect(withDiff.report.scanned.diffLines).toBe(4);
    expect(withDiff.report.findings.map((f) => [f.rule, f.source, f.line, f.column])).toEqual([
      ['embargoed-id', { kind: 'diff', commit: c.changelog, path: 'CHANGELOG.md' }, 5, 9],
    ]);
  });

  it('catches a hashed team term in any spelling, printing only the case', async () => {
    const r = await guard(['--range', `${c.changelog}..${c.term}`, '--terms', termsFile]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`matches an embargoed term of case ${caseId}`);
    expect(r.stdout).toContain('| Refactor ***************** for clarity');
    expect(r.stdout).not.toMatch(/RewriteCookiePath/i);
  });

  it('catches a codename in a branch name, masking it, with the terms read from the local database', async () => {
    const r = await guard(['--branch', `fix/${codename}`]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      `branch fix/${'*'.repeat(codename.length)} (column 5)  error  matches an embargoed term of case ${caseId}  [case-term]`,
    );
    expect(r.stdout).not.toContain(codename);
  });

  it('--all scans every commit on every ref and every ref name', async () => {
    const r = await report(['--all', '--terms', termsFile, '--public-ids', publicIds]);
    expect(r.code).toBe(1);
    expect(r.report.scanned.commits).toBe(9);
    expect(r.report.scanned.refs).toBe(3);
    const where = r.report.findings.map((f) => `${f.rule}@${f.source.commit ?? f.source.ref}`).sort();
    expect(where).toEqual(
      [`embargoed-id@${c.merge}`, `embargoed-id@${c.pick}`, `case-term@${c.term}`, `case-term@fix/${'*'.repeat(codename.length)}`].sort(),
    );
    expect(r.report.allowedIds).toBe(1);
  });

  it('checks PR text from stdin and writes SARIF 2.1.0', async () => {
    const r = await guard(
      ['--text', '-', '--terms', termsFile, '--sarif'],
      `Fix for ${codename}\n\nSee https://nvd.nist.gov/vuln/detail/CVE-2026-41246\n`,
    );
    expect(r.code).toBe(1);
    const sarif = JSON.parse(r.stdout);
    expect(sarif.version).toBe('2.1.0');
    const results = sarif.runs[0].results;
    expect(results.map((x: { ruleId: string }) => x.ruleId)).toEqual(['case-term', 'embargoed-id']);
    expect(results[1].locations[0].physicalLocation).toEqual({
      artifactLocation: { uri: 'stdin' },
      region: { startLine: 3, startColumn: 38, endLine: 3, endColumn: 52 },
    });
    expect(r.stdout).not.toContain(codename);
  });

  it("checks a commit message file as the hook gets it, skipping git's comment lines", async () => {
    const msg = join(home, 'COMMIT_EDITMSG');
    writeFileSync(msg, `Escape lua strings\n\n# On branch fix/${codename}\n# Changes to be committed:\n`);
    const clean = await guard(['--message-file', msg, '--terms', termsFile]);
    expect([clean.code, clean.stdout]).toEqual([0, 'embargo guard: no leaks in 1 commit message, terms of 1 embargoed case\n']);
    writeFileSync(msg, `Escape lua strings\n\nPart of ${codename}.\n# On branch main\n`);
    const leak = await guard(['--message-file', msg, '--terms', termsFile]);
    expect(leak.code).toBe(1);
    expect(leak.stdout).toContain(`${msg}:3:9  error  matches an embargoed term of case ${caseId}  [case-term]`);
  });

  it('warns about revealing words without failing, unless --strict', async () => {
    const text = join(home, 'pr.txt');
    writeFileSync(text, 'Fix a header injection bypass\n');
    const lax = await guard(['--text', text, '--terms', termsFile]);
    expect(lax.code).toBe(0);
    expect(lax.stdout).toContain('warning  "injection" hints at a security fix  [revealing-word]');
    expect(lax.stdout).toContain('embargo guard passes: 0 errors, 2 warnings in 1 text');
    const strict = await guard(['--text', text, '--terms', termsFile, '--strict']);
    expect(strict.code).toBe(1);
  });

  it('exits 2 when it cannot run: no source, bad range, missing or broken terms file', async () => {
    const none = await guard([]);
    expect([none.code, none.stderr]).toEqual([2, expect.stringMatching(/^embargo: say what to scan/)]);
    const range = await guard(['--range', 'nope..HEAD', '--terms', termsFile]);
    expect(range.code).toBe(2);
    expect(range.stderr).toMatch(/^embargo: git log failed: /);
    const missing = await guard(['--branch', 'x', '--terms', join(home, 'missing.json')]);
    expect([missing.code, missing.stderr]).toEqual([2, expect.stringMatching(/cannot read the terms file .*missing\.json: no such file/)]);
    const broken = join(home, 'broken.json');
    writeFileSync(broken, JSON.stringify({ format: 'embargo-guard-terms/1', salt: 'nope', cases: [] }));
    const bad = await guard(['--branch', 'x', '--terms', broken]);
    expect([bad.code, bad.stderr]).toEqual([2, expect.stringMatching(/is not an Embargo guard terms file: "salt" must be 32 hex digits/)]);
    const notRepo = await cli.run(['guard', '--repo', home, '--range', 'a..b', '--terms', termsFile]);
    expect([notRepo.code, notRepo.stderr]).toEqual([2, expect.stringMatching(/is not a git repository/)]);
  });

  it('runs without any terms when there is no database, saying so, and creates none', async () => {
    const empty = fresh('embargo-guard-empty-');
    const r = await cliWith({ EMBARGO_DATA_DIR: join(empty, 'data') }).run([
      'guard',
      '--repo',
      repo.dir,
      '--range',
      `${c.tidy}..${c.merge}`,
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('no case terms');
    expect(r.stdout).toContain('GHSA-x4mj-7f9g-29h4 is not known to be public');
    expect(existsSync(join(empty, 'data'))).toBe(false);
  });

  it('manages team terms: add (checked), list in clear text, remove by any spelling', async () => {
    const added = await cli.json<{ added: number; terms: { id: string; term: string }[] }>([
      'guard',
      'terms',
      'add',
      caseId,
      'luaEscapeString',
      'rewrite_cookie_path',
    ]);
    expect(added.added).toBe(1); // rewrite_cookie_path is rewriteCookiePath, which the case has
    expect(added.terms.map((t) => t.term)).toEqual(['rewriteCookiePath', 'luaEscapeString']);
    const bad = await cli.run(['guard', 'terms', 'add', caseId, 'fix']);
    expect([bad.code, bad.stderr]).toEqual([2, 'embargo: "fix" is too common a word to be a term: it would flag unrelated commits\n']);
    const listed = await cli.ok(['guard', 'terms', 'list', caseId]);
    expect(listed.stdout).toMatch(/ID +TERM +ADDED BY +ADDED\n.*rewriteCookiePath +local:/);
    const removed = await cli.json<{ terms: { term: string }[] }>(['guard', 'terms', 'remove', caseId, 'lua escape string']);
    expect(removed.terms.map((t) => t.term)).toEqual(['rewriteCookiePath']);
    const unknown = await cli.run(['guard', 'terms', 'remove', caseId, 'neverAdded']);
    expect([unknown.code, unknown.stderr]).toEqual([1, `embargo: ${caseId} has no guard term "neverAdded"; nothing was removed\n`]);
    const ghost = await cli.run(['guard', 'terms', 'list', 'EMB-2026-9999']);
    expect([ghost.code, ghost.stderr]).toEqual([1, 'embargo: case EMB-2026-9999 not found\n']);
  });
});

describe('embargo guard against a server (--server, guard-scoped token)', () => {
  let app: App;
  let server: Awaited<ReturnType<typeof buildServer>>;
  let url: string;
  let guardToken: string;
  let rwToken: string;
  let codename: string;
  const home = fresh('embargo-guard-remote-');

  beforeAll(async () => {
    app = await openApp(configFromEnv({ EMBARGO_DATA_DIR: join(home, 'server') }));
    await addUser(app, null, { username: 'ci', password: 'correct horse battery staple', role: 'admin' });
    guardToken = (await createApiToken(app, localActor('test'), { name: 'ci-guard', username: 'ci', scopes: ['guard'] })).token;
    rwToken = (await createApiToken(app, localActor('test'), { name: 'ci-rw', username: 'ci' })).token;
    server = await buildServer(app, { logger: false });
    await server.listen({ host: '127.0.0.1', port: 0 });
    url = `http://127.0.0.1:${(server.server.address() as AddressInfo).port}`;
    const created = await cliWith({ EMBARGO_SERVER: url, EMBARGO_TOKEN: rwToken }).json<{ codename: string }>([
      'case',
      'new',
      '--title',
      'Remote secret',
    ]);
    codename = created.codename;
  });

  afterAll(async () => {
    await server?.close();
    await app?.store.close();
  });

  const as = (token: string) => cliWith({ EMBARGO_DATA_DIR: join(home, 'cli'), EMBARGO_SERVER: url, EMBARGO_TOKEN: token });

  it('fetches the terms with a guard token and finds the codename', async () => {
    const r = await as(guardToken).run(['guard', '--branch', `security/${codename}`]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('matches an embargoed term of case EMB-');
    expect(r.stdout).not.toContain(codename);
    const out = join(home, 'terms.json');
    await as(guardToken).ok(['guard', 'terms', 'export', '--out', out]);
    expect(readFileSync(out, 'utf8')).not.toContain(codename.split('-')[0]);
  });

  it('refuses a token without the guard scope (exit 2), and a guard token cannot change terms', async () => {
    const r = await as(rwToken).run(['guard', '--branch', 'main']);
    expect([r.code, r.stderr]).toEqual([
      2,
      'embargo: this API token lacks the "guard" scope; create one for the hooks or CI with: embargo token create --name guard --scope guard (or scan against a terms file: embargo guard --terms FILE)\n',
    ]);
    const cases = await as(rwToken).json<{ cases: { id: string }[] }>(['case', 'list']);
    const add = await as(guardToken).run(['guard', 'terms', 'add', cases.cases[0]!.id, 'someFunctionName']);
    expect([add.code, add.stderr]).toEqual([1, 'embargo: this API token lacks the "write" scope\n']);
  });
});

describe('embargo guard --all over a big history', () => {
  it('streams 100,000 commits, reporting progress on stderr and every leak at its commit', async () => {
    const home = fresh('embargo-guard-big-');
    const repo = GuardRepo.init(join(home, 'big.git'), { bare: true });
    let stream = '';
    for (let i = 1; i <= 100_000; i++) {
      const msg =
        i % 25_000 === 0
          ? `Cherry pick CVE-2026-${40000 + i / 25_000} (#${i})\n`
          : `Escape lua strings for cookie rewrite policies (#${i})\n`;
      stream += `commit refs/heads/main\nmark :${i}\ncommitter Rel Engineer <rel@example.org> ${1_600_000_000 + i} +0000\ndata ${Buffer.byteLength(msg)}\n${msg}\n`;
    }
    const imported = spawnSync('git', ['fast-import', '--quiet'], { cwd: repo.dir, input: stream, env: GIT_ENV });
    expect(imported.status, String(imported.stderr)).toBe(0);

    const r = await cliWith({ EMBARGO_DATA_DIR: join(home, 'data') }).run(['guard', '--all', '--repo', repo.dir, '--json'], {
      timeoutMs: 60_000,
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('embargo guard: 100,000 commits scanned');
    const report = JSON.parse(r.stdout) as JsonReport;
    expect(report.scanned.commits).toBe(100_000);
    expect(report.findings.map((f) => f.match).sort()).toEqual(['CVE-2026-40001', 'CVE-2026-40002', 'CVE-2026-40003', 'CVE-2026-40004']);
    // Building and scanning 100,000 commits takes a while on a busy two-core machine.
  }, 120_000);
});
