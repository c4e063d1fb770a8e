/**
 * An install from before projects (migrations up to 0006) with cases of two project values, users,
 * distributors and a hash-chained log: opening it with this build migrates it into projects named
 * after the old values, without losing or changing an event, and the audit chain still verifies.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { canonicalJson, hashEvent, listEvents, verifyChain } from '../../src/store/events.js';
import { GENESIS_HASH } from '../../src/store/schema.js';
import { oldInstalls } from './fixtures/old-install.js';
import { listDistributors } from '../../src/store/distributors.js';
import { listMembers, listProjects } from '../../src/store/projects.js';

const AT = '2026-11-20T10:00:00.000Z';

/** Rows as the old build wrote them: two users, three cases in two projects, two distributors, five events. */
async function seedOldInstall(db: Kysely<any>): Promise<void> {
  const users = [
    { id: randomUUID(), username: 'root', role: 'admin' },
    { id: randomUUID(), username: 'alice', role: 'member' },
  ];
  for (const u of users) {
    await db
      .insertInto('users')
      .values({ ...u, display_name: u.username, password_hash: 'x', created_at: AT, disabled_at: null, github_login: null })
      .execute();
  }
  const cases = [
    { id: 'EMB-2026-0001', project: 'contour', playbook: 'contour' },
    { id: 'EMB-2026-0002', project: 'contour', playbook: 'contour' },
    { id: 'EMB-2026-0003', project: 'gatekeeper', playbook: 'kubernetes' },
  ];
  for (const c of cases) {
    const state = { id: c.id, project: c.project, playbook: c.playbook, title: `Case ${c.id}`, codename: `cn-${c.id}`, revision: 1 };
    await db
      .insertInto('cases')
      .values({
        id: c.id,
        project: c.project,
        title: state.title,
        status: 'reported',
        codename: state.codename,
        state: JSON.stringify(state),
        revision: 1,
        created_at: AT,
        updated_at: AT,
      })
      .execute();
    await db.insertInto('case_access').values({ case_id: c.id, user_id: users[1]!.id, granted_by: 'root', granted_at: AT }).execute();
  }
  for (const org of ['Alpha Linux', 'Beta OS']) {
    await db
      .insertInto('distributors')
      .values({
        id: randomUUID(),
        organisation: org,
        contact: `security@${org.split(' ')[0]!.toLowerCase()}.example`,
        criteria: '[]',
        vouched_by: null,
        terms_accepted_at: null,
        added_at: AT,
        added_by: 'root',
        removed_at: null,
        removed_by: null,
      })
      .execute();
  }
  // The chain exactly as appendEvents built it: seq, id, at, actor, action, case, details, prev hash.
  let prev = GENESIS_HASH;
  const events: [string, string | null, unknown][] = [
    ['user.created', null, { username: 'alice', role: 'member' }],
    ...cases.map((c): [string, string, unknown] => [
      'case.created',
      c.id,
      { title: `Case ${c.id}`, project: c.project, codename: `cn-${c.id}`, playbook: c.playbook },
    ]),
    [
      'distributor.added',
      null,
      { distributorId: 'x', organisation: 'Alpha Linux', contact: 'a@x', criteria: [], vouchedBy: null, termsAcceptedAt: null },
    ],
  ];
  let seq = 0;
  for (const [action, caseId, details] of events) {
    seq += 1;
    const row = {
      seq,
      id: randomUUID(),
      at: AT,
      actor: 'root',
      action,
      case_id: caseId,
      details: canonicalJson(details),
      prev_hash: prev,
      hash: '',
    };
    row.hash = hashEvent({ ...row, caseId: row.case_id, detailsJson: row.details, prevHash: row.prev_hash });
    prev = row.hash;
    await db.insertInto('events').values(row).execute();
  }
  await db.updateTable('chain_head').set({ last_seq: seq, last_hash: prev }).where('id', '=', 1).execute();
}

const installs = oldInstalls('0007', seedOldInstall);

describe.each(installs)('the projects migration on an existing install ($name)', (install) => {
  let cleanup: (() => Promise<void>) | undefined;
  afterEach(async () => cleanup?.());

  it('makes a project of each case project value, keeps every event, and the chain verifies', async () => {
    const created = await install.create();
    cleanup = created.cleanup;
    const store = await created.open();
    try {
      const projects = await store.read((db) => listProjects(db));
      expect(projects.map((p) => [p.id, p.playbook, p.archivedAt])).toEqual([
        ['contour', 'contour', null],
        ['gatekeeper', 'kubernetes', null],
      ]);
      expect(projects[1]).toMatchObject({ name: 'Gatekeeper', settings: {}, revision: 1 });
      // Every existing user may still be put on every case: all became members of every project.
      const members = await store.read((db) => listMembers(db, 'gatekeeper'));
      expect(members.map((m) => [m.username, m.role])).toEqual([
        ['alice', 'member'],
        ['root', 'member'],
      ]);
      // The one distributors list goes to the project with the most cases.
      expect((await store.read((db) => listDistributors(db, 'contour'))).map((d) => d.organisation)).toEqual(['Alpha Linux', 'Beta OS']);
      expect(await store.read((db) => listDistributors(db, 'gatekeeper'))).toEqual([]);
      // No event lost or changed.
      const events = await store.read((db) => listEvents(db, { limit: 100 }));
      expect(events.map((e) => e.action)).toEqual(['user.created', 'case.created', 'case.created', 'case.created', 'distributor.added']);
      expect(await store.read((db) => verifyChain(db))).toEqual({ ok: true, checked: 5 });
    } finally {
      await store.close();
    }
  });

  it('runs once: opening the migrated install again changes nothing', async () => {
    const created = await install.create();
    cleanup = created.cleanup;
    const first = await created.open();
    const before = await first.read((db) => listProjects(db));
    await first.close();
    const again = await created.open();
    try {
      expect(await again.read((db) => listProjects(db))).toEqual(before);
      expect((await again.read((db) => verifyChain(db))).ok).toBe(true);
    } finally {
      await again.close();
    }
  });
});
