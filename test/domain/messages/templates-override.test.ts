/**
 * A project's own wording for the checklist's mails: `templates:` in its playbook, with the
 * documented `{{placeholder}}` variables. Unknown kinds and placeholders stop the playbook at load,
 * naming the line; what renders still goes through the same lint.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../../../src/domain/errors.js';
import {
  DEFAULT_TEMPLATES,
  hasErrors,
  lintMessage,
  PLACEHOLDER_NAMES,
  renderMessage,
  templatesFor,
} from '../../../src/domain/messages/index.js';
import { parsePlaybook } from '../../../src/domain/playbook/index.js';
import { readyCase } from '../../support/case-fixture.js';

const contourYaml = readFileSync(new URL('../../../playbooks/contour.yaml', import.meta.url), 'utf8');
const contour = parsePlaybook(contourYaml);
const NOW = new Date('2026-11-21T10:00:00Z');
const LIST = 'cncf-contour-distributors-announce@lists.cncf.io';

/** The Contour playbook with a `templates:` block appended (as a project would in its own copy). */
const withTemplates = (block: string) => `${contourYaml.trimEnd()}\n\ntemplates:\n${block}`;

const NOTICE = `  distributors-notice:
    subject: '{{securityTag}} {{projectName}} patch releases {{versions}}'
    body: |
      Dear packagers,

      ## Description

      {{description}}

      ## Affected versions

      {{affectedVersions}}

      ## Known attack vectors

      {{attackVectors}}

      ## Possible workarounds

      {{workarounds}}

      ## Next steps

      {{releases}}

      Disclosure: {{disclosureDate}}. Tell us if you object to this date.

      {{signature}}

      {{embargoNote}}
`;

describe('templates: in a playbook', () => {
  it('renders a kind from the playbook text with every placeholder filled, and the lint passes', () => {
    const pb = parsePlaybook(withTemplates(NOTICE), 'own.yaml');
    expect(Object.keys(pb.templates ?? {})).toEqual(['distributors-notice']);
    const c = readyCase({ description: 'A tenant can reach another namespace.' });
    const m = renderMessage('distributors-notice', { case: c, playbook: pb, now: NOW });
    expect(m.subject).toBe('#security Contour patch releases 1.27.4 and 1.28.2');
    expect(m.body.startsWith('Dear packagers,\n\n## Description\n\nA tenant can reach another namespace.')).toBe(true);
    expect(m.body).toContain('- >= 1.20.0, < 1.28.2');
    expect(m.body).toContain('- 1.27.4 (for the 1.27 release line)\n- 1.28.2 (for the 1.28 release line)');
    expect(m.body).toContain('Disclosure: 2026-12-01 17:00 Europe/Berlin (16:00 UTC).');
    expect(m.body).toContain('The Contour Security Team\ncncf-contour-maintainers@lists.cncf.io');
    expect(m.body.endsWith(pb.settings.embargoNote!)).toBe(true);
    expect(m.body).not.toMatch(/\{\{/);
    expect(lintMessage({ ...m, playbook: pb, case: c })).toEqual([]);
  });

  it('keeps the defaults for the kinds the playbook does not rewrite', () => {
    const pb = parsePlaybook(withTemplates(NOTICE));
    const set = templatesFor(pb);
    expect(set['reporter-ack']).toBe(DEFAULT_TEMPLATES['reporter-ack']);
    expect(set['distributors-notice']).not.toBe(DEFAULT_TEMPLATES['distributors-notice']);
    expect(templatesFor(contour)).toBe(DEFAULT_TEMPLATES);
  });

  it('still lints what a project template renders: a CVE placeholder in the embargoed notice is refused', () => {
    const pb = parsePlaybook(withTemplates(NOTICE.replace('Dear packagers,', 'Dear packagers, about {{cveId}}:')));
    const c = readyCase();
    const m = renderMessage('distributors-notice', { case: c, playbook: pb, now: NOW });
    const findings = lintMessage({ ...m, playbook: pb, case: c });
    expect(findings.map((f) => f.rule)).toContain('embargoed-id');
    expect(hasErrors(findings)).toBe(true);
  });

  it('writes a [fill in: …] gap for a fact the case lacks, which the lint refuses', () => {
    const pb = parsePlaybook(withTemplates(NOTICE));
    const c = readyCase({ releasePlan: [], embargo: null });
    const m = renderMessage('distributors-notice', { case: c, playbook: pb, now: NOW });
    expect(m.subject).toContain('[fill in: patch versions]');
    expect(m.body).toContain('[fill in: proposed disclosure date and time]');
    expect(lintMessage({ ...m, to: [LIST], playbook: pb, case: c }).filter((f) => f.rule === 'placeholder').length).toBeGreaterThanOrEqual(
      3,
    );
  });

  it('keeps a subject on one line when a value has line breaks', () => {
    const pb = parsePlaybook(
      withTemplates(`  reporter-ack:\n    subject: 'Re: {{releases}}'\n    body: 'Hello {{reporterName}}, thanks. {{signature}}'\n`),
    );
    const m = renderMessage('reporter-ack', { case: readyCase(), playbook: pb, now: NOW });
    expect(m.subject).toBe('Re: - 1.27.4 (for the 1.27 release line) - 1.28.2 (for the 1.28 release line)');
    expect(m.body).toBe('Hello Ada Reporter, thanks. The Contour Security Team\ncncf-contour-maintainers@lists.cncf.io');
  });

  it('documents every placeholder in docs/messages.md', () => {
    const docs = readFileSync(new URL('../../../docs/messages.md', import.meta.url), 'utf8');
    for (const name of PLACEHOLDER_NAMES) expect(docs, name).toContain(`\`{{${name}}}\``);
  });
});

function problems(yamlText: string): string[] {
  try {
    parsePlaybook(yamlText, 'own.yaml');
  } catch (e) {
    expect(e).toBeInstanceOf(DomainError);
    return (e as DomainError).details.problems as string[];
  }
  throw new Error('the playbook loaded');
}

describe('templates: mistakes stop the playbook at load, with the line', () => {
  const lineOf = (text: string, needle: string) => text.split('\n').findIndex((l) => l.includes(needle)) + 1;

  it('names an unknown placeholder and its line inside a block body', () => {
    const text = withTemplates(NOTICE.replace('{{workarounds}}', '{{workaround}}'));
    expect(problems(text)).toEqual([
      `line ${lineOf(text, '{{workaround}}')}: templates.distributors-notice.body uses {{workaround}}, which is not a placeholder; the placeholders are: ${PLACEHOLDER_NAMES.join(', ')}`,
    ]);
  });

  it('names each occurrence on its own line', () => {
    const text = withTemplates(NOTICE.replace('{{workarounds}}', '{{fix}}').replace('{{releases}}', '{{fix}}'));
    const lines = text.split('\n').flatMap((l, i) => (l.includes('{{fix}}') ? [i + 1] : []));
    expect(lines).toHaveLength(2);
    expect(problems(text).map((p) => p.split(':')[0])).toEqual(lines.map((n) => `line ${n}`));
  });

  it('names an unknown kind and its line', () => {
    const text = withTemplates(`  distributor-notice:\n    subject: x\n    body: y\n`);
    const [first] = problems(text);
    expect(first).toBe(
      `line ${lineOf(text, 'distributor-notice:')}: templates.distributor-notice is not a message kind; the kinds are: reporter-ack, reporter-draft-created, distributors-notice, users-announcement, distributors-followup, reporter-published, reporter-closed, reporter-date-moved`,
    );
  });

  it('wants both a subject and a body, as text', () => {
    expect(problems(withTemplates(`  reporter-ack:\n    subject: Thanks\n`))).toEqual(['templates.reporter-ack is missing "body"']);
    expect(problems(withTemplates(`  reporter-ack:\n    subject: Thanks\n    body: [a]\n`))).toEqual([
      'templates.reporter-ack.body must be text, not a list',
    ]);
  });

  it('refuses a subject on two lines and an unknown placeholder in a quoted subject', () => {
    const text = withTemplates(`  reporter-ack:\n    subject: "Thanks\\nagain {{nme}}"\n    body: ok\n`);
    const found = problems(text);
    expect(found).toContain(`line ${lineOf(text, 'subject: "Thanks')}: templates.reporter-ack.subject must be one line`);
    expect(found.some((p) => p.startsWith(`line ${lineOf(text, 'subject: "Thanks')}: templates.reporter-ack.subject uses {{nme}}`))).toBe(
      true,
    );
  });
});
