/** The advisory fields of a case: defaults for old stored cases, createCase, editCase and their checks. */
import { describe, expect, it } from 'vitest';
import { advisoryFields, createCase, editCase, withDefaults, type Case } from '../../../src/domain/case/index.js';
import { DomainError } from '../../../src/domain/errors.js';
import type { EventOf } from '../../../src/domain/events.js';
import { ctx, makeCase } from '../../support/case-fixture.js';

const at = ctx('2026-11-21T10:00:00Z');

function invalid(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(DomainError);
    expect((err as DomainError).code).toBe('invalid_input');
    return err as DomainError;
  }
  throw new Error('no error');
}

describe('withDefaults', () => {
  it('fills the advisory fields a case stored before they existed lacks', () => {
    const {
      description: _d,
      package: _p,
      workarounds: _w,
      references: _r,
      credits: _c,
      publishedAt: _a,
      ...old
    } = makeCase({ title: 'Old' });
    const read = withDefaults(old as Case);
    expect(read).toEqual(makeCase({ title: 'Old' }));
    expect(read).toMatchObject({ description: '', package: null, workarounds: '', references: [], credits: [], publishedAt: null });
  });

  it('keeps what is stored, null and empty included', () => {
    const stored = makeCase({
      description: 'Text',
      package: { ecosystem: 'npm', name: 'left-pad' },
      publishedAt: '2026-01-01T00:00:00.000Z',
    });
    expect(withDefaults(stored)).toEqual(stored);
  });
});

describe('createCase', () => {
  it('starts a case with empty advisory fields', () => {
    const { state } = createCase(
      { title: 'New' },
      { id: 'EMB-2026-0002', codename: 'amber-heron', playbook: { id: 'contour', firstPhase: 'reported' } },
      at,
    );
    expect(state).toMatchObject({ description: '', package: null, workarounds: '', references: [], credits: [], publishedAt: null });
  });
});

describe('editCase: advisory fields', () => {
  const c = makeCase({ title: 'Case' });

  it('sets description, package, workarounds, references, credits and the publication time', () => {
    const { state, events } = editCase(
      c,
      {
        description: '  Line one\r\nLine two  ',
        package: { ecosystem: 'go', name: 'github.com/projectcontour/contour', repository: 'https://github.com/projectcontour/contour' },
        workarounds: 'Turn it off.',
        references: ['https://example.org/a', 'https://example.org/a', 'https://example.org/b'],
        credits: [
          { name: 'Jane Doe', login: 'jane-doe', type: 'Finder' },
          { anonymous: true, type: 'remediation developer' },
        ],
        publishedAt: '2026-04-24T02:00:00+02:00',
      },
      at,
    );
    expect(state).toMatchObject({
      description: 'Line one\nLine two',
      package: { ecosystem: 'Go', name: 'github.com/projectcontour/contour', repository: 'https://github.com/projectcontour/contour' },
      workarounds: 'Turn it off.',
      references: ['https://example.org/a', 'https://example.org/b'],
      credits: [
        { name: 'Jane Doe', login: 'jane-doe', type: 'finder' },
        { anonymous: true, type: 'remediation_developer' },
      ],
      publishedAt: '2026-04-24T00:00:00.000Z',
      revision: c.revision + 1,
    });
    // Long texts are logged by size; the other values as they are.
    expect((events[0] as EventOf<'case.edited'>).details.changed).toMatchObject({
      description: { characters: 17 },
      workarounds: { characters: 12 },
      publishedAt: '2026-04-24T00:00:00.000Z',
    });
  });

  it('clears with null and changes nothing when the values are the same', () => {
    const filled = editCase(
      c,
      { description: 'x', package: { ecosystem: 'npm', name: 'a' }, references: ['https://example.org'] },
      at,
    ).state;
    const cleared = editCase(filled, { description: null, package: null, references: null }, at).state;
    expect(cleared).toMatchObject({ description: '', package: null, references: [] });
    expect(editCase(cleared, { description: '', package: null }, at).events).toEqual([]);
  });

  it('refuses bad values with a sentence naming the field', () => {
    expect(invalid(() => editCase(c, { description: 'x'.repeat(20_001) }, at)).message).toBe('description is longer than 20000 characters');
    expect(invalid(() => editCase(c, { package: { ecosystem: 'Cobol', name: 'x' } }, at)).message).toMatch(
      /^package.ecosystem "Cobol" is not an OSV ecosystem/,
    );
    expect(invalid(() => editCase(c, { package: { ecosystem: 'Go' } }, at)).message).toBe('package.name must be text');
    expect(invalid(() => editCase(c, { package: { ecosystem: 'Go', name: 'x', version: '1' } }, at)).message).toMatch(
      /unknown field version/,
    );
    expect(invalid(() => editCase(c, { references: ['javascript:alert(1)'] }, at)).message).toMatch(/references\[0\] .* must be an http/);
    expect(invalid(() => editCase(c, { references: ['https://user:pw@example.org'] }, at)).message).toMatch(/must not carry a user name/);
    expect(invalid(() => editCase(c, { credits: [{ name: 'A', type: 'hero' }] }, at)).message).toMatch(
      /^credits\[0\].type must be one of finder, reporter/,
    );
    expect(invalid(() => editCase(c, { credits: [{ anonymous: true, name: 'Leak', type: 'finder' }] }, at)).message).toBe(
      'credits[0] is anonymous, so it must not carry a name or login',
    );
    expect(invalid(() => editCase(c, { credits: [{ type: 'finder' }] }, at)).message).toBe('credits[0] needs a name (or anonymous: true)');
    expect(invalid(() => editCase(c, { credits: [{ name: 'A', login: 'not a login', type: 'finder' }] }, at)).message).toMatch(
      /is not a GitHub login/,
    );
    expect(invalid(() => editCase(c, { publishedAt: '2026-02-30T00:00:00Z' }, at)).message).toMatch(/not a real date/);
    expect(invalid(() => editCase(c, { publishedAt: 'yesterday' }, at)).message).toMatch(/not a date and time with a UTC offset/);
  });

  it('accepts a bare date as midnight UTC', () => {
    expect(advisoryFields.instant('publishedAt', '2026-04-24')).toBe('2026-04-24T00:00:00.000Z');
  });
});
