/**
 * One unit of work on a case, written once: authorize (scope, then need-to-know), load the visible
 * case, check the revision the change was based on, run one domain command, then persist the new
 * state and its events in the same transaction (optimistic: the update names the revision it read).
 * Every use case that changes a case, or records something about one, goes through here.
 */
import type { Kysely } from 'kysely';
import { fieldsChangedSince, revisionConflict } from '../domain/case/changes.js';
import type { Case, CommandContext } from '../domain/case/types.js';
import type { DomainEvent } from '../domain/events.js';
import { deriveStatus, type Playbook } from '../domain/playbook/index.js';
import { updateCase } from '../store/cases.js';
import { appendEvents, listEvents } from '../store/events.js';
import type { Database } from '../store/schema.js';
import { requireScope, type Actor, type Scope } from './actor.js';
import type { App } from './app.js';
import { playbookOf } from './projects.js';
import { loadVisibleCase } from './visible-case.js';

type Db = Kysely<Database>;

/** What a unit of work hands its command: who and when, the case's playbook (as its project configured it), and the transaction. */
export interface CaseWorkContext extends CommandContext {
  playbook: Playbook;
  tx: Db;
}

/** What the command decided: the case's new state (omit or same object: unchanged), its events, and the answer. */
export interface CaseWorkResult<T> {
  state?: Case;
  events: DomainEvent[];
  value: T;
}

type CommandOutcome = { state: Case; events: DomainEvent[] };

export interface ChangeOptions {
  /** The revision the change was based on (If-Match); a different current revision is refused. */
  expectedRevision?: number;
}

/** The case with the status its playbook derives from its steps: what is stored and answered. */
export function withStatus(state: Case, ctx: Pick<CaseWorkContext, 'playbook'>): Case {
  return { ...state, status: deriveStatus(ctx.playbook, state) };
}

/** Refuses a change based on an old revision, naming the fields changed since. */
async function checkRevision(tx: Db, c: Case, expected: number | undefined): Promise<void> {
  if (expected === undefined || expected === c.revision) return;
  const logged = await listEvents(tx, { caseId: c.id, order: 'desc', limit: 1000 });
  const changed = expected < c.revision ? fieldsChangedSince(logged, c.revision - expected) : [];
  throw revisionConflict(c.id, expected, c.revision, changed);
}

/**
 * Runs `work` on the visible case in one transaction and answers its value. A new state is stored
 * (with the status the playbook derives) only when it is a different object; events are appended
 * with the actor and time of the unit of work.
 */
export async function workOnCase<T>(
  app: App,
  actor: Actor,
  caseId: string,
  scope: Scope,
  work: (c: Case, ctx: CaseWorkContext) => CaseWorkResult<T> | Promise<CaseWorkResult<T>>,
  options: ChangeOptions = {},
): Promise<T> {
  requireScope(actor, scope);
  const now = app.clock();
  return app.store.write(async (tx) => {
    const current = await loadVisibleCase(tx, actor, caseId);
    await checkRevision(tx, current, options.expectedRevision);
    const playbook = await playbookOf(app, tx, current);
    const { state, events, value } = await work(current, { actor: actor.name, now, playbook, tx });
    if (state && state !== current) {
      await updateCase(tx, { ...state, status: deriveStatus(playbook, state) }, current.revision);
    }
    await appendEvents(tx, { actor: actor.name, at: now, events });
    return value;
  });
}

/**
 * The common case of `workOnCase`: one domain command on the case, answering the case as it is
 * afterwards. A command that changes nothing (no events) stores nothing.
 */
export function changeCase(
  app: App,
  actor: Actor,
  caseId: string,
  scope: Scope,
  /** May read rows beside the case first (through ctx.tx), hence may be async. */
  command: (c: Case, ctx: CaseWorkContext) => CommandOutcome | Promise<CommandOutcome>,
  options: ChangeOptions = {},
): Promise<Case> {
  return workOnCase(
    app,
    actor,
    caseId,
    scope,
    async (c, ctx) => {
      const { state, events } = await command(c, ctx);
      // No events, or events about an action that left the case as it was (an advisory pushed again).
      if (events.length === 0 || state === c) return { events, value: c };
      const next = withStatus(state, ctx);
      return { state: next, events, value: next };
    },
    options,
  );
}
