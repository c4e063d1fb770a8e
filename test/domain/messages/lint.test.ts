/**
 * Templates and lint for the mails of the checklist: a generated Contour notice is clean, and every
 * rule catches the near-misses people actually make.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Case } from '../../../src/domain/case/types.js';
import { lintMessage, renderMessage, resemblance, type Finding, type MessageKind } from '../../../src/domain/messages/index.js';
import { parsePlaybook } from '../../../src/domain/playbook/index.js';
import { readyCase } from '../../support/case-fixture.js';

const contour = parsePlaybook(readFileSync(new URL('../../../playbooks/contour.yaml', import.meta.url), 'utf8'));
const kubernetes = parsePlaybook(readFileSync(new URL('../../../playbooks/kubernetes.yaml', import.meta.url), 'utf8'));
const NOW = new Date('2026-11-21T10:00:00Z');
const LIST = 'cncf-contour-distributors-announce@lists.cncf.io';

function sampleCase(overrides: Partial<Case> = {}): Case {
  return readyCase({
    description: 'An HTTPProxy in one namespace can include a route that sends traffic to a Service in another namespace.',
    workarounds: 'Restrict who may create HTTPProxy resources with `includes` until you upgrade.',
    package: { ecosystem: 'Go', name: 'github.com/projectcontour/contour', repository: 'https://github.com/projectcontour/contour' },
    reporter: { name: 'Ada Reporter', contact: 'ada@example.org', company: 'Example Corp', credit: 'name-without-company' },
    publishedAt: null,
    ...overrides,
  });
}

const notice = (c = sampleCase(), playbook = contour) => renderMessage('distributors-notice', { case: c, playbook, now: NOW });
const lintNotice = (subject: string, body: string, to: string[] = [LIST], playbook = contour) =>
  lintMessage({ kind: 'distributors-notice', subject, body, to, playbook, case: sampleCase() });
const rules = (fs: Finding[]) => fs.filter((f) => f.severity === 'error').map((f) => f.rule);
const only = (fs: Finding[], rule: string) => fs.filter((f) => f.rule === rule);

describe('templates', () => {
  it('renders the Contour distributors notice with every section, the tag, the note last and no id', () => {
    const m = notice();
    expect(m.to).toEqual([LIST]);
    expect(m.subject.startsWith('#security ')).toBe(true);
    for (const s of ['## Description', '## Affected versions', '## Known attack vectors', '## Possible workarounds', '## Next steps'])
      expect(m.body).toContain(s);
    expect(m.body).toContain('2026-12-01 17:00 Europe/Berlin (16:00 UTC)');
    expect(m.body).toContain('1.27.4 (for the 1.27 release line)');
    expect(m.body).toMatch(/objection/);
    expect(m.body.endsWith(contour.settings.embargoNote!)).toBe(true);
    expect(m.body + m.subject).not.toMatch(/CVE-2026-12345|GHSA-abcd/i);
  });

  it('a clean generated Contour notice passes with zero findings', () => {
    const m = notice();
    expect(lintMessage({ ...m, playbook: contour, case: sampleCase() })).toEqual([]);
  });

  it('a Kubernetes-style notice carries the CVE and passes', () => {
    const c = sampleCase({ playbook: 'kubernetes' });
    const m = notice(c, kubernetes);
    expect(m.subject).toContain('CVE-2026-12345');
    expect(m.subject).toContain('[Security Advisory]');
    expect(m.to).toEqual(['distributors-announce@kubernetes.io']);
    expect(lintMessage({ ...m, playbook: kubernetes, case: c })).toEqual([]);
  });

  it('honours the credit preference in reporter and public mails', () => {
    const named = renderMessage('users-announcement', {
      case: sampleCase({ reporter: { name: 'Ada', contact: 'a@x.org', company: 'ACME', credit: 'named' } }),
      playbook: contour,
      now: NOW,
    });
    expect(named.body).toContain('Ada (ACME), for reporting the issue');
    const noCompany = renderMessage('reporter-published', { case: sampleCase(), playbook: contour, now: NOW });
    expect(noCompany.body).toContain('credited as: Ada Reporter.');
    expect(noCompany.body).not.toContain('Example Corp');
    const anon = renderMessage('users-announcement', {
      case: sampleCase({ reporter: { name: 'Ada', contact: 'a@x.org', company: 'ACME', credit: 'anonymous' } }),
      playbook: contour,
      now: NOW,
    });
    expect(anon.body).toContain('an anonymous reporter');
    expect(anon.body).not.toMatch(/Ada|ACME/);
  });

  it('renders all six kinds to the right audience, and the public ones lint clean once published', () => {
    const published = sampleCase({ publishedAt: '2026-12-01T16:00:00.000Z' });
    const kinds: MessageKind[] = [
      'reporter-ack',
      'reporter-draft-created',
      'distributors-notice',
      'users-announcement',
      'distributors-followup',
      'reporter-published',
    ];
    for (const kind of kinds) {
      const m = renderMessage(kind, { case: published, playbook: contour, now: NOW });
      expect(m.subject.length, kind).toBeGreaterThan(0);
      expect(rules(lintMessage({ ...m, playbook: contour, case: published })), kind).toEqual([]);
    }
    const users = renderMessage('users-announcement', { case: published, playbook: contour, now: NOW });
    expect(users.to).toEqual(['cncf-contour-users@lists.cncf.io']);
    expect(users.body).toContain('https://github.com/projectcontour/contour/security/advisories/GHSA-abcd-efgh-ijkl');
    // Issue 13, item 10: the users hear the severity, and each sentence naming the page ends with a full stop.
    expect(users.body).toMatch(/\n\nSeverity: (Critical|High|Medium|Low|None) \(CVSS 3\.1 score \d+\.\d, CVSS:3\.1\/[^)]+\)\n\n/);
    expect(users.body).toContain('/security/advisories/GHSA-abcd-efgh-ijkl.\n');
    const thanks = renderMessage('reporter-published', { case: published, playbook: contour, now: NOW });
    expect(thanks.body).toMatch(/GHSA-abcd-efgh-ijkl\. The fixed releases are /);
    expect(renderMessage('reporter-ack', { case: published, playbook: contour, now: NOW }).to).toEqual(['ada@example.org']);
  });

  it('leaves a placeholder the lint refuses when the case lacks a fact', () => {
    const c = sampleCase({ embargo: null });
    const m = notice(c);
    const fs = lintMessage({ ...m, playbook: contour, case: c });
    expect(rules(fs)).toContain('placeholder');
    expect(only(fs, 'placeholder')[0]!.message).toContain('proposed disclosure date');
  });
});

describe('lint: ids in the embargoed notice', () => {
  const m = notice();
  const withLine = (line: string) => m.body.replace('## Description\n\n', `## Description\n\n${line}\n`);

  it.each([
    ['lowercase', 'See cve-2026-41246 for details.', 'CVE-2026-41246', 'embargoed-id'],
    ['spaced', 'Tracked as CVE 2026 41246.', 'CVE-2026-41246', 'embargoed-id'],
    [
      'GHSA in a markdown link',
      'Draft: [the advisory](https://github.com/projectcontour/contour/security/advisories/GHSA-x4mj-7f9g-29h4).',
      'GHSA-x4mj-7f9g-29h4',
      'embargoed-advisory-url',
    ],
    ['GHSA in a bare URL', 'https://github.com/advisories/ghsa-X4MJ-7F9G-29H4', 'GHSA-x4mj-7f9g-29h4', 'embargoed-advisory-url'],
    ['CVE in an NVD URL', 'https://nvd.nist.gov/vuln/detail/CVE-2026-41246', 'CVE-2026-41246', 'embargoed-advisory-url'],
    ['non-breaking hyphens', 'CVE\u20112026\u201141246', 'CVE-2026-41246', 'embargoed-id'],
  ])('%s', (_name, line, canonical, rule) => {
    const fs = lintNotice(m.subject, withLine(line));
    const hit = only(fs, rule);
    expect(hit).toHaveLength(1);
    expect(hit[0]!.message).toContain(canonical);
    expect(hit[0]!.severity).toBe('error');
    expect(hit[0]!.part).toBe('body');
    expect(hit[0]!.line).toBe(m.body.split('\n').indexOf('## Description') + 3);
    expect(hit[0]!.column).toBe(line.search(/cve|ghsa|https/i) + 1);
  });

  it('catches an id in the subject', () => {
    const fs = lintNotice(`${m.subject} (CVE-2026-41246)`, m.body);
    expect(only(fs, 'embargoed-id')[0]).toMatchObject({ part: 'subject', line: 1 });
  });

  it('lets a Kubernetes notice carry the CVE but not a GHSA link', () => {
    const k = notice(sampleCase(), kubernetes);
    const body = k.body.replace(
      '## Description\n\n',
      '## Description\n\nCVE-2026-12345, https://github.com/advisories/GHSA-x4mj-7f9g-29h4\n',
    );
    const fs = lintMessage({ kind: 'distributors-notice', subject: k.subject, body, to: k.to, playbook: kubernetes });
    expect(rules(fs)).toEqual(['embargoed-advisory-url']);
  });
});

describe('lint: the embargo note', () => {
  const m = notice();
  const note = contour.settings.embargoNote!;

  it('reports an edited note with the first differing words', () => {
    const fs = lintNotice(m.subject, m.body.replace('must not be made public, shared', 'should not be made public, shared'));
    const f = only(fs, 'embargo-note-edited');
    expect(f).toHaveLength(1);
    expect(f[0]!.message).toContain('"should not be made public');
    expect(f[0]!.message).toContain('"must not be made public');
    const lines = m.body.split('\n');
    expect(f[0]!.line).toBe(lines.findIndex((l) => l.startsWith('The information that members')) + 1);
  });

  it('reports a note that is cut short', () => {
    const fs = lintNotice(m.subject, m.body.replace(' you will be permanently removed from the list.', ''));
    expect(only(fs, 'embargo-note-edited')[0]!.message).toMatch(/cut short.*you will be permanently removed/);
  });

  it('reports a note followed by a signature', () => {
    const fs = lintNotice(m.subject, `${m.body}\n\n-- \nAlice, Contour maintainer`);
    const f = only(fs, 'embargo-note-not-last');
    expect(f).toHaveLength(1);
    expect(f[0]!.message).toContain('"--');
    expect(f[0]!.line).toBe(m.body.split('\n').length + 2);
  });

  it('reports a missing note', () => {
    const fs = lintNotice(m.subject, m.body.replace(note, 'Please keep this private.'));
    expect(rules(fs)).toEqual(['embargo-note-missing']);
  });

  it('reports a reflowed note (same words, other line breaks)', () => {
    const fs = lintNotice(m.subject, m.body.replace(note, note.replace(/\n\n/g, '\n')));
    expect(only(fs, 'embargo-note-edited')[0]!.message).toContain('line breaks or spacing');
  });
});

describe('lint: sections and tag', () => {
  const m = notice();

  it('reports a missing section', () => {
    const body = m.body.replace(/## Known attack vectors\n\n[^#]*/, '');
    const fs = lintNotice(m.subject, body);
    expect(rules(fs)).toEqual(['section-missing']);
    expect(fs[0]!.message).toContain('"Known attack vectors"');
  });

  it('reports an empty section at its heading', () => {
    const body = m.body.replace(/(## Possible workarounds\n\n)[^#]*/, '$1');
    const fs = lintNotice(m.subject, body);
    expect(rules(fs)).toEqual(['section-empty']);
    expect(fs[0]!.line).toBe(body.split('\n').indexOf('## Possible workarounds') + 1);
  });

  it('accepts sections written as "Description:" lines', () => {
    const body = m.body.replace(/^## (.+)$/gm, '$1:');
    expect(lintNotice(m.subject, body)).toEqual([]);
  });

  it('requires the #security tag', () => {
    expect(rules(lintNotice(m.subject.replace('#security ', ''), m.body))).toEqual(['security-tag']);
    expect(rules(lintNotice(m.subject.replace('#security', '# security'), m.body))).toEqual(['security-tag']);
  });

  it('warns when no buy-in on the date is asked for', () => {
    const body = m.body.replace(/Please reply with your buy-in[^\n]*/, 'Thanks.');
    const fs = lintNotice(m.subject, body);
    expect(fs.map((f) => [f.rule, f.severity])).toEqual([['buy-in-request', 'warning']]);
  });
});

describe('lint: recipients', () => {
  const m = notice();
  const recipientErrors = (to: string) => lintNotice(m.subject, m.body, [to]).filter((f) => f.part === 'recipients');

  it.each([
    ['a typo', 'cncf-contour-distributers-announce@lists.cncf.io', /typing edit/],
    ['.com instead of .io', 'cncf-contour-distributors-announce@lists.cncf.com', /ends in \.com where .* \.io/],
    ['a Cyrillic а', 'cncf-contour-distributors-\u0430nnounce@lists.cncf.io', /Cyrillic letter 'а' \(U\+0430\)/],
    ['a missing hyphen', 'cncf-contour-distributorsannounce@lists.cncf.io', /punctuation/],
    [
      'groups.io autocorrect',
      'cncf-contour-distributors-announce@groups.io',
      /different domain \(@groups\.io instead of @lists\.cncf\.io\)/,
    ],
    ['upper case', 'CNCF-contour-distributors-announce@lists.cncf.io', /upper\/lower case/],
  ])('%s', (_name, to, how) => {
    const fs = recipientErrors(to);
    expect(fs).toHaveLength(1);
    expect(fs[0]!.rule).toBe('recipient-lookalike');
    expect(fs[0]!.severity).toBe('error');
    expect(fs[0]!.message).toContain(`resembles ${LIST}`);
    expect(fs[0]!.message).toMatch(how);
  });

  it('names "rn" written for "m"', () => {
    expect(resemblance('security@exarnple.org', 'security@example.org')).toMatch(/"rn" where .* "m"/);
    const c = sampleCase();
    const ack = renderMessage('reporter-ack', { case: c, playbook: contour, now: NOW });
    const fs = lintMessage({ ...ack, to: ['ada@exarnple.org'], playbook: contour, case: c });
    expect(fs.map((f) => f.rule)).toEqual(['recipient-lookalike']);
    expect(fs[0]!.message).toContain('"rn"');
  });

  it('passes the exact list address', () => {
    expect(recipientErrors(LIST)).toEqual([]);
  });

  it('refuses the users list for the embargoed notice, and an unrelated address', () => {
    expect(recipientErrors('cncf-contour-users@lists.cncf.io')[0]).toMatchObject({ rule: 'recipient-wrong-audience' });
    expect(recipientErrors('someone@example.com')[0]).toMatchObject({ rule: 'recipient-not-configured' });
  });

  it("checks reporter mails against the case reporter's contact", () => {
    const c = sampleCase();
    const ack = renderMessage('reporter-ack', { case: c, playbook: contour, now: NOW });
    expect(lintMessage({ ...ack, playbook: contour, case: c })).toEqual([]);
    const fs = lintMessage({ ...ack, to: ['ada@example.com'], playbook: contour, case: c });
    expect(fs.map((f) => f.rule)).toEqual(['recipient-lookalike']);
    expect(fs[0]!.message).toContain('ada@example.org');
  });

  it('warns when no recipient was given', () => {
    expect(lintNotice(m.subject, m.body, []).map((f) => [f.rule, f.severity])).toEqual([['recipients-unchecked', 'warning']]);
  });
});

describe('lint: publication', () => {
  it('refuses the public announcement before the advisory is published', () => {
    const c = sampleCase();
    const users = renderMessage('users-announcement', { case: c, playbook: contour, now: NOW });
    expect(rules(lintMessage({ ...users, playbook: contour, case: c }))).toEqual(['not-published']);
    expect(rules(lintMessage({ ...users, playbook: contour, case: { ...c, publishedAt: '2026-12-01T16:00:00.000Z' } }))).toEqual([]);
    expect(rules(lintMessage({ ...users, playbook: contour, published: true }))).toEqual([]);
  });
});
