import { describe, expect, it } from 'vitest';
import { DomainError } from '../../../src/domain/errors.js';
import { parsePlaybook } from '../../../src/domain/playbook/parse.js';

/** A valid playbook with the given steps block (YAML, indented under `steps:`). */
function playbookYaml(steps: string, extra = ''): string {
  return `id: tiny
name: Tiny
description: A two-step process for tests.
sequential: true
settings:
  embargoedMailCarriesCve: false
${extra}steps:
${steps}`;
}

const TWO_STEPS = `  - id: triage
    title: Triage
    phase: triage
  - id: fix
    title: Fix it
    phase: fixing
    skippable: true
    guidance: [Write the patch.]
    gates:
      - stepsDone: [triage]
      - field: cveId
        message: the CVE id is needed to fix
      - confirm: { id: reviewed, text: Someone reviewed the patch }
`;

/** The problems a playbook is rejected with; fails the test when it parses. */
function problemsOf(yamlText: string, origin = 'test.yaml'): { message: string; problems: string[] } {
  try {
    parsePlaybook(yamlText, origin);
  } catch (e) {
    expect(e).toBeInstanceOf(DomainError);
    expect((e as DomainError).code).toBe('invalid_input');
    return { message: (e as DomainError).message, problems: (e as DomainError).details.problems as string[] };
  }
  throw new Error('expected the playbook to be rejected');
}

describe('parsePlaybook', () => {
  it('reads a valid playbook and fills numbers and defaults', () => {
    const pb = parsePlaybook(playbookYaml(TWO_STEPS));
    expect(pb.id).toBe('tiny');
    expect(pb.source).toBeUndefined();
    expect(pb.steps.map((s) => [s.id, s.number, s.skippable])).toEqual([
      ['triage', 1, false],
      ['fix', 2, true],
    ]);
    expect(pb.steps[0]?.guidance).toEqual([]);
    expect(pb.steps[0]?.gates).toEqual([]);
    expect(pb.steps[1]?.gates).toEqual([
      { stepsDone: ['triage'] },
      { field: 'cveId', message: 'the CVE id is needed to fix' },
      { confirm: { id: 'reviewed', text: 'Someone reviewed the patch' } },
    ]);
  });

  it('rejects broken YAML, saying where', () => {
    const { message, problems } = problemsOf('id: tiny\nsteps: [\n  - id: x\n');
    expect(message).toMatch(/^playbook test\.yaml is invalid: YAML syntax: /);
    expect(problems.length).toBeGreaterThan(0);
    for (const p of problems) expect(p).toMatch(/^YAML syntax: .* at line \d+, column \d+$/);
  });

  it('rejects a key written twice in a mapping', () => {
    const { problems } = problemsOf(playbookYaml(TWO_STEPS).replace('name: Tiny\n', 'name: Tiny\nname: Tiny again\n'));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^YAML syntax: Map keys must be unique at line 3/);
  });

  it('rejects an empty file and a file that is not a mapping', () => {
    expect(problemsOf('').problems).toEqual(['the file is empty']);
    expect(problemsOf('- a\n- b\n').problems).toEqual(['the playbook must be a mapping, not a list']);
  });

  it('rejects an unknown gate kind, naming the gate kinds there are', () => {
    const { problems } = problemsOf(
      playbookYaml(`  - id: triage
    title: Triage
    phase: triage
    gates:
      - approvedBy: security-team
`),
    );
    expect(problems).toEqual([
      'steps[0].gates[0] has unknown gate kind "approvedBy"; a gate is one of field, stepsDone, releasesOut, embargoOver, leaksClosed, retrospectiveWritten, policies, confirm, message',
    ]);
  });

  it('rejects a gate that mixes kinds, an unknown case field and a false releasesOut', () => {
    const { problems } = problemsOf(
      playbookYaml(`  - id: triage
    title: Triage
    phase: triage
    gates:
      - { field: title, releasesOut: true }
      - field: cvss
      - releasesOut: false
      - {}
`),
    );
    expect(problems).toEqual([
      'steps[0].gates[0] mixes gate kinds field and releasesOut; write each as its own gate',
      'steps[0].gates[1].field is text ("cvss"), which is not one of: title, reporter, severity.cvss, severity.cwe, releasePlan, affected, ghsaId, cveId, embargo',
      'steps[0].gates[2].releasesOut must be true, not boolean (false)',
      'steps[0].gates[3] names no gate kind; a gate has exactly one of field, stepsDone, releasesOut, embargoOver, leaksClosed, retrospectiveWritten, policies, confirm, message',
    ]);
  });

  it('rejects duplicate step ids', () => {
    const { problems } = problemsOf(
      playbookYaml(`  - id: triage
    title: Triage
    phase: triage
  - id: triage
    title: Triage again
    phase: triage
`),
    );
    expect(problems).toEqual(['steps[1].id "triage" is already used by steps[0]']);
  });

  it('rejects stepsDone naming a missing step or a step that does not come earlier', () => {
    const { problems } = problemsOf(
      playbookYaml(`  - id: triage
    title: Triage
    phase: triage
    gates:
      - stepsDone: [fix, triage]
  - id: fix
    title: Fix
    phase: fixing
    gates:
      - stepsDone: [tirage]
`),
    );
    expect(problems).toEqual([
      'steps[0].gates[0].stepsDone names "fix" (steps[1]), which does not come before it; a step can only wait for earlier steps',
      'steps[0].gates[0].stepsDone names "triage" (steps[0]), which does not come before it; a step can only wait for earlier steps',
      'steps[1].gates[0].stepsDone names "tirage", which is not a step of this playbook',
    ]);
  });

  it('lists every problem at once, in the message and in details.problems', () => {
    const { message, problems } = problemsOf(
      `id: Tiny Playbook
name: Tiny
sequential: yes
settings: {}
colour: blue
steps:
  - id: a
    number: 3
    title: ""
    phase: triage
    skippable: 1
    gates:
      - confirm: { id: x, text: One }
      - confirm: { id: x, text: Two }
      - message: orphan
`,
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        'the playbook is missing "description"',
        'the playbook has unknown key "colour"',
        'id is text ("Tiny Playbook"); it must be kebab-case (lowercase letters and digits joined by single dashes, e.g. advisory-draft)',
        'sequential must be true or false, not text ("yes")',
        'settings is missing "embargoedMailCarriesCve"',
        'steps[0].title must not be empty',
        'steps[0].skippable must be true or false, not number (1)',
        expect.stringMatching(
          /^steps\[0\]\.gates\[2\]\.message is text \("orphan"\), which is not a message kind \(reporter-ack, .*\); "message" alone is a message gate/,
        ),
        'steps[0].number is 3, but it is step 1 in the list; numbers follow the order of the steps',
        'steps[0].gates[1].confirm.id "x" is already used in this step',
      ]),
    );
    expect(message).toBe(`playbook test.yaml is invalid: ${problems.join('; ')}`);
  });

  it('names the playbook by its id when no origin is given', () => {
    try {
      parsePlaybook(playbookYaml('  - id: Triage\n    title: Triage\n    phase: triage\n'));
      expect.unreachable();
    } catch (e) {
      expect((e as DomainError).message).toMatch(/^playbook tiny is invalid: steps\[0\]\.id is text \("Triage"\)/);
    }
  });

  it('rejects unknown settings and a playbook without steps', () => {
    const { problems } = problemsOf(
      `id: tiny
name: Tiny
description: d
sequential: false
settings: { embargoedMailCarriesCve: true, embargoNotes: x }
steps: []
`,
    );
    expect(problems).toEqual(['settings has unknown key "embargoNotes"', 'the playbook has no steps']);
  });
});
