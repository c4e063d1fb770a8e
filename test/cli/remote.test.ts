/**
 * The CLI against a running server (--server/--token): the server is started in this process on a
 * free port with its own database; the CLI child gets a different, empty data directory so any
 * fallback to local mode would show.
 */
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, createApiToken } from '../../src/app/accounts.js';
import { localActor } from '../../src/app/actor.js';
import { openApp, type App } from '../../src/app/app.js';
import { configFromEnv } from '../../src/app/config.js';
import { buildServer } from '../../src/server/server.js';
import { cliWith, runCli, tempDir } from './run-cli.js';

const PASSWORD = 'correct horse battery staple';

describe('embargo CLI with --server (remote mode)', () => {
  let serverDir: string;
  let cliDir: string;
  let app: App;
  let server: Awaited<ReturnType<typeof buildServer>>;
  let url: string;
  let adminToken: string;
  let memberToken: string;
  let admin: ReturnType<typeof cliWith>;
  let member: ReturnType<typeof cliWith>;
  let id: string;

  beforeAll(async () => {
    serverDir = tempDir('embargo-server-');
    cliDir = tempDir('embargo-cli-remote-');
    app = await openApp(configFromEnv({ EMBARGO_DATA_DIR: serverDir }));
    await addUser(app, null, { username: 'alice', password: PASSWORD, role: 'admin' });
    await addUser(app, localActor('test'), { username: 'bob', password: PASSWORD, role: 'member' });
    adminToken = (await createApiToken(app, localActor('test'), { name: 'cli-test', username: 'alice' })).token;
    memberToken = (await createApiToken(app, localActor('test'), { name: 'cli-test', username: 'bob' })).token;
    server = await buildServer(app, { logger: false });
    await server.listen({ host: '127.0.0.1', port: 0 });
    url = `http://127.0.0.1:${(server.server.address() as AddressInfo).port}`;
    // The server and token come from the environment for one and from flags for the other.
    admin = cliWith({ EMBARGO_DATA_DIR: cliDir, EMBARGO_SERVER: url, EMBARGO_TOKEN: adminToken });
    const base = cliWith({ EMBARGO_DATA_DIR: cliDir });
    member = {
      run: (args, o) => base.run(['--server', url, '--token', memberToken, ...args], o),
      ok: (args, o) => base.ok(['--server', url, '--token', memberToken, ...args], o),
      json: (args, o) => base.json(['--server', url, '--token', memberToken, ...args], o),
    };
  });

  afterAll(async () => {
    await server?.close();
    await app?.store.close();
    rmSync(serverDir, { recursive: true, force: true });
    rmSync(cliDir, { recursive: true, force: true });
  });

  it('opens a case, lists it and shows it through the API', async () => {
    const created = await admin.json<{ id: string; title: string; status: string; revision: number }>([
      'case',
      'new',
      '--title',
      'Remote case',
      '--reporter-name',
      'Ada',
      '--reporter-contact',
      'ada@example.org',
    ]);
    id = created.id;
    expect(id).toMatch(/^EMB-\d{4}-0001$/);
    expect(created).toMatchObject({ title: 'Remote case', status: 'reported', revision: 1 });

    const list = await admin.ok(['case', 'list']);
    expect(list.stdout).toMatch(
      new RegExp(`^ID +PROJECT +STATUS +EMBARGO ENDS +CODENAME +TITLE\\n${id} +contour +reported +— +\\S+ +Remote case\\n$`),
    );

    const show = await admin.ok(['case', 'show', id]);
    expect(show.stdout).toContain(`${id}  Remote case`);
    expect(show.stdout).toContain('Ada <ada@example.org>; credit: named');
    expect(show.stdout.match(/^ {2}· +\d+ {2}/gm)).toHaveLength(12);
    expect(show.stdout).toContain('— ready: embargo case step done');

    // The server wrote it: the CLI's own data directory stayed empty.
    expect(readdirSync(cliDir)).toEqual([]);
    expect(existsSync(`${serverDir}/embargo.db`)).toBe(true);
  });

  it('completes a step, and a gate refusal is exit 1 with every unmet condition', async () => {
    const done = await admin.ok(['case', 'step', 'done', id, 'report']);
    expect(done.stdout).toMatch(new RegExp(`^✓ ${id}: step 1 "Record the vulnerability report" is done\\. Status: triage\\.`));

    const refused = await admin.run(['case', 'step', 'done', id, 'triage']);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toBe(
      [
        'embargo: step 2 "Triage with the reporter and decide the patch releases" cannot be completed: 3 conditions are unmet',
        '  - the acknowledgement to the reporter is not sent yet (kind reporter-ack)',
        `  - no affected version range is recorded; triage must say which versions are affected (embargo case edit ${id} --affected INTRODUCED..FIXED)`,
        `  - no release line is planned; decide which minors get a patch release (embargo case plan ${id} --line MINOR=VERSION)`,
        '',
      ].join('\n'),
    );

    await admin.ok(['case', 'edit', id, '--affected', '1.20.0..1.33.4']);
    await admin.ok(['case', 'plan', id, '--line', '1.33.4']);
    const ack = await admin.ok(['message', 'send', id, '--kind', 'reporter-ack']);
    expect(ack.stdout).toMatch(
      new RegExp(`^✓ ${id}: the acknowledgement to the reporter to ada@example\\.org is queued \\(message [0-9a-f-]{36}\\)\\.\n$`),
    );
    const triage = await admin.json<{ case: { status: string; releasePlan: { line: string }[] }; steps: { id: string; status: string }[] }>(
      ['case', 'step', 'done', id, 'triage'],
    );
    expect(triage.case.status).toBe('drafting');
    expect(triage.case.releasePlan.map((l) => l.line)).toEqual(['1.33']);
    expect(triage.steps.filter((s) => s.status === 'done').map((s) => s.id)).toEqual(['report', 'triage']);
  });

  it('gives the same JSON shapes as the local mode', async () => {
    const { cases } = await admin.json<{ cases: Record<string, unknown>[] }>(['case', 'list']);
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
    const shown = await admin.json<{ case: { id: string }; steps: { id: string; unmet: string[] }[] }>(['case', 'show', id]);
    expect(shown.case.id).toBe(id);
    expect(shown.steps).toHaveLength(12);
    expect(shown.steps[2]!.unmet).toContain('confirm: Requested a CVE ID via GitHub from the advisory draft');
    const { events } = await admin.json<{ events: { action: string; actor: string }[] }>(['case', 'events', id]);
    expect(events.filter((e) => e.action === 'step.done').map((e) => e.actor)).toEqual(['alice', 'alice']);
    expect(events.every((e) => !e.actor.startsWith('local:'))).toBe(true);
    await admin.ok([
      'case',
      'edit',
      id,
      '--cvss',
      'CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:H/I:H/A:N',
      '--cwe',
      'CWE-284',
      '--ghsa',
      'GHSA-x4mj-7f9g-29h4',
    ]);
    await admin.ok(['case', 'step', 'done', id, 'advisory-draft', '--confirm', 'cve-requested']);
    const steps = await admin.ok(['case', 'steps', id]);
    expect(steps.stdout).toMatch(/^ {2}✓ +3 {2}Create a GitHub security advisory draft .*\n {7}confirmed: cve-requested$/m);
    expect(steps.stdout).toContain('! confirm: Everyone who needs to can see the private fork  (--confirm fork-access)');
    const verify = await admin.ok(['audit', 'verify']);
    expect(verify.stdout).toMatch(/^audit log intact: \d+ events checked\n$/);
  });

  it('maps HTTP errors to exit codes: 400 is usage (2), 403 and 404 are failures (1)', async () => {
    const bad = await admin.run(['case', 'embargo', id, '--at', 'next tuesday', '--tz', 'Europe/Berlin']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe('embargo: "next tuesday" is not a date and time; write it as YYYY-MM-DD HH:mm (e.g. 2026-12-01 17:00)\n');

    const hidden = await member.run(['case', 'show', id]);
    expect(hidden.code).toBe(1);
    expect(hidden.stderr).toBe(`embargo: case ${id} not found\n`);

    const forbidden = await member.run(['user', 'list']);
    expect(forbidden.code).toBe(1);
    expect(forbidden.stderr).toBe('embargo: only an admin can do this\n');
  });

  it('a bad token is exit 1 with one sentence', async () => {
    const r = await runCli(['case', 'list'], {
      env: { EMBARGO_DATA_DIR: cliDir, EMBARGO_SERVER: url, EMBARGO_TOKEN: 'emb_not-a-real-token' },
    });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('embargo: the API token is unknown, revoked or malformed\n');
  });

  it('an unreachable server is exit 1 with one sentence', async () => {
    // A port that was free a moment ago: nothing listens there.
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise((resolve) => probe.close(resolve));
    const r = await runCli(['--server', `http://127.0.0.1:${port}/`, '--token', adminToken, 'case', 'list']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`embargo: cannot reach the Embargo server at http://127.0.0.1:${port}: ECONNREFUSED\n`);
  });

  it("creates tokens for the caller (another user's only for admins), and adds users as an admin", async () => {
    // --user goes through the admin token route: a member is refused, an admin may issue one.
    const withUser = await member.run(['token', 'create', '--name', 'x', '--user', 'alice']);
    expect(withUser.code).toBe(1);
    // Issue 13, item 16: the refusal says how a new member gets a token.
    expect(withUser.stderr).toMatch(
      /^embargo: only an admin can create a token for another user \(alice\)\. A new member gets one in either of two ways: an admin runs embargo token create --name NAME --user alice /,
    );
    expect(withUser.stderr).toContain('or alice signs in to the web app with their password and creates their own under Settings');

    const issued = await member.json<{ id: string; name: string; scopes: string[]; token: string }>([
      'token',
      'create',
      '--name',
      'laptop',
      '--scope',
      'read',
    ]);
    expect(issued).toMatchObject({ name: 'laptop', scopes: ['read'] });
    expect(issued.token).toMatch(/^emb_/);
    const { tokens } = await member.json<{ tokens: { name: string }[] }>(['token', 'list']);
    expect(tokens.map((t) => t.name).sort()).toEqual(['cli-test', 'laptop']);
    const forBob = await admin.json<{ id: string; scopes: string[] }>([
      'token',
      'create',
      '--name',
      'for-bob',
      '--user',
      'bob',
      '--scope',
      'read',
    ]);
    expect(forBob.scopes).toEqual(['read']);
    const bobs = await admin.json<{ tokens: { id: string; username: string }[] }>(['token', 'list', '--user', 'bob']);
    expect(bobs.tokens.find((t) => t.id === forBob.id)?.username).toBe('bob');
    await admin.ok(['token', 'revoke', forBob.id]);

    // The new read-only token cannot change anything.
    const readOnly = await runCli(['--server', url, '--token', issued.token, 'case', 'new', '--title', 'nope']);
    expect(readOnly.code).toBe(1);
    expect(readOnly.stderr).toBe('embargo: this API token lacks the "write" scope\n');

    const added = await admin.json<{ username: string; role: string }>(['user', 'add', '--username', 'carol', '--password-stdin'], {
      input: `${PASSWORD}\n`,
    });
    expect(added).toMatchObject({ username: 'carol', role: 'member' });
    const access = await admin.ok(['case', 'access', id, '--grant', 'carol']);
    // alice opened the case, so she is on the list already.
    expect(access.stdout).toMatch(
      /^carol is on the access list of EMB-\d{4}-0001\.\nUSER +GRANTED BY +AT\nalice +alice +.+\ncarol +alice +/,
    );
  });

  it('a write-only token edits a case and gets a receipt, not the case (issue 14, item 1)', async () => {
    const writeOnly = (await createApiToken(app, localActor('test'), { name: 'ci', username: 'alice', scopes: ['write'] })).token;
    const base = cliWith({ EMBARGO_DATA_DIR: cliDir, EMBARGO_SERVER: url, EMBARGO_TOKEN: writeOnly });
    const { case: before } = await admin.json<{ case: { title: string; revision: number } }>(['case', 'show', id]);
    const edited = await base.ok(['case', 'edit', id, '--title', before.title]);
    expect(edited.stdout).toBe(
      `${id} changed (revision ${before.revision}); this token may not read the case, so its details are not shown.\n`,
    );
    expect(edited.stdout).not.toContain('ada@example.org');
    const asJson = await base.json<unknown>(['case', 'edit', id, '--title', before.title, '--json']);
    expect(asJson).toEqual({ receipt: true, id, revision: before.revision });
  });
});
