/** The CLI on a local database: users, tokens, usage errors, exit codes, playbooks, audit findings. */
import Database from 'better-sqlite3';
import { existsSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliWith, runCli, tempDir } from './run-cli.js';

const PASSWORD = 'correct horse battery staple';
const dirs: string[] = [];

function freshCli() {
  const dir = tempDir();
  dirs.push(dir);
  return { dir, cli: cliWith({ EMBARGO_DATA_DIR: dir }) };
}

afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('usage errors', () => {
  const { cli } = freshCli();

  it('exit 2 with one "embargo: " sentence on stderr', async () => {
    const unknown = await cli.run(['case', 'list', '--bogus']);
    expect(unknown.code).toBe(2);
    expect(unknown.stdout).toBe('');
    expect(unknown.stderr).toBe("embargo: unknown option '--bogus'\n");

    const missing = await cli.run(['case', 'new']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe('embargo: give the case a title with --title (or open it from a report mail with --from-eml FILE)\n');

    const badId = await cli.run(['case', 'show', 'not-a-case']);
    expect(badId.code).toBe(2);
    expect(badId.stderr).toBe('embargo: "not-a-case" is not a case id like EMB-2026-0001\n');

    const badChoice = await cli.run([
      'case',
      'new',
      '--title',
      'x',
      '--reporter-name',
      'A',
      '--reporter-contact',
      'a@b',
      '--credit',
      'loud',
    ]);
    expect(badChoice.code).toBe(2);
    expect(badChoice.stderr).toMatch(
      /^embargo: option '--credit <how>' argument 'loud' is invalid\. Allowed choices are named, anonymous, name-without-company\.\n$/,
    );
  });

  it('exit 2 for a command group without a subcommand, 0 for --help and --version', async () => {
    const group = await cli.run(['case']);
    expect(group.code).toBe(2);
    expect(group.stderr).toContain('Usage: embargo case');

    const help = await cli.run(['case', 'step', 'done', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--confirm <ids...>');

    const version = await cli.run(['--version']);
    expect(version.code).toBe(0);
    expect(version.stdout).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('exit 2 for invalid input the domain refuses, e.g. a malformed GHSA id or a bad time zone', async () => {
    const { id } = await cli.json<{ id: string }>(['case', 'new', '--title', 'Input checks']);
    const ghsa = await cli.run(['case', 'edit', id, '--ghsa', 'GHSA-nope']);
    expect(ghsa.code).toBe(2);
    expect(ghsa.stderr).toBe('embargo: ghsaId "GHSA-nope" is not valid; expected something like GHSA-x4mj-7f9g-29h4\n');

    const zone = await cli.run(['case', 'embargo', id, '--at', '2026-12-01 17:00', '--tz', 'Mars/Olympus']);
    expect(zone.code).toBe(2);
    expect(zone.stderr).toMatch(/^embargo: timeZone "Mars\/Olympus" is not an IANA time zone/);

    const nothing = await cli.run(['case', 'edit', id]);
    expect(nothing.code).toBe(2);
    expect(nothing.stderr).toMatch(/^embargo: say what to change/);
  });

  it('--token without --server is a usage error, and so is --server without a token', async () => {
    const token = await cli.run(['--token', 'emb_x', 'case', 'list']);
    expect(token.code).toBe(2);
    expect(token.stderr).toMatch(/^embargo: --token is for talking to a server: add --server URL/);

    const server = await cli.run(['case', 'list', '--server', 'http://127.0.0.1:9']);
    expect(server.code).toBe(2);
    expect(server.stderr).toMatch(/^embargo: --server http:\/\/127\.0\.0\.1:9 needs an API token: pass --token or set EMBARGO_TOKEN/);

    const serve = await runCli(['serve'], { env: { EMBARGO_SERVER: 'http://127.0.0.1:9', EMBARGO_TOKEN: 'emb_x' } });
    expect(serve.code).toBe(2);
    expect(serve.stderr).toMatch(/^embargo: serve runs the server itself/);
  });
});

describe('users', () => {
  const { dir, cli } = freshCli();

  it('needs a password from stdin, EMBARGO_PASSWORD or a terminal, else exits 2', async () => {
    const none = await cli.run(['user', 'add', '--username', 'alice', '--admin']);
    expect(none.code).toBe(2);
    expect(none.stderr).toBe(
      'embargo: no password given: pipe it in with --password-stdin, set EMBARGO_PASSWORD, or run this in a terminal to be asked for it\n',
    );

    const empty = await cli.run(['user', 'add', '--username', 'alice', '--password-stdin'], { input: '' });
    expect(empty.code).toBe(2);
    expect(empty.stderr).toMatch(/^embargo: --password-stdin was given but stdin held no password/);

    const short = await cli.run(['user', 'add', '--username', 'alice', '--password-stdin'], { input: 'short\n' });
    expect(short.code).toBe(2);
    expect(short.stderr).toBe('embargo: password must be at least 12 characters\n');
  });

  it('adds the first admin from the first line of stdin, then more users, and lists them', async () => {
    const first = await cli.run(['user', 'add', '--username', 'alice', '--admin', '--display-name', 'Alice A.', '--password-stdin'], {
      input: `${PASSWORD}\nthis second line is ignored\n`,
    });
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toBe('Added admin alice (Alice A.).\nMember of contour.\n');

    const again = await cli.run(['user', 'add', '--username', 'alice', '--password-stdin'], { input: `${PASSWORD}\n` });
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/^embargo: .*alice.*(already exists|already taken)/);

    const viaEnv = await runCli(['user', 'add', '--username', 'bob', '--json'], {
      env: { EMBARGO_DATA_DIR: dir, EMBARGO_PASSWORD: PASSWORD },
    });
    expect(viaEnv.code, viaEnv.stderr).toBe(0);
    expect(JSON.parse(viaEnv.stdout)).toMatchObject({ username: 'bob', role: 'member', displayName: 'bob' });

    const { users } = await cli.json<{ users: { username: string; role: string }[] }>(['user', 'list']);
    expect(users.map((u) => [u.username, u.role])).toEqual([
      ['alice', 'admin'],
      ['bob', 'member'],
    ]);
    const text = await cli.ok(['user', 'list']);
    expect(text.stdout).toMatch(
      /^USERNAME +ROLE +DISPLAY NAME +GITHUB +CREATED\nalice +admin +Alice A\. +- +\d{4}-\d\d-\d\d \d\d:\d\d UTC\nbob +member +bob/,
    );
  });

  it('changes a role, a name and whether one may sign in, and keeps the last admin', async () => {
    const promoted = await cli.ok(['user', 'edit', 'bob', '--role', 'admin', '--display-name', 'Bob B.', '--github-login', 'bob-gh']);
    expect(promoted.stdout).toBe("bob's GitHub login is @bob-gh.\nbob (Bob B.) is an admin.\n");
    const disabled = await cli.ok(['user', 'edit', 'bob', '--disable']);
    expect(disabled.stdout).toBe('bob (Bob B.) is disabled (was admin).\n');
    expect((await cli.ok(['user', 'list'])).stdout).toMatch(/^bob \(disabled\) +admin +Bob B\. +@bob-gh/m);

    const last = await cli.run(['user', 'edit', 'alice', '--role', 'member']);
    expect(last.code).toBe(1);
    expect(last.stderr).toBe('embargo: this is the last admin who can sign in: make another user admin first\n');
    const nothing = await cli.run(['user', 'edit', 'bob']);
    expect(nothing.code).toBe(2);
    expect(nothing.stderr).toBe('embargo: say what to change: --github-login, --role, --display-name, --disable or --enable\n');
    const both = await cli.run(['user', 'edit', 'bob', '--disable', '--enable']);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/^embargo: .*--disable.*cannot be used with.*--enable/);
    expect((await cli.ok(['user', 'edit', 'bob', '--enable', '--role', 'member'])).stdout).toBe('bob (Bob B.) is a member.\n');
  });
});

describe('API tokens', () => {
  const { cli } = freshCli();
  beforeAll(async () => {
    await cli.ok(['user', 'add', '--username', 'alice', '--admin', '--password-stdin'], { input: `${PASSWORD}\n` });
  });

  it('needs --user without --server', async () => {
    const r = await cli.run(['token', 'create', '--name', 'ci']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^embargo: say which user the token is for with --user NAME/);
  });

  it('prints the token once, never lists it, and revokes it', async () => {
    const created = await cli.ok(['token', 'create', '--name', 'ci', '--scope', 'read', '--scope', 'guard', '--user', 'alice']);
    const token = /^ {2}(emb_\S+)$/m.exec(created.stdout)?.[1];
    expect(token).toBeDefined();
    expect(created.stdout).toContain('it will not be shown again');
    expect(created.stdout).toMatch(/scopes: read, guard\)/);

    const listed = await cli.ok(['token', 'list']);
    expect(listed.stdout).not.toContain(token!);
    expect(listed.stdout).toMatch(/alice +ci +read,guard .* active/);

    const { tokens } = await cli.json<{ tokens: { id: string; name: string; revokedAt: string | null }[] }>([
      'token',
      'list',
      '--user',
      'alice',
    ]);
    expect(tokens).toHaveLength(1);
    const tokenId = tokens[0]!.id;

    const revoked = await cli.ok(['token', 'revoke', tokenId]);
    expect(revoked.stdout).toBe(`Revoked API token ${tokenId}.\n`);
    const after = await cli.json<{ tokens: { revokedAt: string | null }[] }>(['token', 'list', '--user', 'alice']);
    expect(after.tokens[0]!.revokedAt).not.toBeNull();

    const unknown = await cli.run(['token', 'revoke', '00000000-0000-4000-8000-000000000000']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toBe('embargo: API token 00000000-0000-4000-8000-000000000000 not found\n');

    const badScope = await cli.run(['token', 'create', '--name', 'x', '--user', 'alice', '--scope', 'root']);
    expect(badScope.code).toBe(2);
    expect(badScope.stderr).toBe('embargo: --scope "root" is not a scope; use read, write, guard\n');
  });
});

describe('cases', () => {
  const { cli } = freshCli();

  it('a case that does not exist is exit 1 with a sentence', async () => {
    const r = await cli.run(['case', 'show', 'EMB-2026-9999']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('embargo: case EMB-2026-9999 not found\n');
  });

  it('plans release lines with a planned date, and says how to write one it cannot read', async () => {
    const { id } = await cli.json<{ id: string }>(['case', 'new', '--title', 'Planned dates', '--project', 'contour']);
    const planned = await cli.ok(['case', 'plan', id, '--line', '1.33=1.33.4@2026-12-10', '--line', '1.32=1.32.6']);
    expect(planned.stdout).toBe(`Release plan of ${id}: 1.33 → 1.33.4 (planned 2026-12-10 00:00 UTC), 1.32 → 1.32.6.\n`);
    const empty = await cli.run(['case', 'plan', id, '--line', '1.33=1.33.4@']);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toBe('embargo: --line "1.33=1.33.4@" names no date after @; write e.g. 1.33=1.33.4@2026-12-10\n');
    const bad = await cli.run(['case', 'plan', id, '--line', '1.33=1.33.4@next friday']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^embargo: lines\[0\]\.plannedAt "next friday" is not a date like 2026-05-01/);
  });

  it('--json output parses in every listing and the step commands return {case, steps}', async () => {
    const created = await cli.json<{ id: string; codename: string }>(['case', 'new', '--title', 'JSON shapes', '--project', 'contour']);
    const { cases } = await cli.json<{ cases: Record<string, unknown>[] }>(['case', 'list', '--q', 'JSON']);
    expect(cases).toHaveLength(1);
    // Lists never carry embargoed details.
    expect(Object.keys(cases[0]!).sort()).toEqual([
      'codename',
      'createdAt',
      'embargo',
      'id',
      'playbook',
      'project',
      'status',
      'title',
      'updatedAt',
    ]);
    const steps = await cli.json<{ case: { id: string }; steps: { id: string; unmet: string[] }[] }>(['case', 'steps', created.id]);
    expect(steps.case.id).toBe(created.id);
    expect(steps.steps.map((s) => s.id)[0]).toBe('report');
    expect(steps.steps[0]!.unmet).toEqual([
      `the reporter is not recorded (name and private contact) (embargo case edit ${created.id} --reporter-name NAME --reporter-contact CONTACT)`,
    ]);
    const events = await cli.json<{ events: { action: string }[] }>(['case', 'events', created.id]);
    expect(events.events[0]!.action).toBe('case.created');
    const access = await cli.json<{ access: unknown[] }>(['case', 'access', created.id]);
    expect(access).toEqual({ access: [] });
  });

  it('case show is one audited read of the case, its steps and the answers; edit --revision refuses a stale base and names what changed', async () => {
    const { id, revision } = await cli.json<{ id: string; revision: number }>(['case', 'new', '--title', 'Stale edit']);
    const before = await cli.json<{ events: { action: string }[] }>(['case', 'events', id]);
    const shown = await cli.json<{ case: { id: string }; steps: unknown[]; acks: unknown }>(['case', 'show', id]);
    expect(Object.keys(shown).sort()).toEqual(['acks', 'case', 'clocks', 'steps']);
    const after = await cli.json<{ events: { action: string; details: { what?: string } }[] }>(['case', 'events', id]);
    // Between the two event listings: the overview's one read (and the first listing's own read).
    const reads = after.events.slice(before.events.length).filter((e) => e.action === 'case.read');
    expect(reads.map((e) => e.details.what)).toEqual(['events', 'overview']);

    await cli.ok(['case', 'edit', id, '--title', 'Stale edit, renamed', '--revision', String(revision)]);
    const stale = await cli.run(['case', 'edit', id, '--ghsa', 'GHSA-x4mj-7f9g-29h4', '--revision', String(revision)]);
    expect(stale.code).toBe(1);
    expect(stale.stderr).toMatch(new RegExp(`case ${id} is at revision ${revision + 1}, not ${revision}: title changed since`));
    const unchanged = await cli.json<{ case: { title: string; ghsaId: string | null } }>(['case', 'show', id]);
    expect(unchanged.case).toMatchObject({ title: 'Stale edit, renamed', ghsaId: null });
    const bad = await cli.run(['case', 'edit', id, '--ghsa', 'GHSA-x4mj-7f9g-29h4', '--revision', 'latest']);
    expect(bad.code).toBe(2);
  });

  it('case steps lists the unmet conditions of open steps with the --confirm to give and the mail to send', async () => {
    const { id } = await cli.json<{ id: string }>([
      'case',
      'new',
      '--title',
      'Steps view',
      '--reporter-name',
      'R',
      '--reporter-contact',
      'r@example.org',
    ]);
    const r = await cli.ok(['case', 'steps', id, '--guidance']);
    expect(r.stdout).toContain('! confirm: Requested a CVE ID via GitHub from the advisory draft  (--confirm cve-requested)');
    expect(r.stdout).toContain(
      `! the acknowledgement to the reporter is not sent yet (kind reporter-ack): embargo message send ${id} --kind reporter-ack\n`,
    );
    expect(r.stdout).toContain('- Create the draft at https://github.com/projectcontour/contour/security/advisories');
    expect(r.stdout).toContain(`Next: step 1 "Record the vulnerability report" (report) — ready`);
  });

  it('changing only the credit keeps the recorded reporter', async () => {
    const { id } = await cli.json<{ id: string }>([
      'case',
      'new',
      '--title',
      'Credit',
      '--reporter-name',
      'Ada',
      '--reporter-contact',
      'ada@example.org',
    ]);
    const edited = await cli.json<{ reporter: unknown }>(['case', 'edit', id, '--credit', 'anonymous']);
    expect(edited.reporter).toEqual({ name: 'Ada', contact: 'ada@example.org', company: null, credit: 'anonymous' });
  });

  it('prints no colour codes when stdout is not a terminal', async () => {
    const { id } = await cli.json<{ id: string }>(['case', 'new', '--title', 'Plain']);
    const r = await cli.ok(['case', 'show', id]);
    expect(r.stdout).toContain(id);
    expect(r.stdout).not.toMatch(/\x1b\[/);
  });
});

describe('audit verify', () => {
  it('exit 1 and names the first broken event when the log was edited behind Embargo', async () => {
    const { dir, cli } = freshCli();
    await cli.ok(['case', 'new', '--title', 'One']);
    await cli.ok(['case', 'new', '--title', 'Two']);
    const intact = await cli.ok(['audit', 'verify']);
    // The example project's creation; then per opening: case.created, and the case.read of the answer that shows the new case.
    expect(intact.stdout).toBe('audit log intact: 5 events checked\n');

    const file = join(dir, 'embargo.db');
    expect(existsSync(file)).toBe(true);
    const db = new Database(file);
    db.prepare('update events set details = \'{"title":"Changed"}\' where seq = 2').run();
    db.close();

    const broken = await cli.run(['audit', 'verify']);
    expect(broken.code).toBe(1);
    expect(broken.stdout).toBe('audit log broken at event 2: event 2 was edited: its hash does not match its content\n');
    expect(broken.stderr).toBe('');
    const asJson = await cli.run(['audit', 'verify', '--json']);
    expect(asJson.code).toBe(1);
    expect(JSON.parse(asJson.stdout)).toEqual({
      ok: false,
      checked: 1,
      firstBroken: { seq: 2, reason: 'event 2 was edited: its hash does not match its content' },
    });
  });
});

describe('playbooks', () => {
  const { dir, cli } = freshCli();

  it('lists the shipped playbooks without creating a database', async () => {
    const r = await cli.ok(['playbook', 'list']);
    expect(r.stdout).toMatch(/^ID +NAME +STEPS +DEFAULT\ncontour +Contour +12 +yes\nkubernetes +Kubernetes +\d+\n$/);
    expect(existsSync(join(dir, 'embargo.db'))).toBe(false);
    const { playbooks } = await cli.json<{ playbooks: { id: string }[] }>(['playbook', 'list']);
    expect(playbooks.map((p) => p.id)).toEqual(['contour', 'kubernetes']);
  });

  it('shows a playbook with numbered steps, guidance, gates in words and settings', async () => {
    const r = await cli.ok(['playbook', 'show']);
    expect(r.stdout).toMatch(/^Contour \(contour\)\n/);
    expect(r.stdout).toContain('3. Create a GitHub security advisory draft  [advisory-draft, phase drafting]');
    expect(r.stdout).toContain('   - Create the draft at https://github.com/projectcontour/contour/security/advisories');
    expect(r.stdout).toContain('     * needs the GHSA id of the advisory');
    expect(r.stdout).toContain('     * asks you to confirm (--confirm cve-requested): Requested a CVE ID');
    expect(r.stdout).toContain('     * needs every planned release line released');
    expect(r.stdout).toContain('     * needs the embargo to be over');
    expect(r.stdout).toContain('[private-fork, phase drafting, may be skipped]');
    expect(r.stdout).toContain('  distributors list: cncf-contour-distributors-announce@lists.cncf.io');
    expect(r.stdout).toContain('  embargoed mail carries the CVE id: no');

    const k = await cli.json<{ id: string; steps: unknown[]; settings: { embargoedMailCarriesCve: boolean } }>([
      'playbook',
      'show',
      'kubernetes',
    ]);
    expect(k.id).toBe('kubernetes');
    expect(k.settings.embargoedMailCarriesCve).toBe(true);

    const missing = await cli.run(['playbook', 'show', 'nope']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe('embargo: no playbook "nope"; known: contour, kubernetes\n');
  });

  it('checkpoint signs the head with a 0600 key file; verify --checkpoint holds it, and fails once the log is rewritten with its head', async () => {
    const { dir, cli } = freshCli();
    // Event 1 is the example project's creation; then the case's creation and the read of the answer.
    await cli.ok(['case', 'new', '--title', 'One']);
    const head = join(dir, 'head.json');
    const signed = await cli.ok(['audit', 'checkpoint', '--out', head]);
    expect(signed.stdout).toBe(`checkpoint of event 3 written to ${head}; keep a copy where the server cannot change it\n`);
    expect(statSync(join(dir, 'audit.key')).mode & 0o777).toBe(0o600);
    await cli.ok(['case', 'new', '--title', 'Two']);
    const holds = await cli.ok(['audit', 'verify', '--checkpoint', head]);
    expect(holds.stdout).toMatch(/^audit log intact: 6 events checked; it holds the checkpoint of event 3 \(signed .+\) unchanged\n$/);

    // Delete everything and reset the head: the chain alone cannot tell.
    const db = new Database(join(dir, 'embargo.db'));
    db.prepare('delete from events').run();
    db.prepare(`update chain_head set last_seq = 0, last_hash = '${'0'.repeat(64)}'`).run();
    db.close();
    expect((await cli.ok(['audit', 'verify'])).stdout).toBe('audit log intact: 0 events checked\n');
    const broken = await cli.run(['audit', 'verify', '--checkpoint', head]);
    expect(broken.code).toBe(1);
    expect(broken.stdout).toMatch(
      /^audit checkpoint of event 3 not held: the log has no event 3, which the checkpoint of .+ signed: events were deleted/,
    );
    const notJson = await cli.run(['audit', 'verify', '--checkpoint', join(dir, 'embargo.db')]);
    expect(notJson.code).toBe(2);
  });
});

describe('secrets rotate', () => {
  it('rotates the key file of the local database and says where the new key is', async () => {
    const { dir, cli } = freshCli();
    const r = await cli.ok(['secrets', 'rotate']);
    expect(r.stdout).toBe(`0 stored secrets sealed again under the new key (${join(dir, 'secret.key')}).\n`);
    expect(statSync(join(dir, 'secret.key')).mode & 0o777).toBe(0o600);
  });
});
