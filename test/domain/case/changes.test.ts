import { describe, expect, it } from 'vitest';
import {
  editCase,
  fieldsChangedBy,
  fieldsChangedSince,
  parseRevision,
  recordPublication,
  revisionConflict,
  setEmbargo,
} from '../../../src/domain/case/index.js';
import type { DomainEvent } from '../../../src/domain/events.js';
import { ctx, makeCase } from '../../support/case-fixture.js';

describe('what changed since a revision', () => {
  it('names the fields each command changed, and none for events about other things', () => {
    const c = makeCase();
    const edited = editCase(c, { title: 'Another title', description: 'Some text' }, ctx('2026-11-25T10:00:00Z'));
    expect(fieldsChangedBy(edited.events[0]!)).toEqual(['title', 'description']);
    expect(fieldsChangedBy({ action: 'case.read', caseId: c.id, details: { what: 'details' } })).toEqual([]);
    expect(fieldsChangedBy({ action: 'access.granted', caseId: c.id, details: { user: 'bob' } })).toEqual([]);
  });

  it('takes one changing event per revision, newest first, skipping reads and side events', () => {
    const c0 = makeCase();
    const e1 = editCase(c0, { title: 'First' }, ctx('2026-11-25T10:00:00Z'));
    const e2 = setEmbargo(e1.state, { endsAt: '2026-12-10T17:00', timeZone: 'Europe/Berlin' }, ctx('2026-11-25T10:00:00Z'));
    const e3 = recordPublication(
      e2.state,
      { publishedAt: '2026-12-10T16:00:00Z', stepId: null, override: { reason: 'already public', unmet: ['embargo'] } },
      null,
      ctx('2026-11-25T10:00:00Z'),
    );
    expect(e3.state.revision).toBe(c0.revision + 3);
    const read: DomainEvent = { action: 'case.read', caseId: c0.id, details: { what: 'details' } };
    // One publication is two events (the override says no field) and one revision.
    const newestFirst = [...e3.events].reverse().concat([read], e2.events, [read], e1.events);
    expect(fieldsChangedSince(newestFirst, 1)).toEqual(['publishedAt']);
    expect(fieldsChangedSince(newestFirst, 2)).toEqual(['embargo', 'publishedAt']);
    expect(fieldsChangedSince(newestFirst, 3)).toEqual(['embargo', 'publishedAt', 'title']);
    expect(fieldsChangedSince(newestFirst, 9)).toEqual(['embargo', 'publishedAt', 'title']);
    expect(fieldsChangedSince(newestFirst, 0)).toEqual([]);
  });

  it('reads If-Match with or without quotes and refuses what is not a revision', () => {
    expect(parseRevision('"7"')).toBe(7);
    expect(parseRevision(' 7 ')).toBe(7);
    expect(parseRevision('W/"12"')).toBe(12);
    expect(parseRevision(undefined)).toBeUndefined();
    expect(parseRevision('')).toBeUndefined();
    for (const bad of ['"abc"', '*', '-1', '1.5', '"7", "8"']) {
      expect(() => parseRevision(bad)).toThrow(/revision the change is based on/);
    }
  });

  it('says the current revision and what changed in the refusal', () => {
    const err = revisionConflict('EMB-2026-0001', 3, 5, ['embargo', 'title']);
    expect(err).toMatchObject({
      code: 'revision_conflict',
      details: { caseId: 'EMB-2026-0001', expectedRevision: 3, currentRevision: 5, changed: ['embargo', 'title'] },
    });
    expect(err.message).toBe('case EMB-2026-0001 is at revision 5, not 3: embargo, title changed since; load it again and redo the change');
  });
});
