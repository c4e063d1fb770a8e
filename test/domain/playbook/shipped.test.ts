/**
 * The playbooks shipped in playbooks/: they parse, Contour's mirrors the reference checklist, and a
 * case can be walked through each of them from report to closed with the same engine.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Case } from '../../../src/domain/case/types.js';
import { completeStep, confirmationsOf, deriveStatus, parsePlaybook, type Playbook } from '../../../src/domain/playbook/index.js';
import { MESSAGE_KIND_IDS } from '../../../src/domain/messages/index.js';
import { ctx, readyCase } from '../../support/case-fixture.js';

/**
 * The case with every mail of the checklist sent (the walk is about the steps, not the mails), the
 * notice 11 days before the embargo ends: Kubernetes' rule asks for at least 7.
 */
const withEveryMail = (c: Case): Case => ({
  ...c,
  messages: MESSAGE_KIND_IDS.map((kind, i) => ({
    kind,
    outboxId: `m-${i}`,
    at: '2026-11-20T10:00:00.000Z',
    by: 'bob',
    status: 'sent' as const,
  })),
});

const root = new URL('../../../', import.meta.url);
const load = (id: string): Playbook => parsePlaybook(readFileSync(new URL(`playbooks/${id}.yaml`, root), 'utf8'), `playbooks/${id}.yaml`);

/** The fenced block after "Post the Embargo note" in the reference checklist, without its indentation. */
function embargoNoteFromChecklist(): string {
  const lines = readFileSync(new URL('../shared/reference/contour-security-checklist.md', root), 'utf8').split('\n');
  const after = lines.findIndex((l) => l.includes('Post the Embargo note'));
  const open = lines.findIndex((l, i) => i > after && l.trim() === '```');
  const close = lines.findIndex((l, i) => i > open && l.trim() === '```');
  expect(after).toBeGreaterThan(-1);
  expect(close).toBeGreaterThan(open + 1);
  const indent = (lines[open] ?? '').indexOf('```');
  return lines
    .slice(open + 1, close)
    .map((l) => l.slice(Math.min(indent, l.length - l.trimStart().length)))
    .join('\n');
}

/** Completes every step in order, attesting every confirmation, checking status after each. */
function walk(pb: Playbook, start: Case, now: string): Case {
  let c = start;
  pb.steps.forEach((step, i) => {
    const { state, events } = completeStep(
      pb,
      c,
      step.id,
      ctx(now),
      confirmationsOf(step).map((k) => k.id),
    );
    // The step that publishes records the publication time (the case was not published before).
    const published = step.publishes && c.publishedAt === null ? { publishedAt: new Date(now).toISOString() } : {};
    expect(events).toEqual([
      {
        action: 'step.done',
        caseId: c.id,
        details: { step: step.id, number: i + 1, title: step.title, confirmed: confirmationsOf(step).map((k) => k.id), ...published },
      },
    ]);
    expect(state.publishedAt !== null).toBe(pb.steps.slice(0, i + 1).some((s) => s.publishes) || start.publishedAt !== null);
    expect(state.steps[step.id]?.status).toBe('done');
    expect(state.status).toBe(pb.steps[i + 1]?.phase ?? 'closed');
    c = state;
  });
  return c;
}

describe('playbooks/contour.yaml', () => {
  const pb = load('contour');

  it('has one step for each of the 12 checklist steps, numbered 1..12, in order', () => {
    expect(pb.id).toBe('contour');
    expect(pb.sequential).toBe(true);
    expect(pb.source).toMatch(/^https:\/\/github\.com\/projectcontour\/contour\/.*security-checklist\.md$/);
    expect(pb.steps.map((s) => s.number)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(pb.steps.map((s) => s.id)).toEqual([
      'report',
      'triage',
      'advisory-draft',
      'private-fork',
      'keep-draft',
      'tell-reporter',
      'notify-distributors',
      'release-patches',
      'publish-advisory',
      'announce-users',
      'follow-up-distributors',
      'retrospective',
    ]);
  });

  it('carries the embargo note verbatim from the checklist', () => {
    const note = embargoNoteFromChecklist();
    expect(note.split('\n')).toHaveLength(4);
    expect(pb.settings.embargoNote).toBe(note);
  });

  it("has Contour's lists and keeps the CVE id out of the embargoed mail", () => {
    expect(pb.settings).toMatchObject({
      embargoedMailCarriesCve: false,
      distributorsList: 'cncf-contour-distributors-announce@lists.cncf.io',
      usersList: 'cncf-contour-users@lists.cncf.io',
      securityContact: 'cncf-contour-maintainers@lists.cncf.io',
      securityTag: '#security',
    });
  });

  it('gates the steps the way the checklist sub-bullets say', () => {
    const step = (id: string) => pb.steps.find((s) => s.id === id)!;
    const fields = (id: string) => step(id).gates.flatMap((g) => ('field' in g ? [g.field] : []));
    const confirms = (id: string) => confirmationsOf(step(id)).map((k) => k.id);
    expect(fields('advisory-draft')).toEqual(expect.arrayContaining(['releasePlan', 'severity.cvss', 'severity.cwe']));
    expect(confirms('advisory-draft')).toContain('cve-requested');
    expect(fields('keep-draft')).toContain('reporter');
    expect(confirms('keep-draft')).toContain('reporter-credited');
    expect(fields('notify-distributors')).toContain('embargo');
    // No CVE id, the embargo note at the bottom and the #security tag are the lint's to check now
    // (the notice is only queued when it passes); what only a person knows stays an attestation.
    expect(confirms('notify-distributors')).toEqual(['web-interface', 'date-buy-in']);
    expect(confirmationsOf(step('notify-distributors'))[0]?.text).toContain('https://lists.cncf.io/g/cncf-contour-distributors-announce/');
    expect(step('release-patches').gates).toContainEqual({ releasesOut: true });
    expect(confirms('release-patches')).toEqual(['pithy-commits']);
    expect(step('publish-advisory').skippable).toBe(false);
    expect(step('publish-advisory').gates).toEqual(expect.arrayContaining([{ releasesOut: true }, { embargoOver: true }]));
  });

  it('waits for each mail of the checklist at the step that sends it', () => {
    const mails = (id: string) =>
      pb.steps.find((s) => s.id === id)!.gates.flatMap((g) => ('message' in g && !('field' in g) ? [g.message] : []));
    expect(mails('report')).toEqual([]);
    expect(mails('triage')).toEqual(['reporter-ack']);
    expect(mails('tell-reporter')).toEqual(['reporter-draft-created']);
    expect(mails('notify-distributors')).toEqual(['distributors-notice']);
    expect(mails('announce-users')).toEqual(['users-announcement', 'reporter-published']);
    expect(mails('follow-up-distributors')).toEqual(['distributors-followup']);
    // Every kind of mail of a case that gets an advisory is waited for somewhere (not the mail that closes a report without one).
    expect(pb.steps.flatMap((s) => mails(s.id)).sort()).toEqual(
      MESSAGE_KIND_IDS.filter((k) => k !== 'reporter-closed' && k !== 'reporter-date-moved').sort(),
    );
  });

  it('walks a case with every field set through all 12 steps to closed', () => {
    const start = withEveryMail(readyCase());
    const end = walk(pb, start, '2026-12-01T16:30:00Z');
    expect(end.status).toBe('closed');
    expect(end.revision).toBe(start.revision + 12);
    // Without the mails the walk stops at step 2.
    expect(() => walk(pb, readyCase(), '2026-12-01T16:30:00Z')).toThrow(/step 2 .*cannot be completed/);
    expect(deriveStatus(pb, end)).toBe('closed');
  });
});

describe('playbooks/kubernetes.yaml', () => {
  const pb = load('kubernetes');

  it('differs from Contour: CVE id in the embargoed mail, steps that wait for named steps', () => {
    expect(pb.id).toBe('kubernetes');
    expect(pb.settings.embargoedMailCarriesCve).toBe(true);
    expect(pb.sequential).toBe(false);
    expect(pb.steps.map((s) => s.number)).toEqual(pb.steps.map((_, i) => i + 1));
    const ids = pb.steps.map((s) => s.id);
    // The CVE is assigned before the distributors hear of it.
    expect(ids.indexOf('assign-cve')).toBeLessThan(ids.indexOf('notify-distributors'));
    expect(pb.steps.find((s) => s.id === 'notify-distributors')?.gates).toContainEqual({ stepsDone: ['assign-cve', 'develop-fix'] });
  });

  it('walks a case through every step to closed with the same engine', () => {
    const end = walk(pb, withEveryMail(readyCase({ project: 'kubernetes', playbook: 'kubernetes' })), '2026-12-01T16:30:00Z');
    expect(end.status).toBe('closed');
  });
});
