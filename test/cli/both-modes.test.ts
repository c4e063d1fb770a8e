/**
 * One CLI, two ways to reach the data: the same read commands run on the local database (the app
 * in process, as the local admin) and through --server over HTTP (an admin's API token), against
 * one data directory, must print the same `--json`, byte for byte. Both modes are the same routes
 * and presenters now; this suite keeps it so. The CLI runs in this process (test/cli/run-cli.ts) to keep
 * it fast; the server listens on 127.0.0.1:0. The local runs use what the build precompiles, as the
 * installed CLI does: a server with only the route groups a request needs, and the schemas'
 * validators and serialisers as generated code (src/server/precompiled.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openApp, type App } from '../../src/app/app.js';
import { configFromEnv } from '../../src/app/config.js';
import { buildServer } from '../../src/server/server.js';
import { runCli } from './run-cli.js';

vi.mock('../../src/server/precompiled.js', async () => ({
  PRECOMPILED: await (await import('../../scripts/precompile-routes.js')).loadPrecompiled(),
}));

const PASSWORD = 'correct horse battery staple';

/** How a run reaches the data. Flags rather than EMBARGO_SERVER, so the mode shows in the command line. */
interface Mode {
  env: Record<string, string>;
  flags: string[];
}

interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs one command line in this process and collects what it printed. */
async function embargo(args: string[], mode: Mode): Promise<Ran> {
  const r = await runCli([...mode.flags, ...args], { env: mode.env });
  return { code: r.code ?? -1, stdout: r.stdout, stderr: r.stderr };
}

async function ok(args: string[], mode: Mode): Promise<string> {
  const r = await embargo(args, mode);
  if (r.code !== 0) throw new Error(`embargo ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
  return r.stdout;
}

/**
 * What legitimately differs between the two runs, taken out of the answer:
 * - the audit events of reads (`case.read`): every audited read appends one, so the second run
 *   sees the first run's reads, and they name different actors (local:<os user> and alice);
 * - a token's `lastUsedAt`: the HTTP run uses alice's token, which records its use.
 */
function normalize(stdout: string): string {
  const value = JSON.parse(stdout) as Record<string, unknown>;
  if (Array.isArray(value.events)) {
    value.events = (value.events as { action: string }[]).filter((e) => e.action !== 'case.read');
  }
  if (Array.isArray(value.tokens)) {
    value.tokens = (value.tokens as Record<string, unknown>[]).map(({ lastUsedAt: _, ...t }) => t);
  }
  return JSON.stringify(value, null, 2);
}

describe('the CLI on the local database and over HTTP', () => {
  let dataDir: string;
  let app: App;
  let server: Awaited<ReturnType<typeof buildServer>>;
  let local: Mode;
  let remote: Mode;
  let id: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'embargo-both-'));
    local = { env: { EMBARGO_DATA_DIR: dataDir, EMBARGO_PASSWORD: PASSWORD }, flags: [] };
    await ok(['user', 'add', '--username', 'alice', '--admin'], local);
    await ok(['user', 'add', '--username', 'bob'], local);
    const { token } = JSON.parse(await ok(['token', 'create', '--name', 'both', '--user', 'alice', '--json'], local)) as { token: string };
    const created = JSON.parse(
      await ok(
        [
          'case',
          'new',
          '--title',
          'Header smuggling in the xyzzy filter',
          '--reporter-name',
          'Rita',
          '--reporter-contact',
          'rita@example.org',
          '--json',
        ],
        local,
      ),
    ) as { id: string };
    id = created.id;
    await ok(
      [
        'case',
        'edit',
        id,
        '--cvss',
        'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
        '--cwe',
        'CWE-444',
        '--affected',
        '1.20.0..1.33.4',
        '--cve',
        'CVE-2026-41246',
        '--description',
        'Requests can be smuggled past the filter.',
        '--package',
        'Go:github.com/projectcontour/contour',
        '--reference',
        'https://github.com/projectcontour/contour/releases/tag/v1.33.4',
      ],
      local,
    );
    await ok(['case', 'embargo', id, '--at', '2036-12-24 12:00', '--tz', 'Europe/Berlin'], local);
    await ok(['case', 'plan', id, '--line', '1.33=1.33.4'], local);
    await ok(['case', 'access', id, '--grant', 'bob'], local);
    await ok(
      ['distributor', 'add', '--organisation', 'Example Linux', '--contact', 'security@example.org', '--terms-accepted', 'now'],
      local,
    );
    await ok(['guard', 'terms', 'add', id, 'xyzzyFilter'], local);
    await ok(['leak', 'add', id, '--what', 'the fix commit', '--to', 'a mirror', '--reported-by', 'Rita'], local);

    for (const title of ['Second report', 'Third report']) await ok(['case', 'new', '--title', title], local);

    app = await openApp(configFromEnv({ EMBARGO_DATA_DIR: dataDir }));
    server = await buildServer(app, { logger: false });
    await server.listen({ host: '127.0.0.1', port: 0 });
    const url = `http://127.0.0.1:${(server.server.address() as AddressInfo).port}`;
    // Its own (empty) data directory: the HTTP run must not be able to fall back on the local one.
    remote = { env: { EMBARGO_DATA_DIR: join(dataDir, 'unused') }, flags: ['--server', url, '--token', token] };
  }, 180_000);

  afterAll(async () => {
    await server?.close();
    await app?.store.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const reads = (): string[][] => [
    ['case', 'list'],
    ['case', 'show', id],
    ['case', 'steps', id],
    ['case', 'events', id],
    ['case', 'access', id],
    ['project', 'list'],
    ['project', 'show', 'contour'],
    ['project', 'member', 'list', 'contour'],
    ['playbook', 'list'],
    ['playbook', 'show', 'contour'],
    ['message', 'draft', id, '--kind', 'distributors-notice'],
    ['message', 'list', id],
    ['register', id],
    ['acks', id],
    ['leak', 'list', id],
    ['distributor', 'list'],
    ['user', 'list'],
    ['token', 'list', '--user', 'alice'],
    ['guard', 'terms', 'list', id],
    ['case', 'replies', id],
  ];

  it('prints the same --json for every read command', { timeout: 600_000 }, async () => {
    // The local runs below go through the precompiled routes and schemas (the mock above).
    expect((await import('../../src/server/precompiled.js')).PRECOMPILED?.routes['GET /api/v1/cases']).toBe('cases');
    const differing: string[] = [];
    for (const args of reads()) {
      const a = normalize(await ok([...args, '--json'], local));
      const b = normalize(await ok([...args, '--json'], remote));
      if (a !== b) differing.push(`${args.join(' ')}\n--- local\n${a}\n--- http\n${b}`);
    }
    expect(differing).toEqual([]);
  });

  it('case list shows at most --limit cases and says on stderr that there are more; --all shows every one', async () => {
    for (const mode of [local, remote]) {
      const limited = await embargo(['case', 'list', '--limit', '2', '--json'], mode);
      expect((JSON.parse(limited.stdout) as { cases: unknown[] }).cases).toHaveLength(2);
      expect(limited.stderr).toBe('embargo: showing the first 2 cases; there are more (use --limit N or --all)\n');
      const all = await embargo(['case', 'list', '--all', '--json'], mode);
      expect((JSON.parse(all.stdout) as { cases: unknown[] }).cases).toHaveLength(3);
      expect(all.stderr).toBe('');
      const exact = await embargo(['case', 'list', '--limit', '3'], mode);
      expect(exact.stderr).toBe('');
    }
  });

  it('prints the same documents: every export format and the case file', { timeout: 600_000 }, async () => {
    for (const args of [
      ['export', id, '--format', 'osv'],
      ['export', id, '--format', 'cve5'],
      ['export', id, '--format', 'csaf'],
      ['export', id, '--format', 'ghsa'],
      ['export', id, '--format', 'md'],
      ['case', 'show', id, '--format', 'case'],
    ]) {
      expect(await ok(args, remote), args.join(' ')).toBe(await ok(args, local));
    }
  });
});
