import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { StepState } from '../../../src/domain/case/types.js';
import { applyGuardConfig, defaultGuardConfig } from '../../../src/domain/guard/config.js';
import { advisoryIds, isEmbargoed, isPublished, publishStepIds } from '../../../src/domain/guard/embargoed.js';
import { commitMessageText } from '../../../src/domain/guard/message.js';
import { isPrivateRemote } from '../../../src/domain/guard/remote.js';
import { parsePlaybook, type Playbook } from '../../../src/domain/playbook/index.js';
import { makeCase, readyCase } from '../../support/case-fixture.js';

const load = (id: string): Playbook => parsePlaybook(readFileSync(new URL(`../../../playbooks/${id}.yaml`, import.meta.url), 'utf8'), id);
const done: StepState = { status: 'done', by: 'bob', at: '2026-12-01T17:00:00.000Z', reason: null, confirmed: [] };
const skipped: StepState = { ...done, status: 'skipped', reason: 'n/a' };

describe('which cases are embargoed', () => {
  const contour = load('contour');
  const kubernetes = load('kubernetes');

  it("finds each playbook's publish step: the one gated on the end of the embargo", () => {
    expect(publishStepIds(contour)).toEqual(['publish-advisory']);
    expect(publishStepIds(kubernetes)).toEqual(['announce']);
  });

  it('a case is embargoed until its publish step is done or it is closed', () => {
    const open = makeCase();
    expect(isEmbargoed(contour, open)).toBe(true);
    const allButPublish = Object.fromEntries(contour.steps.filter((s) => s.id !== 'publish-advisory').map((s) => [s.id, done]));
    expect(isEmbargoed(contour, readyCase({ steps: allButPublish }))).toBe(true);
    const published = readyCase({ steps: { ...allButPublish, 'publish-advisory': done } });
    expect(isEmbargoed(contour, published)).toBe(false);
    expect(isPublished(contour, published)).toBe(true);
    // Closed without publishing (e.g. not a vulnerability after all): not embargoed, not public either.
    const everyStepSettled = Object.fromEntries(contour.steps.map((s) => [s.id, s.id === 'publish-advisory' ? skipped : done]));
    const closed = readyCase({ steps: everyStepSettled });
    expect(isEmbargoed(contour, closed)).toBe(false);
    expect(isPublished(contour, closed)).toBe(false);
  });

  it("gives a case's advisory ids in canonical form", () => {
    expect(advisoryIds(readyCase({ cveId: 'cve-2026-12345', ghsaId: 'GHSA-X4MJ-7F9G-29H4' }))).toEqual([
      'CVE-2026-12345',
      'GHSA-x4mj-7f9g-29h4',
    ]);
    expect(advisoryIds(makeCase())).toEqual([]);
  });
});

describe('.embargo-guard.yml settings', () => {
  it('applies public ids, severities, words, remotes and changelog paths over the defaults', () => {
    const c = applyGuardConfig(
      defaultGuardConfig(),
      {
        'public-ids': ['cve-2023-44487', 'GHSA-X4MJ-7F9G-29H4'],
        'unknown-ids': 'warning',
        severity: { 'case-id': 'off' },
        'revealing-words': ['leak'],
        'private-remotes': ['git@github.com:acme/*-private.git'],
        'changelog-paths': ['docs/releases/*.md'],
      },
      '.embargo-guard.yml',
    );
    expect(c.publicIds).toEqual(['CVE-2023-44487', 'GHSA-x4mj-7f9g-29h4']);
    expect(c.severity['unknown-id']).toBe('warning');
    expect(c.severity['case-id']).toBe('off');
    expect(c.severity['case-term']).toBe('error');
    expect(c.revealingWords).toEqual(['leak']);
    expect(c.privateRemotes).toEqual(['git@github.com:acme/*-private.git']);
    expect(c.changelogPaths).toEqual(['docs/releases/*.md']);
  });

  it('refuses typos instead of silently switching a rule off', () => {
    const apply = (raw: unknown) => () => applyGuardConfig(defaultGuardConfig(), raw, '.embargo-guard.yml');
    expect(apply({ 'public-id': [] })).toThrow(/unknown setting "public-id"/);
    expect(apply({ severity: { 'case-terms': 'off' } })).toThrow(/unknown rule "case-terms"/);
    expect(apply({ 'unknown-ids': 'fatal' })).toThrow(/must be one of error, warning, off/);
    expect(apply({ 'public-ids': ['x/net'] })).toThrow(/"x\/net" is not a CVE or GHSA id/);
    expect(apply(['a list'])).toThrow(/must be a mapping/);
    expect(apply({ 'revealing-words': { add: ['fix for the remote exploit'] } })).toThrow(
      /"fix for the remote exploit" has more than 3 words/,
    );
  });
});

describe('private remotes', () => {
  it("knows GitHub's temporary advisory forks without configuration", () => {
    expect(isPrivateRemote('https://github.com/projectcontour/contour-ghsa-x4mj-7f9g-29h4.git', [])).toBe(true);
    expect(isPrivateRemote('git@github.com:projectcontour/contour-ghsa-x4mj-7f9g-29h4', [])).toBe(true);
    expect(isPrivateRemote('https://github.com/projectcontour/contour.git', [])).toBe(false);
  });

  it('matches configured globs, ignoring a .git suffix and trailing slash', () => {
    const patterns = ['git@gitlab.example.org:security/*', 'https://git.example.org/private/contour'];
    expect(isPrivateRemote('git@gitlab.example.org:security/contour.git', patterns)).toBe(true);
    expect(isPrivateRemote('https://git.example.org/private/contour.git/', patterns)).toBe(true);
    expect(isPrivateRemote('https://git.example.org/public/contour.git', patterns)).toBe(false);
  });
});

describe('commit message files', () => {
  it("blanks git's comment lines (they name the branch) and drops the verbose diff below the scissors", () => {
    const raw = [
      'Escape lua strings',
      '',
      '# On branch amber-heron-fix',
      '# Changes to be committed:',
      '# ------------------------ >8 ------------------------',
      '+ CVE-2026-41246 in the diff',
    ].join('\n');
    expect(commitMessageText(raw)).toBe('Escape lua strings\n\n\n');
    expect(commitMessageText('; On branch x\nkeep', ';')).toBe('\nkeep');
  });
});
