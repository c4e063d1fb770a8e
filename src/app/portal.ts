/**
 * The reporter portal: the reporter follows their own case through a private link, without an
 * account. The link's secret is the only credential, so everything here starts by turning it into
 * one case (or the one "not found" sentence), and what the reporter sees is picked field by field:
 * status in words, the disclosure date, the mails meant for them and their own replies — never the
 * access list, the team's other mails, the codename, ids before publication, or the event log.
 */
import { findWithheld, withhold } from '../domain/portal/withhold.js';
import type { Kysely } from 'kysely';
import { caseRead, editCase as editCaseCommand, type Case, type CreditPreference, CREDIT_PREFERENCES } from '../domain/case/index.js';
import { conflict, DomainError, invalidInput } from '../domain/errors.js';
import type { DomainEvent } from '../domain/events.js';
import { portalLinkCreated, portalLinkRevoked, reporterReplied } from '../domain/portal/events.js';
import { MESSAGE_KINDS, isMessageKind } from '../domain/messages/types.js';
import { deriveStatus } from '../domain/playbook/index.js';
import { formatInZone } from '../domain/time.js';
import { getCase, updateCase } from '../store/cases.js';
import { appendEvents } from '../store/events.js';
import { listMessages } from '../store/outbox.js';
import {
  activePortalLinkOfCase,
  embargoAgreedAt,
  findActivePortalLink,
  insertPortalLink,
  insertReporterReply,
  listReporterReplies,
  revokePortalLinks,
  touchPortalLink,
  type PortalLink,
  type ReporterReply,
} from '../store/portal.js';
import type { Database } from '../store/schema.js';
import type { Actor } from './actor.js';
import type { App } from './app.js';
import { readCase } from './cases.js';
import { reportReference } from './report-reference.js';
import { type CaseAnswer, workOnCase } from './unit-of-work.js';
import { newSecret, secretHash } from './secrets.js';

type Db = Kysely<Database>;

export const PORTAL_SECRET_PREFIX = 'rpt_';
/** `rpt_` and 256 bits in base64url (43 characters). */
const SECRET_PATTERN = /^rpt_[A-Za-z0-9_-]{43}$/;
/** What the audit log calls the reporter when they read, and when they change something. */
export const PORTAL_READER = 'reporter via portal link';
export const PORTAL_WRITER = 'reporter';
/** One sentence for an unknown, revoked and expired link alike: a guess learns nothing. */
export const PORTAL_NOT_FOUND = 'This portal link is unknown, revoked or expired. Ask the security team for a new one.';
export const REPLY_MAX = 10_000;
export const MAX_LINK_DAYS = 365;

const notFound = () => new DomainError('not_found', PORTAL_NOT_FOUND);

/** The page a reporter opens: where the secret goes in a URL. */
export function portalUrl(app: App, secret: string): string {
  return `${app.config.publicUrl}/portal/${secret}`;
}

/** The active link for a secret, or not_found. Only the hash ever reaches the database. */
async function linkFor(db: Db, secret: string, now: Date): Promise<PortalLink> {
  const link = await findActivePortalLink(db, secretHash(secret), now);
  if (!link) throw notFound();
  return link;
}

/** True when the secret opens a link now; for serving the page, which shows nothing by itself (not audited). */
export async function portalLinkIsActive(app: App, secret: string): Promise<boolean> {
  if (!SECRET_PATTERN.test(secret)) return false;
  const now = app.clock();
  return app.store.read(async (db) => (await findActivePortalLink(db, secretHash(secret), now)) !== null);
}

// --- The team's side -------------------------------------------------------------------------

export interface IssuedPortalLink {
  caseId: string;
  /** The whole link, secret included: shown once, never stored. */
  url: string;
  createdAt: string;
  expiresAt: string | null;
  /** How many earlier links this one replaced (they no longer work). */
  replaced: number;
}

/** Issues a link inside a running write transaction (the intake form uses this too). */
export async function issuePortalLink(
  tx: Db,
  app: App,
  c: Case,
  by: string,
  now: Date,
  expiresInDays: number | null = null,
): Promise<IssuedPortalLink> {
  const { issued, events } = await issueLink(tx, app, c, by, now, expiresInDays);
  await appendEvents(tx, { actor: by, at: now, events });
  return issued;
}

/** Stores a new link (revoking the case's earlier ones) and says which event records it. */
async function issueLink(
  tx: Db,
  app: App,
  c: Case,
  by: string,
  now: Date,
  expiresInDays: number | null,
): Promise<{ issued: IssuedPortalLink; events: DomainEvent[] }> {
  if (!c.reporter) {
    throw conflict(
      `case ${c.id} has no reporter; record one first (embargo case edit ${c.id} --reporter-name NAME --reporter-contact CONTACT)`,
    );
  }
  if (expiresInDays !== null && (!Number.isInteger(expiresInDays) || expiresInDays < 1 || expiresInDays > MAX_LINK_DAYS)) {
    throw invalidInput(`expiresInDays must be a whole number of days from 1 to ${MAX_LINK_DAYS}`, { field: 'expiresInDays' });
  }
  const replaced = await revokePortalLinks(tx, c.id, by, now);
  const secret = newSecret(PORTAL_SECRET_PREFIX);
  const expiresAt = expiresInDays === null ? null : new Date(now.getTime() + expiresInDays * 24 * 3600 * 1000);
  const link = await insertPortalLink(tx, { caseId: c.id, secretHash: secretHash(secret), createdBy: by, now, expiresAt });
  return {
    issued: { caseId: c.id, url: portalUrl(app, secret), createdAt: link.createdAt, expiresAt: link.expiresAt, replaced },
    events: [portalLinkCreated(c.id, link.id, link.expiresAt, replaced)],
  };
}

/** A new link for the case's reporter; the case's earlier link stops working. */
export async function createPortalLink(
  app: App,
  actor: Actor,
  caseId: string,
  opts: { expiresInDays?: number | null } = {},
): Promise<CaseAnswer<IssuedPortalLink>> {
  return workOnCase(app, actor, caseId, 'write', async (c, { tx, actor: by, now }) => {
    const { issued, events } = await issueLink(tx, app, c, by, now, opts.expiresInDays ?? null);
    return { events, value: issued };
  });
}

/** Revokes the case's link; `revoked` is false when there was none. */
export function revokePortalLink(app: App, actor: Actor, caseId: string): Promise<CaseAnswer<{ caseId: string; revoked: boolean }>> {
  return workOnCase(app, actor, caseId, 'write', async (_c, { tx, actor: by, now }) => {
    const active = await activePortalLinkOfCase(tx, caseId, now);
    const count = await revokePortalLinks(tx, caseId, by, now);
    return {
      events: count > 0 ? [portalLinkRevoked(caseId, active?.id ?? null)] : [],
      value: { caseId, revoked: count > 0 },
      discloses: false,
    };
  });
}

export interface ReplyView {
  id: string;
  body: string;
  at: string;
}

const presentReply = (r: ReporterReply): ReplyView => ({ id: r.id, body: r.body, at: r.createdAt });

/** What the reporter wrote back, for the case's team. An audited read. */
export const caseReplies = (app: App, actor: Actor, caseId: string): Promise<ReplyView[]> =>
  readCase(app, actor, caseId, 'replies', async (_c, db) => (await listReporterReplies(db, caseId)).map(presentReply));

// --- The reporter's side ---------------------------------------------------------------------

export interface PortalView {
  case: {
    /** The reference the reporter quotes (a keyed hash of the case id: no count of cases). */
    reference: string;
    /**
     * The reporter's own report as they sent it, never the team's advisory text ("" when the team
     * opened the case by hand); ids and the codename withheld until publication.
     */
    title: string;
    description: string;
    phase: string;
    /** The phase in a sentence. */
    status: string;
    published: boolean;
  };
  /** The disclosure date with the time zone it was set in; null until the team proposes one. */
  disclosure: { at: string; timeZone: string; local: string; agreed: boolean } | null;
  reporter: { name: string; company: string | null; credit: CreditPreference };
  creditChoices: { value: CreditPreference; label: string }[];
  messages: { subject: string; body: string; sentAt: string | null }[];
  replies: ReplyView[];
  link: { expiresAt: string | null };
  limits: { replyCharacters: number };
}

const CREDIT_LABELS: Record<CreditPreference, string> = {
  named: 'Credit me by name (and company, if given)',
  'name-without-company': 'Credit me by name, without my company',
  anonymous: 'Do not name me (anonymous credit)',
};

/** Phases of the shipped playbooks in words a reporter understands; other phases are named as they are. */
const PHASE_WORDS: Record<string, string> = {
  reported: 'Your report has arrived; the security team will look at it shortly.',
  triage: 'The security team is assessing your report and deciding which releases need a fix.',
  drafting: 'The security team is preparing a security advisory and the fix.',
  fixing: 'The fix is being prepared and released for the supported versions.',
  disclosure: 'The fixed releases are out or nearly out; the advisory is about to be published.',
};

function statusSentence(c: Case, phase: string): string {
  if (c.publishedAt) return 'The advisory is published. Thank you for your report.';
  if (c.resolution?.outcome === 'duplicate')
    return 'The issue had already been reported; the security team handles it under the earlier report.';
  if (c.resolution?.outcome === 'withdrawn') return 'The report was withdrawn and is closed.';
  if (c.resolution) return 'The security team closed this report without a security advisory; see their message to you.';
  if (phase === 'closed') return 'The security team has closed this case.';
  return PHASE_WORDS[phase] ?? `The security team is working on your report (current phase: ${phase}).`;
}

/**
 * Case texts with what must not reach the reporter yet replaced, in any spelling (the leak guard's
 * matcher): the codename always, the GHSA and CVE ids until publication.
 */
function withheld(c: Case, text: string): string {
  return withhold(text, findWithheld(text, c, c.publishedAt ? [] : ['ghsa', 'cve']));
}

async function presentPortal(db: Db, c: Case, link: PortalLink): Promise<PortalView> {
  const reporter = c.reporter!;
  const sent = await listMessages(db, { caseId: c.id, status: ['sent', 'copied'] });
  const mine = sent.filter((m) => isMessageKind(m.kind) && MESSAGE_KINDS[m.kind].audience === 'reporter');
  return {
    case: {
      reference: await reportReference(db, c.id),
      title: withheld(c, c.report?.title || c.title),
      description: withheld(c, c.report?.text ?? ''),
      phase: c.status,
      status: statusSentence(c, c.status),
      published: c.publishedAt !== null,
    },
    disclosure: c.embargo
      ? {
          at: c.embargo.endsAt,
          timeZone: c.embargo.timeZone,
          local: formatInZone(new Date(c.embargo.endsAt), c.embargo.timeZone),
          agreed: (await embargoAgreedAt(db, c.id, c.embargo.endsAt, c.embargo.timeZone)) !== null,
        }
      : null,
    reporter: { name: reporter.name, company: reporter.company, credit: reporter.credit },
    creditChoices: CREDIT_PREFERENCES.map((value) => ({ value, label: CREDIT_LABELS[value] })),
    messages: mine.map((m) => ({ subject: m.subject, body: m.body, sentAt: m.sentAt })),
    replies: (await listReporterReplies(db, c.id)).map(presentReply),
    link: { expiresAt: link.expiresAt },
    limits: { replyCharacters: REPLY_MAX },
  };
}

/**
 * Runs one portal request in one transaction: find the link, load its case, do the work, and
 * record the read in the audit log — a portal read never goes unrecorded.
 */
async function withPortal<T>(app: App, secret: unknown, fn: (tx: Db, c: Case, link: PortalLink, now: Date) => Promise<T>): Promise<T> {
  const now = app.clock();
  // Shape first, outside the writer lock: a malformed guess costs no transaction.
  if (typeof secret !== 'string' || !SECRET_PATTERN.test(secret)) throw notFound();
  return app.store.write(async (tx) => {
    const link = await linkFor(tx, secret, now);
    const c = await getCase(tx, link.caseId);
    // A link whose case lost its reporter has nobody to serve.
    if (!c?.reporter) throw notFound();
    await touchPortalLink(tx, link.id, now);
    return fn(tx, c, link, now);
  });
}

/** Everything the reporter may see of their case. An audited read. */
export function portalView(app: App, secret: unknown): Promise<PortalView> {
  return withPortal(app, secret, async (tx, c, link, now) => {
    const view = await presentPortal(tx, c, link);
    await appendEvents(tx, { actor: PORTAL_READER, at: now, events: [caseRead(c.id, 'portal')] });
    return view;
  });
}

/** Stores a reply from the reporter for the team; the event says that they wrote, not what. */
export function portalReply(app: App, secret: unknown, body: unknown): Promise<ReplyView> {
  return withPortal(app, secret, async (tx, c, link, now) => {
    if (typeof body !== 'string') throw invalidInput('the reply must be text', { field: 'body' });
    const text = body.replace(/\r\n?/g, '\n').trim();
    if (text === '') throw invalidInput('the reply is empty', { field: 'body' });
    if (text.length > REPLY_MAX)
      throw invalidInput(`the reply is ${text.length} characters long; at most ${REPLY_MAX} fit`, { field: 'body' });
    if (text.includes('\u0000')) throw invalidInput('the reply contains a NUL character', { field: 'body' });
    const reply = await insertReporterReply(tx, { caseId: c.id, linkId: link.id, body: text, now });
    await appendEvents(tx, {
      actor: PORTAL_WRITER,
      at: now,
      events: [reporterReplied(c.id, reply.id, text.length)],
    });
    return presentReply(reply);
  });
}

/** The reporter chooses how they are credited: the editCase command, as the team's edits are. */
export function portalSetCredit(app: App, secret: unknown, credit: unknown): Promise<PortalView['reporter']> {
  return withPortal(app, secret, async (tx, c) => {
    if (typeof credit !== 'string' || !CREDIT_PREFERENCES.includes(credit as CreditPreference)) {
      throw invalidInput(`credit must be one of ${CREDIT_PREFERENCES.join(', ')}`, { field: 'credit' });
    }
    const ctx = { actor: PORTAL_WRITER, now: app.clock() };
    const { state, events } = editCaseCommand(c, { reporter: { ...c.reporter, credit } }, ctx);
    let result = c;
    if (events.length > 0) {
      const playbook = app.playbooks.get(c.playbook);
      result = { ...state, status: deriveStatus(playbook, state) };
      await updateCase(tx, result, c.revision);
      await appendEvents(tx, { actor: PORTAL_WRITER, at: ctx.now, events });
    }
    const r = result.reporter!;
    return { name: r.name, company: r.company, credit: r.credit };
  });
}
