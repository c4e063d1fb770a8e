/** The supported-lines policy is a playbook setting: Contour's, and how a wrong one is refused. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../../../src/domain/errors.js';
import { parsePlaybook } from '../../../src/domain/playbook/parse.js';
import { supportedLines } from '../../../src/domain/releases/plan.js';

const root = new URL('../../../', import.meta.url);

function withPolicy(policy: string): string {
  return `id: tiny
name: Tiny
description: One step.
sequential: true
settings:
  embargoedMailCarriesCve: false
  releasePolicy: ${policy}
steps:
  - id: triage
    title: Triage
    phase: triage
`;
}

function problems(yamlText: string): string[] {
  try {
    parsePlaybook(yamlText, 'tiny.yaml');
  } catch (err) {
    expect(err).toBeInstanceOf(DomainError);
    return (err as DomainError).details.problems as string[];
  }
  throw new Error('expected the playbook to be refused');
}

describe('releasePolicy in playbook settings', () => {
  it("Contour's playbook supports the most recent line (since 2026-05-29) with tags named v1.2.3", () => {
    const pb = parsePlaybook(readFileSync(new URL('playbooks/contour.yaml', root), 'utf8'), 'playbooks/contour.yaml');
    expect(pb.settings.releasePolicy).toEqual({ supportedLines: 1, tagPrefix: 'v' });
    // The policy drives supportedLines as it is.
    const plan = supportedLines([{ name: 'v1.33.6' }, { name: 'v1.32.5' }], {
      count: pb.settings.releasePolicy!.supportedLines,
      tagPrefix: pb.settings.releasePolicy!.tagPrefix,
    });
    expect(plan.lines.map((l) => l.latest)).toEqual(['v1.33.6']);
    // The versions.yaml snapshot agrees: exactly one version is marked supported, on line 1.33.
    const versions = readFileSync(new URL('../shared/reference/contour-versions.yaml', root), 'utf8');
    const supported = [...versions.matchAll(/- version: (\S+)\n\s+supported: "true"/g)].map((m) => m[1]);
    expect(supported).toEqual(['v1.33.6']);
  });

  it('is optional, and takes a prefix of "" for tags named 1.2.3', () => {
    expect(parsePlaybook(withPolicy('{ supportedLines: 3, tagPrefix: "" }')).settings.releasePolicy).toEqual({
      supportedLines: 3,
      tagPrefix: '',
    });
    const none = parsePlaybook(withPolicy('{ supportedLines: 2, tagPrefix: v }').replace(/ {2}releasePolicy:.*\n/, ''));
    expect(none.settings.releasePolicy).toBeUndefined();
  });

  it('refuses a policy that could not work, naming the problem', () => {
    expect(problems(withPolicy('{ supportedLines: 0, tagPrefix: v }'))).toEqual([
      'settings.releasePolicy.supportedLines must be at least 1',
    ]);
    expect(problems(withPolicy('{ supportedLines: 2.5, tagPrefix: v }'))).toEqual([
      'settings.releasePolicy.supportedLines must be a whole number, not number (2.5)',
    ]);
    expect(problems(withPolicy('{ supportedLines: 33, tagPrefix: v }'))).toEqual(['settings.releasePolicy.supportedLines must be <= 32']);
    expect(problems(withPolicy('{ supportedLines: 2 }'))).toEqual(['settings.releasePolicy is missing "tagPrefix"']);
    expect(problems(withPolicy('{ supportedLines: 2, tagPrefix: "v 1" }'))).toEqual([
      expect.stringMatching(/^settings\.releasePolicy\.tagPrefix does not match/),
    ]);
    expect(problems(withPolicy('{ supportedLines: 2, tagPrefix: v, lts: true }'))).toEqual([
      'settings.releasePolicy has unknown key "lts"',
    ]);
  });
});
