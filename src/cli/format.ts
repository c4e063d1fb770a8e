/** How cases, steps and playbooks read on a terminal. Pure: data in, lines out. */
import type { Case, Embargo } from '../domain/case/types.js';
import type { AckSummary } from '../domain/disclosure/acks.js';
import type { CaseField, Gate, Playbook, PlaybookSettings, StepView } from '../domain/playbook/types.js';
import { MESSAGE_KINDS } from '../domain/messages/types.js';
import { scoreCvss } from '../domain/severity/cvss.js';
import { findCwe } from '../domain/severity/cwe.js';
import { formatInZone, isValidTimeZone, relativeTo } from '../domain/time.js';
import type { Colors } from './output.js';
import { table } from './output.js';

export const MARKS = { done: '✓', skipped: '↷', open: '·' } as const;

const DASH = '—';

export function describeEmbargo(e: Embargo | null, now: Date = new Date()): string {
  if (!e) return DASH;
  const at = new Date(e.endsAt);
  const zone = isValidTimeZone(e.timeZone) ? e.timeZone : 'UTC';
  return `${formatInZone(at, zone)} (${relativeTo(at, now)})`;
}

/** "2026-11-25 12:26 UTC": short enough for a column, exact enough for an audit question. */
export function shortTime(iso: string | null): string {
  if (!iso) return DASH;
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** "9.8 CRITICAL  CVSS:3.1/…", or the vector alone if it no longer parses. */
function scoredVector(vector: string): string {
  try {
    const s = scoreCvss(vector);
    return `${s.score.toFixed(1)} ${s.severity}  ${vector}`;
  } catch {
    return vector;
  }
}

/** Where the original report came from, and how to read it. */
function reportLine(r: NonNullable<Case['report']>, id: string): string {
  const from = r.sender ? ` from ${r.sender.name ? `${r.sender.name} <${r.sender.address}>` : r.sender.address}` : '';
  const files = r.attachments.length ? `; attachments left in the mail: ${r.attachments.join(', ')}` : '';
  return `by ${r.source}${from}${r.sentAt ? `, sent ${shortTime(r.sentAt)}` : ''}${files} (read it: embargo case show ${id} --report)`;
}

export function caseDetails(c: Case, colors: Colors, now: Date = new Date()): string[] {
  const r = c.reporter;
  const reporter = r ? `${r.name} <${r.contact}>${r.company ? `, ${r.company}` : ''}; credit: ${r.credit}` : DASH;
  const releases =
    c.releasePlan.length === 0
      ? [DASH]
      : c.releasePlan.map(
          (l) =>
            `${l.line} → ${l.version}${l.releasedAt ? `  released ${shortTime(l.releasedAt)}${l.tag ? ` as ${l.tag}` : ''}` : '  not released yet'}`,
        );
  const affected =
    c.affected.length === 0
      ? [DASH]
      : c.affected.map((a) => `from ${a.introduced}${a.fixed ? `, fixed in ${a.fixed}` : ', no fix planned'}`);
  const rows: [string, string[]][] = [
    ['codename', [c.codename]],
    ['project', [`${c.project} (playbook ${c.playbook})`]],
    ['status', [c.status]],
    ...(c.resolution
      ? ([
          [
            'closed',
            [
              `${c.resolution.outcome}${c.resolution.category ? ` (${c.resolution.category})` : ''}${c.resolution.duplicateOf ? ` of ${c.resolution.duplicateOf}` : ''} by ${c.resolution.by} ${shortTime(c.resolution.at)}: ${c.resolution.reason}`,
            ],
          ],
        ] as [string, string[]][])
      : []),
    ['reporter', [reporter]],
    ...(c.report ? ([['report', [reportLine(c.report, c.id)]]] as [string, string[]][]) : []),
    [
      'advisory',
      [
        c.description.trim()
          ? `description written (${c.description.length} characters)`
          : `no description yet: embargo case edit ${c.id} --description-file FILE`,
      ],
    ],
    ['CVSS', c.severity.cvss.length ? c.severity.cvss.map(scoredVector) : [DASH]],
    ['CWE', c.severity.cwe.length ? c.severity.cwe.map((id) => `${id} ${findCwe(id)?.name ?? ''}`.trim()) : [DASH]],
    ['package', [c.package ? `${c.package.ecosystem} ${c.package.name}` : DASH]],
    ['GHSA', [c.ghsaId ?? DASH]],
    ['CVE', [c.cveId ?? DASH]],
    ['embargo', [describeEmbargo(c.embargo, now)]],
    ['releases', releases],
    ['affected', affected],
    ['opened', [shortTime(c.createdAt)]],
    ['updated', [`${shortTime(c.updatedAt)} (revision ${c.revision})`]],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  const lines = [`${colors.bold(c.id)}  ${c.title}`];
  for (const [label, values] of rows) {
    values.forEach((v, i) => {
      lines.push(`  ${colors.dim((i === 0 ? label : '').padEnd(width))}  ${v}`);
    });
  }
  return lines;
}

function mark(status: StepView['status'], colors: Colors): string {
  if (status === 'done') return colors.green(MARKS.done);
  if (status === 'skipped') return colors.yellow(MARKS.skipped);
  return colors.dim(MARKS.open);
}

/** One line per step: mark, number, title, phase and who settled it. */
export function stepList(steps: StepView[], colors: Colors): string[] {
  const rows = steps.map((s) => {
    const who =
      s.status === 'open'
        ? s.reason
          ? `reopened: ${s.reason}`
          : ''
        : `${s.status} by ${s.by ?? '?'} ${shortTime(s.at)}${s.status === 'skipped' && s.reason ? `: ${s.reason}` : ''}`;
    return [MARKS[s.status], String(s.number).padStart(2), s.title, s.phase, who];
  });
  return table(rows).map((line, i) => {
    const s = steps[i]!;
    // Colour the mark (always the first character) after padding, so columns stay aligned.
    return `  ${mark(s.status, colors)}${line.slice(1)}`;
  });
}

/** "confirm: <text>" conditions with the flag that attests them. */
/** The unmet conditions with what to type: `--confirm ID` for attestations, the send command for mails. */
export function withConfirmHints(step: StepView, caseId: string): string[] {
  return step.unmet.map((u) => {
    const c = step.confirmations.find((k) => u === `confirm: ${k.text}`);
    if (c) return `${u}  (--confirm ${c.id})`;
    const mail = /is not sent yet \(kind ([a-z-]+)\)$/.exec(u);
    return mail ? `${u}: embargo message send ${caseId} --kind ${mail[1]}` : u;
  });
}

export function nextStep(steps: StepView[]): StepView | undefined {
  return steps.find((s) => s.status === 'open');
}

/** What comes next for the case, and what still stands in its way. */
export function nextStepLines(caseId: string, steps: StepView[], colors: Colors): string[] {
  const next = nextStep(steps);
  if (!next) return [colors.green('Every step is done or skipped: the case is closed.')];
  const label = `step ${next.number} "${next.title}" (${next.id})`;
  if (next.unmet.length === 0) {
    return [`Next: ${label} — ready: ${colors.cyan(`embargo case step done ${caseId} ${next.id}`)}`];
  }
  return [
    `Next: ${label} — not yet, ${next.unmet.length === 1 ? '1 condition is' : `${next.unmet.length} conditions are`} unmet:`,
    ...withConfirmHints(next, caseId).map((u) => `  - ${u}`),
  ];
}

const FIELD_WORDS: Record<CaseField, string> = {
  title: 'a title',
  reporter: 'the reporter (name and private contact)',
  'severity.cvss': 'a CVSS vector',
  'severity.cwe': 'a CWE id',
  releasePlan: 'a release plan with at least one line',
  affected: 'an affected version range',
  ghsaId: 'the GHSA id of the advisory',
  cveId: 'the CVE id',
  embargo: 'an embargo time',
};

/** A gate as a sentence: what it waits for. */
export function gateInWords(gate: Gate, pb: Playbook): string {
  if ('field' in gate) return `needs ${FIELD_WORDS[gate.field]}`;
  if ('stepsDone' in gate) {
    const names = gate.stepsDone.map((id) => {
      const s = pb.steps.find((x) => x.id === id);
      return s ? `step ${s.number} "${s.title}"` : id;
    });
    return `needs ${names.join(', ')} done or skipped`;
  }
  if ('releasesOut' in gate) return 'needs every planned release line released';
  if ('embargoOver' in gate) return 'needs the embargo to be over';
  if ('leaksClosed' in gate) return 'needs every leak incident of the case closed (with its follow-up)';
  if ('policies' in gate)
    return `needs every policy rule of the playbook to hold (${(pb.policies ?? []).map((p) => p.id).join(', ') || 'none declared'})`;
  if ('retrospectiveWritten' in gate) return 'needs the retrospective written (embargo retro write CASE --notes-file FILE)';
  if ('message' in gate)
    return `needs ${MESSAGE_KINDS[gate.message].label} queued or sent (embargo message send CASE --kind ${gate.message})`;
  return `asks you to confirm (--confirm ${gate.confirm.id}): ${gate.confirm.text}`;
}

const SETTING_LABELS: Record<keyof PlaybookSettings, string> = {
  embargoedMailCarriesCve: 'embargoed mail carries the CVE id',
  distributorsList: 'distributors list',
  usersList: 'users list',
  securityContact: 'security contact',
  securityTag: 'security tag',
  embargoNote: 'embargo note',
  releasePolicy: 'release policy',
  timeZone: 'time zone',
  holidays: 'holidays',
  mailFrom: 'mail From',
  reporterMailIds: 'ids the reporter may get before publication',
  githubCvss: 'CVSS version sent to GitHub',
};

/** "patches for the 3 most recent minor lines; release tags look like v1.2.3" */
export function policyInWords(p: NonNullable<PlaybookSettings['releasePolicy']>): string {
  const lines = p.supportedLines === 1 ? 'the most recent minor line' : `the ${p.supportedLines} most recent minor lines`;
  return `patches for ${lines}; release tags look like ${p.tagPrefix}1.2.3`;
}

/** A playbook's or project's setting as people read it: its label, and its value in words. */
export const settingLabel = (key: string): string => SETTING_LABELS[key as keyof PlaybookSettings] ?? key;

export function settingText(key: string, value: unknown): string {
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (key === 'releasePolicy') return policyInWords(value as NonNullable<PlaybookSettings['releasePolicy']>);
  if (Array.isArray(value)) return value.join(', ') || '—';
  return String(value);
}

export function playbookDetails(pb: Playbook, colors: Colors): string[] {
  const lines = [`${colors.bold(pb.name)} (${pb.id})`, ...wrap(pb.description, 2)];
  if (pb.source) lines.push(`  source: ${pb.source}`);
  lines.push(
    `  ${pb.sequential ? 'Steps go in order: each waits for every earlier step to be done or skipped.' : 'Steps may be done in any order.'}`,
  );
  lines.push('');
  for (const s of pb.steps) {
    lines.push(
      `${colors.bold(`${s.number}. ${s.title}`)}  ${colors.dim(`[${s.id}, phase ${s.phase}${s.skippable ? ', may be skipped' : ''}]`)}`,
    );
    for (const g of s.guidance) lines.push(...wrap(g, 5, '   - '));
    if (s.gates.length > 0) {
      lines.push('   Before it is done:');
      for (const g of s.gates) lines.push(...wrap(gateInWords(g, pb), 7, '     * '));
    }
    lines.push('');
  }
  lines.push(colors.bold('Settings'));
  for (const [key, value] of Object.entries(pb.settings)) {
    if (value === undefined) continue;
    const label = settingLabel(key);
    const text = settingText(key, value);
    if (text.includes('\n')) {
      lines.push(`  ${label}:`);
      for (const l of text.split('\n')) lines.push(...(l.trim() === '' ? [''] : wrap(l, 4)));
    } else {
      lines.push(`  ${label}: ${text}`);
    }
  }
  return lines;
}

/** Word-wraps at 100 columns with a first-line prefix and a hanging indent. */
export function wrap(text: string, indent: number, first = ' '.repeat(indent), width = 100): string[] {
  const words = text.split(/\s+/).filter(Boolean);
  const lines: string[] = [];
  let current = first;
  let empty = true;
  for (const w of words) {
    if (!empty && current.length + 1 + w.length > width) {
      lines.push(current);
      current = ' '.repeat(indent) + w;
    } else {
      current += (empty ? '' : ' ') + w;
    }
    empty = false;
  }
  if (!empty) lines.push(current);
  return lines;
}

/** "Not answered on this date: …", or that everyone has; the line `ack`, `acks` and `case show` print. */
export const notAnsweredLine = (acks: Pick<AckSummary, 'notAnswered'>): string =>
  acks.notAnswered.length === 0 ? 'Every member has answered on this date.' : `Not answered on this date: ${acks.notAnswered.join(', ')}.`;

/** The distributors' answers on the proposed date, in short, for the case view. */
export function answerLines(acks: AckSummary & { agreement: { agreedBy: string; agreedAt: string } | null }, colors: Colors): string[] {
  if (acks.members.length === 0) return [];
  const lines = [
    `Distributors: ${acks.acknowledged.length} of ${acks.members.length} acknowledged the date${acks.agreement ? `; agreed by ${acks.agreement.agreedBy} ${shortTime(acks.agreement.agreedAt)}` : ''}`,
  ];
  for (const o of acks.objected) lines.push(colors.yellow(`  ${o.organisation} objects: ${o.reason}`));
  if (acks.notAnswered.length > 0) lines.push(colors.yellow(`  ${notAnsweredLine(acks)}`));
  return lines;
}
