/**
 * Builds Case literals for tests: a fresh, empty case by default, or one with every field the
 * playbooks ask for (`ready`). Plain data, so a test can see exactly what the engine was given.
 */
import type { Case, CommandContext, ReleaseLine } from '../../src/domain/case/types.js';

export const CREATED_AT = '2026-11-20T09:00:00.000Z';

export function makeCase(overrides: Partial<Case> = {}): Case {
  return {
    id: 'EMB-2026-0001',
    title: '',
    codename: 'amber-heron',
    project: 'contour',
    playbook: 'contour',
    status: 'reported',
    reporter: null,
    severity: { cvss: [], cwe: [] },
    embargo: null,
    releasePlan: [],
    affected: [],
    ghsaId: null,
    cveId: null,
    description: '',
    package: null,
    workarounds: '',
    references: [],
    credits: [],
    publishedAt: null,
    steps: {},
    messages: [],
    createdAt: CREATED_AT,
    updatedAt: CREATED_AT,
    revision: 1,
    ...overrides,
  };
}

export function releaseLine(line: string, version: string, releasedAt: string | null = null): ReleaseLine {
  return { line, version, releasedAt, tag: releasedAt ? `v${version}` : null };
}

/** A case with every field set, releases out and the embargo over (at 2026-12-01 17:00 Berlin). */
export function readyCase(overrides: Partial<Case> = {}): Case {
  return makeCase({
    title: 'HTTPProxy include lets a tenant route to another namespace',
    reporter: { name: 'Ada Reporter', contact: 'ada@example.org', company: null, credit: 'named' },
    severity: { cvss: ['CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:H/I:H/A:N'], cwe: ['CWE-284'] },
    embargo: { endsAt: '2026-12-01T16:00:00.000Z', timeZone: 'Europe/Berlin' },
    releasePlan: [releaseLine('1.27', '1.27.4', '2026-11-30T10:00:00.000Z'), releaseLine('1.28', '1.28.2', '2026-11-30T11:00:00.000Z')],
    affected: [{ introduced: '1.20.0', fixed: '1.28.2' }],
    ghsaId: 'GHSA-abcd-efgh-ijkl',
    cveId: 'CVE-2026-12345',
    ...overrides,
  });
}

export function ctx(now: string, actor = 'alice'): CommandContext {
  return { actor, now: new Date(now) };
}
