/**
 * `embargo github …`, `embargo advisory …`, `embargo user edit --github-login` and `embargo plan
 * verify --case` as a person runs them (child processes), against the fake GitHub over real HTTP:
 * manual mode first, then connected, locally and through a server. The token is never printed.
 */
import { randomBytes } from 'node:crypto';
import { rmSync, statSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, createApiToken } from '../../src/app/accounts.js';
import { localActor } from '../../src/app/actor.js';
import { openApp, type App } from '../../src/app/app.js';
import { configFromEnv } from '../../src/app/config.js';
import { buildServer } from '../../src/server/server.js';
import { startFakeGitHub, type FakeGitHub } from '../support/fake-github.js';
import { TestRepo } from '../support/git-repo.js';
import { cliWith, tempDir, type CliResult } from './run-cli.js';

const PASSWORD = 'correct horse battery staple';
const TOKEN = `ghp_cli_${randomBytes(12).toString('hex')}`;
const REPO = 'projectcontour/contour';
const VECTOR = 'CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:H/I:H/A:N';

const printed: string[] = [];
/** Keeps every output for the final "no token anywhere" check. */
function seen(r: CliResult): CliResult {
  printed.push(r.stdout, r.stderr);
  return r;
}

let fake: FakeGitHub;
beforeAll(async () => {
  fake = await startFakeGitHub({ tokens: { [TOKEN]: { login: 'maintainer', permissions: { repository_advisories: 'write' } } } });
});
afterAll(async () => {
  await fake.close();
  for (const text of printed) {
    expect(text).not.toContain(TOKEN);
    expect(text).not.toContain(TOKEN.slice(4));
  }
});

// Each step runs several CLI commands against a server and a fake GitHub: generous for a busy two-core machine.
const SLOW = { timeout: 120_000 };

describe('embargo advisory on the local database', SLOW, () => {
  let dir: string;
  let cli: ReturnType<typeof cliWith>;
  let id: string;
  let repo: TestRepo;
  const run = async (args: string[], input?: string) => seen(await cli.run(args, input === undefined ? {} : { input }));

  beforeAll(async () => {
    dir = tempDir('embargo-cli-advisory-');
    cli = cliWith({ EMBARGO_DATA_DIR: dir, EMBARGO_GITHUB_API_URL: fake.url, NO_COLOR: '1' });
    await cli.ok(['user', 'add', '--username', 'root', '--admin', '--password-stdin'], { input: `${PASSWORD}\n` });
    id = (
      await cli.json<{ id: string }>([
        'case',
        'new',
        '--title',
        'HTTPProxy include crosses namespaces',
        '--reporter-name',
        'Ada',
        '--reporter-contact',
        'ada@example.org',
      ])
    ).id;
    await cli.ok([
      'case',
      'edit',
      id,
      '--package',
      'Go:github.com/projectcontour/contour',
      '--package-repository',
      'https://github.com/projectcontour/contour',
      '--affected',
      '1.20.0..1.27.4',
      '--affected',
      '1.28.0..1.28.2',
      '--cvss',
      VECTOR,
      '--cwe',
      'CWE-284',
      '--description',
      'A tenant can route to another namespace.',
    ]);
    await cli.ok(['case', 'plan', id, '--line', '1.28=1.28.2', '--line', '1.27=1.27.4']);
    await cli.ok(['case', 'embargo', id, '--at', '2026-01-01 12:00', '--tz', 'UTC', '--allow-past', 'a case disclosed on New Year']);
    repo = TestRepo.init();
  }, 60_000);
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
    repo.remove();
    fake.expectNoViolations();
  });

  it('works in manual mode before a connection: the fields to paste', async () => {
    const status = await run(['github', 'status']);
    expect(status.stdout).toBe(
      'No project is connected to GitHub: advisory commands work in manual mode. Connect one with embargo github connect.\n',
    );
    const r = await run(['advisory', 'push', id]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Manual mode: project contour has no GitHub connection (embargo github connect sets one up).\n');
    expect(r.stdout).toContain('Go to https://github.com/projectcontour/contour/security/advisories/new and fill in:\n');
    expect(r.stdout).toContain('  Title: HTTPProxy include crosses namespaces\n');
    expect(r.stdout).toContain(`  Severity: CVSS vector: ${VECTOR}\n`);
    expect(r.stdout).toContain(`Then: Record the draft's id: embargo case edit ${id} --ghsa GHSA-xxxx-xxxx-xxxx\n`);
    expect(fake.requests).toHaveLength(0);
  });

  it('connects: the token from stdin or a file, never a flag; checked; the key file private', async () => {
    const both = await run(['github', 'connect', '--project', 'contour', '--repo', REPO, '--token-stdin', '--token-file', '/dev/null']);
    expect(both.code).toBe(2);
    expect(both.stderr).toBe('embargo: give the token with --token-file FILE or --token-stdin (exactly one; never as a flag value)\n');
    const wrong = await run(['github', 'connect', '--project', 'contour', '--repo', REPO, '--token-stdin'], 'ghp_wrong_token\n');
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/^embargo: GitHub did not accept the token while trying to read the signed-in user/);

    const ok = await run(['github', 'connect', '--project', 'contour', '--repo', REPO, '--token-stdin'], `${TOKEN}\n`);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(
      new RegExp(
        `^Connected contour to projectcontour/contour \\(${fake.url.replace(/[.]/g, '\\.')}\\) as maintainer: token set, checked .*: ok\\.\\n$`,
      ),
    );
    expect(statSync(join(dir, 'secret.key')).mode & 0o777).toBe(0o600);
    const status = await run(['github', 'status']);
    expect(status.stdout).toMatch(
      /^PROJECT +REPOSITORY +AS +STATUS\ncontour +projectcontour\/contour +maintainer +token set, checked .*: ok\n$/,
    );

    const file = join(dir, 'token.txt');
    writeFileSync(file, `${TOKEN}\n`);
    expect((await run(['github', 'connect', '--project', 'contour', '--repo', REPO, '--token-file', file])).code).toBe(0);
  });

  it('pushes: a dry run prints the body and the difference, then the draft is created', async () => {
    // The reporter's GitHub login (issue 13, item 6): credited by login, and a collaborator on push.
    await cli.ok(['case', 'edit', id, '--reporter-github', 'ada-gh']);
    const sent = fake.requests.length;
    const dry = await run(['advisory', 'push', id, '--dry-run']);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toMatch(
      /^Would create the advisory draft \(dry run: nothing was sent\)\.\nFields:\n {2}summary: \(none\) → "HTTPProxy include crosses namespaces"\n/,
    );
    expect(dry.stdout).toContain('Request body:\n{\n  "summary": "HTTPProxy include crosses namespaces",');
    // Which vector goes to GitHub, and why (issue 13, item 9).
    expect(dry.stdout).toContain(`CVSS for GitHub: 3.1 ${VECTOR} (the playbook prefers CVSS 3.1)\n`);
    expect(fake.requests.length).toBe(sent);

    const pushed = await run(['advisory', 'push', id]);
    expect(pushed.code, pushed.stderr).toBe(0);
    const ghsa = /Created the advisory draft (GHSA-\S+) and recorded it/.exec(pushed.stdout)?.[1];
    expect(ghsa).toBeDefined();
    const onGitHub = fake.advisory(REPO, ghsa!) as { credits: { login: string; type: string }[]; collaborating_users: { login: string }[] };
    expect(onGitHub.credits).toContainEqual({ login: 'ada-gh', type: 'reporter' });
    expect(onGitHub.collaborating_users.map((u) => u.login)).toContain('ada-gh');
    expect((await cli.json<{ case: { reporterCollaborator: string } }>(['case', 'show', id])).case.reporterCollaborator).toBe('ada-gh');
    const told = await cli.ok(['message', 'draft', id, '--kind', 'reporter-draft-created']);
    expect(told.stdout).toContain(`(${ghsa}, visible to you as a collaborator)`);
    expect((await cli.json<{ case: { ghsaId: string } }>(['case', 'show', id])).case.ghsaId).toBe(ghsa);

    await cli.ok(['case', 'edit', id, '--title', 'HTTPProxy includes cross namespaces']);
    const status = await run(['advisory', 'status', id]);
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).toMatch(
      new RegExp(
        `^  mode +GitHub \\(projectcontour/contour\\)\n  advisory +${ghsa}, draft on GitHub\n  pushed +\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC\n`,
      ),
    );
    expect(status.stdout).toContain(`the case changed since the last push; embargo advisory push ${id} --dry-run shows the difference\n`);
    const diff = await run(['advisory', 'push', id, '--dry-run']);
    expect(diff.stdout).toBe(
      `Would update ${ghsa} (dry run: nothing was sent).\nDifference (GitHub now → after the push):\n  summary: "HTTPProxy include crosses namespaces" → "HTTPProxy includes cross namespaces"\nCVSS for GitHub: 3.1 ${VECTOR} (the playbook prefers CVSS 3.1)\nRequest body:\n${diff.stdout.split('Request body:\n')[1]}`,
    );
    expect((await run(['advisory', 'push', id])).stdout).toBe(
      `Updated ${ghsa} on GitHub.\nDifference (GitHub now → after the push):\n  summary: "HTTPProxy include crosses namespaces" → "HTTPProxy includes cross namespaces"\n`,
    );
  });

  it('requests the CVE id, sets logins and creates the fork, syncs', async () => {
    const cve = await run(['advisory', 'request-cve', id]);
    expect(cve.stdout).toMatch(new RegExp(`^GitHub assigned CVE-\\d{4}-\\d+; recorded on ${id}\\.\\n$`));

    const noLogin = await run(['user', 'edit', 'root', '--github-login', 'not a login']);
    expect(noLogin.code).toBe(2);
    expect((await run(['user', 'edit', 'root', '--github-login', 'root-gh'])).stdout).toBe("root's GitHub login is @root-gh.\n");
    await cli.ok(['case', 'access', id, '--grant', 'root']);
    const fork = await run(['advisory', 'fork', id]);
    expect(fork.code, fork.stderr).toBe(0);
    expect(fork.stdout).toMatch(
      /^Private fork projectcontour\/contour-ghsa-\S+ is ready: https:\/\/github\.com\/\S+\nCollaborators: @ada-gh, @root-gh\n$/,
    );
    // What Embargo did itself needs no checkbox (issue 13, item 7): the CVE request and the shared fork.
    const { steps } = await cli.json<{ steps: { id: string; confirmations: { id: string }[]; unmet: string[] }[] }>(['case', 'steps', id]);
    const step = (sid: string) => steps.find((s) => s.id === sid)!;
    expect(step('advisory-draft').confirmations).toEqual([]);
    expect(step('advisory-draft').unmet.filter((u) => u.startsWith('confirm:'))).toEqual([]);
    expect(step('private-fork').confirmations).toEqual([]);
    expect(step('private-fork').unmet.filter((u) => u.startsWith('confirm:'))).toEqual([]);
    expect(step('keep-draft').confirmations.map((k) => k.id)).toEqual(['still-draft', 'reporter-credited']);

    expect((await run(['advisory', 'sync', id])).stdout).toMatch(/^GHSA-\S+ is draft on GitHub; nothing new for EMB-/);
    expect((await run(['advisory', 'sync', id])).stdout).toMatch(/^GHSA-\S+ has not changed on GitHub since the last sync\.\n$/);

    fake.failNext('missing-permission');
    const refused = await run(['advisory', 'sync', id]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(
      /^embargo: GitHub refused: the token lacks the 'repository_advisories: write' permission on projectcontour\/contour, needed to read advisory GHSA-\S+\.\n$/,
    );
  });

  it('publishes only through the gate: blocked with every condition, verified tags, then an override with a reason', async () => {
    const blocked = await run(['advisory', 'publish', id]);
    expect(blocked.code).toBe(1);
    expect(blocked.stderr).toMatch(new RegExp(`^embargo: the advisory of ${id} cannot be published: \\d+ conditions are unmet\\n`));
    expect(blocked.stderr).toContain(`  - release line 1.28 has no released patch (embargo case release ${id} 1.28 [--tag TAG])\n`);
    expect((await run(['advisory', 'publish', id, '--override'])).code).toBe(2);
    const check = await run(['advisory', 'publication', id]);
    expect(check.stdout).toMatch(new RegExp(`^The advisory of ${id} cannot be published yet:\\n  - `));

    // The fix, a tag that carries it, and one cut from before it.
    const base = repo.commit('Router', { 'router.go': 'v1\n' }, '2026-01-02T09:00:00Z');
    const fix = repo.commit('Tidy include handling', { 'router.go': 'v2\n' }, '2026-01-03T09:00:00Z');
    repo.tag('v1.28.2', { target: fix });
    repo.tag('v1.27.4', { target: base });
    await cli.ok(['case', 'release', id, '1.28']);
    await cli.ok(['case', 'release', id, '1.27']);
    const lacking = await run(['plan', 'verify', '--repo', repo.dir, '--fix', fix, '--tag', 'v1.28.2', 'v1.27.4', '--case', id]);
    expect(lacking.code).toBe(1);
    expect(lacking.stdout).toContain(`Recorded on ${id}: 1 of 2 release tags verified.\n`);
    let plan = (
      await cli.json<{ case: { releasePlan: { line: string; verifiedAt?: string; fixCommit?: string }[] } }>(['case', 'show', id])
    ).case.releasePlan;
    expect(plan.map((l) => [l.line, l.fixCommit ?? null])).toEqual([
      ['1.28', fix],
      ['1.27', null],
    ]);

    repo.git(['tag', '--force', 'v1.27.4', fix]);
    const good = await run(['plan', 'verify', '--repo', repo.dir, '--fix', fix, '--tag', 'v1.28.2', 'v1.27.4', '--case', id]);
    expect(good.code, good.stdout + good.stderr).toBe(0);
    expect(good.stdout).toContain(`Recorded on ${id}: 2 of 2 release tags verified.\n`);
    plan = (await cli.json<{ case: { releasePlan: { line: string; verifiedAt?: string; fixCommit?: string }[] } }>(['case', 'show', id]))
      .case.releasePlan;
    expect(plan.every((l) => l.fixCommit === fix && l.verifiedAt)).toBe(true);

    // Still blocked: the playbook's earlier steps are open. The local admin overrides, with a reason.
    const still = await run(['advisory', 'publish', id]);
    expect(still.code).toBe(1);
    expect(still.stderr).not.toContain('release line');
    const published = await run(['advisory', 'publish', id, '--override', '--reason', 'Replaying an old case for the test']);
    expect(published.code, published.stderr).toBe(0);
    expect(published.stdout).toMatch(/^Override recorded; conditions overridden:\n( {2}- .*\n)+Published GHSA-\S+ on \d{4}-.*\.\n$/);
    const events = await cli.json<{ events: { action: string; details: { reason?: string } }[] }>(['case', 'events', id]);
    expect(events.events.find((e) => e.action === 'advisory.publish_overridden')?.details.reason).toBe(
      'Replaying an old case for the test',
    );
  });

  it('imports private vulnerability reports once', async () => {
    fake.addToken('ghp_reporter_cli', { login: 'eve-researcher', permissions: {} });
    const report = await fake.submitReport(REPO, 'ghp_reporter_cli', {
      summary: 'Path traversal in the file server',
      description: 'It returns /etc/passwd.',
      severity: 'high',
    });
    const first = await run(['advisory', 'import', '--project', 'contour']);
    expect(first.stdout).toMatch(new RegExp(`^Imported ${report.ghsa_id} as EMB-\\d{4}-\\d{4}: Path traversal in the file server\\n$`));
    const second = await run(['advisory', 'import', '--project', 'contour']);
    expect(second.stdout).toBe('No new private vulnerability reports (the list has not changed on GitHub since the last import).\n');
  });
});

describe('embargo github and advisory through a server (--server)', SLOW, () => {
  let serverDir: string;
  let cliDir: string;
  let app: App;
  let server: Awaited<ReturnType<typeof buildServer>>;
  let admin: ReturnType<typeof cliWith>;
  let member: ReturnType<typeof cliWith>;

  beforeAll(async () => {
    serverDir = tempDir('embargo-server-gh-');
    cliDir = tempDir('embargo-cli-gh-');
    app = await openApp(
      configFromEnv({ EMBARGO_DATA_DIR: serverDir, EMBARGO_SECRET_KEY: randomBytes(32).toString('hex'), EMBARGO_GITHUB_API_URL: fake.url }),
    );
    await addUser(app, null, { username: 'alice', password: PASSWORD, role: 'admin' });
    await addUser(app, localActor('test'), { username: 'bob', password: PASSWORD, role: 'member' });
    const adminToken = (await createApiToken(app, localActor('test'), { name: 'cli', username: 'alice' })).token;
    const memberToken = (await createApiToken(app, localActor('test'), { name: 'cli', username: 'bob' })).token;
    server = await buildServer(app, { logger: false });
    await server.listen({ host: '127.0.0.1', port: 0 });
    const url = `http://127.0.0.1:${(server.server.address() as AddressInfo).port}`;
    admin = cliWith({ EMBARGO_DATA_DIR: cliDir, EMBARGO_SERVER: url, EMBARGO_TOKEN: adminToken, NO_COLOR: '1' });
    member = cliWith({ EMBARGO_DATA_DIR: cliDir, EMBARGO_SERVER: url, EMBARGO_TOKEN: memberToken, NO_COLOR: '1' });
  }, 60_000);
  afterAll(async () => {
    await server?.close();
    await app?.store.close();
    rmSync(serverDir, { recursive: true, force: true });
    rmSync(cliDir, { recursive: true, force: true });
  });

  it('connects, shows the status without the token, pushes a dry run and refuses a member what is for admins', async () => {
    const denied = seen(
      await member.run(['github', 'connect', '--project', 'contour', '--repo', REPO, '--token-stdin'], { input: `${TOKEN}\n` }),
    );
    expect(denied.code).toBe(1);
    expect(denied.stderr).toBe('embargo: only an admin of project contour can do this\n');
    const ok = seen(
      await admin.run(['github', 'connect', '--project', 'contour', '--repo', REPO, '--token-stdin', '--json'], { input: `${TOKEN}\n` }),
    );
    expect(ok.code, ok.stderr).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({
      project: 'contour',
      repository: REPO,
      tokenSet: true,
      checkOk: true,
      login: 'maintainer',
      apiUrl: fake.url,
    });
    const status = seen(await member.run(['github', 'status', '--json']));
    expect(JSON.parse(status.stdout).connections).toHaveLength(1);

    const id = (await admin.json<{ id: string }>(['case', 'new', '--title', 'Remote advisory case'])).id;
    await admin.ok([
      'case',
      'edit',
      id,
      '--package',
      'Go:github.com/projectcontour/contour',
      '--affected',
      '1.20.0..1.28.2',
      '--cwe',
      'CWE-284',
      '--description',
      'A tenant can route to another namespace.',
    ]);
    const dry = seen(await admin.run(['advisory', 'push', id, '--dry-run', '--json']));
    expect(dry.code, dry.stderr).toBe(0);
    expect(JSON.parse(dry.stdout)).toMatchObject({
      mode: 'github',
      dryRun: true,
      action: 'create',
      body: { summary: 'Remote advisory case', cwe_ids: ['CWE-284'] },
    });
    const blocked = seen(await admin.run(['advisory', 'publish', id]));
    expect(blocked.code).toBe(1);
    expect(blocked.stderr).toContain(`  - no release line is planned (embargo case plan ${id} --line MINOR=VERSION)\n`);

    expect(seen(await member.run(['user', 'edit', 'bob', '--github-login', 'bob-gh'])).stdout).toBe("bob's GitHub login is @bob-gh.\n");
    const other = seen(await member.run(['user', 'edit', 'alice', '--github-login', 'x']));
    expect(other.code).toBe(1);
    expect(other.stderr).toBe("embargo: only an admin can set another user's GitHub login\n");
    fake.expectNoViolations();
  });
});
