/**
 * A case's who-knows records: what people told whom, leak incidents, the distributors' answers on
 * the disclosure date and the agreed dates. The register itself is computed (src/domain/disclosure).
 */
import { randomUUID } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import type { Disclosure, DisclosureChannel, DistributorAnswer, EmbargoAgreement, LeakIncident } from '../domain/disclosure/types.js';
import type { NewDisclosure, NewLeak } from '../domain/disclosure/validate.js';
import type { CaseDisclosuresTable, Database, DistributorAnswersTable, EmbargoAgreementsTable, LeakIncidentsTable } from './schema.js';
import { hasNul } from './portable-sql.js';

type Db = Kysely<Database>;

const presentDisclosure = (r: Selectable<CaseDisclosuresTable>): Disclosure => ({
  id: r.id,
  caseId: r.case_id,
  recipient: r.recipient,
  channel: r.channel as DisclosureChannel,
  what: r.what,
  at: r.at,
  acceptedTerms: Number(r.accepted_terms) === 1,
  recordedBy: r.recorded_by,
  recordedAt: r.recorded_at,
});

export async function insertDisclosure(db: Db, caseId: string, d: NewDisclosure, by: string, at: Date): Promise<Disclosure> {
  const row: Selectable<CaseDisclosuresTable> = {
    id: randomUUID(),
    case_id: caseId,
    recipient: d.recipient,
    channel: d.channel,
    what: d.what,
    at: d.at,
    accepted_terms: d.acceptedTerms ? 1 : 0,
    recorded_by: by,
    recorded_at: at.toISOString(),
  };
  await db.insertInto('case_disclosures').values(row).execute();
  return presentDisclosure(row);
}

export async function listDisclosures(db: Db, caseId: string): Promise<Disclosure[]> {
  if (hasNul(caseId)) return [];
  const rows = await db.selectFrom('case_disclosures').selectAll().where('case_id', '=', caseId).orderBy('at').orderBy('id').execute();
  return rows.map(presentDisclosure);
}

const presentLeak = (r: Selectable<LeakIncidentsTable>): LeakIncident => ({
  id: r.id,
  caseId: r.case_id,
  what: r.what,
  leakedTo: r.leaked_to,
  reportedBy: r.reported_by,
  reportedAt: r.reported_at,
  followUp: r.follow_up,
  status: r.status,
  recordedBy: r.recorded_by,
  recordedAt: r.recorded_at,
  updatedAt: r.updated_at,
  closedAt: r.closed_at,
});

export async function insertLeak(db: Db, caseId: string, l: NewLeak, by: string, at: Date): Promise<LeakIncident> {
  const now = at.toISOString();
  const row: Selectable<LeakIncidentsTable> = {
    id: randomUUID(),
    case_id: caseId,
    what: l.what,
    leaked_to: l.leakedTo,
    reported_by: l.reportedBy,
    reported_at: l.reportedAt,
    follow_up: l.followUp,
    status: 'open',
    recorded_by: by,
    recorded_at: now,
    updated_at: now,
    closed_at: null,
  };
  await db.insertInto('leak_incidents').values(row).execute();
  return presentLeak(row);
}

export async function listLeaks(db: Db, caseId: string): Promise<LeakIncident[]> {
  if (hasNul(caseId)) return [];
  const rows = await db
    .selectFrom('leak_incidents')
    .selectAll()
    .where('case_id', '=', caseId)
    .orderBy('reported_at')
    .orderBy('id')
    .execute();
  return rows.map(presentLeak);
}

/** A leak of this case (a leak id from another case is not found). */
export async function getLeak(db: Db, caseId: string, id: string): Promise<LeakIncident | null> {
  if (hasNul(caseId, id)) return null;
  const r = await db.selectFrom('leak_incidents').selectAll().where('case_id', '=', caseId).where('id', '=', id).executeTakeFirst();
  return r ? presentLeak(r) : null;
}

export async function saveLeak(db: Db, l: LeakIncident): Promise<void> {
  await db
    .updateTable('leak_incidents')
    .set({ what: l.what, leaked_to: l.leakedTo, follow_up: l.followUp, status: l.status, updated_at: l.updatedAt, closed_at: l.closedAt })
    .where('id', '=', l.id)
    .where('case_id', '=', l.caseId)
    .execute();
}

const presentAnswer = (r: Selectable<DistributorAnswersTable>): DistributorAnswer => ({
  caseId: r.case_id,
  distributorId: r.distributor_id,
  answer: r.answer,
  reason: r.reason,
  endsAt: r.ends_at,
  timeZone: r.time_zone,
  recordedBy: r.recorded_by,
  recordedAt: r.recorded_at,
});

export async function listAnswers(db: Db, caseId: string): Promise<DistributorAnswer[]> {
  if (hasNul(caseId)) return [];
  const rows = await db.selectFrom('distributor_answers').selectAll().where('case_id', '=', caseId).execute();
  return rows.map(presentAnswer);
}

/** Replaces the member's answer on the case (the latest answer counts; events keep the earlier ones). */
export async function saveAnswer(db: Db, a: DistributorAnswer): Promise<void> {
  const row = {
    answer: a.answer,
    reason: a.reason,
    ends_at: a.endsAt,
    time_zone: a.timeZone,
    recorded_by: a.recordedBy,
    recorded_at: a.recordedAt,
  };
  await db
    .insertInto('distributor_answers')
    .values({ case_id: a.caseId, distributor_id: a.distributorId, ...row })
    .onConflict((oc) => oc.columns(['case_id', 'distributor_id']).doUpdateSet(row))
    .execute();
}

/** Back to "no answer"; false when there was none. */
export async function deleteAnswer(db: Db, caseId: string, distributorId: string): Promise<boolean> {
  const res = await db
    .deleteFrom('distributor_answers')
    .where('case_id', '=', caseId)
    .where('distributor_id', '=', distributorId)
    .executeTakeFirst();
  return Number(res.numDeletedRows) > 0;
}

const presentAgreement = (r: Selectable<EmbargoAgreementsTable>): EmbargoAgreement => ({
  id: r.id,
  caseId: r.case_id,
  endsAt: r.ends_at,
  timeZone: r.time_zone,
  agreedBy: r.agreed_by,
  agreedAt: r.agreed_at,
  objected: JSON.parse(r.objected) as string[],
  notAnswered: JSON.parse(r.not_answered) as string[],
});

export async function insertAgreement(db: Db, a: Omit<EmbargoAgreement, 'id'>): Promise<EmbargoAgreement> {
  const row: Selectable<EmbargoAgreementsTable> = {
    id: randomUUID(),
    case_id: a.caseId,
    ends_at: a.endsAt,
    time_zone: a.timeZone,
    agreed_by: a.agreedBy,
    agreed_at: a.agreedAt,
    objected: JSON.stringify(a.objected),
    not_answered: JSON.stringify(a.notAnswered),
  };
  await db.insertInto('embargo_agreements').values(row).execute();
  return presentAgreement(row);
}

/** The case's agreements, oldest first (a case rarely has more than a few). */
export async function listAgreements(db: Db, caseId: string): Promise<EmbargoAgreement[]> {
  if (hasNul(caseId)) return [];
  const rows = await db.selectFrom('embargo_agreements').selectAll().where('case_id', '=', caseId).orderBy('agreed_at').execute();
  return rows.map(presentAgreement);
}
