/**
 * A playbook is a project's security-response process as data: numbered steps, each with the
 * guidance a person reads and the gates the engine checks before the step may be marked done.
 * Projects differ (Contour keeps the CVE id out of the embargoed mail, Kubernetes puts it in), so
 * the differences live in YAML files, not in code.
 */
import type { StepStatus } from '../case/types.js';
import type { ClockDeclaration } from '../clock/types.js';
import type { MessageKind, TemplateText } from '../messages/types.js';
import type { PolicyRule } from './policies.js';

/** Case fields a gate can require to be set (non-null, non-blank, non-empty list). */
export type CaseField =
  | 'title'
  | 'reporter'
  | 'severity.cvss'
  | 'severity.cwe'
  | 'releasePlan'
  | 'affected'
  | 'ghsaId'
  | 'cveId'
  | 'embargo';

export const CASE_FIELDS: readonly CaseField[] = [
  'title',
  'reporter',
  'severity.cvss',
  'severity.cwe',
  'releasePlan',
  'affected',
  'ghsaId',
  'cveId',
  'embargo',
];

export interface FieldGate {
  field: CaseField;
  /** Says why the field matters at this step; replaces the default "… is not set". */
  message?: string;
}

/** These steps must be done or skipped. */
export interface StepsDoneGate {
  stepsDone: string[];
}

/** Every releasePlan line has releasedAt, and the plan is not empty. */
export interface ReleasesOutGate {
  releasesOut: true;
}

/** An embargo is set and now >= embargo.endsAt. */
export interface EmbargoOverGate {
  embargoOver: true;
}

/**
 * Something only a person can know (e.g. "sent through the list's web interface"): the person who
 * completes the step attests it, and the attestation is kept on the step.
 */
export interface ConfirmGate {
  /** `metBy`: a fact Embargo records when it does the thing itself; then nobody is asked to attest it. */
  confirm: { id: string; text: string; metBy?: RecordedFact };
}

/**
 * What Embargo records when it carries out a step itself (issue 13, item 7): the CVE id requested
 * from GitHub (or assigned), the private fork made with every person on the case a collaborator.
 */
export const RECORDED_FACTS = ['cveRequested', 'forkShared'] as const;
export type RecordedFact = (typeof RECORDED_FACTS)[number];

/**
 * A mail of the checklist went, or is on its way: the case has a message of this kind that is
 * queued, being sent, copied for a list's web interface, or sent. (Written `message: <kind>`; a
 * `message` beside `field` is that field gate's sentence instead.)
 */
export interface MessageGate {
  message: MessageKind;
}

/**
 * No leak incident of the case is open (the retrospective must not close over an open leak; closing
 * an incident with its follow-up is the recorded decision). Its facts live beside the case: see
 * GateFacts.
 */
export interface LeaksClosedGate {
  leaksClosed: true;
}

/** Every policy rule of the playbook holds (policies.ts); the refusal quotes each broken rule. */
export interface PoliciesGate {
  policies: true;
}

/**
 * The case's retrospective was written (`embargo retro write`): its notes are on the case, so the
 * retrospective step is more than a checkbox. Its fact lives beside the case: see GateFacts.
 */
export interface RetrospectiveWrittenGate {
  retrospectiveWritten: true;
}

export type Gate =
  | FieldGate
  | StepsDoneGate
  | ReleasesOutGate
  | EmbargoOverGate
  | LeaksClosedGate
  | RetrospectiveWrittenGate
  | PoliciesGate
  | ConfirmGate
  | MessageGate;

/** The keys that name a gate's kind; a gate has exactly one. */
export const GATE_KINDS = [
  'field',
  'stepsDone',
  'releasesOut',
  'embargoOver',
  'leaksClosed',
  'retrospectiveWritten',
  'policies',
  'confirm',
  'message',
] as const;

/**
 * What some gates need that is not on the case: its open leak incidents. The shell loads them in the
 * transaction that decides; without facts (a pure view of the case alone) such a gate reads as met.
 */
export interface GateFacts {
  openLeaks?: readonly { id: string; what: string }[];
  /** The private fork was made (or its collaborators set) by Embargo with everyone on the case's access list. */
  forkShared?: boolean;
  /** Whether the case's retrospective notes were written; unknown (undefined) reads as met. */
  retrospectiveWritten?: boolean;
}

export interface PlaybookStep {
  /** kebab-case, unique within the playbook; the key in Case.steps. */
  id: string;
  /** 1-based position, as the checklist numbers it. */
  number: number;
  title: string;
  /** What the case is doing while this is the first open step; becomes Case.status. */
  phase: string;
  guidance: string[];
  skippable: boolean;
  /**
   * Completing this step is the advisory's publication: the case records `publishedAt` (now) unless
   * it already has one (GitHub's time, from `advisory publish` or `sync`). Mails meant for after
   * publication become sendable then.
   */
  publishes?: boolean;
  gates: Gate[];
}

export interface PlaybookSettings {
  /** Whether the embargoed distributors mail may carry the CVE id (Contour: no; Kubernetes: yes). */
  embargoedMailCarriesCve: boolean;
  distributorsList?: string;
  usersList?: string;
  securityContact?: string;
  /** Text put at the bottom of the embargoed distributors mail. */
  embargoNote?: string;
  /** Tag the distributors mail carries, e.g. "#security". */
  securityTag?: string;
  /**
   * Which release lines get patches: the N most recent minor lines with a final release, and how
   * release tags are named (`v` for v1.33.3). `embargo plan` uses it when no lines are given.
   */
  releasePolicy?: { supportedLines: number; tagPrefix: string };
  /** The IANA zone the project keeps its clocks in, and its days off (YYYY-MM-DD); usually a project's own. */
  timeZone?: string;
  holidays?: string[];
  /** The From address of the project's mail; usually a project's own. */
  mailFrom?: string;
  /**
   * The advisory ids the reporter's mails may carry before publication (Contour: the GHSA id, as
   * the reporter collaborates on the draft advisory); unset: none. The codename never.
   */
  reporterMailIds?: ('ghsa' | 'cve')[];
  /** The CVSS version sent to GitHub when the case has vectors of both (GitHub takes one). Contour: 3.1. */
  githubCvss?: '3.1' | '4.0';
}

export interface Playbook {
  id: string;
  name: string;
  description: string;
  /** Where the process comes from (URL of the project's checklist). */
  source?: string;
  /** Each step implicitly requires every earlier step to be done or skipped. */
  sequential: boolean;
  settings: PlaybookSettings;
  steps: PlaybookStep[];
  /** The promises about time the process makes (acknowledge within 3 business days, …); see docs/clocks.md. */
  clocks: ClockDeclaration[];
  /** The project's own wording for some mails (`{{placeholder}}` text); other kinds use the defaults. */
  templates?: Partial<Record<MessageKind, TemplateText>>;
  /** Rules across lists, checked by the `policies: true` gate and the lint of embargoed mail (policies.ts). */
  policies?: PolicyRule[];
}

/** One step as UIs and the CLI show it for a given case. */
export interface StepView {
  id: string;
  number: number;
  title: string;
  phase: string;
  status: StepStatus;
  by: string | null;
  at: string | null;
  reason: string | null;
  guidance: string[];
  skippable: boolean;
  confirmations: { id: string; text: string }[];
  /** Attestations given when the step was completed. */
  confirmed: string[];
  /** What still stands between an open step and "done"; empty for done or skipped steps. */
  unmet: string[];
}

export interface PlaybookSummary {
  id: string;
  name: string;
  description: string;
  source: string | null;
  sequential: boolean;
  phases: string[];
  steps: { id: string; number: number; title: string; phase: string; skippable: boolean }[];
}
