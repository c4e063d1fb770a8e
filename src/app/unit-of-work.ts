/**
 * One unit of work on a case, written once: authorize (scope, then need-to-know), load the visible
 * case, check the revision the change was based on, run one domain command, then persist the new
 * state and its events in the same transaction (optimistic: the update names the revision it read).
 * Every use case that changes a case, or records something about one, goes through here.
 *
 * The answer of a change is decided here too (docs/security.md): it carries the case's details only
 * for an actor that may read them, and then the same transaction appends a `case.read` — a change
 * that changed nothing included. An actor that may only write gets a receipt: which case, at which
 * revision.
 */
import type { Kysely } from 'kysely';
import { caseRead } from '../domain/case/access-events.js';
import { fieldsChangedSince, revisionConflict } from '../domain/case/changes.js';
import { DomainError } from '../domain/errors.js';
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
  /**
   * False when the answer holds nothing of the case beyond what the request itself named (a link
   * revoked: yes or no); such an answer goes to a write-only actor as it is, and records no read.
   */
  discloses?: false;
}

/** What a change answers to an actor that may not read the case: which case, at which revision. */
export interface CaseReceipt {
  /** Always true: tells a receipt from the answer an actor that may read gets. */
  receipt: true;
  id: string;
  revision: number;
}

/** A change's answer: its value for an actor that may read the case, else the receipt. */
export type CaseAnswer<T> = T | CaseReceipt;

/** What the audit log says was read when a change answered with the case's details. */
export const CHANGE_ANSWER_READ = 'answer to a change';

export const isReceipt = (answer: unknown): answer is CaseReceipt =>
  typeof answer === 'object' && answer !== null && (answer as Partial<CaseReceipt>).receipt === true;

/** Shapes an answer's value (the receipt stays as it is). */
export const mapAnswer = <T, U>(answer: CaseAnswer<T>, shape: (value: T) => U): CaseAnswer<U> =>
  isReceipt(answer) ? answer : shape(answer);

/** Whether the actor may read a case's details (on its access list is checked separately). */
export const mayRead = (actor: Actor): boolean => actor.scopes.includes('read');

/**
 * The answer of a change and the events it appends: the value and a `case.read` for an actor that
 * may read, the receipt for one that may not. For the use cases that write outside `workOnCase`
 * (opening a case, importing one).
 */
export function answerChange<T>(
  actor: Actor,
  receipt: Omit<CaseReceipt, 'receipt'>,
  value: T,
  events: DomainEvent[],
): { value: CaseAnswer<T>; events: DomainEvent[] } {
  if (!mayRead(actor)) return { value: { receipt: true, id: receipt.id, revision: receipt.revision }, events };
  return { value, events: [...events, caseRead(receipt.id, CHANGE_ANSWER_READ)] };
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
): Promise<CaseAnswer<T>> {
  requireScope(actor, scope);
  const now = app.clock();
  return app.store.write(async (tx) => {
    const current = await loadVisibleCase(tx, actor, caseId);
    await checkRevision(tx, current, options.expectedRevision);
    const playbook = await playbookOf(app, tx, current);
    const result = await work(current, { actor: actor.name, now, playbook, tx });
    const { state } = result;
    const changed = state !== undefined && state !== current;
    if (changed) {
      await updateCase(tx, { ...state, status: deriveStatus(playbook, state) }, current.revision);
    }
    const receipt = { id: current.id, revision: changed ? state.revision : current.revision };
    const answer =
      result.discloses === false
        ? { value: result.value, events: result.events }
        : answerChange(actor, receipt, result.value, result.events);
    await appendEvents(tx, { actor: actor.name, at: now, events: answer.events });
    return answer.value;
  });
}

/** The value of a change run for an actor that may read (the receipt is never its answer). */
export function readableAnswer<T>(answer: CaseAnswer<T>, actor: Actor): T {
  if (!mayRead(actor)) throw new DomainError('forbidden', 'this API token lacks the "read" scope');
  return answer as T;
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
): Promise<CaseAnswer<Case>> {
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
