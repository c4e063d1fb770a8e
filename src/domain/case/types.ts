/**
 * The Case aggregate: everything Embargo knows about one vulnerability, from the private report to
 * the retrospective. Plain data (JSON-serialisable) so the store can keep it as one document and the
 * exporters can read it without a framework.
 */

/** How the reporter wants to be credited in the advisory (checklist step 5). */
export type CreditPreference = 'named' | 'anonymous' | 'name-without-company';
export const CREDIT_PREFERENCES: readonly CreditPreference[] = ['named', 'anonymous', 'name-without-company'];

export interface Reporter {
  name: string;
  /** E-mail address or other private contact; never published. */
  contact: string;
  company: string | null;
  credit: CreditPreference;
}

/**
 * The agreed end of the embargo: an instant, plus the IANA time zone it was agreed in so that every
 * message and gate can say it the way the people who agreed it said it.
 */
export interface Embargo {
  /** ISO 8601 instant in UTC, e.g. 2026-12-01T16:00:00.000Z */
  endsAt: string;
  /** IANA zone, e.g. Europe/Berlin */
  timeZone: string;
}

/** Left for the triage work to fill (CVSS calculator, CWE picker). */
export interface Severity {
  /** CVSS vectors as the team wrote them (3.x and/or 4.0). */
  cvss: string[];
  /** CWE ids, e.g. CWE-94. */
  cwe: string[];
}

/** One supported minor line that gets a patch release (checklist steps 2 and 8). */
export interface ReleaseLine {
  /** Minor line, e.g. "1.33". */
  line: string;
  /** The patch version planned for this line, e.g. "1.33.4". */
  version: string;
  /** Set once the patch for this line is released. */
  releasedAt: string | null;
  /** The git tag of the release, when known. */
  tag: string | null;
  /**
   * When the release tag was checked to contain the fix (`embargo plan verify --case`); absent until
   * then, and removed again by a check that finds the fix missing. Publishing needs every line verified.
   */
  verifiedAt?: string;
  /** The fix commit the tag was checked against. */
  fixCommit?: string;
}

/** A range of affected versions with the version that fixes it (null: affected, no fix planned). */
export interface AffectedRange {
  introduced: string;
  fixed: string | null;
}

/** The package an advisory is about, named as OSV names it (ecosystem "Go", "npm", "PyPI", …). */
export interface CasePackage {
  /** OSV ecosystem name, e.g. Go, npm, PyPI, Maven, crates.io. */
  ecosystem: string;
  /** The package's name in its ecosystem, e.g. github.com/projectcontour/contour. */
  name: string;
  /** Source repository URL, e.g. https://github.com/projectcontour/contour. */
  repository?: string;
}

/** Roles a credit can have; the same list as OSV's and GitHub's credit types (lower case). */
export type CreditType =
  | 'finder'
  | 'reporter'
  | 'analyst'
  | 'coordinator'
  | 'remediation_developer'
  | 'remediation_reviewer'
  | 'remediation_verifier'
  | 'tool'
  | 'sponsor'
  | 'other';
export const CREDIT_TYPES: readonly CreditType[] = [
  'finder',
  'reporter',
  'analyst',
  'coordinator',
  'remediation_developer',
  'remediation_reviewer',
  'remediation_verifier',
  'tool',
  'sponsor',
  'other',
];

/**
 * Someone credited in the advisory besides the reporter (whose credit follows `Reporter.credit`).
 * Either named (`name`, optionally a GitHub `login`, which GitHub's advisory credits need) or
 * `anonymous` (then neither name nor login).
 */
export interface Credit {
  name?: string;
  anonymous?: boolean;
  /** GitHub login; only credits with one appear in the GHSA export. */
  login?: string;
  type: CreditType;
}

export type StepStatus = 'open' | 'done' | 'skipped';

export interface StepState {
  status: StepStatus;
  /** Who last changed the step and when. */
  by: string | null;
  at: string | null;
  /** Why it was skipped or reopened. */
  reason: string | null;
  /** Attestations given when completing (ids of the step's `confirm` gates). */
  confirmed: string[];
}

/** Where a case's mail stands in the outbox (the outbox row's status, as last seen by the case). */
export type CaseMessageStatus = 'queued' | 'sending' | 'sent' | 'failed' | 'unknown' | 'copied';

/**
 * A mail of the checklist queued for the case (its text lives in the outbox). Kept on the case so
 * the playbook's `message:` gates can be checked without I/O.
 */
export interface CaseMessage {
  /** A MessageKind id, e.g. "distributors-notice". */
  kind: string;
  /** The outbox row's id. */
  outboxId: string;
  /** When it was queued, and by whom. */
  at: string;
  by: string;
  status: CaseMessageStatus;
}

export interface Case {
  /** EMB-2026-0001 */
  id: string;
  title: string;
  /** Random two-word name for branch names and chats; reveals nothing. */
  codename: string;
  /** The project the case belongs to, e.g. "contour". */
  project: string;
  /** Id of the playbook the case follows, e.g. "contour". */
  playbook: string;
  /** Derived from the playbook steps; stored for lists and filters. */
  status: string;
  reporter: Reporter | null;
  severity: Severity;
  embargo: Embargo | null;
  releasePlan: ReleaseLine[];
  affected: AffectedRange[];
  ghsaId: string | null;
  cveId: string | null;
  /** What the advisory says: markdown, at most 20,000 characters ("" until written). */
  description: string;
  /** The affected package; null until known. */
  package: CasePackage | null;
  /** How to mitigate without upgrading: markdown ("" when there is none). */
  workarounds: string;
  /** Public URLs for the advisory's references (fix commits, release notes, …). */
  references: string[];
  /** Credits beyond the reporter (finders, analysts, remediation developers, …). */
  credits: Credit[];
  /** When the advisory was published (ISO 8601 instant); null while embargoed. */
  publishedAt: string | null;
  /** The advisory's temporary private fork on GitHub (checklist step 4); absent or null until created. */
  forkUrl?: string | null;
  /** When a CVE id was requested from GitHub for the advisory; absent or null until then. */
  cveRequestedAt?: string | null;
  /** Step id -> state. Steps missing here are open. */
  steps: Record<string, StepState>;
  /** The checklist's mails queued for this case, oldest first. */
  messages: CaseMessage[];
  createdAt: string;
  updatedAt: string;
  /** Incremented by every command; used for optimistic concurrency. */
  revision: number;
}

/** A domain event: the closed union of every action and its details (see ../events.ts). */
export type { DomainEvent } from '../events.js';
import type { DomainEvent } from '../events.js';

/** What every command returns: the new state and the events to append in the same transaction. */
export interface CommandResult<T = Case> {
  state: T;
  events: DomainEvent[];
}

/** Who is doing something, and when. Time is passed in: the domain has no clock. */
export interface CommandContext {
  actor: string;
  now: Date;
}
