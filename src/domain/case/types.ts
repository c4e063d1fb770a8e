/**
 * The Case aggregate: everything Embargo knows about one vulnerability, from the private report to
 * the retrospective. Plain data (JSON-serialisable) so the store can keep it as one document and the
 * exporters can read it without a framework.
 */

import type { Static } from 'typebox';
import type * as schema from './schema.js';

// The entity types are derived from the schemas in schema.ts (the one definition the API shares);
// read the field descriptions there.
export { CREDIT_PREFERENCES, CREDIT_TYPES } from './schema.js';

/** How the reporter wants to be credited in the advisory (checklist step 5). */
export type CreditPreference = Static<typeof schema.CreditPreferenceSchema>;
export type Reporter = Static<typeof schema.ReporterSchema>;
/**
 * The agreed end of the embargo: an instant, plus the IANA time zone it was agreed in so that every
 * message and gate can say it the way the people who agreed it said it.
 */
export type Embargo = Static<typeof schema.EmbargoSchema>;
/** Left for the triage work to fill (CVSS calculator, CWE picker). */
export type Severity = Static<typeof schema.SeveritySchema>;
/** One supported minor line that gets a patch release (checklist steps 2 and 8). */
export type ReleaseLine = Static<typeof schema.ReleaseLineSchema>;
/** A range of affected versions with the version that fixes it (null: affected, no fix planned). */
export type AffectedRange = Static<typeof schema.AffectedRangeSchema>;
/** The package an advisory is about, named as OSV names it (ecosystem "Go", "npm", "PyPI", …). */
export type CasePackage = Static<typeof schema.CasePackageSchema>;
/** Roles a credit can have; the same list as OSV's and GitHub's credit types (lower case). */
export type CreditType = Static<typeof schema.CreditSchema>['type'];
/** Someone credited in the advisory besides the reporter (whose credit follows `Reporter.credit`). */
export type Credit = Static<typeof schema.CreditSchema>;
export type StepStatus = Static<typeof schema.StepStateSchema>['status'];
export type StepState = Static<typeof schema.StepStateSchema>;
/** Where a case's mail stands in the outbox (the outbox row's status, as last seen by the case). */
export type CaseMessageStatus = Static<typeof schema.CaseMessageSchema>['status'];
/**
 * A mail of the checklist queued for the case (its text lives in the outbox). Kept on the case so
 * the playbook's `message:` gates can be checked without I/O.
 */
export type CaseMessage = Static<typeof schema.CaseMessageSchema>;
/** The report as the reporter sent it (never edited; apart from the advisory's description). */
export type OriginalReport = Static<typeof schema.OriginalReportSchema>;
/** How a report ended without an advisory. */
export type Resolution = Static<typeof schema.ResolutionSchema>;
export type ResolutionOutcome = Resolution['outcome'];
export type RejectionCategory = NonNullable<Resolution['category']>;
/** Everything Embargo knows about one vulnerability. */
export type Case = Static<typeof schema.CaseSchema>;

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
