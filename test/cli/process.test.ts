/**
 * The CLI as a real process: every other CLI suite runs it in process (run-cli.ts), so these check
 * what only a process shows — main.ts passes the real world (argv, env, streams) and exits with
 * run()'s code, a local command opens and closes the database and lets the process end, and the
 * installed entry bin/embargo.cjs starts from the build.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cliWith, REPO, runCli, tempDir } from './run-cli.js';

const dir = tempDir();
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('embargo as a process (node --import tsx src/cli/main.ts)', () => {
  const cli = cliWith({ EMBARGO_DATA_DIR: join(dir, 'data') }, { spawn: true });

  it('prints the same help as in process, and exits 2 with one sentence on a usage mistake', async () => {
    const real = await runCli(['--help'], { spawn: true });
    const inProcess = await runCli(['--help']);
    expect(real).toEqual({ code: 0, stdout: inProcess.stdout, stderr: '' });
    expect(real.stdout).toContain('Usage: embargo [options] [command]');
    const typo = await runCli(['cas', 'list'], { spawn: true });
    expect(typo.code).toBe(2);
    expect(typo.stderr).toBe("embargo: unknown command 'cas'\n(Did you mean case?)\n");
  });

  it('works on the local database given in its environment, reads stdin, and ends when the command is done', async () => {
    const created = JSON.parse((await cli.ok(['case', 'new', '--title', 'Header smuggling', '--json'])).stdout) as { id: string };
    const listed = JSON.parse((await cli.ok(['case', 'list', '--json'])).stdout) as { cases: { id: string }[] };
    expect(listed.cases.map((c) => c.id)).toEqual([created.id]);
    const scored = await cli.run(['cvss', '-'], { input: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H\n' });
    expect(scored.code).toBe(0);
    expect(scored.stdout).toMatch(/^9\.8 CRITICAL/);
  });
});

describe('bin/embargo.cjs, the installed entry', () => {
  it.skipIf(!existsSync(join(REPO, 'dist/cli/start.js')))('starts from the build (npm run build)', () => {
    const version = (JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string }).version;
    const r = spawnSync(process.execPath, [join(REPO, 'bin/embargo.cjs'), '--version'], { cwd: REPO, encoding: 'utf8' });
    expect([r.status, r.stdout, r.stderr]).toEqual([0, `${version}\n`, '']);
  });
});
