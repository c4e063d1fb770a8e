/**
 * Case use cases: authorize, load, run one domain command, persist the new state and its events in
 * one transaction. Both the HTTP routes and the CLI's local mode call these, so the rules live once.
 */
import { caseRead } from '../domain/case/access-events.js';
import type { Kysely } from 'kysely';
import {
  createCase as createCaseCommand,
  editCase as editCaseCommand,
  planRelease as planReleaseCommand,
  correctRelease as correctReleaseCommand,
  undoRelease as undoReleaseCommand,
  reopenCase as reopenCaseCommand,
  resolveCase as resolveCaseCommand,
  type ResolutionInput,
  recordRelease as recordReleaseCommand,
  setEmbargo as setEmbargoCommand,
  type Case,
  type CaseEdit,
  type CommandContext,
  type CreateCaseInput,
  type EmbargoInput,
} from '../domain/case/index.js';
import { DomainError, invalidInput } from '../domain/errors.js';
import {
  completeStep as completeStepCommand,
  deriveStatus,
  reopenStep as reopenStepCommand,
  skipStep as skipStepCommand,
  stepViews,
  type Playbook,
  type StepView,
} from '../domain/playbook/index.js';
import { type CaseListPosition, type CaseSummaryJson, insertCase, listCaseSummaryJson, summaryJson } from '../store/cases.js';
import { appendEvents, listEvents, recordEvents, type StoredEvent } from '../store/events.js';
import { allCases } from '../store/guard-terms.js';
import type { Database } from '../store/schema.js';
import { requireScope, type Actor } from './actor.js';
import type { App } from './app.js';
import { gateFactsOf } from './gate-facts.js';
import { grantOpener, newCaseFacts } from './open-case.js';
import { projectPlaybook, resolveProject, roleIn } from './projects.js';
import { caseOfReference, REFERENCE_PATTERN } from './report-reference.js';
import { answerChange, type CaseAnswer, changeCase, type ChangeOptions } from './unit-of-work.js';
import { loadVisibleCase, readVisibleCase } from './visible-case.js';

type Db = Kysely<Database>;

export { loadVisibleCase } from './visible-case.js';

function context(app: App, actor: Actor): CommandContext {
  return { actor: actor.name, now: app.clock() };
}

export interface NewCase extends CreateCaseInput {
  playbook?: unknown;
}

export async function createCase(app: App, actor: Actor, input: NewCase): Promise<CaseAnswer<Case>> {
  requireScope(actor, 'write');
  const ctx = context(app, actor);
  return app.store.write(async (tx) => {
    const project = await resolveProject(tx, actor, input.project);
    const playbook = projectPlaybook(app, project, input.playbook);
    const result = createCaseCommand(
      { ...input, project: project.id },
      await newCaseFacts(tx, playbook, ctx.now, app.config.caseNumbers),
      ctx,
    );
    const created = { ...result.state, status: deriveStatus(playbook, result.state) };
    await insertCase(tx, created);
    const granted = await grantOpener(tx, actor, created.id, ctx.now, 'opened the case');
    const answer = answerChange(actor, created, created, [...result.events, ...granted]);
    await appendEvents(tx, { actor: actor.name, at: ctx.now, events: answer.events });
    return answer.value;
  });
}

export { freshCodename } from './open-case.js';

export interface CaseQuery {
  q?: string;
  /** Only this project's cases. */
  project?: string;
  status?: string;
  limit?: number;
  offset?: number;
  /** Where the page starts: the `nextCursor` of the page before. */
  cursor?: string;
}

export const CASE_PAGE_DEFAULT = 50;
export const CASE_PAGE_MAX = 200;

export interface CasePage {
  /** Each case's summary as the JSON text it keeps (store/cases.ts): the answer is written from them as they are. */
  cases: CaseSummaryJson[];
  /** Give it back as `cursor` for the next page; null when this page is the last. */
  nextCursor: string | null;
}

/** The cursor names the last case of a page by its sort key; opaque to clients. */
function encodeCursor(c: CaseListPosition): string {
  return Buffer.from(JSON.stringify([c.createdAt, c.id]), 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): CaseListPosition {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 2 && typeof value[0] === 'string' && typeof value[1] === 'string') {
      return { createdAt: value[0], id: value[1] };
    }
  } catch {
    // Reported below as the one "not a cursor" answer.
  }
  throw invalidInput('cursor is not one this list gave out; start again without it', { field: 'cursor' });
}

/**
 * One page of the cases the actor may see, newest first, and the cursor of the next page. The
 * cursor is the last case's sort key, so a case added meanwhile never shifts a page (as an offset would).
 */
export async function listCasePage(app: App, actor: Actor, query: CaseQuery = {}): Promise<CasePage> {
  requireScope(actor, 'read');
  const limit = query.limit ?? CASE_PAGE_DEFAULT;
  if (!Number.isInteger(limit) || limit < 1 || limit > CASE_PAGE_MAX) {
    throw invalidInput(`limit must be a whole number from 1 to ${CASE_PAGE_MAX}`, { field: 'limit' });
  }
  if (query.cursor !== undefined && query.offset) throw invalidInput('give a cursor or an offset, not both', { field: 'cursor' });
  const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
  const userId = actor.userId;
  if (actor.role !== 'admin' && !userId) return { cases: [], nextCursor: null };
  // A reporter's reference (R-XXXXX-XXXXX) is a keyed hash of the case id: found among the visible cases.
  const reference = query.q?.trim();
  if (reference && REFERENCE_PATTERN.test(reference)) {
    const found = await app.store.read(async (db) => {
      const visible = await allCases(db, actor.role === 'admin' ? undefined : userId!);
      const id = await caseOfReference(
        db,
        reference,
        visible.map((c) => c.id),
      );
      return visible.filter((c) => c.id === id).map(summaryJson);
    });
    return { cases: found, nextCursor: null };
  }
  // One more than the page, to know whether another page follows.
  const rows = await app.store.read((db) =>
    listCaseSummaryJson(db, {
      visibleTo: actor.role === 'admin' ? undefined : userId!,
      q: query.q,
      project: query.project,
      status: query.status,
      limit: limit + 1,
      offset: after ? 0 : (query.offset ?? 0),
      after,
    }),
  );
  const page = rows.slice(0, limit);
  const last = rows.length > limit ? (JSON.parse(page[page.length - 1]!) as CaseListPosition) : undefined;
  return { cases: page, nextCursor: last ? encodeCursor(last) : null };
}

/**
 * Reads embargoed details; the read itself is recorded in the audit log (who looked at what, when)
 * before the answer is given: the caller gets the value only once its record is committed, so no
 * read goes unrecorded. The record is appended in a batch with the other reads waiting
 * (`recordEvents`), not in a transaction of its own around the read: the writer lock is never held
 * across the read's queries, and one commit (one sync to disk) records many reads.
 */
export async function readCase<T>(app: App, actor: Actor, id: string, what: string, pick: (c: Case, db: Db) => Promise<T> | T): Promise<T> {
  requireScope(actor, 'read');
  const now = app.clock();
  const c = await readVisibleCase(app.store, actor, id);
  const value = await app.store.read(async (db) => pick(c, db));
  await recordEvents(app.store, { actor: actor.name, at: now, events: [caseRead(id, what)] });
  return value;
}

export const showCase = (app: App, actor: Actor, id: string) => readCase(app, actor, id, 'details', (c) => c);

export async function caseSteps(app: App, actor: Actor, id: string): Promise<{ case: Case; playbook: Playbook; steps: StepView[] }> {
  const now = app.clock();
  return readCase(app, actor, id, 'steps', async (c, db) => {
    const playbook = app.playbooks.get(c.playbook);
    return { case: c, playbook, steps: stepViews(playbook, c, now, await gateFactsOf(db, c)) };
  });
}

export const caseEvents = (app: App, actor: Actor, id: string, afterSeq?: number): Promise<StoredEvent[]> =>
  readCase(app, actor, id, 'events', (_c, db) => listEvents(db, { caseId: id, afterSeq, limit: 1000 }));

export const editCase = (app: App, actor: Actor, id: string, edit: CaseEdit, options?: ChangeOptions) =>
  changeCase(app, actor, id, 'write', (c, ctx) => editCaseCommand(c, edit, ctx), options);

export const setEmbargo = (app: App, actor: Actor, id: string, input: EmbargoInput, options?: ChangeOptions) =>
  changeCase(app, actor, id, 'write', (c, ctx) => setEmbargoCommand(c, input, ctx), options);

export const planRelease = (app: App, actor: Actor, id: string, lines: unknown, options?: ChangeOptions) =>
  changeCase(app, actor, id, 'write', (c, ctx) => planReleaseCommand(c, lines, ctx), options);

export const recordRelease = (app: App, actor: Actor, id: string, input: { line: unknown; tag?: unknown }, options?: ChangeOptions) =>
  changeCase(app, actor, id, 'write', (c, ctx) => recordReleaseCommand(c, input, ctx), options);

/** Closes a report without an advisory (rejected, duplicate, withdrawn); a duplicate names a case the actor may see. */
export const resolveCase = (app: App, actor: Actor, id: string, input: ResolutionInput, options?: ChangeOptions) =>
  changeCase(
    app,
    actor,
    id,
    'write',
    async (c, ctx) => {
      if (typeof input.duplicateOf === 'string' && input.duplicateOf !== id) await loadVisibleCase(ctx.tx, actor, input.duplicateOf);
      return resolveCaseCommand(c, input, ctx);
    },
    options,
  );

/** Reopens a closed report: an admin's decision (instance admins, or the project's admins). */
export const reopenCase = (app: App, actor: Actor, id: string, reason: unknown, options?: ChangeOptions) =>
  changeCase(
    app,
    actor,
    id,
    'write',
    async (c, ctx) => {
      if ((await roleIn(ctx.tx, actor, c.project)) !== 'admin') {
        throw new DomainError('forbidden', `only an admin of project ${c.project} can reopen a closed report`);
      }
      return reopenCaseCommand(c, reason, ctx);
    },
    options,
  );

export const correctRelease = (
  app: App,
  actor: Actor,
  id: string,
  input: { line: unknown; tag?: unknown; version?: unknown; reason: unknown },
  options?: ChangeOptions,
) => changeCase(app, actor, id, 'write', (c, ctx) => correctReleaseCommand(c, input, ctx), options);

export const undoRelease = (app: App, actor: Actor, id: string, input: { line: unknown; reason: unknown }, options?: ChangeOptions) =>
  changeCase(app, actor, id, 'write', (c, ctx) => undoReleaseCommand(c, input, ctx), options);

export const completeStep = (app: App, actor: Actor, id: string, step: string, confirmed: string[] = [], options?: ChangeOptions) =>
  changeCase(
    app,
    actor,
    id,
    'write',
    async (c, ctx) => completeStepCommand(ctx.playbook, c, step, ctx, confirmed, await gateFactsOf(ctx.tx, c)),
    options,
  );

export const skipStep = (app: App, actor: Actor, id: string, step: string, reason: unknown, options?: ChangeOptions) =>
  changeCase(app, actor, id, 'write', (c, ctx) => skipStepCommand(ctx.playbook, c, step, reason as string, ctx), options);

export const reopenStep = (app: App, actor: Actor, id: string, step: string, reason: unknown, options?: ChangeOptions) =>
  changeCase(app, actor, id, 'write', (c, ctx) => reopenStepCommand(ctx.playbook, c, step, reason as string, ctx), options);
