/**
 * The members' answers on the proposed disclosure date. An answer is about one date (endsAt and
 * time zone); when the embargo moves, the old answer is stale: the member said yes to another date.
 */
import type { Embargo } from '../case/types.js';
import { conflict } from '../errors.js';
import { formatInZone, isValidTimeZone } from '../time.js';
import { isActive } from './membership.js';
import type { AnswerKind, Distributor, DistributorAnswer, EmbargoAgreement } from './types.js';

/** ack / objection: about the current date; stale: about an earlier one; no-answer: none recorded. */
export type AnswerState = AnswerKind | 'stale' | 'no-answer';

export interface MemberAnswer {
  distributorId: string;
  organisation: string;
  contact: string;
  state: AnswerState;
  /** The recorded answer (also when stale), with its reason and the date it was about. */
  answer: AnswerKind | null;
  reason: string | null;
  aboutEndsAt: string | null;
  aboutTimeZone: string | null;
  recordedBy: string | null;
  recordedAt: string | null;
}

export interface AckSummary {
  embargo: Embargo | null;
  members: MemberAnswer[];
  /** Organisations with no answer on the current date (none, or stale). */
  notAnswered: string[];
  objected: { organisation: string; reason: string }[];
  acknowledged: string[];
}

/** Whether an answer is about this embargo: the same instant in the same zone. */
export function isAbout(answer: Pick<DistributorAnswer, 'endsAt' | 'timeZone'>, embargo: Embargo | null): boolean {
  return embargo !== null && answer.endsAt === embargo.endsAt && answer.timeZone === embargo.timeZone;
}

/** Every active member with their answer on the case's current embargo date. */
export function ackSummary(embargo: Embargo | null, members: readonly Distributor[], answers: readonly DistributorAnswer[]): AckSummary {
  const byMember = new Map(answers.map((a) => [a.distributorId, a]));
  const rows: MemberAnswer[] = members
    .filter(isActive)
    .map((d) => {
      const a = byMember.get(d.id);
      const state: AnswerState = !a ? 'no-answer' : isAbout(a, embargo) ? a.answer : 'stale';
      return {
        distributorId: d.id,
        organisation: d.organisation,
        contact: d.contact,
        state,
        answer: a?.answer ?? null,
        reason: a?.reason ?? null,
        aboutEndsAt: a?.endsAt ?? null,
        aboutTimeZone: a?.timeZone ?? null,
        recordedBy: a?.recordedBy ?? null,
        recordedAt: a?.recordedAt ?? null,
      };
    })
    .sort((a, b) => a.organisation.localeCompare(b.organisation));
  return {
    embargo,
    members: rows,
    notAnswered: rows.filter((r) => r.state === 'no-answer' || r.state === 'stale').map((r) => r.organisation),
    objected: rows.filter((r) => r.state === 'objection').map((r) => ({ organisation: r.organisation, reason: r.reason ?? '' })),
    acknowledged: rows.filter((r) => r.state === 'ack').map((r) => r.organisation),
  };
}

/** An answer needs a date to be about. */
export function requireEmbargoToAnswer(embargo: Embargo | null, caseId: string): Embargo {
  if (!embargo) {
    throw conflict(`case ${caseId} has no proposed disclosure date yet; set the embargo first, then record the members' answers on it`);
  }
  return embargo;
}

export interface AgreementDecision {
  embargo: Embargo;
  /** Sentences for the response: who objected, who has not answered. Not a refusal. */
  warnings: string[];
  objected: string[];
  notAnswered: string[];
  /** True when the latest agreement is already about this date: nothing to record. */
  alreadyAgreed: boolean;
}

/**
 * Marking the current embargo as agreed: refused without an embargo; objections and missing answers
 * are said as warnings, because the team may agree a date over an objection (the policy asks for
 * buy-in, "or at least see if there are objections"), but must do so knowingly.
 */
export function decideAgreement(
  caseId: string,
  embargo: Embargo | null,
  summary: AckSummary,
  agreements: readonly EmbargoAgreement[],
): AgreementDecision {
  if (!embargo) throw conflict(`case ${caseId} has no embargo to agree on; set the proposed disclosure time first`);
  const warnings: string[] = [];
  for (const o of summary.objected) warnings.push(`${o.organisation} objected to this date: ${o.reason}`);
  if (summary.notAnswered.length > 0) {
    warnings.push(
      `${summary.notAnswered.length} member${summary.notAnswered.length === 1 ? ' has' : 's have'} not answered on this date: ${summary.notAnswered.join(', ')}`,
    );
  }
  return {
    embargo,
    warnings,
    objected: summary.objected.map((o) => o.organisation),
    notAnswered: summary.notAnswered,
    alreadyAgreed: currentAgreement(agreements, embargo) !== null,
  };
}

/** The latest agreement about the current date; an agreement on an earlier date no longer holds. */
export function currentAgreement(agreements: readonly EmbargoAgreement[], embargo: Embargo | null): EmbargoAgreement | null {
  for (let i = agreements.length - 1; i >= 0; i--) if (isAbout(agreements[i]!, embargo)) return agreements[i]!;
  return null;
}

/** "2026-12-01 17:00 Europe/Berlin": the date as the people who agreed it say it. */
export function sayEmbargo(e: Pick<Embargo, 'endsAt' | 'timeZone'>): string {
  return formatInZone(new Date(e.endsAt), isValidTimeZone(e.timeZone) ? e.timeZone : 'UTC');
}
