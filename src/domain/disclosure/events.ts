/**
 * The events of the who-knows area, built here so that what the log says about a member, a
 * disclosure, a leak or an answer is decided in one place (the shell stores the rows and appends
 * these). The details are what the log has always held.
 */
import type { Embargo } from '../case/types.js';
import { event, type EventOf } from '../events.js';
import { sayEmbargo } from './acks.js';
import type { LeakChange } from './leaks.js';
import type { AnswerKind, Distributor, DistributorAnswer, EmbargoAgreement, LeakIncident } from './types.js';
import type { DistributorEdit, NewDisclosure, NewLeak } from './validate.js';

export const distributorAdded = (d: Distributor): EventOf<'distributor.added'> =>
  event('distributor.added', null, {
    distributorId: d.id,
    project: d.project,
    organisation: d.organisation,
    contact: d.contact,
    criteria: d.criteria,
    vouchedBy: d.vouchedBy,
    termsAcceptedAt: d.termsAcceptedAt,
  });

/** Field -> [before, after] for every field the edit set. */
export function distributorUpdated(before: Distributor, after: Distributor, edit: DistributorEdit): EventOf<'distributor.updated'> {
  const changes = Object.fromEntries(Object.keys(edit).map((k) => [k, [before[k as keyof Distributor], after[k as keyof Distributor]]]));
  return event('distributor.updated', null, { distributorId: after.id, project: after.project, organisation: after.organisation, changes });
}

export const distributorRemoved = (d: Distributor): EventOf<'distributor.removed'> =>
  event('distributor.removed', null, { distributorId: d.id, project: d.project, organisation: d.organisation, contact: d.contact });

export const disclosureRecorded = (caseId: string, id: string, d: NewDisclosure): EventOf<'disclosure.recorded'> =>
  event('disclosure.recorded', caseId, {
    disclosureId: id,
    recipient: d.recipient,
    channel: d.channel,
    what: d.what,
    at: d.at,
    acceptedTerms: d.acceptedTerms,
  });

export const leakReported = (caseId: string, id: string, l: NewLeak): EventOf<'leak.reported'> =>
  event('leak.reported', caseId, { leakId: id, what: l.what, leakedTo: l.leakedTo, reportedBy: l.reportedBy, reportedAt: l.reportedAt });

/** The event of a leak edit (updated, closed or reopened); none when nothing changed. */
export const leakChanged = (caseId: string, leak: LeakIncident, change: LeakChange): EventOf<LeakChange['action']>[] =>
  Object.keys(change.changes).length === 0 ? [] : [event(change.action, caseId, { leakId: leak.id, changes: change.changes })];

const previousOf = (a: DistributorAnswer) => ({ answer: a.answer, reason: a.reason, endsAt: a.endsAt, timeZone: a.timeZone });

export function answerRecorded(
  caseId: string,
  d: Distributor,
  answer: { answer: AnswerKind; reason: string | null },
  embargo: Embargo,
  previous: DistributorAnswer | null,
): EventOf<'distributor.acknowledged' | 'distributor.objected'> {
  return event(answer.answer === 'ack' ? 'distributor.acknowledged' : 'distributor.objected', caseId, {
    distributorId: d.id,
    organisation: d.organisation,
    reason: answer.reason,
    endsAt: embargo.endsAt,
    timeZone: embargo.timeZone,
    local: sayEmbargo(embargo),
    previous: previous ? previousOf(previous) : null,
  });
}

export const answerCleared = (caseId: string, d: Distributor, previous: DistributorAnswer): EventOf<'distributor.answer-cleared'> =>
  event('distributor.answer-cleared', caseId, { distributorId: d.id, organisation: d.organisation, previous: previousOf(previous) });

export const embargoAgreed = (a: EmbargoAgreement): EventOf<'embargo.agreed'> =>
  event('embargo.agreed', a.caseId, {
    endsAt: a.endsAt,
    timeZone: a.timeZone,
    local: sayEmbargo(a),
    objected: a.objected,
    notAnswered: a.notAnswered,
  });
