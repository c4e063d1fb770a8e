/** `embargo serve` as a child process: start-up message, a working API, no secrets in the log, clean stop. */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO, runCli, tempDir } from './run-cli.js';

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const port = (probe.address() as AddressInfo).port;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

function waitFor(child: ChildProcessWithoutNullStreams, output: () => string, pattern: RegExp, ms = 20_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${pattern} within ${ms} ms; output so far:\n${output()}`)), ms);
    const check = () => {
      if (pattern.test(output())) {
        clearTimeout(timer);
        child.stdout.off('data', check);
        resolve();
      }
    };
    child.stdout.on('data', check);
    child.on('exit', () => {
      clearTimeout(timer);
      reject(new Error(`serve exited early:\n${output()}`));
    });
    check();
  });
}

describe('embargo serve', () => {
  const dir = tempDir();
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('says where it runs, which database it uses and how to sign in first; stops on SIGTERM', async () => {
    const port = await freePort();
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'serve', '--host', '127.0.0.1', '--port', String(port)], {
      cwd: REPO,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, EMBARGO_DATA_DIR: dir },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    try {
      await waitFor(child, () => stdout + stderr, /Press Ctrl-C to stop\./);
      expect(stdout).toContain(`Embargo is running at http://localhost:${port}\n`);
      expect(stdout).toContain(`Database: SQLite ${join(dir, 'embargo.db')}\n`);
      expect(stdout).toContain('No users yet. To sign in the first time:');
      expect(stdout).toContain('npx embargo user add --admin --username YOU');

      const health = await fetch(`http://127.0.0.1:${port}/api/v1/health`);
      expect(await health.json()).toEqual({ ok: true, database: 'sqlite' });
      const secret = 'emb_this-secret-must-not-be-logged';
      const denied = await fetch(`http://127.0.0.1:${port}/api/v1/cases`, { headers: { authorization: `Bearer ${secret}`, cookie: 'embargo_session=also-secret' } });
      expect(denied.status).toBe(401);
      // The request was logged at info level (pino JSON lines), without the credentials.
      await new Promise((r) => setTimeout(r, 200));
      expect(stdout).toMatch(/"level":30.*"url":"\/api\/v1\/cases"/);
      expect(stdout).not.toContain(secret);
      expect(stdout).not.toContain('also-secret');
    } finally {
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      child.kill('SIGTERM');
      const code = await exited;
      expect(code, stderr).toBe(0);
    }
    expect(stderr).toContain('embargo: SIGTERM received, shutting down');
  });

  it('refuses a bad --port as a usage error', async () => {
    const r = await runCli(['serve', '--port', '99999'], { env: { EMBARGO_DATA_DIR: dir } });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('embargo: --port "99999" is not a port number from 0 to 65535\n');
  });
});

describe('describeDatabase', () => {
  it('names PostgreSQL without the credentials in its URL', async () => {
    const { describeDatabase } = await import('../../src/cli/commands/serve.js');
    const text = describeDatabase({ databaseUrl: 'postgres://embargo:s3cret-pw@db.example.org:5432/embargo', dataDir: './data' });
    expect(text).toBe('PostgreSQL at db.example.org:5432/embargo');
    expect(describeDatabase({ databaseUrl: undefined, dataDir: '/srv/embargo' })).toBe('SQLite /srv/embargo/embargo.db');
  });
});
