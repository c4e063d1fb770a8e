/**
 * Issue 14, item 7: limits behind a reverse proxy. Every request came from the proxy's address, so
 * one client locked sign-in (and the report form) for everyone behind it, the right password
 * included. With EMBARGO_TRUST_PROXY the limits count the real client; sign-in is also limited per
 * account, whatever the address the guesses come from. Requests arrive as through a proxy: the
 * proxy's connecting address and the client's in X-Forwarded-For.
 */
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { addUser } from '../../src/app/accounts.js';
import { localActor } from '../../src/app/actor.js';
import { createApp } from '../../src/app/app.js';
import { configFromEnv, parseTrustProxy, type TrustProxy } from '../../src/app/config.js';
import { buildServer } from '../../src/server/server.js';
import type { Store } from '../../src/store/store.js';
import { PASSWORD } from '../support/app.js';
import { storeFactories } from '../support/databases.js';

const PROXY = '10.0.0.5';
const REPORT = { title: 'A report', description: 'Found it.', reporter: { name: 'Ada', contact: 'ada@example.org' } };

describe.each(storeFactories())('limits per real client behind a proxy ($name)', ({ open }) => {
  let store: Store | undefined;
  let server: FastifyInstance | undefined;
  afterEach(async () => {
    await server?.close();
    await store?.close();
  });

  async function start(trustProxy: TrustProxy | undefined, env: Record<string, string> = {}) {
    store = await open();
    const app = await createApp(store, configFromEnv(env), { clock: () => new Date('2026-11-25T10:00:00Z') });
    for (const username of ['alice', 'bob']) await addUser(app, localActor('test'), { username, password: PASSWORD });
    server = await buildServer(app, { signInPerMinute: 3, reportsPerHour: 2, trustProxy });
    return server;
  }

  const from = (s: FastifyInstance, client: string, method: 'POST', url: string, payload: object) =>
    s.inject({ method, url, payload, remoteAddress: PROXY, headers: { 'x-forwarded-for': client } });
  const signIn = (s: FastifyInstance, client: string, username: string, password: string) =>
    from(s, client, 'POST', '/api/v1/session', { username, password });

  it('without a trusted proxy, one client behind it locks sign-in for everyone (the finding, kept as the default)', async () => {
    const s = await start(undefined);
    for (let i = 0; i < 3; i++) expect((await signIn(s, '203.0.113.7', 'alice', 'wrong password!!')).statusCode).toBe(401);
    // Another person behind the same proxy, with the right password: the proxy's address is limited.
    expect((await signIn(s, '198.51.100.2', 'bob', PASSWORD)).statusCode).toBe(429);
  });

  it('with EMBARGO_TRUST_PROXY, limits sign-in per real client: another client signs in with the right password', async () => {
    const s = await start(parseTrustProxy(PROXY));
    for (let i = 0; i < 3; i++) expect((await signIn(s, '203.0.113.7', 'alice', 'wrong password!!')).statusCode).toBe(401);
    expect((await signIn(s, '203.0.113.7', 'alice', 'wrong password!!')).statusCode).toBe(429);
    expect((await signIn(s, '198.51.100.2', 'bob', PASSWORD)).statusCode).toBe(200);
    // A client that is not behind the trusted proxy cannot pick its address with the header.
    const direct = (address: string) =>
      s.inject({
        method: 'POST',
        url: '/api/v1/session',
        payload: { username: 'bob', password: 'wrong password!!' },
        remoteAddress: '192.0.2.9',
        headers: { 'x-forwarded-for': address },
      });
    const statuses = [];
    for (const address of ['1.1.1.1', '2.2.2.2', '3.3.3.3', '4.4.4.4']) statuses.push((await direct(address)).statusCode);
    expect(statuses).toEqual([401, 401, 401, 429]);
  });

  it('limits failed sign-ins per account whatever the addresses, and names no other account', async () => {
    const s = await start(parseTrustProxy('1'), { EMBARGO_SIGN_IN_FAILURES: '4' });
    for (let i = 0; i < 4; i++) expect((await signIn(s, `203.0.113.${i + 1}`, 'alice', 'wrong password!!')).statusCode).toBe(401);
    const limited = await signIn(s, '203.0.113.50', 'alice', PASSWORD);
    expect(limited.statusCode).toBe(429);
    expect(limited.json().error).toMatchObject({ code: 'rate_limited' });
    expect(limited.json().error.message).toBe('too many failed sign-ins for this account in the last 15 minutes; try again later');
    // Bob is not affected, and failures for a username that does not exist lock nobody.
    expect((await signIn(s, '203.0.113.51', 'bob', PASSWORD)).statusCode).toBe(200);
    for (let i = 0; i < 5; i++) expect((await signIn(s, `198.51.100.${i + 1}`, 'nobody', 'wrong password!!')).statusCode).toBe(401);
  });

  it('keeps the report form hourly limit per real client behind the proxy', async () => {
    const s = await start(parseTrustProxy(PROXY));
    for (let i = 0; i < 2; i++) expect((await from(s, '203.0.113.7', 'POST', '/api/v1/reports', REPORT)).statusCode).toBe(201);
    expect((await from(s, '203.0.113.7', 'POST', '/api/v1/reports', REPORT)).statusCode).toBe(429);
    expect((await from(s, '198.51.100.2', 'POST', '/api/v1/reports', REPORT)).statusCode).toBe(201);
  });
});

describe('EMBARGO_TRUST_PROXY', () => {
  it('takes a hop count, addresses and ranges, and refuses trusting everyone or a malformed entry', () => {
    expect(parseTrustProxy(undefined)).toBeUndefined();
    expect(parseTrustProxy('2')).toBe(2);
    expect(parseTrustProxy('10.0.0.5, 10.1.0.0/16, ::1, loopback')).toEqual(['10.0.0.5', '10.1.0.0/16', '::1', 'loopback']);
    expect(() => parseTrustProxy('true')).toThrow(/trusting every address would let any client choose its own/);
    expect(() => parseTrustProxy('10.0.0.0/40')).toThrow('EMBARGO_TRUST_PROXY: "10.0.0.0/40" is not an IP address');
    expect(() => parseTrustProxy('proxy.example.org')).toThrow(/is not an IP address/);
    expect(() => parseTrustProxy('0')).toThrow('EMBARGO_TRUST_PROXY must be a whole number between 1 and 10');
    expect(configFromEnv({ EMBARGO_TRUST_PROXY: '1' }).trustProxy).toBe(1);
  });
});
