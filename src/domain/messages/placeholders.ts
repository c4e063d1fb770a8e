/**
 * The `{{name}}` variables a project's own templates (a playbook's `templates:`) may use: a fixed,
 * documented set computed from the case and the playbook. A fact the case lacks becomes a
 * `[fill in: …]` gap, which the lint refuses, exactly as in the built-in templates.
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
  versionList,
} from './wording.js';

export interface PlaceholderInput {
  case: Case;
  playbook: Playbook;
  /** The reporter's reference for the case; the case id when absent. */
  reference?: string;
}

type Compute = (input: PlaceholderInput) => string;

const orGap = (value: string | null | undefined, what: string) => (value && value.trim() !== '' ? value : placeholder(what));

/** Every placeholder, what it says (docs/messages.md lists the same), and how it is computed. */
export const PLACEHOLDERS: Readonly<Record<string, { says: string; compute: Compute }>> = {
  caseId: { says: 'the case id (EMB-2026-0001)', compute: ({ case: c }) => c.id },
  reference: {
    says: "the reporter's reference for the case (R-7KQ2M-X9FJD): unlike the case id it reveals no count of cases",
    compute: ({ case: c, reference }) => reference ?? c.id,
  },
  title: { says: 'the case title', compute: ({ case: c }) => orGap(c.title, 'title') },
  description: {
    says: 'the advisory description, or the title when there is none',
    compute: ({ case: c }) => orGap(c.description || c.title, 'description'),
  },
  affectedVersions: {
    says: 'the affected ranges, one "- >= 1.20.0, < 1.28.2" line each',
    compute: ({ case: c }) => (c.affected.length ? bullets(affectedRanges(c)) : `- ${placeholder('affected versions')}`),
  },
  attackVectors: {
    says: 'how it can be exploited, from the CVSS vector, one "- " line each',
    compute: ({ case: c }) => bullets(attackVectors(c)),
  },
  workarounds: {
    says: 'the workarounds, or "No workaround is known; …"',
    compute: ({ case: c }) => c.workarounds.trim() || 'No workaround is known; upgrading to a patched release is the fix.',
  },
  releases: {
    says: 'the planned patch releases, one "- 1.27.4 (for the 1.27 release line)" line each',
    compute: ({ case: c }) => (c.releasePlan.length ? bullets(releaseLines(c)) : `- ${placeholder('patch releases')}`),
  },
  versions: { says: 'the patch versions in a sentence: "1.27.4 and 1.28.2"', compute: ({ case: c }) => versionList(c) },
  disclosureDate: {
    says: 'the embargo end with its zone written out and UTC beside it: "2026-12-01 17:00 Europe/Berlin (16:00 UTC)"',
    compute: ({ case: c }) => sayDisclosure(c),
  },
  embargoNote: {
    says: "the playbook's embargo note, verbatim",
    compute: ({ playbook: p }) => orGap(p.settings.embargoNote, 'embargo note (the playbook has none)'),
  },
  securityTag: {
    says: "the playbook's security tag (#security)",
    compute: ({ playbook: p }) => orGap(p.settings.securityTag, 'security tag (the playbook has none)'),
  },
  credits: {
    says: 'everyone credited, the reporter as they asked first, one "- " line each',
    compute: ({ case: c }) => (creditLines(c).length ? bullets(creditLines(c)) : '- Found by the maintainers.'),
  },
  reporterCredit: {
    says: 'how the reporter is credited: "Ada (ACME)", "Ada" or "an anonymous reporter"',
    compute: ({ case: c }) => reporterCredit(c) ?? placeholder('credit preference'),
  },
  reporterName: {
    says: 'the reporter\'s name, or "there" when they asked to stay anonymous (for "Hello {{reporterName}},")',
    compute: ({ case: c }) => (c.reporter && c.reporter.credit !== 'anonymous' ? c.reporter.name : 'there'),
  },
  advisoryUrl: {
    says: 'the public advisory link (from the repository and the GHSA id)',
    compute: ({ case: c }) => advisoryUrl(c) ?? placeholder('advisory URL (no GHSA id recorded)'),
  },
  cveId: { says: 'the CVE id', compute: ({ case: c }) => orGap(c.cveId, 'CVE id') },
  ghsaId: { says: 'the GitHub advisory id', compute: ({ case: c }) => orGap(c.ghsaId, 'GHSA id') },
  projectName: { says: "the playbook's project name (Contour)", compute: ({ playbook: p }) => p.name },
  securityContact: {
    says: "the security team's address",
    compute: ({ playbook: p }) => orGap(p.settings.securityContact, 'security contact (the playbook has none)'),
  },
  signature: {
    says: '"The Contour Security Team" and the security contact below it',
    compute: ({ playbook: p }) => `The ${p.name} Security Team${p.settings.securityContact ? `\n${p.settings.securityContact}` : ''}`,
  },
};

export const PLACEHOLDER_NAMES = Object.keys(PLACEHOLDERS);

/** `{{ name }}`: letters only, spaces inside the braces allowed. */
export const PLACEHOLDER_PATTERN = /\{\{\s*([A-Za-z][A-Za-z0-9]*)\s*\}\}/g;

export function isPlaceholderName(name: string): boolean {
  return Object.hasOwn(PLACEHOLDERS, name);
}

/** The names a template uses that are not placeholders, with their offsets in the text. */
export function unknownPlaceholders(text: string): { name: string; offset: number }[] {
  return [...text.matchAll(PLACEHOLDER_PATTERN)].filter((m) => !isPlaceholderName(m[1]!)).map((m) => ({ name: m[1]!, offset: m.index! }));
}

/** Fills a template. A subject stays one line: values with line breaks are joined with spaces. */
export function fillPlaceholders(template: string, input: PlaceholderInput, options: { oneLine?: boolean } = {}): string {
  const cache = new Map<string, string>();
  const filled = template.replace(PLACEHOLDER_PATTERN, (whole, name: string) => {
    const p = PLACEHOLDERS[name];
    if (!p) return whole; // the playbook parser refuses unknown names; a caller's own text keeps them visible
    if (!cache.has(name)) cache.set(name, p.compute(input));
    const value = cache.get(name)!;
    return options.oneLine ? value.replace(/\s*\n\s*/g, ' ') : value;
  });
  return options.oneLine ? filled.replace(/\s*\n\s*/g, ' ').trim() : filled;
}
