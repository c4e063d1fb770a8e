/** The case file: parsing (with problems named by line and field), writing, the round trip, applying. */
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import {
  applyCaseFile,
  caseFileData,
  caseFromFile,
  caseToFile,
  embargoEndText,
  parseCaseFile,
} from '../../../src/domain/case-file/index.js';
import { DomainError } from '../../../src/domain/errors.js';
import { ctx, makeCase } from '../../support/case-fixture.js';
import { CONTOUR_FILE, NOW } from '../exports/fixtures.js';

function problemsOf(text: string): { line: number; field: string; message: string }[] {
  try {
    parseCaseFile(text);
  } catch (err) {
    expect(err).toBeInstanceOf(DomainError);
    expect((err as DomainError).code).toBe('invalid_input');
    return (err as DomainError).details.problems as { line: number; field: string; message: string }[];
  }
  throw new Error('the file parsed');
}

describe('parseCaseFile', () => {
  it('reads every documented key of the example file', () => {
    const data = parseCaseFile(CONTOUR_FILE);
    expect(data).toMatchObject({
      id: 'EMB-2026-0007',
      project: 'contour',
      title: 'Lua code injection via Cookie Path Rewrite Policy',
      ghsa: 'GHSA-x4mj-7f9g-29h4',
      cve: 'CVE-2026-41246',
      package: { ecosystem: 'Go', name: 'github.com/projectcontour/contour', repository: 'https://github.com/projectcontour/contour' },
      cwe: ['CWE-94'],
      affected: [
        { introduced: '1.10.0', fixed: null },
        { introduced: '1.31.0', fixed: '1.31.6' },
        { introduced: '1.32.0', fixed: '1.32.5' },
        { introduced: '1.33.0', fixed: '1.33.4' },
      ],
      reporter: { name: 'Rosalind Quill', company: 'Hushed Labs', credit: 'anonymous', contact: 'rosalind@hushed.example' },
      credits: [
        { name: 'Jane Doe', login: 'janedoe-sec', type: 'finder' },
        { name: 'Sam Patcher', type: 'remediation_developer' },
      ],
      published: '2026-04-24T00:00:00.000Z',
      embargo: { endsAt: '2026-04-23 17:00', timeZone: 'Europe/Berlin' },
      releasePlan: [
        { line: '1.33', version: '1.33.4' },
        { line: '1.32', version: '1.32.5' },
        { line: '1.31', version: '1.31.6' },
      ],
    });
    expect(data.cvss).toHaveLength(2);
    expect(data.description).toContain('### Impact');
  });

  it('reads the same case from JSON', () => {
    const fromYaml = parseCaseFile(CONTOUR_FILE);
    expect(parseCaseFile(JSON.stringify(fromYaml, null, 2))).toEqual(fromYaml);
  });

  it('takes a release line written as a number as written (1.30, not 1.3) and a single value as a list of one', () => {
    const data = parseCaseFile('title: T\ncwe: CWE-79\nreleasePlan:\n  - {line: 1.30, version: 1.30.2}\n');
    expect(data.releasePlan).toEqual([{ line: '1.30', version: '1.30.2' }]);
    expect(data.cwe).toEqual(['CWE-79']);
  });

  it('reports every problem at once, each with its line and field', () => {
    const text = [
      'title: Broken', //                                         1
      'cve: CVE-26-1', //                                         2
      'cvss:', //                                                 3
      '  - CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:N/A:H', //     4
      '  - CVSS:3.1/AV:N/AC:L', //                                5
      'affected:', //                                             6
      '  - {introduced: one, fixed: 1.2.3}', //                  7
      'credits:', //                                              8
      '  - {anonymous: true, name: Leaky Name, type: reporter}', // 9
      'cwes: [CWE-79]', //                                        10
      'package: {ecosystem: Cobol, name: x}', //                 11
      'embargo: {endsAt: "2026-12-01 17:00", timeZone: Mars/Base}', // 12
      'releasePlan:', //                                          13
      '  - {line: "1.33", version: 1.34.0}', //                  14
    ].join('\n');
    const problems = problemsOf(text);
    expect(problems.map((p) => [p.line, p.field])).toEqual([
      [2, 'cve'],
      [5, 'cvss[1]'],
      [7, 'affected[0].introduced'],
      [9, 'credits[0]'],
      [10, 'cwes'],
      [11, 'package.ecosystem'],
      [12, 'embargo.timeZone'],
      [14, 'releasePlan[0].version'],
    ]);
    expect(problems[1]!.message).toMatch(/missing base metrics/);
    expect(problems[3]!.message).toBe('credits[0] is anonymous, so it must not carry a name or login');
    expect(problems[4]!.message).toMatch(/^unknown key "cwes"; the keys are id, project/);
    try {
      parseCaseFile(text);
    } catch (err) {
      expect((err as Error).message).toMatch(/^line 2, cve: cve "CVE-26-1" is not valid.*; line 5, cvss\[1\]: /);
    }
  });

  it('refuses what is not a case file: bad syntax, duplicate keys, aliases, no title, not a mapping', () => {
    expect(problemsOf('title: [unclosed\ncve: x')[0]!.message).toMatch(/not valid YAML or JSON/);
    expect(problemsOf('title: A\ntitle: B\n')[0]).toMatchObject({ line: 2, message: expect.stringMatching(/unique/) });
    expect(problemsOf('title: &t A\ndescription: *t\n')[0]).toMatchObject({ line: 2, message: expect.stringMatching(/aliases/) });
    expect(problemsOf('cve: CVE-2026-1234\n')[0]).toMatchObject({ field: 'title', message: 'the case file needs a title' });
    expect(problemsOf('just some text')[0]!.message).toMatch(/must be a mapping/);
    expect(() => parseCaseFile(`title: T\ndescription: ${'x'.repeat(600 * 1024)}\n`)).toThrow(/larger than 512 kB/);
  });
});

describe('caseToFile and the round trip', () => {
  const c = caseFromFile(parseCaseFile(CONTOUR_FILE), NOW);

  it('writes the case in the documented order, without the reporter contact', () => {
    const text = caseToFile(c);
    expect(text).not.toContain('rosalind@hushed.example');
    expect(text).not.toContain('contact:');
    const keys = [...text.matchAll(/^([A-Za-z]+):/gm)].map((m) => m[1]);
    expect(keys).toEqual([
      'id',
      'project',
      'playbook',
      'title',
      'ghsa',
      'cve',
      'package',
      'description',
      'cvss',
      'cwe',
      'affected',
      'reporter',
      'credits',
      'published',
      'references',
      'workarounds',
      'embargo',
      'releasePlan',
    ]);
    expect(text).toContain('  endsAt: 2026-04-23T17:00:00+02:00\n');
    expect(text).toContain('- { line: "1.33", version: 1.33.4 }');
  });

  it('case file → case → case file keeps every value (the contact aside)', () => {
    const original = parseCaseFile(CONTOUR_FILE);
    const back = parseCaseFile(caseToFile(c));
    const { contact: _contact, ...reporter } = original.reporter!;
    expect(back).toEqual({
      ...original,
      reporter,
      embargo: { endsAt: '2026-04-23T17:00:00+02:00', timeZone: 'Europe/Berlin' },
    });
    // And the file written is a fixed point: reading and writing it again changes nothing.
    const again = caseFromFile(back, NOW);
    expect(caseToFile({ ...again, reporter: c.reporter })).toBe(caseToFile(c));
    expect(again.embargo).toEqual(c.embargo);
  });

  it('writes released lines with their tag, for reading', () => {
    const released = {
      ...c,
      releasePlan: c.releasePlan.map((l) => (l.line === '1.33' ? { ...l, releasedAt: '2026-04-22T09:00:00.000Z', tag: 'v1.33.4' } : l)),
    };
    expect(caseFileData(released).releasePlan![0]).toEqual({
      line: '1.33',
      version: '1.33.4',
      released: '2026-04-22T09:00:00.000Z',
      tag: 'v1.33.4',
    });
    expect(parseCaseFile(caseToFile(released)).releasePlan![0]).toEqual({
      line: '1.33',
      version: '1.33.4',
      released: '2026-04-22T09:00:00.000Z',
      tag: 'v1.33.4',
    });
  });

  it('says the embargo end as the agreed wall-clock time with its offset, exactly', () => {
    expect(embargoEndText('2026-12-01T16:00:00.000Z', 'Europe/Berlin')).toBe('2026-12-01T17:00:00+01:00');
    expect(embargoEndText('2026-07-01T16:00:00.000Z', 'America/New_York')).toBe('2026-07-01T12:00:00-04:00');
    expect(embargoEndText('2026-12-01T16:00:30.000Z', 'Asia/Kolkata')).toBe('2026-12-01T16:00:30.000Z');
  });
});

describe('applyCaseFile', () => {
  const base = makeCase({
    title: 'Old title',
    reporter: { name: 'Rosalind Quill', contact: 'rosalind@hushed.example', company: null, credit: 'named' },
  });
  const at = ctx('2026-04-20T08:00:00Z');

  it('runs one command per change (edit, embargo, release plan) and lists what changed', () => {
    const data = parseCaseFile(CONTOUR_FILE);
    const { project: _p, playbook: _b, ...fileForBase } = data;
    const result = applyCaseFile(base, fileForBase, at);
    expect(result.events.map((e) => e.action)).toEqual(['case.edited', 'case.embargo-set', 'release.planned']);
    expect(result.changed).toEqual(
      expect.arrayContaining([
        'title',
        'ghsaId',
        'cveId',
        'severity',
        'affected',
        'description',
        'package',
        'workarounds',
        'references',
        'credits',
        'publishedAt',
        'reporter',
        'embargo',
        'releasePlan',
      ]),
    );
    expect(result.state.revision).toBe(base.revision + 3);
    // The file gave the reporter's contact; the preference is logged, the contact is not.
    expect(result.state.reporter).toEqual({
      name: 'Rosalind Quill',
      company: 'Hushed Labs',
      credit: 'anonymous',
      contact: 'rosalind@hushed.example',
    });
    expect(JSON.stringify(result.events)).not.toContain('rosalind@');
    // Applying the same file again changes nothing.
    const again = applyCaseFile(result.state, fileForBase, at);
    expect(again.events).toEqual([]);
    expect(again.state).toBe(result.state);
  });

  it('keeps the recorded contact when the file leaves it out, and asks for one when there is none', () => {
    const data = parseCaseFile('title: T\nreporter: {name: Rosalind Quill, credit: name-without-company}\n');
    expect(applyCaseFile(base, data, at).state.reporter).toEqual({
      name: 'Rosalind Quill',
      company: null,
      credit: 'name-without-company',
      contact: 'rosalind@hushed.example',
    });
    expect(() => applyCaseFile({ ...base, reporter: null }, data, at)).toThrow(/reporter.contact: the case has no reporter yet/);
  });

  it('refuses what a file may not do: move the project, clear the embargo, empty the plan', () => {
    const withPlan = {
      ...base,
      embargo: { endsAt: '2026-12-01T16:00:00.000Z', timeZone: 'Europe/Berlin' },
      releasePlan: [{ line: '1.33', version: '1.33.4', releasedAt: null, tag: null }],
    };
    expect(() => applyCaseFile(withPlan, parseCaseFile('title: T\nproject: other\n'), at)).toThrow(/cannot move it to other/);
    expect(() => applyCaseFile(withPlan, parseCaseFile('title: T\nembargo: null\n'), at)).toThrow(/cannot clear an agreed embargo/);
    expect(() => applyCaseFile(withPlan, parseCaseFile('title: T\nreleasePlan: []\n'), at)).toThrow(/cannot empty a release plan/);
  });

  it('leaves keys the file does not give as they are; null or empty clears', () => {
    const filled = applyCaseFile(base, parseCaseFile(CONTOUR_FILE.replace(/^project: contour\nplaybook: contour\n/m, '')), at).state;
    const partial = applyCaseFile(filled, parseCaseFile(stringify({ title: filled.title, cve: null, references: [] })), at);
    expect(partial.changed.sort()).toEqual(['cveId', 'references']);
    expect(partial.state).toMatchObject({ cveId: null, references: [], ghsaId: filled.ghsaId, description: filled.description });
  });
});
