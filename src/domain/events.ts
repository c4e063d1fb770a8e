/**
 * Every event Embargo writes to its audit log, as one closed union: the action names the event and
 * fixes the shape of its details. The audit trail, the who-knows register and the retrospective
 * switch over `action`, so the compiler points at every reader a new event forgets.
 *
 * The details are exactly what the log has always stored (the hash chain covers them): a change
 * here must keep old events readable, so fields are only ever added, as optional ones.
 * `details` never holds secrets (passwords, tokens, portal links); it may hold embargoed case data,
 * which is why the event log is itself need-to-know.
 */
import type { UserChange } from './account.js';
import type { Embargo } from './case/types.js';

/**
 * One event: its action, the case it belongs to (null for project-wide ones) and its details. Several
 * actions with the same details give one member per action (the conditional distributes over `A`).
 */
type Event<A extends string, D, C extends string | null = string> = A extends string ? { action: A; caseId: C; details: D } : never;

type StepDetails = { step: string; number: number; title: string };
type MessageAbout = { messageId: string; kind: string; to: string[]; cc: string[]; subject: string };
type PreviousAnswer = { answer: string; reason: string | null; endsAt: string; timeZone: string };

/** How a report arrived (never the reporter's name or contact). */
export type ReportReceived =
  | { source: 'form'; reportedAt: string; affectedVersions: string | null }
  | { source: 'mail'; reportedAt: string | null; messageId: string | null; attachments: string[] };

// ---- the case ----
export type CaseEvent =
  | Event<'case.created', { title: string; project: string; codename: string; playbook: string }>
  /** Field -> new value; the reporter only as {credit}, long texts only as {characters}. */
  | Event<'case.edited', { changed: Record<string, unknown> }>
  /** `allowedPast`: the reason given for a time already past (replaying an old case). */
  | Event<'case.embargo-set', { endsAt: string; timeZone: string; local: string; previous: Embargo | null; allowedPast?: string }>
  /** A read of embargoed details: what was read (and which message, for a message read). */
  /** `cases`: the cases a read across several showed (the dashboard), with caseId null. */
  | Event<'case.read', { what: string; messageId?: string; cases?: string[] }, string | null>
  | Event<'report.received', ReportReceived>
  | Event<'release.planned', { lines: { line: string; version: string }[] }>
  | Event<'release.recorded', { line: string; version: string; tag: string | null }>
  | Event<'release.verified', { fixCommit: string; lines: { line: string; tag: string; verified: boolean }[] }>
  | Event<
      'release.corrected',
      {
        line: string;
        version: string;
        tag: string | null;
        previous: { version: string; tag: string | null; verified: boolean };
        reason: string;
      }
    >
  | Event<
      'release.undone',
      { line: string; version: string; previous: { releasedAt: string; tag: string | null; verified: boolean }; reason: string }
    >
  | Event<'step.done', StepDetails & { confirmed: string[]; publishedAt?: string }>
  | Event<'step.skipped', StepDetails & { reason: string }>
  | Event<'step.reopened', StepDetails & { reason: string; previous: string }>
  /** Closed without an advisory: rejected (with a category), a duplicate (of a case), or withdrawn. */
  | Event<'case.resolved', { outcome: string; category: string | null; duplicateOf: string | null; reason: string }>
  | Event<'case.reopened', { previous: string; reason: string }>
  /** The retrospective's notes were written (their length only: they may hold embargoed details). */
  | Event<'retro.written', { characters: number; rewritten: boolean }>
  | Event<'retro.action-added', { actionId: string; characters: number; owner: string | null }>
  | Event<'retro.action-done', { actionId: string }>;

// ---- need-to-know ----
export type AccessEvent =
  | Event<'access.granted', { user: string; reason?: string }>
  | Event<'access.revoked', { user: string }>
  | Event<'guard.terms.exported', { cases: number; publicIds: number }, null>
  | Event<'guard.terms.added', { count: number; ids: string[] }>
  | Event<'guard.terms.removed', { ids: string[] }>;

// ---- GitHub's advisory ----
/** `changed`: the case fields the action set, with their new values (absent when none changed). */
type AdvisoryChanged = { changed?: Record<string, unknown> };
export type AdvisoryEvent =
  | Event<'advisory.pushed', AdvisoryChanged & { ghsaId: string; created: boolean; repository: string; fields: string[] }>
  | Event<'advisory.cve_requested', AdvisoryChanged & { ghsaId: string }>
  | Event<'advisory.cve_assigned', AdvisoryChanged & { ghsaId: string; cveId: string }>
  | Event<
      'advisory.fork_created' | 'advisory.collaborators_set',
      AdvisoryChanged & { ghsaId: string; fork: string | null; ready: boolean; collaborators: string[]; withoutLogin: string[] }
    >
  | Event<'advisory.synced', AdvisoryChanged & { ghsaId: string; state: string }>
  | Event<'advisory.imported', { ghsaId: string; repository: string }>
  | Event<'advisory.publish_overridden', { ghsaId: string | null; reason: string; unmet: string[]; mode?: 'manual' }>
  | Event<'advisory.published', { ghsaId: string | null; publishedAt: string; step?: string }>
  | Event<'github.connected', { project: string; repository: string; apiUrl: string; login: string | null }, null>
  | Event<'github.checked', { project: string; ok: boolean; result: unknown }, null>
  | Event<'github.disconnected', { project: string }, null>;

// ---- mail ----
export type MessageEvent =
  | Event<'message.queued', { kind: string; label: string; to: string[]; subject: string; messageId: string; via: 'smtp' | 'copy' }>
  | Event<'message.sent', MessageAbout & { smtpResponse: string; rejected: string[] }, string | null>
  | Event<
      'message.failed',
      MessageAbout & { error: string; responseCode: number | null; temporary: boolean; retryAt: string | null },
      string | null
    >
  | Event<
      'message.unknown',
      { messageId: string; kind: string; to: string[]; cc: string[]; attempt: number; claimedBy: string | null },
      string | null
    >
  | Event<'message.retried', MessageAbout & { previousStatus: string; lastError: string | null }, string | null>
  | Event<'message.copied', MessageAbout, string | null>
  | Event<'message.marked_sent', MessageAbout & { sentAt: string; previousStatus: string }, string | null>;

// ---- who knows ----
export type DisclosureEvent =
  | Event<
      'distributor.added',
      {
        distributorId: string;
        /** Since projects (0007); older events name no project. */
        project?: string;
        organisation: string;
        contact: string;
        criteria: string[];
        vouchedBy: string | null;
        termsAcceptedAt: string | null;
      },
      null
    >
  /** `changes`: field -> [before, after]. */
  | Event<
      'distributor.updated',
      { distributorId: string; project?: string; organisation: string; changes: Record<string, unknown[]> },
      null
    >
  | Event<'distributor.removed', { distributorId: string; project?: string; organisation: string; contact: string }, null>
  | Event<
      'distributor.acknowledged' | 'distributor.objected',
      {
        distributorId: string;
        organisation: string;
        reason: string | null;
        endsAt: string;
        timeZone: string;
        local: string;
        previous: PreviousAnswer | null;
      }
    >
  | Event<'distributor.answer-cleared', { distributorId: string; organisation: string; previous: PreviousAnswer }>
  | Event<
      'disclosure.recorded',
      { disclosureId: string; recipient: string; channel: string; what: string; at: string; acceptedTerms: boolean | null }
    >
  | Event<'leak.reported', { leakId: string; what: string; leakedTo: string | null; reportedBy: string; reportedAt: string }>
  | Event<'leak.updated' | 'leak.closed' | 'leak.reopened', { leakId: string; changes: Record<string, [unknown, unknown]> }>
  | Event<'embargo.agreed', { endsAt: string; timeZone: string; local: string; objected: string[]; notAnswered: string[] }>;

// ---- the reporter's portal ----
export type PortalEvent =
  | Event<'portal.link-created', { linkId: string; expiresAt: string | null; replaced: number }>
  | Event<'portal.link-revoked', { linkId: string | null }>
  | Event<'reporter.replied', { replyId: string; characters: number }>;

// ---- accounts ----
export type AccountEvent =
  | Event<'user.created', { username: string; role: string }, null>
  | Event<'user.github_login_set', { user: string; login: string | null }, null>
  | Event<'user.changed', UserChange & { user: string }, null>
  | Event<'audit.checkpointed', { seq: number; hash: string; publicKey: string }, null>
  | Event<'secrets.rotated', { count: number }, null>
  /** A backup was taken: up to which event, and how many rows (never the passphrase or key). */
  | Event<'backup.taken', { seq: number; rows: number; encryption: 'passphrase' | 'key' }, null>
  /** This database was filled from a backup: when and where it was taken, up to which event. */
  | Event<'backup.restored', { takenAt: string; dialect: string; seq: number; rows: number }, null>
  | Event<'session.signed-in' | 'session.signed-out', Record<string, never>, null>
  // Before issue 14 every failure kept the typed username; since, only an existing account's.
  | Event<'session.sign-in-failed', { username: string } | { unknownUser: true }, null>
  | Event<'token.created', { id: string; name: string; owner: string; scopes: string[] }, null>
  | Event<'token.revoked', { id: string }, null>
  /** A person's calendar feed (issue 15): its id and owner, never its token. */
  | Event<'calendar.feed_created' | 'calendar.feed_revoked', { id: string; user: string }, null>;

// ---- projects ----
type ProjectDetails = { id: string; name: string; repository: string | null; playbook: string; settings: Record<string, unknown> };
export type ProjectEvent =
  | Event<'project.created', ProjectDetails, null>
  /** Field -> new value; settings as `settings.<key>` (null: back to the playbook's value). */
  | Event<'project.edited', { project: string; changed: Record<string, unknown> }, null>
  | Event<'project.archived' | 'project.restored', { project: string }, null>
  | Event<'project.member_added', { project: string; user: string; role: string; previousRole?: string }, null>
  | Event<'project.member_removed', { project: string; user: string }, null>;

export type DomainEvent =
  | ProjectEvent
  | CaseEvent
  | AccessEvent
  | AdvisoryEvent
  | MessageEvent
  | DisclosureEvent
  | PortalEvent
  | AccountEvent;

export type EventAction = DomainEvent['action'];

/** The event of one action, e.g. `EventOf<'case.edited'>`. */
export type EventOf<A extends EventAction> = Extract<DomainEvent, { action: A }>;

/** Builds an event, checking its details against its action (`event('case.read', id, { what })`). */
export function event<A extends EventAction>(action: A, caseId: EventOf<A>['caseId'], details: EventOf<A>['details']): EventOf<A> {
  return { action, caseId, details } as EventOf<A>;
}
