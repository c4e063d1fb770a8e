import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { defaultGuardConfig } from '../../../src/domain/guard/config.js';
import {
  buildReport,
  humanReport,
  jsonReport,
  sarifReport,
  type GuardFinding,
  type GuardSource,
} from '../../../src/domain/guard/report.js';
import { RULES } from '../../../src/domain/guard/rules.js';
import { createScanner } from '../../../src/domain/guard/scanner.js';
import { buildTermsFile } from '../../../src/domain/guard/terms-file.js';
import { wordsOf } from '../../../src/domain/guard/text.js';

/**
 * The parts of the SARIF 2.1.0 schema (OASIS sarif-schema-2.1.0.json) every consumer relies on,
 * plus what GitHub code scanning requires on top (a location per result, rule descriptions and
 * help, partial fingerprints, regions with lines and columns).
 */
const text = { type: 'object', required: ['text'], properties: { text: { type: 'string', minLength: 1 } } };
const SARIF_ESSENTIALS = {
  type: 'object',
  required: ['version', 'runs'],
  properties: {
    $schema: { type: 'string', pattern: 'sarif' },
    version: { const: '2.1.0' },
    runs: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        required: ['tool', 'results'],
        properties: {
          tool: {
            type: 'object',
            required: ['driver'],
            properties: {
              driver: {
                type: 'object',
                required: ['name', 'rules'],
                properties: {
                  name: { type: 'string', minLength: 1 },
                  version: { type: 'string' },
                  rules: {
                    type: 'array',
                    items: {
                      type: 'object',
                      required: ['id', 'shortDescription', 'fullDescription', 'help'],
                      properties: {
                        id: { type: 'string', minLength: 1 },
                        shortDescription: text,
                        fullDescription: text,
                        help: text,
                        defaultConfiguration: { type: 'object', properties: { level: { enum: ['none', 'note', 'warning', 'error'] } } },
                      },
                    },
                  },
                },
              },
            },
          },
          columnKind: { enum: ['utf16CodeUnits', 'unicodeCodePoints'] },
          results: {
            type: 'array',
            items: {
              type: 'object',
              required: ['ruleId', 'message', 'locations', 'partialFingerprints'],
              properties: {
                ruleId: { type: 'string' },
                ruleIndex: { type: 'integer', minimum: 0 },
                level: { enum: ['none', 'note', 'warning', 'error'] },
                message: text,
                locations: {
                  type: 'array',
                  minItems: 1,
                  maxItems: 10,
                  items: {
                    type: 'object',
                    required: ['physicalLocation'],
                    properties: {
                      physicalLocation: {
                        type: 'object',
                        required: ['artifactLocation', 'region'],
                        properties: {
                          artifactLocation: { type: 'object', required: ['uri'], properties: { uri: { type: 'string', minLength: 1 } } },
                          region: {
                            type: 'object',
                            required: ['startLine', 'startColumn', 'endLine', 'endColumn'],
                            properties: {
                              startLine: { type: 'integer', minimum: 1 },
                              startColumn: { type: 'integer', minimum: 1 },
                              endLine: { type: 'integer', minimum: 1 },
                              endColumn: { type: 'integer', minimum: 1 },
                            },
                          },
                        },
                      },
                      logicalLocations: { type: 'array', items: { type: 'object', required: ['name'] } },
                    },
                  },
                },
                partialFingerprints: { type: 'object', required: ['primaryLocationLineHash'], additionalProperties: { type: 'string' } },
              },
            },
          },
        },
      },
    },
  },
};

const terms = buildTermsFile({
  salt: '0123456789abcdef0123456789abcdef',
  now: new Date('2026-11-25T10:00:00Z'),
  publicIds: [],
  cases: [{ caseId: 'EMB-2026-0007', terms: [wordsOf('amber-heron')], ids: ['CVE-2026-41246'] }],
});

function findings(): GuardFinding[] {
  const scanner = createScanner(defaultGuardConfig(), terms);
  const at = (text: string, source: GuardSource) => scanner.scan(text).map((f) => ({ ...f, source }));
  return [
    ...at('Merge pull request from GHSA-p7q2-w9cv-29h4', { kind: 'commit', commit: 'a'.repeat(40) }),
    ...at('- Fix CVE-2026-41246 in the amber-heron code path', { kind: 'diff', commit: 'b'.repeat(40), path: 'CHANGELOG.md' }),
    ...at('fix/amber-heron', { kind: 'ref', ref: 'fix/***********' }),
    ...at('Title\n\nThis fixes an exploit.', { kind: 'text', path: '-' }),
  ];
}

describe('reports', () => {
  const report = buildReport({
    findings: findings(),
    scanned: { messages: 0, commits: 1, diffLines: 1, texts: 1, refs: 1 },
    allowedIds: 0,
    cases: 1,
    strict: false,
  });

  it('counts errors and warnings; warnings fail only with strict', () => {
    expect([report.errors, report.warnings, report.ok]).toEqual([4, 1, false]);
    const onlyWarnings = buildReport({
      findings: report.findings.filter((f) => f.severity === 'warning'),
      scanned: report.scanned,
      allowedIds: 0,
      cases: 1,
      strict: false,
    });
    expect(onlyWarnings.ok).toBe(true);
    expect(buildReport({ ...onlyWarnings, findings: onlyWarnings.findings, strict: true }).ok).toBe(false);
  });

  it('SARIF 2.1.0: valid against the essential schema, one rule per guard rule, results pointing at real lines', () => {
    const sarif = sarifReport(report, { version: '0.1.0' });
    const validate = new Ajv({ allErrors: true, strict: false }).compile(SARIF_ESSENTIALS);
    const valid = validate(sarif);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
    // The schema does check: a wrong version, or a result without a location, is refused.
    expect(validate({ ...sarif, version: '2.0.0' })).toBe(false);
    const noLocation = structuredClone(sarif);
    noLocation.runs[0]!.results[0]!.locations = [];
    expect(validate(noLocation)).toBe(false);
    const run = sarif.runs[0]!;
    expect(run.tool.driver.rules.map((r) => r.id)).toEqual(RULES.map((r) => r.id));
    for (const r of run.results) expect(run.tool.driver.rules[r.ruleIndex]!.id).toBe(r.ruleId);
    const diff = run.results.find((r) => r.locations[0]!.physicalLocation.artifactLocation.uri === 'CHANGELOG.md');
    expect(diff!.locations[0]!.physicalLocation.region).toEqual({ startLine: 1, startColumn: 7, endLine: 1, endColumn: 21 });
    expect(run.results.map((r) => r.level)).toEqual(report.findings.map((f) => f.severity));
    // Fingerprints are stable across runs (same input, same hash).
    expect(sarifReport(report, { version: '0.1.0' }).runs[0]!.results.map((r) => r.partialFingerprints)).toEqual(
      run.results.map((r) => r.partialFingerprints),
    );
  });

  it('never carries a hashed term or an embargoed id, in any format', () => {
    const outputs = [
      JSON.stringify(sarifReport(report, { version: '0.1.0' })),
      JSON.stringify(jsonReport(report)),
      humanReport(report).join('\n'),
    ];
    for (const out of outputs) {
      expect(out.toLowerCase()).not.toMatch(/amber|heron|41246/);
      expect(out).toContain('EMB-2026-0007');
      expect(out).toContain('GHSA-p7q2-w9cv-29h4'); // not embargoed here, so shown with the hint to list it as public
    }
  });

  it('prints where each finding is, its level, rule and the masked line', () => {
    const lines = humanReport(report);
    expect(lines).toContain(`commit ${'a'.repeat(12)} message:1:25  error  GHSA-p7q2-w9cv-29h4 is not known to be public  [unknown-id]`);
    expect(lines).toContain(
      `CHANGELOG.md:1:7 (added in ${'b'.repeat(12)})  error  a CVE id of embargoed case EMB-2026-0007  [embargoed-id]`,
    );
    expect(lines).toContain('    | - Fix ************** in the *********** code path');
    expect(lines).toContain('branch fix/*********** (column 5)  error  matches an embargoed term of case EMB-2026-0007  [case-term]');
    expect(lines).toContain('-:3:15  warning  "exploit" hints at a security fix  [revealing-word]');
    expect(lines.at(-1)).toBe(
      'embargo guard fails: 4 errors, 1 warning in 1 commit, 1 added changelog line, 1 text, 1 branch name, terms of 1 embargoed case',
    );
  });

  it('JSON keeps every field a script needs', () => {
    const json = jsonReport(report);
    expect(json).toMatchObject({ ok: false, errors: 4, warnings: 1, cases: 1 });
    expect(json.findings[0]).toEqual({
      rule: 'unknown-id',
      severity: 'error',
      message: 'GHSA-p7q2-w9cv-29h4 is not known to be public',
      hint: expect.stringMatching(/temporary private fork/),
      match: 'GHSA-p7q2-w9cv-29h4',
      source: { kind: 'commit', commit: 'a'.repeat(40) },
      line: 1,
      column: 25,
      endLine: 1,
      endColumn: 44,
      excerpt: 'Merge pull request from GHSA-p7q2-w9cv-29h4',
    });
  });
});
