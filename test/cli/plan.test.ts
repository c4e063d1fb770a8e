/**
 * `embargo plan` and `embargo plan verify` as a person runs them (a child process), on a real
 * repository built by the test: minor lines 1.30–1.33 on release branches, pre-releases, a fix on
 * main cherry-picked to release-1.33 and release-1.32 but forgotten on release-1.31.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, createApiToken } from '../../src/app/accounts.js';
import { localActor } from '../../src/app/actor.js';
import { openApp, type App } from '../../src/app/app.js';
import { configFromEnv } from '../../src/app/config.js';
import { buildServer } from '../../src/server/server.js';
import { buildReleaseHistory, type ReleaseHistory } from '../support/git-repo.js';
import { cliWith, tempDir, type CliResult } from './run-cli.js';

let history: ReleaseHistory;
let repoDir: string;
/** Local mode on a data directory that offline commands must leave empty. */
let dataDir: string;
let cli: ReturnType<typeof cliWith>;
const dirs: string[] = [];

beforeAll(() => {
  history = buildReleaseHistory();
  repoDir = history.repo.dir;
  dataDir = tempDir('embargo-plan-');
  dirs.push(dataDir);
  cli = cliWith({ EMBARGO_DATA_DIR: dataDir });
});

afterAll(() => {
  history?.repo.remove();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

interface PlanJson {
  repo: string;
  tagPrefix: string;
  asOf: string | null;
  introduced: string | null;
  policy: Record<string, unknown>;
  lines: { line: string; latest: string; next: string }[];
  unsupported: { line: string; latest: string }[];
  affected: { introduced: string; fixed: string | null; note?: string }[];
  case?: { id: string; revision: number };
}

describe('embargo plan', () => {
  it('lists the three most recent lines with a final release, their latest release and next patch (pre-releases ignored)', async () => {
    const plan = await cli.json<PlanJson>(['plan', '--repo', repoDir, '--lines', '3']);
    expect(plan).toEqual({
      repo: repoDir,
      tagPrefix: 'v',
      asOf: null,
      introduced: null,
      policy: { supportedLines: 3, source: '--lines' },
      // v1.34.0-rc.1 and rc.2 exist, but 1.34 has no final release: not a supported line.
      lines: [
        { line: '1.33', latest: 'v1.33.4', next: 'v1.33.5' },
        { line: '1.32', latest: 'v1.32.3', next: 'v1.32.4' },
        { line: '1.31', latest: 'v1.31.2', next: 'v1.31.3' },
      ],
      unsupported: [{ line: '1.30', latest: 'v1.30.2' }],
      affected: [
        { introduced: '1.33.0', fixed: '1.33.5' },
        { introduced: '1.32.0', fixed: '1.32.4' },
        { introduced: '1.31.0', fixed: '1.31.3' },
        {
          introduced: '1.30.0',
          fixed: null,
          note: expect.stringMatching(
            /^versions 1\.30\.0 to 1\.30\.2 \(line 1\.30, older than the supported lines\) are affected and get no fix; users must upgrade to 1\.31\.3 or later; when the bug appeared is not known/,
          ),
        },
      ],
    });
    // Offline: no database was created.
    expect(readdirSync(dataDir)).toEqual([]);
  });

  it("uses the default playbook's release policy (Contour: one line), and 3 when the playbook has none", async () => {
    const contour = await cli.json<PlanJson>(['plan', '--repo', repoDir]);
    expect(contour.policy).toEqual({ supportedLines: 1, source: 'playbook contour' });
    expect(contour.lines).toEqual([{ line: '1.33', latest: 'v1.33.4', next: 'v1.33.5' }]);
    expect(contour.affected.map((a) => [a.introduced, a.fixed])).toEqual([
      ['1.33.0', '1.33.5'],
      ['1.30.0', null],
    ]);

    const shown = await cli.ok(['playbook', 'show', 'contour']);
    expect(shown.stdout).toContain('  release policy: patches for the most recent minor line; release tags look like v1.2.3\n');

    const k8s = cliWith({ EMBARGO_DATA_DIR: dataDir, EMBARGO_DEFAULT_PLAYBOOK: 'kubernetes' });
    const fallback = await k8s.json<PlanJson>(['plan', '--repo', repoDir]);
    expect(fallback.policy).toEqual({ supportedLines: 3, source: 'default' });
    expect(fallback.lines.map((l) => l.line)).toEqual(['1.33', '1.32', '1.31']);
    expect(readdirSync(dataDir)).toEqual([]);
  });

  it('--as-of replays an earlier day: the plan the team would have made before the fix releases', async () => {
    const april = await cli.json<PlanJson>(['plan', '--repo', repoDir, '--lines', '3', '--as-of', '2026-04-01']);
    expect(april.asOf).toBe('2026-04-01T00:00:00.000Z');
    expect(april.lines).toEqual([
      { line: '1.33', latest: 'v1.33.3', next: 'v1.33.4' },
      { line: '1.32', latest: 'v1.32.2', next: 'v1.32.3' },
      { line: '1.31', latest: 'v1.31.1', next: 'v1.31.2' },
    ]);
    // In September 2025, 1.33 had a beta and an rc but no final release yet.
    const september = await cli.json<PlanJson>(['plan', '--repo', repoDir, '--lines', '3', '--as-of', '2025-09-20T00:00:00Z']);
    expect(september.lines).toEqual([
      { line: '1.32', latest: 'v1.32.2', next: 'v1.32.3' },
      { line: '1.31', latest: 'v1.31.1', next: 'v1.31.2' },
      { line: '1.30', latest: 'v1.30.1', next: 'v1.30.2' },
    ]);
  });

  it('--introduced narrows the ranges; older lines are affected with no fix, and the output says so', async () => {
    const old = await cli.json<PlanJson>(['plan', '--repo', repoDir, '--lines', '2', '--introduced', '1.19.0']);
    expect(old.introduced).toBe('1.19.0');
    expect(old.affected).toEqual([
      { introduced: '1.33.0', fixed: '1.33.5' },
      { introduced: '1.32.0', fixed: '1.32.4' },
      {
        introduced: '1.19.0',
        fixed: null,
        note: 'versions 1.19.0 to 1.31.2 (lines 1.30 to 1.31, older than the supported lines) are affected and get no fix; users must upgrade to 1.32.4 or later',
      },
    ]);
    const inside = await cli.json<PlanJson>(['plan', '--repo', repoDir, '--lines', '3', '--introduced', 'v1.32.1']);
    expect(inside.affected).toEqual([
      { introduced: '1.33.0', fixed: '1.33.5' },
      { introduced: '1.32.1', fixed: '1.32.4' },
    ]);
  });

  it('--line takes exactly the lines given; an unsupported line between them is affected with no fix', async () => {
    const plan = await cli.json<PlanJson>(['plan', '--repo', repoDir, '--line', '1.31', '--line', '1.33', '--introduced', '1.31.0']);
    expect(plan.policy).toEqual({ lines: ['1.31', '1.33'], source: '--line' });
    expect(plan.lines.map((l) => l.line)).toEqual(['1.33', '1.31']);
    expect(plan.affected.map((a) => [a.introduced, a.fixed])).toEqual([
      ['1.33.0', '1.33.5'],
      ['1.32.0', null],
      ['1.31.0', '1.31.3'],
    ]);
    expect(plan.affected[1]!.note).toBe(
      'versions 1.32.0 to 1.32.3 (line 1.32, not supported) are affected and get no fix; users must upgrade to 1.33.5 or later',
    );
  });

  it('prints a table for people', async () => {
    const { stdout } = await cli.ok(['plan', '--repo', repoDir, '--lines', '2', '--introduced', '1.19.0']);
    const lines = stdout.split('\n');
    expect(lines.slice(0, 2)).toEqual([`Release plan from ${repoDir}`, 'Supported: the 2 most recent lines (--lines); tags named v1.2.3.']);
    expect(stdout).toContain(
      [
        'LINE  LATEST   RELEASED              NEXT',
        '1.33  v1.33.4  2026-04-24 09:00 UTC  v1.33.5',
        '1.32  v1.32.3  2026-04-24 09:00 UTC  v1.32.4',
      ].join('\n'),
    );
    expect(stdout).toContain('Not supported: 1.31 (v1.31.2), 1.30 (v1.30.2).');
    expect(stdout).toContain(
      ['AFFECTED FROM  FIXED IN', '1.33.0         1.33.5', '1.32.0         1.32.4', '1.19.0         no fix'].join('\n'),
    );
    expect(stdout).toContain(
      '  * versions 1.19.0 to 1.31.2 (lines 1.30 to 1.31, older than the supported lines) are affected and\n    get no fix; users must upgrade to 1.32.4 or later\n',
    );
  });

  it('a different tag prefix reads other tags; no release under it is exit 1 with a sentence', async () => {
    const bare = await cli.json<PlanJson>(['plan', '--repo', repoDir, '--tag-prefix', '', '--lines', '3']);
    expect(bare.lines).toEqual([{ line: '1.29', latest: '1.29.9', next: '1.29.10' }]);
    const none = await cli.run(['plan', '--repo', repoDir, '--tag-prefix', 'contour-']);
    expect(none.code).toBe(1);
    expect(none.stderr).toBe('embargo: no final release found: none of the 24 tags is named like contour-1.2.3\n');
    const tooEarly = await cli.run(['plan', '--repo', repoDir, '--as-of', '2025-02-05']);
    expect(tooEarly.code).toBe(1);
    expect(tooEarly.stderr).toBe(
      'embargo: no final release found: none of the 4 tags created before 2025-02-05T00:00:00.000Z is named like v1.2.3; 1 pre-release tag was left out\n',
    );
  });

  it('bad input is exit 2 with one sentence', async () => {
    const plain = mkdtempSync(join(tmpdir(), 'embargo-not-git-'));
    dirs.push(plain);
    const cases: [string[], string][] = [
      [['plan'], "embargo: required option '--repo <path>' not specified\n"],
      [['plan', '--repo', join(plain, 'missing')], `embargo: --repo ${join(plain, 'missing')} does not exist\n`],
      [['plan', '--repo', plain], `embargo: --repo ${plain} is not a git repository\n`],
      [['plan', '--repo', repoDir, '--lines', '0'], 'embargo: --lines "0" must be a whole number from 1 to 32\n'],
      [
        ['plan', '--repo', repoDir, '--lines', '2', '--line', '1.33'],
        "embargo: option '--lines <n>' cannot be used with option '--line <lines...>'\n",
      ],
      [
        ['plan', '--repo', repoDir, '--as-of', 'last spring'],
        'embargo: --as-of "last spring" is not a date like 2026-05-01 or a time like 2026-05-01T09:00:00Z\n',
      ],
      [
        ['plan', '--repo', repoDir, '--introduced', '2.0.0'],
        'embargo: --introduced 2.0.0 is newer than every supported line: the newest supported release is v1.33.4, so no supported release is affected\n',
      ],
      [
        ['plan', '--repo', repoDir, '--line', '1.34'],
        'embargo: line 1.34 has no final release yet, only pre-releases (v1.34.0-rc.2, v1.34.0-rc.1); lines with a final release: 1.33, 1.32, 1.31, 1.30\n',
      ],
      [['plan', '--repo', repoDir, '--case', 'nope'], 'embargo: "nope" is not a case id like EMB-2026-0001\n'],
    ];
    for (const [args, stderr] of cases) {
      const r = await cli.run(args);
      expect({ args, code: r.code, stderr: r.stderr, stdout: r.stdout }).toEqual({ args, code: 2, stderr, stdout: '' });
    }
    expect(readdirSync(dataDir)).toEqual([]);
  });
});

/** The JSON a run printed; a run that printed something else fails with what it said. */
function parsed<T = unknown>(r: CliResult): T {
  try {
    return JSON.parse(r.stdout) as T;
  } catch {
    throw new Error(`exit ${r.code}, stdout is not JSON:\n${r.stdout}\nstderr:\n${r.stderr}`);
  }
}

interface VerifyJson {
  repo: string;
  fix: string;
  fixIsMerge: boolean;
  ok: boolean;
  lacking: string[];
  tags: { tag: string; exists: boolean; commit: string | null; contains: boolean; how: string | null; via: string | null; note: string }[];
}

describe('embargo plan verify', () => {
  it('exit 0 when every tag contains the fix or a cherry-pick of it', async () => {
    const r = await cli.ok([
      'plan',
      'verify',
      '--repo',
      repoDir,
      '--fix',
      history.fix.slice(0, 10),
      '--tag',
      'v1.34.0-rc.2',
      'v1.33.4',
      '--tag',
      'v1.32.3',
      '--json',
    ]);
    const result = parsed<VerifyJson>(r);
    expect(result).toMatchObject({ repo: repoDir, fix: history.fix, fixIsMerge: false, ok: true, lacking: [] });
    expect(result.tags.map((t) => [t.tag, t.exists, t.contains, t.how, t.via])).toEqual([
      ['v1.34.0-rc.2', true, true, 'direct', history.fix],
      ['v1.33.4', true, true, 'cherry-pick', history.pick133],
      ['v1.32.3', true, true, 'cherry-pick', history.pick132],
    ]);
    expect(r.stderr).toBe('');
  });

  it('exit 1 naming the tag that lacks the fix (the forgotten cherry-pick) and the tag that does not exist', async () => {
    const r = await cli.run([
      'plan',
      'verify',
      '--repo',
      repoDir,
      '--fix',
      history.fix,
      '--tag',
      'v1.33.4',
      'v1.32.3',
      'v1.31.2',
      'v1.31.9',
    ]);
    expect(r.code).toBe(1);
    const f = history.fix.slice(0, 12);
    expect(r.stdout).toBe(
      [
        `Fix ${f} in ${repoDir}:`,
        `  ✓ v1.33.4 contains ${history.pick133.slice(0, 12)}, a cherry-pick of ${f} (same patch)`,
        `  ✓ v1.32.3 contains ${history.pick132.slice(0, 12)}, a cherry-pick of ${f} (same patch)`,
        `  ✗ v1.31.2 contains neither ${f} nor a cherry-pick of it`,
        '  ✗ v1.31.9 does not exist',
        '',
      ].join('\n'),
    );
    expect(r.stderr).toBe(`embargo: 2 of 4 tags lack the fix ${f}: v1.31.2 (no fix, no cherry-pick of it), v1.31.9 (no such tag)\n`);

    // --json before the other options works as well as after them.
    const json = await cli.run(['plan', 'verify', '--repo', repoDir, '--json', '--fix', history.fix, '--tag', 'v1.31.2']);
    expect(json.code).toBe(1);
    expect(parsed(json)).toMatchObject({ ok: false, lacking: ['v1.31.2'] });
  });

  it('accepts a back-port that says "cherry picked from" but differs, and flags it for review', async () => {
    const r = await cli.run(['plan', 'verify', '--repo', repoDir, '--fix', history.fix, '--tag', 'v1.30.2']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      `  ! v1.30.2 contains ${history.backport130.slice(0, 12)}, which says it was cherry-picked from ${history.fix.slice(0, 12)} but changes something else: review it`,
    );
    expect(r.stdout).toContain('The tag contains the fix');
  });

  it('--repo may come before or after verify', async () => {
    const r = await cli.run(['plan', '--repo', repoDir, 'verify', '--fix', history.fix, '--tag', 'v1.33.4']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      [
        `Fix ${history.fix.slice(0, 12)} in ${repoDir}:`,
        `  ✓ v1.33.4 contains ${history.pick133.slice(0, 12)}, a cherry-pick of ${history.fix.slice(0, 12)} (same patch)`,
        `The tag contains the fix ${history.fix.slice(0, 12)}.`,
        '',
      ].join('\n'),
    );
  });

  it('bad input is exit 2 with one sentence', async () => {
    const cases: [string[], string][] = [
      [
        ['plan', 'verify', '--repo', repoDir, '--fix', 'deadbeefcafe', '--tag', 'v1.33.4'],
        `embargo: --fix deadbeefcafe is not a commit in ${repoDir}\n`,
      ],
      [['plan', 'verify', '--repo', repoDir, '--tag', 'v1.33.4'], "embargo: required option '--fix <commit>' not specified\n"],
      [['plan', 'verify', '--fix', 'main', '--tag', 'v1.33.4'], "embargo: required option '--repo <path>' not specified\n"],
      [['plan', 'verify', '--repo', repoDir, '--fix', 'main'], "embargo: required option '--tag <tags...>' not specified\n"],
      [
        ['plan', 'verify', '--repo', repoDir, '--fix', 'main', '--tag', 'v1.33.4', '--lines', '2'],
        'embargo: --lines is for embargo plan, not embargo plan verify\n',
      ],
      [
        ['plan', 'verify', '--repo', '/nonexistent/repo', '--fix', 'main', '--tag', 'v1'],
        'embargo: --repo /nonexistent/repo does not exist\n',
      ],
    ];
    for (const [args, stderr] of cases) {
      const r = await cli.run(args);
      expect({ args, code: r.code, stderr: r.stderr, stdout: r.stdout }).toEqual({ args, code: 2, stderr, stdout: '' });
    }
  });
});

interface CaseJson {
  id: string;
  revision: number;
  releasePlan: { line: string; version: string; releasedAt: string | null; tag: string | null }[];
  affected: { introduced: string; fixed: string | null }[];
}

describe('embargo plan --case', () => {
  it('stores the lines (next versions without the tag prefix) and the affected ranges on a case, locally', async () => {
    const caseDir = tempDir('embargo-plan-case-');
    dirs.push(caseDir);
    const local = cliWith({ EMBARGO_DATA_DIR: caseDir });
    const { id } = await local.json<{ id: string }>(['case', 'new', '--title', 'Lua injection via cookie path']);
    const plan = await local.json<PlanJson>(['plan', '--repo', repoDir, '--lines', '3', '--introduced', '1.19.0', '--case', id]);
    expect(plan.case).toEqual({ id, revision: 3 });

    const shown = await local.json<{ case: CaseJson }>(['case', 'show', id]);
    expect(shown.case.releasePlan).toEqual([
      { line: '1.33', version: '1.33.5', latest: 'v1.33.4', releasedAt: null, tag: null },
      { line: '1.32', version: '1.32.4', latest: 'v1.32.3', releasedAt: null, tag: null },
      { line: '1.31', version: '1.31.3', latest: 'v1.31.2', releasedAt: null, tag: null },
    ]);
    expect(shown.case.affected).toEqual([
      { introduced: '1.33.0', fixed: '1.33.5' },
      { introduced: '1.32.0', fixed: '1.32.4' },
      { introduced: '1.31.0', fixed: '1.31.3' },
      { introduced: '1.19.0', fixed: null },
    ]);

    // Without --lines: the policy of the case's playbook (Contour: one line) replaces the plan.
    const human = await local.ok(['plan', '--repo', repoDir, '--case', id.toLowerCase(), '--introduced', '1.31.1']);
    expect(human.stdout).toContain(`Stored on ${id}: release lines 1.33 → 1.33.5 and 2 affected ranges.`);
    const after = await local.json<{ case: CaseJson }>(['case', 'show', id]);
    expect(after.case.releasePlan.map((l) => [l.line, l.version])).toEqual([['1.33', '1.33.5']]);
    expect(after.case.affected).toEqual([
      { introduced: '1.33.0', fixed: '1.33.5' },
      { introduced: '1.31.1', fixed: null },
    ]);
    const { events } = await local.json<{ events: { action: string }[] }>(['case', 'events', id]);
    expect(events.filter((e) => e.action === 'release.planned')).toHaveLength(2);

    const missing = await local.run(['plan', '--repo', repoDir, '--lines', '1', '--case', 'EMB-2026-0099']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe('embargo: case EMB-2026-0099 not found\n');
  });

  describe('through a server (--server, --token)', () => {
    let serverDir: string;
    let cliDir: string;
    let app: App;
    let server: Awaited<ReturnType<typeof buildServer>>;
    let remote: ReturnType<typeof cliWith>;

    beforeAll(async () => {
      serverDir = tempDir('embargo-plan-server-');
      cliDir = tempDir('embargo-plan-remote-');
      dirs.push(serverDir, cliDir);
      app = await openApp(configFromEnv({ EMBARGO_DATA_DIR: serverDir }));
      await addUser(app, null, { username: 'alice', password: 'correct horse battery staple', role: 'admin' });
      const { token } = await createApiToken(app, localActor('test'), { name: 'plan-test', username: 'alice' });
      server = await buildServer(app, { logger: false });
      await server.listen({ host: '127.0.0.1', port: 0 });
      const url = `http://127.0.0.1:${(server.server.address() as AddressInfo).port}`;
      remote = cliWith({ EMBARGO_DATA_DIR: cliDir, EMBARGO_SERVER: url, EMBARGO_TOKEN: token });
    });

    afterAll(async () => {
      await server?.close();
      await app?.store.close();
    });

    it('stores the plan on the server’s case', async () => {
      const { id } = await remote.json<{ id: string }>(['case', 'new', '--title', 'Remote plan']);
      const plan = await remote.json<PlanJson>([
        'plan',
        '--repo',
        repoDir,
        '--lines',
        '2',
        '--as-of',
        '2026-04-01',
        '--introduced',
        '1.32.0',
        '--case',
        id,
      ]);
      expect(plan.case?.id).toBe(id);
      const shown = await remote.json<{ case: CaseJson }>(['case', 'show', id]);
      expect(shown.case.releasePlan.map((l) => [l.line, l.version])).toEqual([
        ['1.33', '1.33.4'],
        ['1.32', '1.32.3'],
      ]);
      expect(shown.case.affected).toEqual([
        { introduced: '1.33.0', fixed: '1.33.4' },
        { introduced: '1.32.0', fixed: '1.32.3' },
      ]);
      // The server wrote it: the CLI's own data directory stayed empty.
      expect(readdirSync(cliDir)).toEqual([]);
    });
  });
});
