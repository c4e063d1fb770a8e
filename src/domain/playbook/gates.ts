/**
 * Gate evaluation: what still stands between a step and "done", in sentences a person can act on.
 * The same sentences go to the UI, the CLI and the gate_failed error, so they are written once here.
 */
import { noReleasePlan, unreleasedLine } from '../case/release-verification.js';
import type { Case } from '../case/types.js';
import { notFound } from '../errors.js';
import { earlierDateSentence, MESSAGE_UNDERWAY, noticeOnEarlierDate } from '../messages/record.js';
import { MESSAGE_KIND_IDS, MESSAGE_KINDS, type MessageKind } from '../messages/types.js';
import { formatInZone, isValidTimeZone, relativeTo } from '../time.js';
import { policyBreaches } from './policies.js';
import type { CaseField, Gate, GateFacts, Playbook, PlaybookStep, RecordedFact } from './types.js';

/** Default sentence for an unset field; a gate's own `message` replaces it. */
const FIELD_UNSET: Record<CaseField, string> = {
  title: 'the title is not set',
  reporter: 'the reporter is not recorded',
  'severity.cvss': 'the CVSS vector is not set',
  'severity.cwe': 'the CWE id is not set',
  releasePlan: 'no release line is planned',
  affected: 'no affected version range is recorded',
  ghsaId: 'the GitHub advisory id (GHSA) is not set',
  cveId: 'the CVE id is not set',
  embargo: 'no embargo time is set',
};

/**
 * The command that sets each field, appended to its refusal (issue 13, item 19): a refusal that
 * names what is missing also says how to give it, as the refusals for missing mails do.
 */
const FIELD_FIX: Record<CaseField, (id: string) => string> = {
  title: (id) => `embargo case edit ${id} --title TITLE`,
  reporter: (id) => `embargo case edit ${id} --reporter-name NAME --reporter-contact CONTACT`,
  'severity.cvss': (id) => `embargo case edit ${id} --cvss CVSS:3.1/…`,
  'severity.cwe': (id) => `embargo case edit ${id} --cwe CWE-…`,
  releasePlan: (id) => `embargo case plan ${id} --line MINOR=VERSION`,
  affected: (id) => `embargo case edit ${id} --affected INTRODUCED..FIXED`,
  ghsaId: (id) => `embargo advisory push ${id}, or embargo case edit ${id} --ghsa GHSA-…`,
  cveId: (id) => `embargo advisory request-cve ${id}, or embargo case edit ${id} --cve CVE-…`,
  embargo: (id) => `embargo case embargo ${id} --at "YYYY-MM-DD HH:MM" --tz ZONE`,
};

/** The sentence with its command, unless the playbook's own message already names one. */
const withFix = (sentence: string, fix: string) =>
  /\bembargo (case|advisory|message|plan|guard|leak|project) /.test(sentence) ? sentence : `${sentence} (${fix})`;

export function findStep(pb: Playbook, stepId: string): PlaybookStep {
  const step = pb.steps.find((s) => s.id === stepId);
  if (!step) throw notFound(`playbook ${pb.id} has no step "${stepId}"`);
  return step;
}

/** `step 3 "Create a GitHub security advisory draft"`: how every message names a step. */
export function stepLabel(step: PlaybookStep): string {
  return `step ${step.number} "${step.title}"`;
}

/** Done and skipped both let later steps go ahead; only open blocks. */
export function isSettled(c: Case, stepId: string): boolean {
  const status = c.steps[stepId]?.status;
  return status === 'done' || status === 'skipped';
}

export function isFieldSet(c: Case, field: CaseField): boolean {
  switch (field) {
    case 'title':
      return c.title.trim() !== '';
    case 'reporter':
      return c.reporter !== null;
    case 'severity.cvss':
      return c.severity.cvss.some((v) => v.trim() !== '');
    case 'severity.cwe':
      return c.severity.cwe.some((v) => v.trim() !== '');
    case 'releasePlan':
      return c.releasePlan.length > 0;
    case 'affected':
      return c.affected.length > 0;
    case 'ghsaId':
      return c.ghsaId !== null && c.ghsaId.trim() !== '';
    case 'cveId':
      return c.cveId !== null && c.cveId.trim() !== '';
    case 'embargo':
      return c.embargo !== null;
  }
}

/** Whether Embargo recorded that it did the thing an attestation asks about. */
export function factRecorded(c: Case, fact: RecordedFact, facts: GateFacts): boolean {
  switch (fact) {
    case 'cveRequested':
      return Boolean(c.cveRequestedAt) || (c.cveId !== null && c.cveId.trim() !== '');
    case 'forkShared':
      return facts.forkShared === true && Boolean(c.forkUrl);
  }
}

/**
 * The step's attestations; given the case (and its facts), without those a recorded fact already
 * satisfies, so nobody ticks a box for what Embargo did itself.
 */
export function confirmationsOf(step: PlaybookStep, c?: Case, facts: GateFacts = {}): { id: string; text: string }[] {
  return step.gates.flatMap((g) =>
    'confirm' in g && !(c && g.confirm.metBy && factRecorded(c, g.confirm.metBy, facts))
      ? [{ id: g.confirm.id, text: g.confirm.text }]
      : [],
  );
}

/** Earlier steps a sequential playbook waits for; none when the playbook is not sequential. */
export function unsettledEarlierSteps(pb: Playbook, c: Case, step: PlaybookStep): string[] {
  if (!pb.sequential) return [];
  return pb.steps.filter((s) => s.number < step.number && !isSettled(c, s.id)).map((s) => `${stepLabel(s)} is not done`);
}

function describeEmbargoEnd(endsAt: Date, timeZone: string, now: Date): string {
  // A stored zone the runtime does not know must not hide the gate; say the time in UTC instead.
  const zone = isValidTimeZone(timeZone) ? timeZone : 'UTC';
  return `${formatInZone(endsAt, zone)}, ${relativeTo(endsAt, now)}`;
}

function unmetForGate(pb: Playbook, c: Case, gate: Gate, now: Date, confirmed: readonly string[], facts: GateFacts): string[] {
  if ('field' in gate) {
    return isFieldSet(c, gate.field) ? [] : [withFix(gate.message ?? FIELD_UNSET[gate.field], FIELD_FIX[gate.field](c.id))];
  }
  if ('stepsDone' in gate) {
    return gate.stepsDone
      .map((id) => pb.steps.find((s) => s.id === id))
      .filter((s): s is PlaybookStep => s !== undefined && !isSettled(c, s.id))
      .map((s) => `${stepLabel(s)} is not done`);
  }
  if ('releasesOut' in gate) {
    if (c.releasePlan.length === 0) return [noReleasePlan(c)];
    return c.releasePlan.filter((r) => r.releasedAt === null).map((r) => unreleasedLine(c, r.line));
  }
  if ('embargoOver' in gate) {
    if (c.embargo === null) return [withFix(FIELD_UNSET.embargo, FIELD_FIX.embargo(c.id))];
    const endsAt = new Date(c.embargo.endsAt);
    return now.getTime() >= endsAt.getTime() ? [] : [`embargo ends ${describeEmbargoEnd(endsAt, c.embargo.timeZone, now)}`];
  }
  if ('leaksClosed' in gate) {
    return (facts.openLeaks ?? []).map(
      (l) =>
        `leak incident ${l.id.slice(0, 8)} ("${l.what}") is open; close it with its follow-up (embargo leak update ${c.id} ${l.id.slice(0, 8)} --close --follow-up …)`,
    );
  }
  if ('retrospectiveWritten' in gate) {
    return facts.retrospectiveWritten === false
      ? [`the retrospective is not written; write its notes first (embargo retro write ${c.id} --notes-file FILE)`]
      : [];
  }
  if ('policies' in gate) return policyBreaches(pb, c, now).map((b) => b.message);
  if ('message' in gate) return unmetMessage(c, gate.message);
  if (gate.confirm.metBy && factRecorded(c, gate.confirm.metBy, facts)) return [];
  return confirmed.includes(gate.confirm.id) ? [] : [`confirm: ${gate.confirm.text}`];
}

/** Met by a mail of the kind that is queued, in flight, copied or sent; a failed one says so. */
function unmetMessage(c: Case, kind: MessageKind): string[] {
  const ofKind = c.messages.filter((m) => m.kind === kind);
  if (kind === 'distributors-notice') {
    // A notice that gave an earlier date does not count: the distributors must hear the new one.
    const earlier = noticeOnEarlierDate(c);
    if (earlier) return [earlierDateSentence(c, earlier.told)];
  }
  if (ofKind.some((m) => MESSAGE_UNDERWAY.includes(m.status))) return [];
  const label = MESSAGE_KINDS[kind].label;
  const last = ofKind[ofKind.length - 1];
  if (last?.status === 'failed') return [`${label} failed to send; retry it (message ${last.outboxId}) or send it again`];
  if (last?.status === 'unknown')
    return [`${label} may or may not have gone out; check the list archive, then retry it or mark it as sent (message ${last.outboxId})`];
  return [`${label} is not sent yet (kind ${kind})`];
}

/**
 * Every condition that keeps `stepId` from being completed now, given the attestations `confirmed`.
 * Sentences are de-duplicated (a sequential playbook and a stepsDone gate may name the same step).
 */
export function unmetConditions(
  pb: Playbook,
  c: Case,
  stepId: string,
  now: Date,
  confirmed: string[] = [],
  facts: GateFacts = {},
): string[] {
  const step = findStep(pb, stepId);
  const unmet = [...unsettledEarlierSteps(pb, c, step), ...step.gates.flatMap((g) => unmetForGate(pb, c, g, now, confirmed, facts))];
  return [...new Set(unmet)];
}

/**
 * The mail the checklist waits for next: the first `message:` gate not yet met on a step still
 * open, in playbook order; else the first kind never queued for the case; null when all went.
 */
export function nextMessageKind(pb: Playbook, c: Case): MessageKind | null {
  for (const step of pb.steps) {
    if (isSettled(c, step.id)) continue;
    for (const gate of step.gates) {
      if ('message' in gate && !('field' in gate) && unmetMessage(c, gate.message).length > 0) return gate.message;
    }
  }
  return MESSAGE_KIND_IDS.find((kind) => !c.messages.some((m) => m.kind === kind)) ?? null;
}
