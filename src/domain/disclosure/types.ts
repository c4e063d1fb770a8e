/**
 * Who knows about an embargoed case, and on what terms: the distributors list's members, what was
 * told to whom (by mail or by a person), leaks, and each member's answer on the proposed disclosure
 * date. Plain data; the store keeps it, the functions beside this file decide.
 */

/** A member of the private distributors list (project-wide). Removal keeps the row: history. */
export interface Distributor {
  id: string;
  /** The project whose distributors list this is (each project keeps its own). */
  project: string;
  /** The organisation, e.g. "Example Linux". */
  organisation: string;
  /** The address that receives the list's mail for them. */
  contact: string;
  /** The membership criteria they meet, as the team wrote them ("has a security contact", …). */
  criteria: string[];
  /** Who vouched for them (a person or an existing member). */
  vouchedBy: string | null;
  /** When they accepted the embargo terms; null = not yet. */
  termsAcceptedAt: string | null;
  addedAt: string;
  addedBy: string;
  removedAt: string | null;
  removedBy: string | null;
}

/** How a person told someone outside the case's team, when it was not an outbox mail. */
export type DisclosureChannel = 'phone' | 'chat' | 'mail' | 'meeting' | 'other';
export const DISCLOSURE_CHANNELS: readonly DisclosureChannel[] = ['phone', 'chat', 'mail', 'meeting', 'other'];

/** "I told X at Y by phone: …", recorded by a person. */
export interface Disclosure {
  id: string;
  caseId: string;
  /** The person or organisation told. */
  recipient: string;
  channel: DisclosureChannel;
  /** What they were told. */
  what: string;
  /** When they were told (ISO instant). */
  at: string;
  /** Whether they had accepted the embargo terms when told. */
  acceptedTerms: boolean;
  recordedBy: string;
  recordedAt: string;
}

/** An embargoed mail of the case as the register needs it: who got it and when. */
export interface SentMessage {
  id: string;
  kind: string;
  subject: string;
  to: string[];
  cc: string[];
  /** When it went out; null while not (yet) confirmed sent. */
  sentAt: string | null;
  status: string;
}

/** Where a register entry comes from. */
export type RegisterSource = 'distributors-list' | 'direct' | 'disclosure';

/** One receipt of embargoed information: who, when, through what, on which terms. */
export interface RegisterEntry {
  at: string;
  /** Organisation (list members), the address (other mail recipients) or the person told. */
  who: string;
  address: string | null;
  distributorId: string | null;
  source: RegisterSource;
  /** The outbox message, for mail. */
  messageId: string | null;
  messageKind: string | null;
  /** The disclosure, for things a person told. */
  disclosureId: string | null;
  channel: DisclosureChannel | null;
  /** The subject of the mail, or what the person was told. */
  what: string;
  /** Whether they had accepted the embargo terms at that moment; null = not known (not a member). */
  acceptedTerms: boolean | null;
}

/** An embargoed mail whose delivery is not confirmed: it may be out already. */
export interface UnconfirmedMessage {
  messageId: string;
  kind: string;
  status: string;
  to: string[];
}

/** One person or organisation who knows, over all their receipts. */
export interface KnowingParty {
  who: string;
  distributorId: string | null;
  /** When they first received embargoed information of the case. */
  firstAt: string;
  receipts: number;
  /** Receipts at a moment they had not accepted the terms, or whose terms are unknown. */
  withoutTerms: number;
}

export interface Register {
  entries: RegisterEntry[];
  /** Everyone in `entries`, once, in the order they first learnt of it. */
  people: KnowingParty[];
  unconfirmed: UnconfirmedMessage[];
}

export type LeakStatus = 'open' | 'closed';
export const LEAK_STATUSES: readonly LeakStatus[] = ['open', 'closed'];

/** Embargoed information that reached someone it should not have (the policy's "what and to whom"). */
export interface LeakIncident {
  id: string;
  caseId: string;
  what: string;
  leakedTo: string;
  reportedBy: string;
  reportedAt: string;
  followUp: string;
  status: LeakStatus;
  recordedBy: string;
  recordedAt: string;
  updatedAt: string;
  closedAt: string | null;
}

export type AnswerKind = 'ack' | 'objection';

/** A member's answer on a proposed disclosure date; `endsAt` + `timeZone` say which date. */
export interface DistributorAnswer {
  caseId: string;
  distributorId: string;
  answer: AnswerKind;
  /** Required for an objection; an optional note for an ack. */
  reason: string | null;
  endsAt: string;
  timeZone: string;
  recordedBy: string;
  recordedAt: string;
}

/** The team marked an embargo time as agreed. */
export interface EmbargoAgreement {
  id: string;
  caseId: string;
  endsAt: string;
  timeZone: string;
  agreedBy: string;
  agreedAt: string;
  /** Organisations that objected, and that had not answered, when it was agreed. */
  objected: string[];
  notAnswered: string[];
}
