/** `embargo serve` as a child process: start-up message, a working API, no secrets in the log, clean stop. */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { enqueueMessage } from '../../src/store/outbox.js';
import { openStore } from '../../src/store/store.js';
import { startSmtp } from '../support/smtp.js';
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
      expect(stdout).toContain('No users yet. Choose the first admin');
      const link = /(http:\/\/localhost:\d+\/setup#([A-Za-z0-9_-]{43}))/.exec(stdout);
      expect(link, stdout).not.toBeNull();
      // The first start creates the key that encrypts stored GitHub tokens, readable by its owner only.
      expect(stdout).toContain(`Secrets key: ${join(dir, 'secret.key')} (mode 0600)\n`);
      expect(statSync(join(dir, 'secret.key')).mode & 0o777).toBe(0o600);
      // So is the database with its write-ahead log: embargoed details are in them.
      for (const f of ['embargo.db', 'embargo.db-wal']) expect(statSync(join(dir, f)).mode & 0o777, f).toBe(0o600);
      expect(stdout).toContain('npx embargo user add --admin --username YOU');

      // Issue 13, item 15: a second terminal without the server's EMBARGO_DATA_DIR would create a
      // second database; it is refused, naming the server's, unless asked for.
      const elsewhere = join(dir, 'elsewhere');
      const second = await runCli(['case', 'list'], { env: { EMBARGO_DATA_DIR: elsewhere, PORT: String(port) } });
      expect(second.code).toBe(1);
      expect(second.stderr).toBe(
        `embargo: the server on port ${port} uses SQLite ${join(dir, 'embargo.db')}, but this command would create a new, empty database (SQLite ${join(elsewhere, 'embargo.db')}). Work on the server's: --server http://localhost:${port} with a token, or set EMBARGO_DATA_DIR (or DATABASE_URL) as the server has it; to create the new database anyway, set EMBARGO_NEW_DATABASE=1\n`,
      );
      expect(existsSync(join(elsewhere, 'embargo.db'))).toBe(false);
      const same = await runCli(['case', 'list'], { env: { EMBARGO_DATA_DIR: dir, PORT: String(port) }, stderrTTY: true });
      expect(same.code).toBe(0);
      // On a terminal every local command names the database it opened.
      expect(same.stderr).toContain(`embargo: local database: SQLite ${join(dir, 'embargo.db')}\n`);
      const forced = await runCli(['case', 'list'], {
        env: { EMBARGO_DATA_DIR: elsewhere, PORT: String(port), EMBARGO_NEW_DATABASE: '1' },
      });
      expect(forced.code, forced.stderr).toBe(0);

      const health = await fetch(`http://127.0.0.1:${port}/api/v1/health`);
      expect(await health.json()).toEqual({ ok: true, database: 'sqlite' });
      // The printed link sets up the first admin once; its secret never reaches the request log.
      const setup = (secret: string) =>
        fetch(`http://127.0.0.1:${port}/api/v1/setup`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ secret, username: 'first', password: 'a long enough password' }),
        });
      const first = await setup(link![2]!);
      expect(first.status).toBe(200);
      expect(first.headers.get('set-cookie')).toMatch(/embargo_session=.*HttpOnly/);
      expect(((await first.json()) as { user: { role: string } }).user.role).toBe('admin');
      expect((await setup(link![2]!)).status).toBe(403);
      const secret = 'emb_this-secret-must-not-be-logged';
      const denied = await fetch(`http://127.0.0.1:${port}/api/v1/cases`, {
        headers: { authorization: `Bearer ${secret}`, cookie: 'embargo_session=also-secret' },
      });
      expect(denied.status).toBe(401);
      // The request was logged at info level (pino JSON lines), without the credentials: wait for
      // its last line (the answer's status) rather than a fixed time.
      await waitFor(child, () => stdout, /"url":"\/api\/v1\/cases"[\s\S]*"statusCode":401/);
      expect(stdout).toMatch(/"level":30.*"url":"\/api\/v1\/cases"/);
      expect(stdout).not.toContain(secret);
      expect(stdout).not.toContain('also-secret');
      expect(stdout.split(link![2]!).length, 'the setup secret is printed once, never logged').toBe(2);
    } finally {
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      child.kill('SIGTERM');
      const code = await exited;
      expect(code, stderr).toBe(0);
    }
    expect(stderr).toContain('embargo: SIGTERM received, shutting down');
  });

  it('delivers the outbox over SMTP when EMBARGO_SMTP_URL is set, without printing its password', async () => {
    const smtpDir = tempDir();
    const smtp = await startSmtp({ auth: { user: 'embargo', pass: 'smtp-secret-pw' } });
    const store = await openStore({ dataDir: smtpDir });
    await store.write((tx) =>
      enqueueMessage(tx, {
        caseId: null,
        kind: 'test',
        idempotencyKey: 'serve-test:1',
        from: 'security@example.org',
        to: ['distributors@example.org'],
        subject: 'Queued before start',
        body: 'Delivered by the worker that serve starts.',
        createdBy: 'test',
        now: new Date(),
      }),
    );
    await store.close();
    const port = await freePort();
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'serve', '--port', String(port)], {
      cwd: REPO,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        EMBARGO_DATA_DIR: smtpDir,
        EMBARGO_SMTP_URL: `smtp://embargo:smtp-secret-pw@127.0.0.1:${smtp.port}`,
      },
    });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (output += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (output += d));
    try {
      await waitFor(child, () => output, /Press Ctrl-C to stop\./);
      expect(output).toMatch(/Mail: .*127\.0\.0\.1/);
      for (let i = 0; i < 100 && smtp.received.length === 0; i++) await new Promise((r) => setTimeout(r, 100));
      expect(smtp.received).toHaveLength(1);
      expect(smtp.received[0]!.envelope.to).toEqual(['distributors@example.org']);
      expect(smtp.received[0]!.parsed.subject).toBe('Queued before start');
      expect(output).not.toContain('smtp-secret-pw');
    } finally {
      const exited = new Promise((resolve) => child.on('exit', resolve));
      child.kill('SIGTERM');
      await exited;
      await smtp.close();
      rmSync(smtpDir, { recursive: true, force: true });
    }
  });

  it('refuses to start with a key file others can read, or a malformed EMBARGO_SECRET_KEY', async () => {
    const keyDir = tempDir();
    try {
      mkdirSync(keyDir, { recursive: true });
      writeFileSync(join(keyDir, 'secret.key'), `${Buffer.alloc(32, 7).toString('base64')}\n`, { mode: 0o644 });
      chmodSync(join(keyDir, 'secret.key'), 0o644);
      const readable = await runCli(['serve', '--port', '0'], { env: { EMBARGO_DATA_DIR: keyDir } });
      expect(readable.code).toBe(1);
      expect(readable.stderr).toContain(
        `the key file ${join(keyDir, 'secret.key')} can be read by its group (mode 0644); make it private with "chmod 600`,
      );
      const bad = await runCli(['serve', '--port', '0'], { env: { EMBARGO_DATA_DIR: keyDir, EMBARGO_SECRET_KEY: 'too-short' } });
      expect(bad.code).not.toBe(0);
      expect(bad.stderr).toMatch(/EMBARGO_SECRET_KEY/);
    } finally {
      rmSync(keyDir, { recursive: true, force: true });
    }
  });

  it('refuses a bad --port as a usage error', async () => {
    const r = await runCli(['serve', '--port', '99999'], { env: { EMBARGO_DATA_DIR: dir } });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('embargo: --port "99999" is not a port number from 0 to 65535\n');
  });
});

describe('describeDatabase', () => {
  it('names PostgreSQL without the credentials in its URL', async () => {
    const { describeDatabase } = await import('../../src/boot/serve.js');
    const text = describeDatabase({ databaseUrl: 'postgres://embargo:s3cret-pw@db.example.org:5432/embargo', dataDir: './data' });
    expect(text).toBe('PostgreSQL at db.example.org:5432/embargo');
    expect(describeDatabase({ databaseUrl: undefined, dataDir: '/srv/embargo' })).toBe('SQLite /srv/embargo/embargo.db');
  });
});
