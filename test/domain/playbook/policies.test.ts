/**
 * Issue 15, item 6: policy rules across lists, declared by a playbook, checked as a gate (the refusal
 * quotes the rule) and in the lint of the notice (which then cannot be queued).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Case } from '../../../src/domain/case/types.js';
import { lintMessage, renderMessage } from '../../../src/domain/messages/index.js';
import { parsePlaybook, policyBreaches, unmetConditions } from '../../../src/domain/playbook/index.js';
import { readyCase } from '../../support/case-fixture.js';

const contourYaml = readFileSync(new URL('../../../playbooks/contour.yaml', import.meta.url), 'utf8');

/** Contour's playbook with three rules and the gate on its notice and publication steps. */
const withPolicies = (holidays: string[] = []) =>
  parsePlaybook(
    contourYaml
      .replace(
        '\nsteps:\n',
        `
policies:
  - id: linux-distros-14-days
    text: If the linux-distros list is told, the embargo ends within 14 days of that notice
    embargoWithinDaysOfNotice: { mail: distributors-notice, days: 14 }
  - id: distributors-7-days
    text: Distributors get at least 7 days' notice before disclosure
    noticeBeforeDisclosure: { mail: distributors-notice, days: 7 }
  - id: no-friday
    text: No disclosure on a Friday or the day before a holiday
    disclosureNotOn: { weekdays: [friday], dayBeforeHoliday: true }

steps:
`,
      )
      .replace('settings:\n', `settings:\n  holidays: [${holidays.join(', ')}]\n`)
      .replace('      - embargoOver: true', '      - embargoOver: true\n      - policies: true'),
  );

/** The embargo ends at `endsAt` (Berlin time, given as UTC); the notice went at `noticeAt` (or not at all). */
const caseWith = (endsAt: string, noticeAt: string | null): Case =>
  readyCase({
    embargo: { endsAt, timeZone: 'Europe/Berlin' },
    messages: noticeAt ? [{ kind: 'distributors-notice', outboxId: 'm1', at: noticeAt, by: 'bob', status: 'sent' }] : [],
  });

const NOW = new Date('2026-11-20T10:00:00Z');

describe('policy rules', () => {
  it('holds for a Tuesday ten days after the notice', () => {
    expect(policyBreaches(withPolicies(), caseWith('2026-12-01T16:00:00.000Z', '2026-11-21T09:00:00Z'), NOW)).toEqual([]);
  });

  it("refuses too short a notice, too long an embargo after the notice, and a Friday, each in the rule's words", () => {
    const pb = withPolicies();
    expect(policyBreaches(pb, caseWith('2026-11-24T16:00:00.000Z', '2026-11-20T16:00:00Z'), NOW).map((b) => b.message)).toEqual([
      `policy "Distributors get at least 7 days' notice before disclosure": the embargo ends 2026-11-24 17:00 Europe/Berlin, 4 days after the notice of 2026-11-20; at least 7 days are needed`,
    ]);
    expect(policyBreaches(pb, caseWith('2026-12-15T16:00:00.000Z', '2026-11-20T16:00:00Z'), NOW).map((b) => b.message)).toEqual([
      'policy "If the linux-distros list is told, the embargo ends within 14 days of that notice": the embargo ends 2026-12-15 17:00 Europe/Berlin, 25 days after the notice of 2026-11-20; it may last at most 14 days',
    ]);
    // 2026-12-04 is a Friday.
    expect(policyBreaches(pb, caseWith('2026-12-04T16:00:00.000Z', '2026-11-25T16:00:00Z'), NOW).map((b) => b.policy)).toEqual([
      'no-friday',
    ]);
  });

  it('refuses the day before a holiday of the project, in the zone the embargo was agreed in', () => {
    // 2026-12-23 23:30 Berlin is Wednesday the 23rd, the day before the holiday; in UTC it is still the 23rd too.
    const pb = withPolicies(['2026-12-24']);
    const breach = policyBreaches(pb, caseWith('2026-12-23T22:30:00.000Z', '2026-12-14T10:00:00Z'), NOW);
    expect(breach.map((b) => b.message)).toEqual([
      'policy "No disclosure on a Friday or the day before a holiday": the embargo ends 2026-12-23 23:30 Europe/Berlin, the day before the holiday of 2026-12-24',
    ]);
    // 23:30 UTC on the 23rd is already the 24th in Berlin: the holiday itself, which this rule allows.
    expect(policyBreaches(pb, caseWith('2026-12-23T23:30:00.000Z', '2026-12-14T10:00:00Z'), NOW)).toEqual([]);
  });

  it('gates the step that declares `policies: true`, and says what sending the notice now would break', () => {
    const pb = withPolicies();
    const c = caseWith('2026-11-24T16:00:00.000Z', null);
    expect(unmetConditions(pb, c, 'notify-distributors', NOW)).not.toContainEqual(expect.stringMatching(/^policy/));
    const unmet = unmetConditions(
      pb,
      { ...c, messages: [{ kind: 'distributors-notice', outboxId: 'm', at: NOW.toISOString(), by: 'b', status: 'sent' }] },
      'publish-advisory',
      NOW,
    );
    expect(unmet).toContain(
      `policy "Distributors get at least 7 days' notice before disclosure": the embargo ends 2026-11-24 17:00 Europe/Berlin, 4.2 days after the notice of 2026-11-20; at least 7 days are needed`,
    );
  });

  it('is an error in the lint of the notice about to go, and only with a time to check against', () => {
    const pb = withPolicies();
    const c = caseWith('2026-11-24T16:00:00.000Z', null);
    const m = renderMessage('distributors-notice', { case: c, playbook: pb, now: NOW });
    const findings = lintMessage({ ...m, playbook: pb, case: c, now: NOW }).filter((f) => f.rule === 'policy');
    expect(findings).toEqual([
      expect.objectContaining({
        severity: 'error',
        message: expect.stringMatching(
          /^policy "Distributors get at least 7 days' notice before disclosure": .* a notice sent now; at least 7 days are needed; move the embargo/,
        ),
      }),
    ]);
    expect(lintMessage({ ...m, playbook: pb, case: c }).filter((f) => f.rule === 'policy')).toEqual([]);
  });

  it('refuses a playbook with duplicate policy ids or a policies gate without policies', () => {
    expect(() =>
      parsePlaybook(contourYaml.replace('      - embargoOver: true', '      - embargoOver: true\n      - policies: true')),
    ).toThrow(/a step has the gate "policies: true", but the playbook declares no policies/);
    const twice = contourYaml.replace(
      '\nsteps:\n',
      '\npolicies:\n  - { id: a, text: A, disclosureNotOn: { weekdays: [friday] } }\n  - { id: a, text: B, disclosureNotOn: { weekdays: [monday] } }\nsteps:\n',
    );
    expect(() => parsePlaybook(twice)).toThrow(/policies\[1\]\.id "a" is already used/);
  });
});
