/**
 * Issue 14, item 9 (the rest): a member who opens a case learned from its sequential id how many
 * cases exist, across every project of the install. With EMBARGO_CASE_NUMBERS=random a new case's
 * number is 8 random digits: it says nothing of the count. Ids already given keep working, and the
 * sequential counter is left where it was.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localActor } from '../../src/app/actor.js';
import { createCase } from '../../src/app/cases.js';
import { configFromEnv } from '../../src/app/config.js';
import { client, startApp, userWithToken, type TestApp } from '../support/app.js';
import { storeFactories } from '../support/databases.js';

describe.each(storeFactories())('case numbers ($name)', ({ open }) => {
  let t: TestApp;
  let member: ReturnType<typeof client>;

  beforeAll(async () => {
    t = await startApp(open);
    member = client(t.server, (await userWithToken(t.app, 'alice')).token);
  });
  afterAll(() => t.close());

  it('are sequential by default, random when configured, and the old ids keep working', async () => {
    const first = await member.post('/api/v1/cases', { title: 'Before the switch' });
    expect(first.body.id).toBe('EMB-2026-0001');

    t.app.config.caseNumbers = 'random';
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await member.post('/api/v1/cases', { title: `Random ${i}` });
      expect(res.status).toBe(201);
      ids.push(res.body.id);
    }
    for (const id of ids) expect(id).toMatch(/^EMB-2026-[1-9]\d{7}$/);
    expect(new Set(ids).size).toBe(5);
    // Not a count in disguise: nowhere near the 2..6 a counter would have given.
    expect(Math.min(...ids.map((id) => Number(id.slice(9))))).toBeGreaterThanOrEqual(10_000_000);

    expect((await member.get('/api/v1/cases/EMB-2026-0001')).status).toBe(200);
    expect((await member.get(`/api/v1/cases/${ids[0]}`)).body.title).toBe('Random 0');
    expect((await member.get('/api/v1/cases?limit=50')).body.cases.map((c: { id: string }) => c.id).sort()).toEqual(
      ['EMB-2026-0001', ...ids].sort(),
    );

    // Back to sequential: the counter was not consumed by the random ids.
    t.app.config.caseNumbers = 'sequential';
    expect((await createCase(t.app, localActor('test'), { title: 'After' })).id).toBe('EMB-2026-0002');
  });

  it('refuses an unknown setting with a sentence', () => {
    expect(() => configFromEnv({ EMBARGO_CASE_NUMBERS: 'uuid' })).toThrow(
      'EMBARGO_CASE_NUMBERS must be "sequential" or "random", not "uuid"',
    );
    expect(configFromEnv({ EMBARGO_CASE_NUMBERS: 'random' }).caseNumbers).toBe('random');
  });
});
