import { describe, expect, it } from 'vitest';
import {
  codenameFrom,
  CODENAME_SPACE,
  createCase,
  editCase,
  formatCaseId,
  planRelease,
  recordRelease,
  setEmbargo,
} from '../../../src/domain/case/index.js';
import { makeCase, releaseLine } from '../../support/case-fixture.js';
import { errorOf } from '../../support/domain-error.js';

const ctx = { actor: 'alice', now: new Date('2026-11-25T10:00:00Z') };
const facts = { id: 'EMB-2026-0007', codename: 'amber-heron', playbook: { id: 'contour', firstPhase: 'reported' } };

describe('createCase', () => {
  it('opens a case in the first phase with a creation event', () => {
    const { state, events } = createCase({ title: '  Header smuggling  ' }, facts, ctx);
    expect(state).toMatchObject({ id: 'EMB-2026-0007', title: 'Header smuggling', project: 'contour', status: 'reported', revision: 1 });
    expect(state.createdAt).toBe('2026-11-25T10:00:00.000Z');
    expect(events).toEqual([
      {
        action: 'case.created',
        caseId: 'EMB-2026-0007',
        details: { title: 'Header smuggling', project: 'contour', codename: 'amber-heron', playbook: 'contour' },
      },
    ]);
  });

  it('refuses a blank title, a bad project slug, and a reporter without contact', () => {
    expect(errorOf(() => createCase({ title: ' ' }, facts, ctx)).message).toBe('title must not be empty');
    expect(errorOf(() => createCase({ title: 'x', project: 'Not A Slug' }, facts, ctx)).code).toBe('invalid_input');
    expect(errorOf(() => createCase({ title: 'x', reporter: { name: 'Rea' } }, facts, ctx)).message).toBe('reporter.contact must be text');
    expect(
      errorOf(() => createCase({ title: 'x', reporter: { name: 'Rea', contact: 'r@x', credit: 'loud' } }, facts, ctx)).message,
    ).toMatch(/credit must be one of/);
  });
});

describe('editCase', () => {
  it('validates GHSA, CVE, CVSS and CWE ids with a message naming the field', () => {
    const c = makeCase({ title: 'x' });
    expect(errorOf(() => editCase(c, { cveId: 'CVE-26-1' }, ctx)).message).toMatch(/^cveId "CVE-26-1" is not valid/);
    expect(errorOf(() => editCase(c, { ghsaId: 'GHSA-aaaa-bbbb-cccc' }, ctx)).message).toMatch(/^ghsaId/);
    expect(errorOf(() => editCase(c, { cvss: ['AV:N'] }, ctx)).message).toMatch(/not a CVSS 3.x or 4.0 vector/);
    expect(errorOf(() => editCase(c, { cwe: ['79'] }, ctx)).message).toMatch(/not a CWE id/);
    expect(errorOf(() => editCase(c, { owner: 'me' } as never, ctx)).message).toMatch(/cannot edit owner/);
  });

  it('records the change without the reporter name or contact in the event', () => {
    const c = makeCase({ title: 'x' });
    const { state, events } = editCase(
      c,
      { reporter: { name: 'Rea Porter', contact: 'rea@example.org', credit: 'anonymous' }, cwe: ['cwe-94'] },
      ctx,
    );
    expect(state.reporter?.contact).toBe('rea@example.org');
    expect(state.severity.cwe).toEqual(['CWE-94']);
    expect(state.revision).toBe(2);
    const logged = JSON.stringify(events);
    expect(logged).not.toContain('rea@example.org');
    expect(logged).not.toContain('Rea Porter');
    expect(events[0]!.details).toEqual({ changed: { reporter: { credit: 'anonymous' }, severity: { cvss: [], cwe: ['CWE-94'] } } });
  });

  it('changes nothing, and says nothing, when the values are the same', () => {
    const c = makeCase({ title: 'x', cveId: 'CVE-2026-41246' });
    expect(editCase(c, { cveId: 'CVE-2026-41246' }, ctx)).toEqual({ state: c, events: [] });
  });
});

describe('setEmbargo', () => {
  it('stores the instant and the zone it was agreed in', () => {
    const { state, events } = setEmbargo(makeCase(), { endsAt: '2026-12-01 17:00', timeZone: 'Europe/Berlin' }, ctx);
    expect(state.embargo).toEqual({ endsAt: '2026-12-01T16:00:00.000Z', timeZone: 'Europe/Berlin' });
    expect(events[0]!.details).toMatchObject({ local: '2026-12-01 17:00 Europe/Berlin' });
  });

  it('refuses an unknown zone and a date that does not exist', () => {
    expect(errorOf(() => setEmbargo(makeCase(), { endsAt: '2026-12-01 17:00', timeZone: 'Mars/Base' }, ctx)).message).toMatch(
      /not an IANA time zone/,
    );
    expect(errorOf(() => setEmbargo(makeCase(), { endsAt: '2026-02-30 10:00', timeZone: 'UTC' }, ctx)).code).toBe('invalid_input');
  });

  it('refuses a time already past unless a reason is given, which the event keeps (issue 13, item 12)', () => {
    const past = errorOf(() => setEmbargo(makeCase(), { endsAt: '2026-11-20 17:00', timeZone: 'Europe/Berlin' }, ctx));
    expect(past.code).toBe('invalid_input');
    expect(past.message).toBe(
      'the embargo time 2026-11-20 17:00 Europe/Berlin is in the past (5 days ago); give a date to come, or, to replay an old case, say why with --allow-past REASON (allowPast in the API)',
    );
    expect(errorOf(() => setEmbargo(makeCase(), { endsAt: '2026-11-20 17:00', timeZone: 'UTC', allowPast: '  ' }, ctx)).message).toMatch(
      /say why/,
    );
    const replayed = setEmbargo(
      makeCase(),
      { endsAt: '2026-11-20 17:00', timeZone: 'Europe/Berlin', allowPast: 'replaying CVE-2023-44487' },
      ctx,
    );
    expect(replayed.state.embargo).toEqual({ endsAt: '2026-11-20T16:00:00.000Z', timeZone: 'Europe/Berlin' });
    expect(replayed.events[0]!.details).toMatchObject({ allowedPast: 'replaying CVE-2023-44487' });
    // A future time needs no reason, and records none.
    expect(
      setEmbargo(makeCase(), { endsAt: '2026-12-01 17:00', timeZone: 'UTC', allowPast: 'x' }, ctx).events[0]!.details,
    ).not.toHaveProperty('allowedPast');
  });
});

describe('planRelease and recordRelease', () => {
  it('keeps a planned date per line (a day, or an instant with its offset) and refuses one without', () => {
    const planned = planRelease(
      makeCase(),
      [
        { line: '1.28', version: '1.28.3', plannedAt: '2026-12-10' },
        { line: '1.27', version: '1.27.4', plannedAt: '2026-12-10T09:00:00+01:00' },
      ],
      ctx,
    ).state;
    expect(planned.releasePlan.map((l) => l.plannedAt)).toEqual(['2026-12-10T00:00:00.000Z', '2026-12-10T08:00:00.000Z']);
    expect(() => planRelease(makeCase(), [{ line: '1.28', version: '1.28.3', plannedAt: '2026-12-10 09:00' }], ctx)).toThrow(
      /lines\[0\]\.plannedAt "2026-12-10 09:00" is not a date like 2026-05-01 .*add Z or an offset/,
    );
  });

  it('plans lines newest first and records a release with its tag', () => {
    const planned = planRelease(
      makeCase(),
      [
        { line: '1.27', version: '1.27.4' },
        { line: '1.28', version: '1.28.3' },
      ],
      ctx,
    ).state;
    expect(planned.releasePlan.map((l) => l.line)).toEqual(['1.28', '1.27']);
    const released = recordRelease(planned, { line: '1.27' }, ctx);
    expect(released.state.releasePlan[1]).toEqual({
      line: '1.27',
      version: '1.27.4',
      releasedAt: '2026-11-25T10:00:00.000Z',
      tag: 'v1.27.4',
    });
    expect(released.events[0]).toMatchObject({ action: 'release.recorded', details: { line: '1.27', version: '1.27.4' } });
  });

  it('refuses a version off its line, a duplicate line, and an empty plan', () => {
    expect(errorOf(() => planRelease(makeCase(), [{ line: '1.27', version: '1.28.0' }], ctx)).message).toMatch(/not on release line 1.27/);
    expect(
      errorOf(() =>
        planRelease(
          makeCase(),
          [
            { line: '1.27', version: '1.27.1' },
            { line: '1.27', version: '1.27.2' },
          ],
          ctx,
        ),
      ).message,
    ).toMatch(/listed twice/);
    expect(errorOf(() => planRelease(makeCase(), [], ctx)).message).toMatch(/at least one line/);
  });

  it('keeps a released line: its version cannot change and it cannot be dropped', () => {
    const c = makeCase({ releasePlan: [releaseLine('1.27', '1.27.4', '2026-11-24T10:00:00Z'), releaseLine('1.28', '1.28.3')] });
    expect(
      errorOf(() =>
        planRelease(
          c,
          [
            { line: '1.27', version: '1.27.5' },
            { line: '1.28', version: '1.28.3' },
          ],
          ctx,
        ),
      ).code,
    ).toBe('conflict');
    expect(errorOf(() => planRelease(c, [{ line: '1.28', version: '1.28.3' }], ctx)).message).toMatch(/1.27 is already released/);
    expect(errorOf(() => recordRelease(c, { line: '1.27' }, ctx)).message).toMatch(/already released/);
    expect(errorOf(() => recordRelease(c, { line: '1.26' }, ctx)).message).toMatch(/not in the release plan/);
  });
});

describe('ids and codenames', () => {
  it('formats case ids with a four-digit counter', () => {
    expect(formatCaseId(2026, 7)).toBe('EMB-2026-0007');
    expect(formatCaseId(2026, 12345)).toBe('EMB-2026-12345');
  });

  it('makes over a million short three-word codenames that reveal nothing, a distinct one for each index', () => {
    expect(CODENAME_SPACE).toBeGreaterThanOrEqual(1_000_000);
    const names = new Set<string>();
    // Every index of the space, in strides that reach every word of every list.
    for (let i = 0; i < CODENAME_SPACE; i += 7) names.add(codenameFrom(i));
    expect(names.size).toBe(Math.ceil(CODENAME_SPACE / 7));
    const words = new Set<string>();
    for (const n of names) {
      expect(n).toMatch(/^[a-z]+-[a-z]+-[a-z]+$/);
      expect(n.length).toBeLessThanOrEqual(30);
      for (const w of n.split('-')) words.add(w);
    }
    expect([...words].join(' ')).not.toMatch(
      /vuln|exploit|cve|secur|leak|bug|hack|inject|patch|worm|trojan|virus|breach|attack|root|shell|lock|key/,
    );
    expect(codenameFrom(CODENAME_SPACE + 5)).toBe(codenameFrom(5));
  });
});

describe('CWE ids on a case', () => {
  it('accepts a catalogued weakness and refuses an id MITRE never assigned', () => {
    const c = makeCase({ title: 'x' });
    expect(editCase(c, { cwe: ['CWE-79'] }, ctx).state.severity.cwe).toEqual(['CWE-79']);
    expect(errorOf(() => editCase(c, { cwe: ['CWE-99999999'] }, ctx)).message).toMatch(
      /^cwe CWE-99999999 is not in the CWE 4\.\d+ catalogue$/,
    );
  });
});
