/**
 * A case's retrospective: its timeline and durations, which clocks were met or missed, and what the
 * team wrote down (notes, and action items that stay on an open list until done). Pure.
 */
import type { Case } from '../case/types.js';
import { invalidInput } from '../errors.js';
import { buildTimeline, type Durations, durationsOf, formatDuration, type Milestone, type TimelineEvent } from './timeline.js';

/**
 * Whether a clock of the case (issue 15, item 1: acknowledge within 3 business days, disclosure
 * target, …) was met. This module does not compute clocks: the clocks' module hands its outcomes in
 * (`RetrospectiveInput.clocks`), and until it does a retrospective says it has none (null).
 */
export interface ClockOutcome {
  /** The clock's id and its words, as the playbook declares it. */
  id: string;
  label: string;
  dueAt: string;
  /** When it was met; null when it was not (missed, or still running). */
  metAt: string | null;
  outcome: 'met' | 'missed' | 'running';
}

export interface ActionItem {
  id: string;
  caseId: string;
  text: string;
  owner: string | null;
  createdBy: string;
  createdAt: string;
  doneBy: string | null;
  doneAt: string | null;
}

export interface RetrospectiveNotes {
  notes: string;
  writtenBy: string;
  writtenAt: string;
}

export interface Retrospective {
  caseId: string;
  codename: string;
  title: string;
  status: string;
  timeline: Milestone[];
  durations: Durations;
  /** null: the clocks are not known to this retrospective (no clock outcomes were given). */
  clocks: ClockOutcome[] | null;
  written: RetrospectiveNotes | null;
  actions: ActionItem[];
}

export interface RetrospectiveInput {
  case: Pick<Case, 'id' | 'codename' | 'title' | 'status' | 'publishedAt' | 'releasePlan'>;
  /** The case's events, oldest first. */
  events: readonly TimelineEvent[];
  written: RetrospectiveNotes | null;
  actions: readonly ActionItem[];
  /** The plug for the clocks (issue 15, item 1): their outcomes for this case, when known. */
  clocks?: readonly ClockOutcome[] | null;
}

export function buildRetrospective(input: RetrospectiveInput): Retrospective {
  const c = input.case;
  const timeline = buildTimeline(input.events, c);
  return {
    caseId: c.id,
    codename: c.codename,
    title: c.title,
    status: c.status,
    timeline,
    durations: durationsOf(timeline, c),
    clocks: input.clocks ? [...input.clocks] : null,
    written: input.written,
    actions: [...input.actions],
  };
}

export const NOTES_MAX = 20_000;
export const ACTION_MAX = 500;

/** The notes as written, trimmed; refused when empty or too long. */
export function retrospectiveNotes(raw: unknown): string {
  const notes = typeof raw === 'string' ? raw.replace(/\r\n?/g, '\n').trim() : '';
  if (notes === '')
    throw invalidInput('the retrospective needs its notes: what went well, what did not, what to change', { field: 'notes' });
  if (notes.length > NOTES_MAX) throw invalidInput(`the notes are longer than ${NOTES_MAX} characters`, { field: 'notes' });
  return notes;
}

export function actionText(raw: unknown): string {
  const text = typeof raw === 'string' ? raw.trim() : '';
  if (text === '') throw invalidInput('an action item says what to do', { field: 'text' });
  if (text.length > ACTION_MAX) throw invalidInput(`an action item is at most ${ACTION_MAX} characters`, { field: 'text' });
  return text;
}

const DURATION_LABELS: [keyof Durations, string][] = [
  ['toAcknowledge', 'to acknowledge'],
  ['toTriage', 'to triage'],
  ['toCve', 'to the CVE id'],
  ['toFix', 'to fix (every line released)'],
  ['toNotice', "to the distributors' notice"],
  ['toDisclose', 'to disclose'],
  ['toAnnounce', 'to announce'],
];

/** The durations as [label, "3d 4h"] rows, for text and Markdown. */
export const durationRows = (d: Durations): [string, string][] => DURATION_LABELS.map(([k, label]) => [label, formatDuration(d[k])]);

/** The retrospective as Markdown, for the team's notes. */
export function retrospectiveMarkdown(r: Retrospective): string {
  const out: string[] = [`# Retrospective: ${r.caseId} (${r.codename})`, '', `${r.title} — ${r.status}`, '', '## Timeline', ''];
  out.push('| When (UTC) | Milestone | Since previous | Since report |', '|---|---|---|---|');
  for (const m of r.timeline) {
    const label = m.state === 'queued' ? `${m.label} (queued, not yet sent)` : m.label;
    out.push(
      `| ${m.at.slice(0, 16).replace('T', ' ')} | ${label} | ${formatDuration(m.sincePrevious)} | ${formatDuration(m.sinceReport)} |`,
    );
  }
  out.push('', '## Durations since the report', '');
  for (const [label, value] of durationRows(r.durations)) out.push(`- ${label}: ${value}`);
  out.push('', '## Clocks', '');
  if (r.clocks === null) out.push('No clock outcomes are recorded for this case.');
  else if (r.clocks.length === 0) out.push('The playbook declares no clocks.');
  else for (const c of r.clocks) out.push(`- ${c.label}: ${c.outcome}${c.metAt ? ` (${c.metAt})` : ''}, due ${c.dueAt}`);
  out.push('', '## Notes', '');
  out.push(
    r.written ? `${r.written.notes}\n\n_Written by ${r.written.writtenBy} on ${r.written.writtenAt.slice(0, 10)}._` : '_Not written yet._',
  );
  out.push('', '## Action items', '');
  if (r.actions.length === 0) out.push('None.');
  for (const a of r.actions) out.push(`- [${a.doneAt ? 'x' : ' '}] ${a.text}${a.owner ? ` (${a.owner})` : ''} — ${a.id.slice(0, 8)}`);
  return `${out.join('\n')}\n`;
}
