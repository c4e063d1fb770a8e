/**
 * The lint every draft goes through before it may be sent: embargoed ids, required sections, the
 * embargo note (present, verbatim, last), the security tag, exact recipients, and no public mail
 * before publication. Pure: the same findings in the composer, the outbox gate and `embargo message
 * lint`. Any finding of severity "error" blocks sending.
 */
import type { Case } from '../case/types.js';
import { findIds, idContext } from '../guard/ids.js';
import { foldText, originalOffset } from '../guard/text.js';
import { policyBreaches } from '../playbook/policies.js';
import type { Playbook } from '../playbook/types.js';
import { closestLookalike, type KnownAddress } from './addresses.js';
import { audienceAddresses } from './templates.js';
import { MESSAGE_KINDS, type Finding, type FindingPart, type MessageKind } from './types.js';
import { PLACEHOLDER } from './wording.js';

export interface LintInput {
  kind: MessageKind;
  subject: string;
  body: string;
  /** The recipients; each must be exactly a configured address for the kind's audience. */
  to: string[];
  playbook: Playbook;
  /** The case, when known: gives the reporter's address and whether the advisory is published. */
  case?: Case | null;
  /** Whether the advisory is published; defaults to `case.publishedAt !== null`. */
  published?: boolean;
  /** The time the mail would go: the playbook's policy rules are checked against it (none without). */
  now?: Date;
}

/**
 * The leak guard's matcher for what the reporter must not get (portal/withhold.ts). Passed in: it
 * hashes with node:crypto, which a browser does not have, so the web app's live lint runs without
 * it (the server lints again, with it, before anything is queued).
 */
export type WithheldMatcher = (
  text: string,
  c: Case,
  ids: readonly ('ghsa' | 'cve')[],
) => readonly { what: 'codename' | 'ghsa' | 'cve'; start: number }[];

/** Every rule; the reporter's withheld ids and codename only when `withheld` is given. */
export function lintWith(input: LintInput, withheld: WithheldMatcher | null): Finding[] {
  const body = input.body.replace(/\r\n?/g, '\n');
  const subject = input.subject.replace(/\r\n?/g, '\n');
  const spec = MESSAGE_KINDS[input.kind];
  const findings: Finding[] = [];
  const at = (part: FindingPart, text: string, offset: number) => ({ part, ...lineColumn(text, offset) });
  const add = (rule: string, severity: Finding['severity'], message: string, where: Pick<Finding, 'part' | 'line' | 'column'>) =>
    findings.push({ rule, severity, message, ...where });

  // 1. No CVE/GHSA id (nor an advisory URL carrying one) in an embargoed mail.
  if (spec.embargoed) {
    const carriesCve = input.playbook.settings.embargoedMailCarriesCve;
    for (const [part, text] of [
      ['subject', subject],
      ['body', body],
    ] as const) {
      for (const id of idsIn(text)) {
        if (id.kind === 'case' || (id.kind === 'cve' && carriesCve)) continue;
        const written = text.slice(id.start, id.end);
        const what = id.kind === 'cve' ? `the CVE id ${id.canonical}` : `the advisory id ${id.canonical}`;
        const why = carriesCve
          ? `${spec.label} may carry the CVE id but not the GitHub advisory id or its link`
          : `${spec.label} must not carry a CVE or GHSA id until the advisory is published (${input.playbook.name}'s process leaves it out)`;
        const message = id.inUrl
          ? `The link "${id.url}" carries ${what}; ${why}. Remove the link.`
          : `"${written}" is ${what}; ${why}. Remove it.`;
        add(id.inUrl ? 'embargoed-advisory-url' : 'embargoed-id', 'error', message, at(part, text, id.inUrl ? id.urlStart : id.start));
      }
    }
  }

  // 2. Gaps left by a template.
  for (const [part, text] of [
    ['subject', subject],
    ['body', body],
  ] as const) {
    for (const m of text.matchAll(PLACEHOLDER)) {
      add(
        'placeholder',
        'error',
        `"${m[0]}" is a gap the template could not fill from the case; write it in (or set it on the case) before sending.`,
        at(part, text, m.index!),
      );
    }
  }

  // 3. The embargo note: present, verbatim, last.
  const noteText = input.playbook.settings.embargoNote?.replace(/\r\n?/g, '\n').trim();
  let noteStart = body.length;
  if (spec.embargoed) {
    if (!noteText) {
      add(
        'embargo-note-missing',
        'error',
        `${input.playbook.name} has no embargo note (the project's or its playbook's settings.embargoNote); an embargoed mail cannot be checked or sent without one.`,
        at('body', body, 0),
      );
    } else {
      noteStart = checkEmbargoNote(body, noteText, (rule, message, offset) => add(rule, 'error', message, at('body', body, offset)));
    }
  }

  // 4. Required sections, present and non-empty (before the note).
  checkSections(body.slice(0, noteStart), spec.sections, (rule, message, offset) => add(rule, 'error', message, at('body', body, offset)));
  if (input.kind === 'distributors-notice' && !/\b(object|objection|objections|buy-in|agree|ok with)\b/i.test(body.slice(0, noteStart))) {
    add(
      'buy-in-request',
      'warning',
      'The notice does not ask the distributors for buy-in or objections on the proposed disclosure date; add a sentence asking for it.',
      at('body', body, 0),
    );
  }

  // 5. The security tag.
  const tag = input.playbook.settings.securityTag;
  if (spec.tagged && tag && !subject.includes(tag) && !body.includes(tag)) {
    add(
      'security-tag',
      'error',
      `The ${input.playbook.name} security tag "${tag}" is neither in the subject nor in the body; add it (for example at the start of the subject) so list members can filter on it.`,
      at('subject', subject, 0),
    );
  }

  // 6. Publication.
  const published = input.published ?? (input.case ? input.case.publishedAt !== null : false);
  if (spec.afterPublication && !published) {
    add(
      'not-published',
      'error',
      `${capitalise(spec.label)} may only be sent once the advisory is published, and it is not${input.case ? '' : ' known to be'} published yet.`,
      at('subject', subject, 0),
    );
  }

  // 7. What the reporter must not get (before publication, per the playbook), in any spelling.
  if (spec.audience === 'reporter' && input.case && withheld) {
    const allowed = input.playbook.settings.reporterMailIds ?? [];
    const ids = published ? [] : (['ghsa', 'cve'] as const).filter((k) => !allowed.includes(k));
    for (const [part, text] of [
      ['subject', subject],
      ['body', body],
    ] as const) {
      for (const w of withheld(text, input.case, ids)) {
        const message =
          w.what === 'codename'
            ? `This names the case's codename ("${input.case.codename}", in some spelling); it is the team's word for the case and never goes to the reporter. Remove it.`
            : `This names the case's ${w.what === 'ghsa' ? 'GHSA' : 'CVE'} id; the ${input.playbook.name} playbook does not let ${spec.label} carry it before the advisory is published (settings.reporterMailIds). Remove it.`;
        add('reporter-withheld', 'error', message, at(part, text, w.start));
      }
    }
  }

  // 8. The playbook's policy rules across lists, for the notice about to go (its date and its lead time).
  if (spec.embargoed && input.case && input.now) {
    for (const b of policyBreaches(input.playbook, input.case, input.now, input.kind)) {
      add('policy', 'error', `${b.message}; move the embargo (embargo case embargo ${input.case.id} --at …) before sending.`, {
        part: 'body',
        line: 1,
        column: 1,
      });
    }
  }

  // 9. Recipients.
  checkRecipients(input, (rule, severity, message) => add(rule, severity, message, { part: 'recipients', line: 0, column: 0 }));

  return findings;
}

export const hasErrors = (findings: readonly Finding[]) => findings.some((f) => f.severity === 'error');

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

export function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - (before.lastIndexOf('\n') + 1) + 1 };
}

interface IdHit {
  kind: 'cve' | 'ghsa' | 'case';
  canonical: string;
  start: number;
  end: number;
  inUrl: boolean;
  url: string;
  urlStart: number;
}

/** The guard's id detector over folded text (look-alike dashes, NFKC), offsets mapped back. */
function idsIn(text: string): IdHit[] {
  const folded = foldText(text);
  return findIds(folded.text).map((id) => {
    const start = originalOffset(folded, id.start);
    const end = originalOffset(folded, id.end);
    const inUrl = idContext(folded.text, id.start) === 'advisory-url';
    let urlStart = start;
    while (urlStart > 0 && !/[\s(<["']/.test(text[urlStart - 1]!)) urlStart--;
    let urlEnd = end;
    while (urlEnd < text.length && !/[\s)>\]"']/.test(text[urlEnd]!)) urlEnd++;
    return { kind: id.kind, canonical: id.canonical, start, end, inUrl, url: text.slice(urlStart, urlEnd), urlStart };
  });
}

interface Word {
  text: string;
  start: number;
}
const wordsWithOffsets = (text: string): Word[] => [...text.matchAll(/\S+/g)].map((m) => ({ text: m[0], start: m.index! }));

/**
 * Finds the embargo note in the body and reports what is wrong with it; returns where the note (or
 * what is left of it) starts, so the sections end there.
 */
function checkEmbargoNote(body: string, note: string, report: (rule: string, message: string, offset: number) => void): number {
  const exact = body.lastIndexOf(note);
  if (exact >= 0) {
    const after = body.slice(exact + note.length);
    const trailing = after.search(/\S/);
    if (trailing >= 0) {
      const offset = exact + note.length + trailing;
      const first = after.trim().split('\n')[0]!.slice(0, 40);
      report(
        'embargo-note-not-last',
        `The embargo note must be the last thing in the mail, but text follows it (starting "${first}"); move that text above the note.`,
        offset,
      );
    }
    return exact;
  }
  // Not verbatim: find the best word-by-word alignment to say what differs.
  const bodyWords = wordsWithOffsets(body);
  const noteWords = wordsWithOffsets(note).map((w) => w.text);
  let best: { start: number; matched: number } | null = null;
  for (let anchor = 0; anchor < Math.min(8, noteWords.length - 1); anchor++) {
    for (let p = 0; p + 1 < bodyWords.length; p++) {
      if (bodyWords[p]!.text !== noteWords[anchor] || bodyWords[p + 1]!.text !== noteWords[anchor + 1]) continue;
      const start = p - anchor;
      if (start < 0) continue;
      let matched = 0;
      while (matched < noteWords.length && bodyWords[start + matched]?.text === noteWords[matched]) matched++;
      if (!best || matched > best.matched) best = { start, matched };
    }
  }
  if (!best) {
    report(
      'embargo-note-missing',
      `The embargo note is missing; paste the ${noteWords.length}-word note from the playbook, unchanged, at the very end of the mail.`,
      body.length,
    );
    return body.length;
  }
  const noteOffset = bodyWords[best.start]!.start;
  if (best.matched === noteWords.length) {
    const end = bodyWords[best.start + best.matched - 1]!;
    const trailing = body.slice(end.start + end.text.length).search(/\S/);
    report(
      'embargo-note-edited',
      'The embargo note has the right words but its line breaks or spacing differ from the playbook; paste it unchanged.',
      noteOffset,
    );
    if (trailing >= 0)
      report(
        'embargo-note-not-last',
        'The embargo note must be the last thing in the mail, but text follows it; move that text above the note.',
        end.start + end.text.length + trailing,
      );
    return noteOffset;
  }
  const i = best.matched;
  const here = bodyWords[best.start + i];
  const expected = noteWords.slice(i, i + 6).join(' ');
  const written = here
    ? bodyWords
        .slice(best.start + i, best.start + i + 6)
        .map((w) => w.text)
        .join(' ')
    : '';
  const context = noteWords.slice(Math.max(0, i - 3), i).join(' ');
  const message = here
    ? `The embargo note was edited: after "${context}" it says "${written}" where the playbook's note says "${expected}"; paste the note unchanged.`
    : `The embargo note is cut short: it stops after "${context}" and lacks "${expected}…"; paste the whole note unchanged.`;
  report('embargo-note-edited', message, here ? here.start : body.length);
  return noteOffset;
}

const HEADING = /^[ \t]{0,3}(#{1,6}[ \t]+)?(.+?)[ \t]*:?[ \t]*$/;

function checkSections(text: string, sections: readonly string[], report: (rule: string, message: string, offset: number) => void): void {
  if (sections.length === 0) return;
  const lines: { text: string; start: number }[] = [];
  let offset = 0;
  for (const l of text.split('\n')) {
    lines.push({ text: l, start: offset });
    offset += l.length + 1;
  }
  const isHeadingOf = (line: string, name: string) => {
    const m = HEADING.exec(line);
    return Boolean(m && m[2]!.replace(/#+$/, '').trim().toLowerCase() === name.toLowerCase());
  };
  const isAnyHeading = (line: string) => /^[ \t]{0,3}#{1,6}[ \t]+\S/.test(line) || sections.some((s) => isHeadingOf(line, s));
  for (const name of sections) {
    const idx = lines.findIndex((l) => isHeadingOf(l.text, name));
    if (idx < 0) {
      report('section-missing', `The section "${name}" is missing; add a line "## ${name}" followed by its text.`, 0);
      continue;
    }
    let k = idx + 1;
    let content = '';
    for (; k < lines.length && !isAnyHeading(lines[k]!.text); k++) content += lines[k]!.text;
    if (content.trim() === '') {
      report(
        'section-empty',
        `The section "${name}" is empty; write its text (say "none known" if there is nothing to say).`,
        lines[idx]!.start,
      );
    }
  }
}

function checkRecipients(input: LintInput, report: (rule: string, severity: Finding['severity'], message: string) => void): void {
  const spec = MESSAGE_KINDS[input.kind];
  const allowed = audienceAddresses(input.kind, input.playbook, input.case);
  const audienceName =
    spec.audience === 'distributors' ? 'the distributors list' : spec.audience === 'users' ? 'the users list' : "the reporter's address";
  if (input.to.length === 0) {
    report(
      'recipients-unchecked',
      'warning',
      `No recipients were given, so none were checked; ${spec.label} goes to ${allowed[0] ?? audienceName}.`,
    );
    return;
  }
  if (allowed.length === 0) {
    const why =
      spec.audience === 'reporter'
        ? 'no case (with a reporter) was given'
        : `${input.playbook.name} configures no ${spec.audience}List (the project's or its playbook's settings)`;
    report('recipient-not-configured', spec.audience === 'reporter' ? 'warning' : 'error', `Recipients cannot be checked: ${why}.`);
    if (spec.audience === 'reporter') return;
  }
  const s = input.playbook.settings;
  const known: KnownAddress[] = [
    ...(s.distributorsList ? [{ address: s.distributorsList, label: 'the distributors list' }] : []),
    ...(s.usersList ? [{ address: s.usersList, label: 'the users list' }] : []),
    ...(s.securityContact ? [{ address: s.securityContact, label: 'the security team' }] : []),
    ...(input.case?.reporter?.contact ? [{ address: input.case.reporter.contact, label: "the reporter's address" }] : []),
  ];
  const seen = new Set<string>();
  for (const raw of input.to) {
    const address = raw.trim();
    if (seen.has(address)) {
      report('recipient-duplicate', 'warning', `${address} is listed twice.`);
      continue;
    }
    seen.add(address);
    if (allowed.includes(address)) continue;
    const other = known.find((k) => k.address === address);
    if (other) {
      report(
        'recipient-wrong-audience',
        'error',
        `${address} is ${other.label}, not ${audienceName}; ${spec.label} goes only to ${allowed.join(', ') || audienceName}.`,
      );
      continue;
    }
    const look =
      closestLookalike(address, allowed.length ? allowed.map((a) => ({ address: a, label: audienceName })) : known) ??
      closestLookalike(address, known);
    if (look) {
      report(
        'recipient-lookalike',
        'error',
        `${address} is not ${look.known.label}: it resembles ${look.known.address} but ${look.how}; send only to ${look.known.address} exactly.`,
      );
    } else {
      report(
        'recipient-not-configured',
        'error',
        `${address} is not a configured address for ${spec.label}; it goes only to ${allowed.join(', ') || audienceName}.`,
      );
    }
  }
}
