/** A real app (real database, real Fastify) for API tests, driven with inject(). */
import type { FastifyInstance } from 'fastify';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { addUser, createApiToken } from '../../src/app/accounts.js';
import { localActor } from '../../src/app/actor.js';
import { createApp, type App } from '../../src/app/app.js';
import { type CaseAnswer, isReceipt } from '../../src/app/unit-of-work.js';
import { configFromEnv } from '../../src/app/config.js';
import { buildServer } from '../../src/server/server.js';
import type { Store } from '../../src/store/store.js';

export interface TestApp {
  app: App;
  server: FastifyInstance;
  /** Moves the app's clock. */
  setNow(at: string | Date): void;
  close(): Promise<void>;
}

export async function startApp(open: () => Promise<Store>, startAt = '2026-11-25T10:00:00Z'): Promise<TestApp> {
  const store = await open();
  let now = new Date(startAt);
  // Key files (secret.key, audit.key) go to a directory of this app's own, not the repository's ./data.
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'embargo-app-'));
  const app = await createApp(store, { ...configFromEnv({}), dataDir }, { clock: () => now });
  const server = await buildServer(app, { signInPerMinute: 1000 });
  return {
    app,
    server,
    setNow: (at) => {
      now = new Date(at);
    },
    close: async () => {
      await server.close();
      await store.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export const PASSWORD = 'correct horse battery staple';
const admin = localActor('test');

/** A user with an API token (read+write unless scopes say otherwise). */
export async function userWithToken(
  app: App,
  username: string,
  role: 'admin' | 'member' = 'member',
  scopes?: string[],
  /** Projects to join ("contour", "contour:admin"); default: the only project, if there is one. */
  projects?: string[],
) {
  const user = await addUser(app, admin, { username, password: PASSWORD, role, ...(projects ? { projects } : {}) });
  const { token } = await createApiToken(app, admin, { name: `${username} test`, username, scopes });
  return { user, token };
}

export interface Reply {
  status: number;
  body: any;
  headers: Record<string, unknown>;
}

/** A tiny API client over inject(): no network, same code path as a real request. */
export function client(server: FastifyInstance, token?: string) {
  const call = async (method: string, url: string, payload?: unknown, headers: Record<string, string> = {}): Promise<Reply> => {
    const res = await server.inject({
      method: method as 'GET',
      url,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
    let body: unknown = res.body;
    try {
      body = res.body === '' ? null : JSON.parse(res.body);
    } catch {
      // not JSON (the web page); keep the text
    }
    return { status: res.statusCode, body, headers: res.headers };
  };
  return {
    get: (url: string) => call('GET', url),
    post: (url: string, body: unknown = {}) => call('POST', url, body),
    put: (url: string, body: unknown = {}) => call('PUT', url, body),
    patch: (url: string, body: unknown) => call('PATCH', url, body),
    delete: (url: string) => call('DELETE', url),
    call,
  };
}

/** A change's answer to an actor that may read the case: its details (a receipt fails the test). */
export function details<T>(answer: CaseAnswer<T>): T {
  if (isReceipt(answer)) throw new Error(`expected the details of ${answer.id}, got a receipt`);
  return answer;
}
