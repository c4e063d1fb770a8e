/**
 * `embargo case portal-link` and `case replies` through the real CLI, on the local database and
 * against a running server (where `case new --from-eml` goes through POST /api/v1/reports/import).
 */
import { rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, createApiToken } from '../../src/app/accounts.js';
import { localActor } from '../../src/app/actor.js';
import { openApp, type App } from '../../src/app/app.js';
import { configFromEnv } from '../../src/app/config.js';
import { buildServer } from '../../src/server/server.js';
import { cliWith, REPO, tempDir } from './run-cli.js';

/** Each test runs several CLI commands (in process) on a real database; generous for a busy two-core machine. */
const SLOW = 90_000;
const MAIL = join(REPO, 'test/fixtures/eml/report-multipart.eml');

describe('embargo case portal-link (local database)', () => {
  const dir = tempDir();
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const cli = cliWith({ EMBARGO_DATA_DIR: join(dir, 'data'), EMBARGO_PUBLIC_URL: 'https://embargo.example.org' });

  it(
    'prints the link once, replaces it, revokes it, and says when there is nothing to revoke',
    async () => {
      const { id } = await cli.json<{ id: string }>([
        'case',
        'new',
        '--title',
        'Route leak',
        '--reporter-name',
        'Ada',
        '--reporter-contact',
        'ada@example.org',
      ]);
      const first = await cli.ok(['case', 'portal-link', id]);
      expect(first.stdout).toMatch(/^ {2}https:\/\/embargo\.example\.org\/portal\/rpt_[A-Za-z0-9_-]{43}$/m);
      expect(first.stdout).toContain(`It works until you revoke it: embargo case portal-link ${id} --revoke`);
      const second = await cli.json<{ url: string; replaced: number; expiresAt: string | null }>([
        'case',
        'portal-link',
        id,
        '--expires-in',
        '30',
      ]);
      expect(second.replaced).toBe(1);
      expect(second.expiresAt).not.toBeNull();
      expect(first.stdout).not.toContain(second.url);
      expect((await cli.ok(['case', 'portal-link', id, '--revoke'])).stdout).toContain(`Revoked the portal link of ${id}`);
      expect((await cli.ok(['case', 'portal-link', id, '--revoke'])).stdout).toContain(`${id} had no active portal link.`);
      expect((await cli.ok(['case', 'replies', id])).stdout).toContain(`The reporter of ${id} has not replied through the portal.`);
    },
    SLOW,
  );

  it(
    'refuses usage mistakes (2) and a case without a reporter (1)',
    async () => {
      const { id } = await cli.json<{ id: string }>(['case', 'new', '--title', 'No reporter']);
      const bare = await cli.run(['case', 'portal-link', id]);
      expect(bare.code).toBe(1);
      expect(bare.stderr).toContain(`case ${id} has no reporter`);
      expect((await cli.run(['case', 'portal-link', id, '--expires-in', '0'])).code).toBe(2);
      expect((await cli.run(['case', 'portal-link', id, '--revoke', '--expires-in', '3'])).code).toBe(2);
      expect((await cli.run(['case', 'portal-link', 'EMB-2026-9999'])).code).toBe(1);
    },
    SLOW,
  );
});

describe('embargo case portal-link and --from-eml with --server', () => {
  let serverDir: string;
  let app: App;
  let server: Awaited<ReturnType<typeof buildServer>>;
  let url: string;
  let cli: ReturnType<typeof cliWith>;

  beforeAll(async () => {
    serverDir = tempDir('embargo-server-');
    app = await openApp(configFromEnv({ EMBARGO_DATA_DIR: serverDir }));
    await addUser(app, null, { username: 'alice', password: 'correct horse battery staple', role: 'member' });
    const { token } = await createApiToken(app, localActor('test'), { name: 'cli-test', username: 'alice' });
    server = await buildServer(app, { logger: false });
    await server.listen({ host: '127.0.0.1', port: 0 });
    url = `http://127.0.0.1:${(server.server.address() as AddressInfo).port}`;
    cli = cliWith({ EMBARGO_DATA_DIR: join(serverDir, 'cli-unused'), EMBARGO_SERVER: url, EMBARGO_TOKEN: token });
  }, SLOW);
  afterAll(async () => {
    await server?.close();
    await app?.store.close();
    rmSync(serverDir, { recursive: true, force: true });
  }, SLOW);

  it(
    'imports the mail, gives the reporter a link, and shows their reply to the member',
    async () => {
      const imported = await cli.json<{ case: { id: string; reporter: { contact: string } } }>(['case', 'new', '--from-eml', MAIL]);
      const id = imported.case.id;
      expect(imported.case.reporter.contact).toBe('ada.lovelace@example.org');
      const link = await cli.json<{ url: string }>(['case', 'portal-link', id]);
      const secret = link.url.split('/').pop()!;
      const reply = await fetch(`${url}/api/v1/portal/replies`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-portal-token': secret },
        body: JSON.stringify({ body: 'The PoC also works on 1.32.' }),
      });
      expect(reply.status).toBe(201);
      const replies = await cli.ok(['case', 'replies', id]);
      expect(replies.stdout).toContain('The PoC also works on 1.32.');
      expect((await cli.json<{ caseId: string; revoked: boolean }>(['case', 'portal-link', id, '--revoke'])).revoked).toBe(true);
      expect((await fetch(`${url}/api/v1/portal`, { headers: { 'x-portal-token': secret } })).status).toBe(404);
    },
    SLOW,
  );
});
