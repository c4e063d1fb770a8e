/**
 * The templates: one pure function per kind, (case, playbook, now) → subject and body. A template
 * set is a record keyed by kind; `templatesFor(playbook)` gives the playbook's set: DEFAULT_TEMPLATES
 * (whose wording follows the playbook's settings: name, tag, embargo note, whether the embargoed mail
 * carries the CVE), with the kinds the playbook's own `templates:` rewrite replaced.
 */
import type { Case } from '../case/types.js';
import type { Playbook } from '../playbook/types.js';
import {
  advisoryUrl,
  affectedRanges,
  attackVectors,
  bullets,
  creditLines,
  placeholder,
  releaseLines,
  reporterCredit,
  sayDisclosure,
  sayInstant,
  severityLine,
  atUrl,
  versionList,
} from './wording.js';
import { fillPlaceholders } from './placeholders.js';
import { MESSAGE_KIND_IDS, MESSAGE_KINDS, type MessageKind, type RenderedMessage, type TemplateText } from './types.js';

export interface TemplateInput {
  case: Case;
  playbook: Playbook;
  /** When the mail is written (the domain has no clock). */
  now: Date;
  /** The reporter's reference for the case (reveals no count of cases); the case id when absent. */
  reference?: string;
}

export type Template = (input: TemplateInput) => { subject: string; body: string };
export type TemplateSet = Record<MessageKind, Template>;

const section = (heading: string, text: string) => `## ${heading}\n\n${text.trim() || placeholder(heading.toLowerCase())}`;
const join = (...parts: (string | null | false)[]) => parts.filter((p): p is string => typeof p === 'string').join('\n\n');

/** Only when GitHub accepted the reporter's recorded login among the collaborators (issue 13, item 6). */
const reporterIsCollaborator = (c: Case) => Boolean(c.reporter?.githubLogin) && c.reporterCollaborator === c.reporter?.githubLogin;

const greetingFor = (c: Case) => `Hello ${c.reporter && c.reporter.credit !== 'anonymous' ? c.reporter.name : 'there'},`;
const signature = (p: Playbook) => `The ${p.name} Security Team${p.settings.securityContact ? `\n${p.settings.securityContact}` : ''}`;
const tagged = (p: Playbook, subject: string) => (p.settings.securityTag ? `${p.settings.securityTag} ${subject}` : subject);

/** The CVE id when the playbook lets the embargoed mail carry it and one is assigned. */
const embargoedCve = (c: Case, p: Playbook) => (p.settings.embargoedMailCarriesCve && c.cveId ? c.cveId : null);

const workaroundsText = (c: Case) => c.workarounds.trim() || 'No workaround is known; upgrading to a patched release is the fix.';

export const DEFAULT_TEMPLATES: TemplateSet = {
  'reporter-ack': ({ case: c, playbook: p, now, reference }) => ({
    subject: `Re: ${c.title || 'your security report'} (${reference ?? c.id})`,
    body: join(
      greetingFor(c),
      `thank you for reporting this issue to the ${p.name} security team. We received it and are looking into it (our reference: ${reference ?? c.id}, written ${sayInstant(now.toISOString(), c.embargo?.timeZone ?? 'UTC')}).`,
      `Next steps: we triage the report with you, decide which releases need a patch and agree a disclosure date. Please keep the issue private until then; we will keep you informed at every step.`,
      `You can tell us how you want to be credited in the advisory: by name, by name without your company, or anonymously. We currently have: ${reporterCredit(c) ?? placeholder('credit preference')}.`,
      signature(p),
    ),
  }),

  'reporter-draft-created': ({ case: c, playbook: p, reference }) => ({
    subject: `Re: ${c.title || 'your security report'} (${reference ?? c.id}): draft advisory created`,
    body: join(
      greetingFor(c),
      `we have created a draft security advisory for the issue you reported${c.ghsaId ? ` (${c.ghsaId}${reporterIsCollaborator(c) ? `, visible to you as a collaborator` : ''})` : ''}. It stays unpublished until the patch releases are out.`,
      `Planned patch releases:\n${c.releasePlan.length ? bullets(releaseLines(c)) : `- ${placeholder('patch releases')}`}`,
      c.embargo
        ? `Proposed disclosure: ${sayDisclosure(c)}. We will confirm it once the distributors have had their say.`
        : 'The dates are still pending; we will tell you the proposed disclosure date as soon as it is set.',
      `You will be credited as: ${reporterCredit(c) ?? placeholder('credit preference')}. Tell us if you would like that changed.`,
      signature(p),
    ),
  }),

  'distributors-notice': ({ case: c, playbook: p }) => {
    const cve = embargoedCve(c, p);
    const releases = c.releasePlan.length ? bullets(releaseLines(c)) : `- ${placeholder('patch releases')}`;
    return {
      subject: tagged(p, `${cve ? `${cve}: ` : ''}Upcoming ${p.name} security release ${versionList(c)}`),
      body: join(
        `Hello distributors,`,
        `the ${p.name} security team is preparing patch releases for a vulnerability${cve ? ` (${cve})` : ''}. This notice is embargoed: see the terms at the end.`,
        section('Description', c.description || c.title),
        section('Affected versions', c.affected.length ? bullets(affectedRanges(c)) : ''),
        section('Known attack vectors', bullets(attackVectors(c))),
        section('Possible workarounds', workaroundsText(c)),
        section(
          'Next steps',
          `Patch releases:\n${releases}\n\nProposed disclosure date: ${sayDisclosure(c)}. The fixed releases and the advisory go public then.\n\nPlease reply with your buy-in on this date, or with any objection (and the reason) so we can adjust it.`,
        ),
        signature(p),
        p.settings.embargoNote ?? placeholder('embargo note (the playbook has none)'),
      ),
    };
  },

  'users-announcement': ({ case: c, playbook: p }) => {
    const url = advisoryUrl(c);
    const ids = [c.cveId, c.ghsaId].filter(Boolean).join(' / ');
    return {
      subject: `${p.name} security advisory${c.cveId ? ` ${c.cveId}` : ''}: ${c.title}`,
      body: join(
        `Hello ${p.name} users,`,
        `we have published a security advisory${ids ? ` (${ids})` : ''}${atUrl(url)}`,
        severityLine(c) ?? false,
        section('Description', c.description || c.title),
        section('Affected versions', c.affected.length ? bullets(affectedRanges(c)) : ''),
        section('Fixed versions', c.releasePlan.length ? bullets(releaseLines(c)) : ''),
        section('Workarounds', workaroundsText(c)),
        section('Credits', creditLines(c).length ? `Thanks to:\n${bullets(creditLines(c))}` : 'Found by the maintainers.'),
        signature(p),
      ),
    };
  },

  'distributors-followup': ({ case: c, playbook: p }) => {
    const url = advisoryUrl(c);
    return {
      subject: tagged(p, `Released: ${p.name} ${versionList(c)}${c.cveId ? ` (${c.cveId})` : ''}`),
      body: join(
        `Hello distributors,`,
        `following up on our earlier notice: the patch releases are out and the advisory${c.cveId ? ` ${c.cveId}` : ''} is public${atUrl(url)}`,
        `Released:\n${bullets(releaseLines(c))}`,
        'The embargo has ended. Thank you for keeping it, and for any feedback on how the process went.',
        signature(p),
      ),
    };
  },

  'reporter-date-moved': ({ case: c, playbook: p, reference }) => ({
    subject: `Re: ${c.title || 'your security report'} (${reference ?? c.id}): new disclosure date`,
    body: join(
      greetingFor(c),
      `the disclosure date for the issue you reported has moved. It is now ${sayDisclosure(c)}; the fixed releases and the advisory go public then.`,
      'Please keep the issue private until that date. If the new date is a problem for you, reply to this mail and tell us why.',
      signature(p),
    ),
  }),

  'reporter-closed': ({ case: c, playbook: p, reference }) => {
    const r = c.resolution ?? null;
    const why =
      r?.outcome === 'duplicate'
        ? 'the issue you reported had already been reported to us, and we are handling it under that earlier report; you will hear from us as it progresses.'
        : r?.outcome === 'withdrawn'
          ? 'as you asked, we have closed your report without further action.'
          : r?.category === 'out-of-scope'
            ? 'after looking into it, we concluded that the issue is outside the scope of our security policy, so we will not publish a security advisory for it.'
            : r?.category === 'cannot-reproduce'
              ? 'we could not reproduce the issue you reported, so we have closed the report for now. If you can send us more details or a reproduction, we will gladly look again.'
              : 'after looking into it, we concluded that the behaviour you reported is not a security vulnerability, so we will not publish a security advisory for it.';
    return {
      subject: `Re: ${c.title || 'your security report'} (${reference}): closed`,
      body: join(
        greetingFor(c),
        `thank you for reporting this issue to the ${p.name} security team. ${why.charAt(0).toUpperCase()}${why.slice(1)}`,
        'If you disagree or have new information, reply to this mail and we will reopen it.',
        signature(p),
      ),
    };
  },

  'reporter-published': ({ case: c, playbook: p, reference }) => {
    const url = advisoryUrl(c);
    return {
      subject: `Re: ${c.title || 'your security report'} (${reference ?? c.id}): published, thank you`,
      body: join(
        greetingFor(c),
        `the advisory for the issue you reported is now public${c.cveId ? ` as ${c.cveId}` : ''}${atUrl(url)} The fixed releases are ${versionList(c)}.`,
        `You are credited as: ${reporterCredit(c) ?? 'not credited'}.`,
        `Thank you for reporting it privately and for your patience during the embargo.`,
        signature(p),
      ),
    };
  },
};

/**
 * The template set a playbook uses: the defaults, with each kind the playbook's `templates:` names
 * replaced by its `{{placeholder}}` text (checked when the playbook was loaded).
 */
export function templatesFor(playbook: Playbook): TemplateSet {
  const own = playbook.templates;
  if (!own || Object.keys(own).length === 0) return DEFAULT_TEMPLATES;
  const set: TemplateSet = { ...DEFAULT_TEMPLATES };
  for (const kind of MESSAGE_KIND_IDS) {
    const text = own[kind];
    if (text) set[kind] = fromText(text);
  }
  return set;
}

/** A template written as text: the subject on one line, the body without trailing blank lines. */
export function fromText(text: TemplateText): Template {
  return (input) => ({
    subject: fillPlaceholders(text.subject, input, { oneLine: true }),
    body: fillPlaceholders(text.body.replace(/\r\n?/g, '\n'), input).replace(/\s+$/, ''),
  });
}

/** The configured addresses of an audience: the lists from the playbook, the reporter's contact. */
export function audienceAddresses(kind: MessageKind, playbook: Playbook, c?: Case | null): string[] {
  const audience = MESSAGE_KINDS[kind].audience;
  const address =
    audience === 'distributors'
      ? playbook.settings.distributorsList
      : audience === 'users'
        ? playbook.settings.usersList
        : c?.reporter?.contact;
  return address ? [address] : [];
}

export function renderMessage(
  kind: MessageKind,
  input: TemplateInput,
  templates: TemplateSet = templatesFor(input.playbook),
): RenderedMessage {
  const { subject, body } = templates[kind](input);
  return { kind, audience: MESSAGE_KINDS[kind].audience, to: audienceAddresses(kind, input.playbook, input.case), subject, body };
}
