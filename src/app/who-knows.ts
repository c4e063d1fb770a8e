/**
 * Who knows: the distributors list's members (admins manage them), the who-knows register of a case,
 * what people told whom, leak incidents, the members' answers on the disclosure date and the agreed
 * date. Need-to-know as for the case; every change is one transaction with its event, every read of
 * a case's register, leaks or answers is an audited case read.
 */
import type { Kysely } from 'kysely';
import type { Case } from '../domain/case/types.js';
import {
  ackSummary,
  answerCleared,
  answerRecorded,
  applyLeakEdit,
  disclosureRecorded,
  distributorAdded,
  distributorRemoved,
  distributorUpdated,
  embargoAgreed,
  leakChanged,
  leakReported,
  buildRegister,
  currentAgreement,
  decideAgreement,
  distributorAnswer,
  distributorEdit,
  isActive,
  leakEdit,
  newDisclosure,
  newDistributor,
  newLeak,
  requireEmbargoToAnswer,
  sayEmbargo,
  type AckSummary,
  type AnswerInput,
  type Disclosure,
  type DisclosureInput,
  type Distributor,
  type DistributorInput,
  type EmbargoAgreement,
  type LeakIncident,
  type LeakInput,
  type Register,
} from '../domain/disclosure/index.js';
import { DomainError } from '../domain/errors.js';
import { earlierDateSentence, noticeOnEarlierDate } from '../domain/messages/record.js';
import { isMessageKind, MESSAGE_KINDS } from '../domain/messages/types.js';
import {
  getDistributor,
  insertDistributor,
  listDistributors as listDistributorRows,
  removeDistributor as markRemoved,
  updateDistributor,
} from '../store/distributors.js';
import { appendEvents } from '../store/events.js';
import { listMessages } from '../store/outbox.js';
import {
  deleteAnswer,
  getLeak,
  insertAgreement,
  insertDisclosure,
  insertLeak,
  listAgreements,
  listAnswers,
  listDisclosures,
  listLeaks,
  saveAnswer,
  saveLeak,
} from '../store/who-knows.js';
import type { Database } from '../store/schema.js';
import { requireScope, type Actor } from './actor.js';
import type { App } from './app.js';
import { readCase } from './cases.js';
import { loadProjectToManage, playbookOf, resolveProject, roleIn } from './projects.js';
import { type CaseAnswer, workOnCase } from './unit-of-work.js';

type Db = Kysely<Database>;

// ---- distributors list members (per project; its admins manage them) ----

/** A project's members (any member of the project may see who is on its list: they record the answers). */
export async function listDistributors(app: App, actor: Actor, opts: { all?: boolean; project?: unknown } = {}): Promise<Distributor[]> {
  requireScope(actor, 'read');
  return app.store.read(async (db) => {
    const project = await resolveProject(db, actor, opts.project, { archived: true });
    return listDistributorRows(db, project.id, { activeOnly: !opts.all });
  });
}

/** A member of a list the actor may see (another project's member is answered like an unknown one). */
async function loadDistributor(db: Db, actor: Actor, id: string): Promise<Distributor> {
  const d = await getDistributor(db, id);
  if (!d || !(await roleIn(db, actor, d.project))) throw new DomainError('not_found', `distributor ${id} not found`);
  return d;
}

/** A member of a list the actor administers. */
async function loadDistributorToManage(db: Db, actor: Actor, id: string): Promise<Distributor> {
  const d = await loadDistributor(db, actor, id);
  await loadProjectToManage(db, actor, d.project);
  return d;
}

export async function addDistributor(app: App, actor: Actor, input: DistributorInput & { project?: unknown }): Promise<Distributor> {
  requireScope(actor, 'write');
  const now = app.clock();
  const d = newDistributor(input, now);
  return app.store.write(async (tx) => {
    const project = await resolveProject(tx, actor, input.project);
    await loadProjectToManage(tx, actor, project.id);
    const active = await listDistributorRows(tx, project.id, { activeOnly: true });
    const same = active.find((m) => m.contact.toLowerCase() === d.contact.toLowerCase());
    if (same) throw new DomainError('conflict', `${d.contact} is already on the list for ${same.organisation}`, { distributorId: same.id });
    const added = await insertDistributor(tx, project.id, d, actor.name, now);
    await appendEvents(tx, { actor: actor.name, at: now, events: [distributorAdded(added)] });
    return added;
  });
}

/** Criteria, who vouched, when they accepted the terms. */
export async function editDistributor(app: App, actor: Actor, id: string, input: DistributorInput): Promise<Distributor> {
  requireScope(actor, 'write');
  const now = app.clock();
  return app.store.write(async (tx) => {
    const before = await loadDistributorToManage(tx, actor, id);
    if (!isActive(before))
      throw new DomainError('conflict', `${before.organisation} was removed from the list on ${before.removedAt}; add them again instead`);
    const edit = distributorEdit(input, now);
    const after = (await updateDistributor(tx, id, edit))!;
    await appendEvents(tx, { actor: actor.name, at: now, events: [distributorUpdated(before, after, edit)] });
    return after;
  });
}

/** Takes a member off the list; the row stays, so earlier notices still name them. */
export async function removeDistributor(app: App, actor: Actor, id: string): Promise<Distributor> {
  requireScope(actor, 'write');
  const now = app.clock();
  return app.store.write(async (tx) => {
    const d = await loadDistributorToManage(tx, actor, id);
    if (!(await markRemoved(tx, id, actor.name, now)))
      throw new DomainError('conflict', `${d.organisation} was already removed from the list on ${d.removedAt}`);
    await appendEvents(tx, { actor: actor.name, at: now, events: [distributorRemoved(d)] });
    return (await getDistributor(tx, id))!;
  });
}

// ---- the who-knows register ----

export interface CaseRegister extends Register {
  caseId: string;
  /** The distributors list address(es) a mail must go to for the members to count as told. */
  listAddresses: string[];
}

async function listAddressesOf(app: App, db: Db, c: Case): Promise<string[]> {
  try {
    const address = (await playbookOf(app, db, c)).settings.distributorsList;
    return address ? [address] : [];
  } catch {
    // A playbook that is no longer installed: only direct recipients can be named.
    return [];
  }
}

/** Everyone who received embargoed information of the case. An audited read. */
export const caseRegister = (app: App, actor: Actor, caseId: string): Promise<CaseRegister> =>
  readCase(app, actor, caseId, 'who-knows register', async (c, db) => {
    const messages = (await listMessages(db, { caseId })).filter((m) => isMessageKind(m.kind) && MESSAGE_KINDS[m.kind].embargoed);
    const listAddresses = await listAddressesOf(app, db, c);
    const register = buildRegister({
      messages: messages.map((m) => ({
        id: m.id,
        kind: m.kind,
        subject: m.subject,
        to: m.to,
        cc: m.cc,
        sentAt: m.sentAt,
        status: m.status,
      })),
      listAddresses,
      members: await listDistributorRows(db, c.project),
      disclosures: await listDisclosures(db, caseId),
    });
    return { caseId, listAddresses, ...register };
  });

/** "I told X at Y by phone": a receipt the outbox cannot know about. */
export const recordDisclosure = (app: App, actor: Actor, caseId: string, input: DisclosureInput): Promise<CaseAnswer<Disclosure>> =>
  workOnCase(app, actor, caseId, 'write', async (_c, { tx, actor: by, now }) => {
    const d = newDisclosure(input, now);
    const saved = await insertDisclosure(tx, caseId, d, by, now);
    return { events: [disclosureRecorded(caseId, saved.id, d)], value: saved };
  });

// ---- leak incidents ----

export const caseLeaks = (app: App, actor: Actor, caseId: string): Promise<LeakIncident[]> =>
  readCase(app, actor, caseId, 'leak incidents', (_c, db) => listLeaks(db, caseId));

export const reportLeak = (app: App, actor: Actor, caseId: string, input: LeakInput): Promise<CaseAnswer<LeakIncident>> =>
  workOnCase(app, actor, caseId, 'write', async (_c, { tx, actor: by, now }) => {
    const l = newLeak(input, now);
    const saved = await insertLeak(tx, caseId, l, by, now);
    return { events: [leakReported(caseId, saved.id, l)], value: saved };
  });

/** Follow-up text, corrections, closing or reopening; unchanged values record nothing. */
export const updateLeak = (app: App, actor: Actor, caseId: string, leakId: string, input: LeakInput): Promise<CaseAnswer<LeakIncident>> =>
  workOnCase(app, actor, caseId, 'write', async (_c, { tx, now }) => {
    const leak = await getLeak(tx, caseId, leakId);
    if (!leak) throw new DomainError('not_found', `leak ${leakId} not found in case ${caseId}`);
    const change = applyLeakEdit(leak, leakEdit(input), now);
    const events = leakChanged(caseId, leak, change);
    if (events.length === 0) return { events, value: leak };
    await saveLeak(tx, change.leak);
    return { events, value: change.leak };
  });

// ---- the members' answers on the disclosure date, and the agreed date ----

export interface CaseAcks extends AckSummary {
  caseId: string;
  /** The agreement on the current date; null when none (or only on an earlier date). */
  agreement: EmbargoAgreement | null;
}

/** The answers on the case's current date, read with `db` (inside the caller's transaction). */
export async function acksOf(db: Db, c: Case): Promise<CaseAcks> {
  const summary = ackSummary(c.embargo, await listDistributorRows(db, c.project), await listAnswers(db, c.id));
  return { caseId: c.id, ...summary, agreement: currentAgreement(await listAgreements(db, c.id), c.embargo) };
}

/** Every active member's answer on the current date, and who has not answered. An audited read. */
export const caseAcks = (app: App, actor: Actor, caseId: string): Promise<CaseAcks> =>
  readCase(app, actor, caseId, 'distributor answers', (c, db) => acksOf(db, c));

/** Loads a member who can answer: on the case's project's list now. */
async function answeringMember(db: Db, c: Case, id: string): Promise<Distributor> {
  const d = await getDistributor(db, id);
  if (!d || d.project !== c.project)
    throw new DomainError('not_found', `distributor ${id} is not on the distributors list of project ${c.project}`);
  if (!isActive(d)) throw new DomainError('conflict', `${d.organisation} left the list on ${d.removedAt}; their answer no longer counts`);
  return d;
}

/** Records a member's ack or objection on the case's current embargo date. */
export const recordAnswer = (
  app: App,
  actor: Actor,
  caseId: string,
  distributorId: string,
  input: AnswerInput,
): Promise<CaseAnswer<CaseAcks>> =>
  workOnCase(app, actor, caseId, 'write', async (c, { tx, actor: by, now }) => {
    const given = distributorAnswer(input);
    const d = await answeringMember(tx, c, distributorId);
    const embargo = requireEmbargoToAnswer(c.embargo, caseId);
    const previous = (await listAnswers(tx, caseId)).find((a) => a.distributorId === d.id) ?? null;
    await saveAnswer(tx, {
      caseId,
      distributorId: d.id,
      answer: given.answer,
      reason: given.reason,
      endsAt: embargo.endsAt,
      timeZone: embargo.timeZone,
      recordedBy: by,
      recordedAt: now.toISOString(),
    });
    return { events: [answerRecorded(caseId, d, given, embargo, previous)], value: await acksOf(tx, c) };
  });

/** Back to "no answer" (recorded by mistake, or the member withdrew it). */
export const clearAnswer = (app: App, actor: Actor, caseId: string, distributorId: string): Promise<CaseAnswer<CaseAcks>> =>
  workOnCase(app, actor, caseId, 'write', async (c, { tx }) => {
    const d = await getDistributor(tx, distributorId);
    if (!d || d.project !== c.project)
      throw new DomainError('not_found', `distributor ${distributorId} is not on the distributors list of project ${c.project}`);
    const previous = (await listAnswers(tx, caseId)).find((a) => a.distributorId === d.id);
    const cleared = previous !== undefined && (await deleteAnswer(tx, caseId, d.id));
    return { events: cleared ? [answerCleared(caseId, d, previous)] : [], value: await acksOf(tx, c) };
  });

export interface AgreementResult {
  agreement: EmbargoAgreement;
  /** The date as agreed, e.g. "2026-12-01 17:00 Europe/Berlin". */
  local: string;
  /** Objections and missing answers, said as sentences; the agreement is recorded anyway. */
  warnings: string[];
  objected: string[];
  notAnswered: string[];
  /** The current date was agreed before; nothing new was recorded. */
  alreadyAgreed: boolean;
}

/** Marks the case's current embargo as the agreed disclosure time (who, when). */
export const agreeEmbargo = (app: App, actor: Actor, caseId: string): Promise<CaseAnswer<AgreementResult>> =>
  workOnCase<AgreementResult>(app, actor, caseId, 'write', async (c, { tx, actor: by, now }) => {
    // The distributors' answers are about the date they were told: a moved date needs its notice first.
    const earlier = noticeOnEarlierDate(c);
    if (earlier) throw new DomainError('conflict', `cannot agree on the date of ${caseId}: ${earlierDateSentence(c, earlier.told)}`);
    const summary = ackSummary(c.embargo, await listDistributorRows(tx, c.project), await listAnswers(tx, caseId));
    const agreements = await listAgreements(tx, caseId);
    const decision = decideAgreement(caseId, c.embargo, summary, agreements);
    const result = {
      warnings: decision.warnings,
      objected: decision.objected,
      notAnswered: decision.notAnswered,
      local: sayEmbargo(decision.embargo),
    };
    const existing = currentAgreement(agreements, c.embargo);
    if (existing) return { events: [], value: { ...result, agreement: existing, alreadyAgreed: true } };
    const agreement = await insertAgreement(tx, {
      caseId,
      endsAt: decision.embargo.endsAt,
      timeZone: decision.embargo.timeZone,
      agreedBy: by,
      agreedAt: now.toISOString(),
      objected: decision.objected,
      notAnswered: decision.notAnswered,
    });
    return { events: [embargoAgreed(agreement)], value: { ...result, agreement, alreadyAgreed: false } };
  });
