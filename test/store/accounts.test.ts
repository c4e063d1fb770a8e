import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DomainError } from '../../src/domain/errors.js';
import {
  deleteStaleSessions,
  findActiveSession,
  insertSession,
  lookUpActiveSession,
  revokeSession,
  revokeUserSessions,
  touchSession,
} from '../../src/store/sessions.js';
import type { Store } from '../../src/store/store.js';
import { findActiveTokenByHash, insertToken, listTokens, lookUpActiveToken, revokeToken, touchToken } from '../../src/store/tokens.js';
import { countAdmins, countUsers, findUserById, findUserByUsername, insertUser, listUsers, updateUser } from '../../src/store/users.js';
import { storeFactories } from '../support/databases.js';
import { queriesSent } from '../support/pg-queries.js';
import { makeUser } from './fixtures/data.js';

const hex = (c: string) => c.repeat(64);

/** Runs `f`; what it returned and the queries it sent to PostgreSQL that name `table`. */
async function queriesTo<T>(table: string, f: () => Promise<T>): Promise<{ value: T; sent: string[] }> {
  const { value, sent } = await queriesSent(f);
  return { value, sent: sent.map((q) => q.text).filter((text) => text.includes(table)) };
}

describe.each(storeFactories())('users, sessions and tokens on $name', (factory) => {
  let store: Store;
  beforeEach(async () => {
    store = await factory.open();
    await store.write(async (tx) => {
      await insertUser(tx, makeUser({ id: 'u-alice', username: 'alice', role: 'admin', displayName: 'Alice A.' }));
      await insertUser(tx, makeUser({ id: 'u-bob', username: 'bob' }));
    });
  });
  afterEach(async () => {
    await store.close();
  });

  describe('users', () => {
    it('inserts and finds users by username and id', async () => {
      const alice = await findUserByUsername(store.db, 'alice');
      expect(alice).toEqual({
        id: 'u-alice',
        username: 'alice',
        displayName: 'Alice A.',
        passwordHash: '$argon2id$fake',
        role: 'admin',
        createdAt: '2026-01-01T00:00:00.000Z',
        disabledAt: null,
      });
      expect(await findUserById(store.db, 'u-bob')).toMatchObject({ username: 'bob', role: 'member' });
      expect(await findUserByUsername(store.db, 'nobody')).toBeUndefined();
      expect(await findUserById(store.db, 'nope')).toBeUndefined();
      expect(await findUserByUsername(store.db, 'alice\u0000')).toBeUndefined();
      expect(await findUserById(store.db, '\u0000')).toBeUndefined();
    });

    it('refuses a taken username with a conflict', async () => {
      const err = await store.write((tx) => insertUser(tx, makeUser({ id: 'u-other', username: 'alice' }))).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DomainError);
      expect(err).toMatchObject({ code: 'conflict', message: 'the username "alice" is already taken' });
      expect(await countUsers(store.db)).toBe(2);
    });

    it('lists users by username and counts users and active admins', async () => {
      await store.write(async (tx) => {
        await insertUser(tx, makeUser({ id: 'u-carol', username: 'carol', role: 'admin' }));
        await insertUser(tx, makeUser({ id: 'u-aaron', username: 'aaron' }));
      });
      expect((await listUsers(store.db)).map((u) => u.username)).toEqual(['aaron', 'alice', 'bob', 'carol']);
      expect(await countUsers(store.db)).toBe(4);
      expect(await countAdmins(store.db)).toBe(2);
      await store.write((tx) => updateUser(tx, 'u-carol', { disabledAt: '2026-02-01T00:00:00.000Z' }));
      expect(await countAdmins(store.db)).toBe(1);
      expect(typeof (await countUsers(store.db))).toBe('number');
    });

    it('updates users and reports unknown ones', async () => {
      await store.write((tx) => updateUser(tx, 'u-bob', { displayName: 'Bob B.', role: 'admin', passwordHash: 'h2' }));
      expect(await findUserById(store.db, 'u-bob')).toMatchObject({ displayName: 'Bob B.', role: 'admin', passwordHash: 'h2' });
      await expect(store.write((tx) => updateUser(tx, 'u-ghost', { displayName: 'x' }))).rejects.toMatchObject({
        code: 'not_found',
      });
    });
  });

  describe('sessions', () => {
    const session = {
      id: hex('a'),
      userId: 'u-alice',
      csrfToken: 'csrf-1',
      createdAt: '2026-03-01T10:00:00.000Z',
      expiresAt: '2026-03-02T10:00:00.000Z',
      lastSeenAt: '2026-03-01T10:00:00.000Z',
      revokedAt: null,
    };

    it('finds an active session with its user, and not an expired one', async () => {
      await store.write((tx) => insertSession(tx, session));
      const found = await findActiveSession(store.db, hex('a'), new Date('2026-03-01T12:00:00.000Z'));
      expect(found?.session).toEqual(session);
      expect(found?.user).toMatchObject({ id: 'u-alice', username: 'alice', role: 'admin' });
      expect(await findActiveSession(store.db, hex('a'), '2026-03-02T10:00:00.000Z')).toBeUndefined();
      expect(await findActiveSession(store.db, hex('b'), '2026-03-01T12:00:00.000Z')).toBeUndefined();
    });

    it('answers lookups asked together each at its own time, in one query on PostgreSQL, and sees a revocation at once', async () => {
      await store.write(async (tx) => {
        await insertSession(tx, session);
        await insertSession(tx, { ...session, id: hex('b'), userId: 'u-bob', csrfToken: 'csrf-2' });
        await insertSession(tx, { ...session, id: hex('c'), revokedAt: '2026-03-01T11:00:00.000Z' });
      });
      const asked: [string, string][] = [
        [hex('a'), '2026-03-01T12:00:00.000Z'],
        [hex('b'), '2026-03-01T12:00:00.000Z'],
        // The same session asked the moment it expires: expired for that caller alone.
        [hex('a'), '2026-03-02T10:00:00.000Z'],
        [hex('c'), '2026-03-01T12:00:00.000Z'],
        [hex('9'), '2026-03-01T12:00:00.000Z'],
      ];
      const { value: found, sent } = await queriesTo('sessions', () =>
        Promise.all(
          asked.map(([id, now]) => lookUpActiveSession(store, id, now).then((f) => f && `${f.session.csrfToken}:${f.user.username}`)),
        ),
      );
      expect(found).toEqual(['csrf-1:alice', 'csrf-2:bob', undefined, undefined, undefined]);
      expect(sent.length).toBe(factory.dialect === 'postgres' ? 1 : 0);

      await store.write((tx) => revokeSession(tx, hex('b'), '2026-03-01T12:30:00.000Z'));
      expect(await lookUpActiveSession(store, hex('b'), '2026-03-01T12:31:00.000Z')).toBeUndefined();
      expect(await lookUpActiveSession(store, hex('a'), '2026-03-01T12:31:00.000Z')).toBeDefined();
    });

    it('touches, revokes one, revokes all of a user but one', async () => {
      await store.write(async (tx) => {
        await insertSession(tx, session);
        await insertSession(tx, { ...session, id: hex('b') });
        await insertSession(tx, { ...session, id: hex('c') });
        await insertSession(tx, { ...session, id: hex('d'), userId: 'u-bob' });
      });
      const now = new Date('2026-03-01T12:00:00.000Z');
      await store.write((tx) => touchSession(tx, hex('a'), now, '2026-03-05T00:00:00.000Z'));
      expect((await findActiveSession(store.db, hex('a'), now))?.session).toMatchObject({
        lastSeenAt: '2026-03-01T12:00:00.000Z',
        expiresAt: '2026-03-05T00:00:00.000Z',
      });

      expect(await store.write((tx) => revokeSession(tx, hex('b'), now))).toBe(true);
      expect(await store.write((tx) => revokeSession(tx, hex('b'), now))).toBe(false);
      expect(await findActiveSession(store.db, hex('b'), now)).toBeUndefined();

      expect(await store.write((tx) => revokeUserSessions(tx, 'u-alice', now, { exceptId: hex('a') }))).toBe(1);
      expect(await findActiveSession(store.db, hex('a'), now)).toBeDefined();
      expect(await findActiveSession(store.db, hex('c'), now)).toBeUndefined();
      expect(await findActiveSession(store.db, hex('d'), now)).toBeDefined();

      expect(await store.write((tx) => deleteStaleSessions(tx, '2026-03-03T00:00:00.000Z'))).toBe(3);
    });

    it('does not find sessions of a disabled user', async () => {
      await store.write((tx) => insertSession(tx, session));
      await store.write((tx) => updateUser(tx, 'u-alice', { disabledAt: '2026-03-01T11:00:00.000Z' }));
      expect(await findActiveSession(store.db, hex('a'), '2026-03-01T12:00:00.000Z')).toBeUndefined();
    });

    it('enforces the user foreign key', async () => {
      await expect(store.write((tx) => insertSession(tx, { ...session, userId: 'u-ghost' }))).rejects.toThrow();
    });
  });

  describe('API tokens', () => {
    const token = {
      id: 't-1',
      userId: 'u-bob',
      name: 'ci',
      tokenHash: hex('1'),
      scopes: ['read', 'write'],
      createdAt: '2026-03-01T10:00:00.000Z',
      lastUsedAt: null,
      revokedAt: null,
    };

    it('inserts, finds by hash (with user), lists and touches tokens', async () => {
      await store.write(async (tx) => {
        await insertToken(tx, token);
        await insertToken(tx, {
          ...token,
          id: 't-2',
          name: 'laptop',
          tokenHash: hex('2'),
          scopes: ['read'],
          createdAt: '2026-03-02T10:00:00.000Z',
        });
      });
      const found = await findActiveTokenByHash(store.db, hex('1'));
      expect(found?.token).toEqual(token);
      expect(found?.user.username).toBe('bob');
      expect((await listTokens(store.db, 'u-bob')).map((t) => [t.id, t.scopes])).toEqual([
        ['t-2', ['read']],
        ['t-1', ['read', 'write']],
      ]);
      expect(await listTokens(store.db, 'u-alice')).toEqual([]);
      await store.write((tx) => touchToken(tx, 't-1', new Date('2026-03-03T00:00:00.000Z')));
      expect((await findActiveTokenByHash(store.db, hex('1')))?.token.lastUsedAt).toBe('2026-03-03T00:00:00.000Z');
    });

    it('refuses a duplicate token hash', async () => {
      await store.write((tx) => insertToken(tx, token));
      await expect(store.write((tx) => insertToken(tx, { ...token, id: 't-9' }))).rejects.toMatchObject({ code: 'conflict' });
    });

    it("revokes only the owner's token; others get not_found", async () => {
      await store.write((tx) => insertToken(tx, token));
      const now = new Date('2026-03-04T00:00:00.000Z');
      await expect(store.write((tx) => revokeToken(tx, 't-1', 'u-alice', now))).rejects.toMatchObject({ code: 'not_found' });
      await expect(store.write((tx) => revokeToken(tx, 't-nope', 'u-bob', now))).rejects.toMatchObject({ code: 'not_found' });
      expect(await findActiveTokenByHash(store.db, hex('1'))).toBeDefined();
      await store.write((tx) => revokeToken(tx, 't-1', 'u-bob', now));
      await store.write((tx) => revokeToken(tx, 't-1', 'u-bob', now)); // again: no-op
      expect(await findActiveTokenByHash(store.db, hex('1'))).toBeUndefined();
      expect((await listTokens(store.db, 'u-bob'))[0]?.revokedAt).toBe('2026-03-04T00:00:00.000Z');
    });

    it('does not find tokens of a disabled user', async () => {
      await store.write((tx) => insertToken(tx, token));
      await store.write((tx) => updateUser(tx, 'u-bob', { disabledAt: '2026-03-01T11:00:00.000Z' }));
      expect(await findActiveTokenByHash(store.db, hex('1'))).toBeUndefined();
    });

    it("answers each of a request's lookups asked together with its own token (none when unknown or revoked), and sees a revocation at once", async () => {
      await store.write(async (tx) => {
        await insertToken(tx, token);
        await insertToken(tx, { ...token, id: 't-2', name: 'laptop', tokenHash: hex('2') });
        await insertToken(tx, { ...token, id: 't-3', name: 'old', tokenHash: hex('3'), revokedAt: '2026-03-01T11:00:00.000Z' });
      });
      // On PostgreSQL the round trips to the database are counted: one for the whole turn's lookups.
      const { value: found, sent } = await queriesTo('api_tokens', async () =>
        (await Promise.all([hex('1'), hex('2'), hex('1'), hex('3'), hex('9')].map((h) => lookUpActiveToken(store, h)))).map(
          (f) => f && `${f.token.id}:${f.user.username}`,
        ),
      );
      expect(found).toEqual(['t-1:bob', 't-2:bob', 't-1:bob', undefined, undefined]);
      expect(sent.length).toBe(factory.dialect === 'postgres' ? 1 : 0);

      await store.write((tx) => revokeToken(tx, 't-2', 'u-bob', new Date('2026-03-04T00:00:00.000Z')));
      expect(await lookUpActiveToken(store, hex('2'))).toBeUndefined();
      expect((await lookUpActiveToken(store, hex('1')))?.token.id).toBe('t-1');
    });
  });
});
