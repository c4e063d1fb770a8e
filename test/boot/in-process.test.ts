/** The CLI's local mode: the real server answering through inject as the local admin, never on a socket. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answer, ApiError } from '../../src/client/client.js';
import { type InProcessApi, openInProcess } from '../../src/boot/in-process.js';
import { loadPrecompiled } from '../../scripts/precompile-routes.js';
import { lazySchemaCompilers } from '../../src/server/lazy-schemas.js';
import { buildServer } from '../../src/server/server.js';
import { localActor } from '../../src/app/actor.js';
import { createApp } from '../../src/app/app.js';
import { configFromEnv } from '../../src/app/config.js';
import { openStore } from '../../src/store/store.js';

describe('the API in process', () => {
  let dataDir: string;
  let local: InProcessApi;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'embargo-boot-'));
    local = await openInProcess({ EMBARGO_DATA_DIR: dataDir }, { osUser: 'tester' });
  });

  afterAll(async () => {
    await local.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('trusts every request as the local admin: no cookie, token or CSRF token', async () => {
    const created = await answer(
      local.api.POST('/api/v1/users', { body: { username: 'alice', password: 'correct horse battery staple', role: 'admin' } }),
    );
    expect(created).toMatchObject({ username: 'alice', role: 'admin' });
    const issued = await answer(local.api.POST('/api/v1/admin/tokens', { body: { name: 'ci', username: 'alice', scopes: ['read'] } }));
    expect(issued.scopes).toEqual(['read']);
    const { tokens } = await answer(local.api.GET('/api/v1/admin/tokens'));
    expect(tokens.map((t) => [t.username, t.name, t.id])).toEqual([['alice', 'ci', issued.id]]);
    const session = await answer(local.api.GET('/api/v1/session'));
    expect(session.user.username).toBe('local:tester');
  });

  it('gives error answers as one ApiError with the status, code and message', async () => {
    const failed = await answer(local.api.GET('/api/v1/cases/{caseId}', { params: { path: { caseId: 'EMB-2026-9999' } } })).catch(
      (e: unknown) => e,
    );
    expect(failed).toBeInstanceOf(ApiError);
    expect(failed).toMatchObject({ status: 404, code: 'not_found' });
  });

  it('answers a 204 without a body', async () => {
    const { tokens } = await answer(local.api.GET('/api/v1/admin/tokens'));
    const { response } = await local.api.DELETE('/api/v1/tokens/{tokenId}', { params: { path: { tokenId: tokens[0]!.id } } });
    expect(response.status).toBe(204);
  });

  it('refuses to listen on a socket', async () => {
    const store = await openStore({ databaseUrl: 'sqlite::memory:' });
    const server = await buildServer(await createApp(store, configFromEnv({})), { localActor: localActor('tester') });
    try {
      expect(() => server.listen({ port: 0, host: '127.0.0.1' })).toThrow(/never on a socket/);
    } finally {
      await server.close();
      await store.close();
    }
  });

  it('compiles schemas on first use or takes the precompiled code, and validates and serialises exactly as the eager server does', {
    timeout: 60_000,
  }, async () => {
    const store = await openStore({ databaseUrl: 'sqlite::memory:' });
    const app = await createApp(store, configFromEnv({}));
    const eager = await buildServer(app, { localActor: localActor('tester') });
    const lazy = await buildServer(app, { localActor: localActor('tester'), schemaCompilers: lazySchemaCompilers() });
    const precompiled = await buildServer(app, {
      localActor: localActor('tester'),
      schemaCompilers: lazySchemaCompilers(await loadPrecompiled()),
    });
    try {
      const requests = [
        // Refused by the body schema: a wrong type, an unknown field, a missing field (all errors listed).
        { method: 'POST', url: '/api/v1/cases', payload: { title: 7, extra: true } },
        { method: 'POST', url: '/api/v1/cases', payload: {} },
        // Refused by the params schema.
        { method: 'GET', url: '/api/v1/cases/not-a-case-id' },
        // Accepted, then serialised through the answer schema.
        { method: 'POST', url: '/api/v1/cases', payload: { title: 'Lazy schemas' } },
        { method: 'GET', url: '/api/v1/cases?limit=5' },
      ] as const;
      const normalize = (body: string) =>
        body.replace(/EMB-2026-\d+/g, 'ID').replace(/"(codename|createdAt|updatedAt|id)":"[^"]*"/g, '"$1":"x"');
      for (const request of requests) {
        const a = await eager.inject(request);
        for (const other of [lazy, precompiled]) {
          const b = await other.inject(request);
          expect(b.statusCode, `${request.method} ${request.url}`).toBe(a.statusCode);
          expect(normalize(b.body)).toBe(normalize(a.body));
        }
      }
      expect((await lazy.inject(requests[0])).json().error.code).toBe('invalid_input');
      expect((await precompiled.inject(requests[1])).json().error.code).toBe('invalid_input');
    } finally {
      await precompiled.close();
      await lazy.close();
      await eager.close();
      await store.close();
    }
  });
});
