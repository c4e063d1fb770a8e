/**
 * The who-knows register: every receipt of embargoed information, merged from the case's sent
 * embargoed mails (a mail to the distributors list reached the members on the list at that moment)
 * and what people recorded telling someone. Pure: the shell loads the rows, this decides.
 */
import { hadAcceptedTermsAt, membersAt } from './membership.js';
import type { Disclosure, Distributor, KnowingParty, Register, RegisterEntry, SentMessage } from './types.js';

export interface RegisterInput {
  /** The case's mails of embargoed kinds, any status. */
  messages: readonly SentMessage[];
  /** The distributors list address(es) of the case's playbook. */
  listAddresses: readonly string[];
  /** Every member the list ever had (removed ones too: history decides). */
  members: readonly Distributor[];
  disclosures: readonly Disclosure[];
}

/** Statuses where the mail may be out although nobody confirmed it (see docs/mail.md). */
const UNCONFIRMED = new Set(['sending', 'unknown', 'copied']);

const lower = (s: string) => s.trim().toLowerCase();

export function buildRegister(input: RegisterInput): Register {
  const lists = new Set(input.listAddresses.map(lower));
  const entries: RegisterEntry[] = [];
  for (const m of input.messages) {
    if (m.status !== 'sent' || m.sentAt === null) continue;
    const at = m.sentAt;
    const active = membersAt(input.members, at);
    const seen = new Set<string>();
    const mail = { messageId: m.id, messageKind: m.kind, disclosureId: null, channel: null, what: m.subject, at } as const;
    for (const address of [...m.to, ...m.cc]) {
      const key = lower(address);
      if (lists.has(key)) {
        for (const d of active) {
          if (seen.has(`member:${d.id}`)) continue;
          seen.add(`member:${d.id}`);
          entries.push({
            ...mail,
            who: d.organisation,
            address: d.contact,
            distributorId: d.id,
            source: 'distributors-list',
            acceptedTerms: hadAcceptedTermsAt(d, at),
          });
        }
        continue;
      }
      // Mailed directly: a member's own address still tells us their terms; anyone else's are unknown.
      const member = active.find((d) => lower(d.contact) === key);
      const id = member ? `member:${member.id}` : `address:${key}`;
      if (seen.has(id)) continue;
      seen.add(id);
      entries.push({
        ...mail,
        who: member?.organisation ?? address,
        address,
        distributorId: member?.id ?? null,
        source: 'direct',
        acceptedTerms: member ? hadAcceptedTermsAt(member, at) : null,
      });
    }
  }
  for (const d of input.disclosures) {
    entries.push({
      at: d.at,
      who: d.recipient,
      address: null,
      distributorId: null,
      source: 'disclosure',
      messageId: null,
      messageKind: null,
      disclosureId: d.id,
      channel: d.channel,
      what: d.what,
      acceptedTerms: d.acceptedTerms,
    });
  }
  entries.sort((a, b) => a.at.localeCompare(b.at) || a.who.localeCompare(b.who));
  const unconfirmed = input.messages
    .filter((m) => UNCONFIRMED.has(m.status))
    .map((m) => ({ messageId: m.id, kind: m.kind, status: m.status, to: [...m.to, ...m.cc] }));
  return { entries, people: knowingParties(entries), unconfirmed };
}

/** A member is one party however they were reached; anyone else is one party per address or name. */
function partyKey(e: RegisterEntry): string {
  if (e.distributorId) return `member:${e.distributorId}`;
  if (e.address) return `address:${lower(e.address)}`;
  return `name:${lower(e.who)}`;
}

/** Everyone who knows, once, with their first receipt; `entries` must be in time order. */
export function knowingParties(entries: readonly RegisterEntry[]): KnowingParty[] {
  const parties = new Map<string, KnowingParty>();
  for (const e of entries) {
    const key = partyKey(e);
    const p = parties.get(key) ?? { who: e.who, distributorId: e.distributorId, firstAt: e.at, receipts: 0, withoutTerms: 0 };
    p.receipts += 1;
    if (e.acceptedTerms !== true) p.withoutTerms += 1;
    parties.set(key, p);
  }
  return [...parties.values()];
}

/** Receipts by people who had not accepted the terms (or whose terms are unknown): the ones to chase. */
export function withoutTerms(register: Register): RegisterEntry[] {
  return register.entries.filter((e) => e.acceptedTerms !== true);
}
