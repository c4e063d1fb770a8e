/**
 * The retrospective of a case (issue 15, item 5): built from its event log, with the team's notes and
 * action items; across cases, the metrics. Every read here shows case details, so each is a
 * recorded `case.read`.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Case } from '../domain/case/types.js';
import { DomainError, invalidInput } from '../domain/errors.js';
import { event } from '../domain/events.js';
import {
  type ActionItem,
  actionAdded,
  actionDone,
  actionText,
  buildMetrics,
  buildRetrospective,
  buildTimeline,
  type CaseMetrics,
  durationsOf,
  type Metrics,
  missedClocks,
  type Retrospective,
  retrospectiveNotes,
  retrospectiveWritten,
} from '../domain/retro/index.js';
import { listCases } from '../store/cases.js';
import { appendEvents, listEvents } from '../store/events.js';
import { caseActions, findAction, getRetrospective, insertAction, markActionDone, openActions, saveRetrospective } from '../store/retro.js';
import type { Database } from '../store/schema.js';
import { requireScope, type Actor } from './actor.js';
import type { App } from './app.js';
import { readCase } from './cases.js';
import { clockOutcomesOf } from './retro-clocks.js';
import { type CaseAnswer, workOnCase } from './unit-of-work.js';
import { loadVisibleCase } from './visible-case.js';

type Db = Kysely<Database>;

/** Enough for any case's history; the log of one case is a few hundred events. */
const CASE_EVENTS_MAX = 100_000;
/** The metrics look at this many cases at most (the newest). */
export const METRICS_CASES_MAX = 1000;

const caseEvents = (db: Db, caseId: string) => listEvents(db, { caseId, limit: CASE_EVENTS_MAX });

async function retrospectiveOf(app: App, db: Db, c: Case, now: Date): Promise<Retrospective> {
  return buildRetrospective({
    case: c,
    events: await caseEvents(db, c.id),
    written: await getRetrospective(db, c.id),
    actions: await caseActions(db, c.id),
    clocks: await clockOutcomesOf(app, db, c, now),
  });
}

export const caseRetrospective = (app: App, actor: Actor, caseId: string): Promise<Retrospective> =>
  readCase(app, actor, caseId, 'retrospective', (c, db) => retrospectiveOf(app, db, c, app.clock()));

/** Writes (or rewrites) the case's retrospective notes: what the retrospective step waits for. */
export const writeRetrospective = (
  app: App,
  actor: Actor,
  caseId: string,
  input: { notes: unknown },
): Promise<CaseAnswer<{ caseId: string; writtenAt: string; characters: number }>> => {
  const notes = retrospectiveNotes(input.notes);
  return workOnCase(app, actor, caseId, 'write', async (c, { tx, actor: by, now }) => {
    const previous = await getRetrospective(tx, c.id);
    const writtenAt = now.toISOString();
    await saveRetrospective(tx, c.id, { notes, writtenBy: by, writtenAt });
    return {
      events: [retrospectiveWritten(c.id, notes.length, previous !== null)],
      value: { caseId: c.id, writtenAt, characters: notes.length },
      // The answer holds nothing the request did not name.
      discloses: false,
    };
  });
};

export const addActionItem = (
  app: App,
  actor: Actor,
  caseId: string,
  input: { text: unknown; owner?: unknown },
): Promise<CaseAnswer<ActionItem>> => {
  const text = actionText(input.text);
  const owner = typeof input.owner === 'string' && input.owner.trim() !== '' ? input.owner.trim().slice(0, 100) : null;
  return workOnCase(app, actor, caseId, 'write', async (c, { tx, actor: by, now }) => {
    const item: ActionItem = {
      id: randomUUID(),
      caseId: c.id,
      text,
      owner,
      createdBy: by,
      createdAt: now.toISOString(),
      doneBy: null,
      doneAt: null,
    };
    await insertAction(tx, item);
    return { events: [actionAdded(c.id, item.id, text.length, owner)], value: item, discloses: false };
  });
};

/** Marks an action item done (by its id or the first 8 characters of it); it leaves the open list. */
export async function completeActionItem(
  app: App,
  actor: Actor,
  actionId: string,
): Promise<{ id: string; caseId: string; doneAt: string }> {
  requireScope(actor, 'write');
  const now = app.clock();
  return app.store.write(async (tx) => {
    const item = await findAction(tx, actionId);
    // An action item of a case the actor may not see does not exist for them, and is refused on the
    // same path as an unknown one: the access list is asked either way.
    const visible = await loadVisibleCase(tx, actor, item?.caseId ?? 'EMB-0000-0000').then(
      () => true,
      () => false,
    );
    if (!item || !visible) throw new DomainError('not_found', `action item ${actionId} not found`);
    if (item.doneAt) return { id: item.id, caseId: item.caseId, doneAt: item.doneAt };
    const doneAt = now.toISOString();
    await markActionDone(tx, item.id, actor.name, doneAt);
    await appendEvents(tx, { actor: actor.name, at: now, events: [actionDone(item.caseId, item.id)] });
    return { id: item.id, caseId: item.caseId, doneAt };
  });
}

/** The cases the actor may see (newest first, at most `limit`). */
function visibleCases(db: Db, actor: Actor, limit: number): Promise<Case[]> {
  if (actor.role !== 'admin' && !actor.userId) return Promise.resolve([]);
  return listCases(db, { visibleTo: actor.role === 'admin' ? undefined : actor.userId!, limit });
}

/** Every open action item of the cases the actor may see. A read of those cases. */
export async function openActionItems(app: App, actor: Actor): Promise<(ActionItem & { codename: string })[]> {
  requireScope(actor, 'read');
  const now = app.clock();
  return app.store.write(async (tx) => {
    const cases = await visibleCases(tx, actor, METRICS_CASES_MAX);
    const codenames = new Map(cases.map((c) => [c.id, c.codename]));
    const items = await openActions(
      tx,
      cases.map((c) => c.id),
    );
    const ids = [...new Set(items.map((i) => i.caseId))];
    if (ids.length > 0) {
      await appendEvents(tx, { actor: actor.name, at: now, events: [event('case.read', null, { what: 'open action items', cases: ids })] });
    }
    return items.map((i) => ({ ...i, codename: codenames.get(i.caseId) ?? '' }));
  });
}

/** `since`: YYYY-MM-DD; only cases reported on or after it. */
function sinceOf(raw: unknown): string | null {
  if (raw === undefined || raw === null || raw === '') return null;
  if (typeof raw !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(raw) || Number.isNaN(Date.parse(raw))) {
    throw invalidInput(`since must be a date like 2026-01-31, not "${String(raw)}"`, { field: 'since' });
  }
  return `${raw}T00:00:00.000Z`;
}

/** Across the cases the actor may see: medians, the trend by month, each case's durations. */
export async function caseMetrics(app: App, actor: Actor, query: { since?: unknown } = {}): Promise<Metrics> {
  requireScope(actor, 'read');
  const since = sinceOf(query.since);
  const now = app.clock();
  return app.store.write(async (tx) => {
    const rows: CaseMetrics[] = [];
    for (const c of await visibleCases(tx, actor, METRICS_CASES_MAX)) {
      const timeline = buildTimeline(await caseEvents(tx, c.id), c);
      const reported = timeline.find((m) => m.kind === 'reported');
      if (!reported || (since !== null && reported.at < since)) continue;
      rows.push({
        caseId: c.id,
        project: c.project,
        reportedAt: reported.at,
        durations: durationsOf(timeline, c),
        clocksMissed: missedClocks(await clockOutcomesOf(app, tx, c, now)),
      });
    }
    if (rows.length > 0) {
      await appendEvents(tx, {
        actor: actor.name,
        at: now,
        events: [event('case.read', null, { what: 'metrics', cases: rows.map((r) => r.caseId) })],
      });
    }
    return buildMetrics(rows);
  });
}
