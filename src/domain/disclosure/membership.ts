/** Who was on the distributors list at a given moment, and on which terms. */
import type { Distributor } from './types.js';

const ms = (iso: string) => new Date(iso).getTime();

/** Added at or before `at`, and not removed by then: a mail sent at `at` reached them. */
export function wasMemberAt(d: Distributor, at: string): boolean {
  const t = ms(at);
  return ms(d.addedAt) <= t && (d.removedAt === null || ms(d.removedAt) > t);
}

export function membersAt(members: readonly Distributor[], at: string): Distributor[] {
  return members.filter((d) => wasMemberAt(d, at));
}

/** Whether the member had accepted the embargo terms by `at` (accepting later does not count). */
export function hadAcceptedTermsAt(d: Distributor, at: string): boolean {
  return d.termsAcceptedAt !== null && ms(d.termsAcceptedAt) <= ms(at);
}

export const isActive = (d: Distributor) => d.removedAt === null;

/**
 * The active member a person means: the id, or the organisation or contact address (any case).
 * Null when none matches; throws nothing, so the caller says what it could not find.
 */
export function findMember(members: readonly Distributor[], ref: string): Distributor | Distributor[] | null {
  const wanted = ref.trim().toLowerCase();
  const byId = members.find((d) => d.id.toLowerCase() === wanted);
  if (byId) return byId;
  const matches = members.filter((d) => isActive(d) && (d.organisation.toLowerCase() === wanted || d.contact.toLowerCase() === wanted));
  if (matches.length === 1) return matches[0]!;
  return matches.length === 0 ? null : matches;
}
