/**
 * Checks for what a person records about who knows: members, disclosures, leaks and answers. Each
 * returns the cleaned value or throws an invalid_input DomainError naming the field.
 */
import { optionalText, requiredText } from '../case/fields.js';
import { invalidInput } from '../errors.js';
import { zonedToInstant } from '../time.js';
import { DISCLOSURE_CHANNELS, LEAK_STATUSES, type AnswerKind, type DisclosureChannel, type LeakStatus } from './types.js';

/** The same shape the outbox accepts: one plain address, no display name. */
const PLAIN_ADDRESS = /^[^\s@<>,;"]+@[^\s@<>,;"]+\.[^\s@<>,;".]+$/;
/** An instant says its zone: Z or an offset. "14:00" alone would be read in nobody's zone. */
const WITH_ZONE = /(Z|[+-]\d{2}:?\d{2})$/i;
/** A clock a minute ahead of the server's is not "the future". */
const CLOCK_SKEW_MS = 60_000;

export function mailAddress(field: string, value: unknown): string {
  const text = requiredText(field, value, 320);
  if (!PLAIN_ADDRESS.test(text)) throw invalidInput(`${field} "${text}" is not a plain mail address like security@example.org`, { field });
  return text;
}

/** An ISO 8601 instant with its zone written out, not after `now`. */
export function pastInstant(field: string, value: unknown, now: Date): string {
  const text = requiredText(field, value, 64);
  if (!WITH_ZONE.test(text)) {
    throw invalidInput(`${field} "${text}" must say its zone, e.g. 2026-11-25T14:00:00Z or 2026-11-25 15:00+01:00`, { field });
  }
  const at = zonedToInstant(text, 'UTC');
  if (at.getTime() > now.getTime() + CLOCK_SKEW_MS) throw invalidInput(`${field} ${text} is in the future`, { field });
  return at.toISOString();
}

function flag(field: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'boolean') throw invalidInput(`${field} must be true or false`, { field });
  return value;
}

function textList(field: string, value: unknown, maxItems: number, maxLength: number): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw invalidInput(`${field} must be a list of text`, { field });
  if (value.length > maxItems) throw invalidInput(`${field} has more than ${maxItems} entries`, { field });
  const out: string[] = [];
  for (const item of value) {
    const text = requiredText(field, item, maxLength);
    if (!out.some((o) => o.toLowerCase() === text.toLowerCase())) out.push(text);
  }
  return out;
}

export interface DistributorInput {
  organisation?: unknown;
  contact?: unknown;
  criteria?: unknown;
  vouchedBy?: unknown;
  termsAcceptedAt?: unknown;
}

export interface NewDistributor {
  organisation: string;
  contact: string;
  criteria: string[];
  vouchedBy: string | null;
  termsAcceptedAt: string | null;
}

export function newDistributor(input: DistributorInput, now: Date): NewDistributor {
  return {
    organisation: requiredText('organisation', input.organisation, 200),
    contact: mailAddress('contact', input.contact),
    criteria: textList('criteria', input.criteria, 20, 200),
    vouchedBy: optionalText('vouchedBy', input.vouchedBy, 200),
    termsAcceptedAt: input.termsAcceptedAt == null ? null : pastInstant('termsAcceptedAt', input.termsAcceptedAt, now),
  };
}

/** What may change on a member: criteria, voucher, terms. Name and address: remove and add again. */
export type DistributorEdit = Partial<Pick<NewDistributor, 'criteria' | 'vouchedBy' | 'termsAcceptedAt'>>;

export function distributorEdit(input: DistributorInput, now: Date): DistributorEdit {
  if (input.organisation !== undefined || input.contact !== undefined) {
    throw invalidInput(
      "a member's organisation and contact stay as recorded (the register needs them); remove the member and add them again",
      {
        field: input.organisation !== undefined ? 'organisation' : 'contact',
      },
    );
  }
  const edit: DistributorEdit = {};
  if (input.criteria !== undefined) edit.criteria = textList('criteria', input.criteria, 20, 200);
  if (input.vouchedBy !== undefined) edit.vouchedBy = optionalText('vouchedBy', input.vouchedBy, 200);
  if (input.termsAcceptedAt !== undefined) {
    edit.termsAcceptedAt = input.termsAcceptedAt === null ? null : pastInstant('termsAcceptedAt', input.termsAcceptedAt, now);
  }
  if (Object.keys(edit).length === 0) throw invalidInput('say what to change: criteria, vouchedBy or termsAcceptedAt');
  return edit;
}

export interface DisclosureInput {
  recipient?: unknown;
  channel?: unknown;
  what?: unknown;
  at?: unknown;
  acceptedTerms?: unknown;
}

export interface NewDisclosure {
  recipient: string;
  channel: DisclosureChannel;
  what: string;
  at: string;
  acceptedTerms: boolean;
}

export function newDisclosure(input: DisclosureInput, now: Date): NewDisclosure {
  const channel = input.channel ?? 'other';
  if (typeof channel !== 'string' || !DISCLOSURE_CHANNELS.includes(channel as DisclosureChannel)) {
    throw invalidInput(`channel must be one of ${DISCLOSURE_CHANNELS.join(', ')}`, { field: 'channel' });
  }
  return {
    recipient: requiredText('recipient', input.recipient, 200),
    channel: channel as DisclosureChannel,
    what: requiredText('what', input.what, 2000),
    at: input.at == null ? now.toISOString() : pastInstant('at', input.at, now),
    acceptedTerms: flag('acceptedTerms', input.acceptedTerms, false),
  };
}

export interface LeakInput {
  what?: unknown;
  leakedTo?: unknown;
  reportedBy?: unknown;
  reportedAt?: unknown;
  followUp?: unknown;
  status?: unknown;
}

export interface NewLeak {
  what: string;
  leakedTo: string;
  reportedBy: string;
  reportedAt: string;
  followUp: string;
}

export function newLeak(input: LeakInput, now: Date): NewLeak {
  if (input.status !== undefined)
    throw invalidInput('a new leak is open; close it with an update once it is dealt with', { field: 'status' });
  return {
    what: requiredText('what', input.what, 2000),
    leakedTo: requiredText('leakedTo', input.leakedTo, 500),
    reportedBy: requiredText('reportedBy', input.reportedBy, 200),
    reportedAt: input.reportedAt == null ? now.toISOString() : pastInstant('reportedAt', input.reportedAt, now),
    followUp: optionalText('followUp', input.followUp, 5000) ?? '',
  };
}

export type LeakEdit = Partial<Pick<NewLeak, 'what' | 'leakedTo' | 'followUp'>> & { status?: LeakStatus };

export function leakEdit(input: LeakInput): LeakEdit {
  if (input.reportedBy !== undefined || input.reportedAt !== undefined) {
    throw invalidInput('who reported a leak and when stay as recorded', {
      field: input.reportedBy !== undefined ? 'reportedBy' : 'reportedAt',
    });
  }
  const edit: LeakEdit = {};
  if (input.what !== undefined) edit.what = requiredText('what', input.what, 2000);
  if (input.leakedTo !== undefined) edit.leakedTo = requiredText('leakedTo', input.leakedTo, 500);
  if (input.followUp !== undefined) edit.followUp = optionalText('followUp', input.followUp, 5000) ?? '';
  if (input.status !== undefined) {
    if (typeof input.status !== 'string' || !LEAK_STATUSES.includes(input.status as LeakStatus)) {
      throw invalidInput(`status must be one of ${LEAK_STATUSES.join(', ')}`, { field: 'status' });
    }
    edit.status = input.status as LeakStatus;
  }
  if (Object.keys(edit).length === 0) throw invalidInput('say what to change: what, leakedTo, followUp or status');
  return edit;
}

export interface AnswerInput {
  answer?: unknown;
  reason?: unknown;
}

export function distributorAnswer(input: AnswerInput): { answer: AnswerKind; reason: string | null } {
  const answer = input.answer;
  if (answer !== 'ack' && answer !== 'objection') throw invalidInput('answer must be ack or objection', { field: 'answer' });
  // A blank reason is no reason: the objection rule below says what is missing.
  const reason = typeof input.reason === 'string' && input.reason.trim() === '' ? null : optionalText('reason', input.reason, 2000);
  if (answer === 'objection' && reason === null) {
    throw invalidInput('an objection needs a reason: say what the member objects to, so the team can weigh it', { field: 'reason' });
  }
  return { answer, reason };
}
