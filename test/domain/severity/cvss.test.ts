/**
 * The CVSS adapter: every reference vector scores exactly as listed, every kind of malformed vector
 * is refused with a message naming the problem, and the CVSS-JSON validates against FIRST's schemas
 * (standalone and as embedded in CVE JSON 5).
 */
import { Ajv, type ValidateFunction } from 'ajv';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cvssJson, isCvssVector, parseCvss, scoreCvss, severityOf, type CvssVersion } from '../../../src/domain/severity/cvss.js';
import { referenceVectors, SCHEMA_DIR, withDefaultEnvironment } from './vectors.js';
import { errorOf } from '../../support/domain-error.js';

const V31 = 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H';
const V40 = 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N';

describe('the reference vectors in ../shared/data/cvss', () => {
  const vectors = referenceVectors();

  it('are all there (3 files, 3679 vectors)', () => {
    expect(new Set(vectors.map((v) => v.file))).toEqual(new Set(['vectors_cvsslib3', 'vectors_simple31', 'vectors_simple4']));
    expect(vectors.length).toBe(3679);
  });

  it('every one gives exactly the listed scores', () => {
    const wrong: string[] = [];
    for (const { file, vector, scores } of vectors) {
      const s = scoreCvss(vector);
      let got: number[];
      if (s.version === '4.0') {
        got = [s.score];
        if (s.nomenclature !== 'CVSS-B' || s.baseScore !== s.score)
          wrong.push(`${vector}: base-only 4.0 vector is ${s.nomenclature} ${s.baseScore}/${s.score}`);
      } else {
        const temporal = s.temporalScore ?? s.baseScore;
        const environmental = s.environmentalScore ?? scoreCvss(withDefaultEnvironment(vector)).environmentalScore;
        got = [s.baseScore, temporal, environmental ?? NaN];
        // The overall score is the most specific one the vector asks for.
        if (s.score !== (s.environmentalScore ?? s.temporalScore ?? s.baseScore)) wrong.push(`${vector}: overall ${s.score}`);
      }
      if (JSON.stringify(got) !== JSON.stringify(scores))
        wrong.push(`${file}: ${vector} listed ${scores.join(', ')}, got ${got.join(', ')}`);
      if (s.vector !== vector) wrong.push(`${vector}: vector changed to ${s.vector}`);
      if (s.severity !== severityOf(s.score, s.version)) wrong.push(`${vector}: severity ${s.severity}`);
    }
    expect(wrong).toEqual([]);
  });

  it('report null temporal/environmental scores when the vector has no such metric (3.1 data is base-only)', () => {
    const base31 = vectors.filter((v) => v.file === 'vectors_simple31');
    expect(base31.length).toBe(2592);
    for (const v of base31) {
      const s = scoreCvss(v.vector);
      expect([s.temporalScore, s.environmentalScore, s.nomenclature]).toEqual([null, null, null]);
      expect(s.score).toBe(v.scores[0]);
    }
    // The quirk the environmental column shows: 3.1's scope-changed modified impact differs from base.
    const differing = base31.filter((v) => v.scores[2] !== v.scores[0]);
    expect(differing.length).toBe(80);
    expect(differing.every((v) => v.vector.includes('/S:C/'))).toBe(true);
  });
});

describe('scores', () => {
  it('3.1 with temporal and environmental metrics', () => {
    expect(scoreCvss(`${V31}/E:P`)).toEqual({
      version: '3.1',
      vector: `${V31}/E:P`,
      baseScore: 9.8,
      temporalScore: 9.3,
      environmentalScore: null,
      score: 9.3,
      severity: 'CRITICAL',
      nomenclature: null,
    });
    const env = scoreCvss(`  ${V31}/E:P/MAV:L  `);
    expect(env.vector).toBe(`${V31}/E:P/MAV:L`);
    expect([env.baseScore, env.temporalScore, env.environmentalScore, env.score, env.severity]).toEqual([9.8, 9.3, 7.9, 7.9, 'HIGH']);
  });

  it('treats metrics given as X (Not Defined) as absent', () => {
    const s = scoreCvss(`${V31}/E:X/RL:X/RC:X/CR:X/MAV:X`);
    expect([s.temporalScore, s.environmentalScore, s.score]).toEqual([null, null, 9.8]);
  });

  it('4.0: base, threat and environmental scores with the nomenclature', () => {
    expect(scoreCvss(V40)).toEqual({
      version: '4.0',
      vector: V40,
      baseScore: 9.3,
      temporalScore: null,
      environmentalScore: null,
      threatScore: null,
      score: 9.3,
      severity: 'CRITICAL',
      nomenclature: 'CVSS-B',
    });
    const bt = scoreCvss(`${V40}/E:U`);
    expect([bt.nomenclature, bt.baseScore, bt.threatScore, bt.environmentalScore, bt.score, bt.severity]).toEqual([
      'CVSS-BT',
      9.3,
      8.1,
      null,
      8.1,
      'HIGH',
    ]);
    const be = scoreCvss(`${V40}/MAV:L`);
    expect([be.nomenclature, be.baseScore, be.threatScore, be.environmentalScore, be.score]).toEqual(['CVSS-BE', 9.3, null, 8.6, 8.6]);
    const bte = scoreCvss(`${V40}/E:U/MAV:L`);
    expect([bte.nomenclature, bte.baseScore, bte.threatScore, bte.environmentalScore, bte.score, bte.severity]).toEqual([
      'CVSS-BTE',
      9.3,
      8.1,
      6.1,
      6.1,
      'MEDIUM',
    ]);
    // Supplemental metrics change neither the score nor the nomenclature.
    const sup = scoreCvss(`${V40}/S:P/AU:Y/R:I/V:C/RE:H/U:Red`);
    expect([sup.nomenclature, sup.score]).toEqual(['CVSS-B', 9.3]);
  });

  it("3.0 follows FIRST's 3.0 calculator", () => {
    const s = scoreCvss('CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/MAV:L');
    expect([s.version, s.baseScore, s.environmentalScore, s.score, s.severity]).toEqual(['3.0', 9.8, 8.4, 8.4, 'HIGH']);
  });

  it('severityOf uses the same bands for every version and refuses non-scores', () => {
    const bands: [number, string][] = [
      [0, 'NONE'],
      [0.1, 'LOW'],
      [3.9, 'LOW'],
      [4, 'MEDIUM'],
      [6.9, 'MEDIUM'],
      [7, 'HIGH'],
      [8.9, 'HIGH'],
      [9, 'CRITICAL'],
      [10, 'CRITICAL'],
    ];
    for (const version of ['3.0', '3.1', '4.0'] as CvssVersion[]) {
      for (const [score, severity] of bands) expect(severityOf(score, version), `${score} ${version}`).toBe(severity);
    }
    for (const bad of [-0.1, 10.1, Number.NaN, Number.POSITIVE_INFINITY])
      expect(errorOf(() => severityOf(bad, '3.1')).message).toMatch(/from 0\.0 to 10\.0/);
    expect(errorOf(() => severityOf(5, '2.0' as CvssVersion)).message).toMatch(/version "2.0"/);
  });
});

describe('strict parsing: each malformed kind has its own message', () => {
  const cases: [string, string, RegExp, Record<string, unknown>][] = [
    ['empty', '   ', /^the CVSS vector is empty$/, {}],
    [
      'no prefix',
      'AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
      /is not a CVSS 3\.x or 4\.0 vector: it must start with CVSS:3\.1\/, CVSS:4\.0\/ or CVSS:3\.0\//,
      { problem: 'prefix' },
    ],
    ['lower-case prefix', 'cvss:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', /must start with CVSS:3\.1\//, { problem: 'prefix' }],
    [
      'unsupported version',
      'CVSS:2.0/AV:N/AC:L/Au:N/C:P/I:P/A:P',
      /has CVSS version "2\.0", which Embargo does not score; use 3\.0, 3\.1 or 4\.0/,
      { problem: 'version' },
    ],
    ['bad version', 'CVSS:3.2/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', /has CVSS version "3\.2"/, { problem: 'version' }],
    ['no metrics', 'CVSS:3.1/', /has no metrics after CVSS:3\.1\//, { problem: 'missing' }],
    ['prefix only', 'CVSS:4.0', /has no metrics after CVSS:4\.0\//, { problem: 'missing' }],
    [
      'missing one base metric',
      'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/C:H/I:H/A:H',
      /is missing base metric S \(Scope\); every CVSS 3\.1 vector needs AV, AC, PR, UI, S, C, I, A$/,
      { problem: 'missing', missing: ['S'] },
    ],
    [
      'missing several 4.0 base metrics',
      'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H',
      /is missing base metrics SC \(Subsequent System Confidentiality\), SI \(Subsequent System Integrity\), SA \(Subsequent System Availability\)/,
      { problem: 'missing', missing: ['SC', 'SI', 'SA'] },
    ],
    ['duplicate metric', `${V31}/AV:L`, /gives metric AV \(Attack Vector\) more than once/, { problem: 'duplicate', metric: 'AV' }],
    [
      'duplicate identical metric',
      'CVSS:3.1/AV:N/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
      /gives metric AV \(Attack Vector\) more than once/,
      { problem: 'duplicate', metric: 'AV' },
    ],
    [
      'unknown metric',
      `${V31}/XX:N`,
      /has an unknown metric "XX" for CVSS 3\.1; CVSS 3\.1 metrics are AV, AC, PR, UI, S, C, I, A, E, RL, RC, CR, IR, AR, MAV, MAC, MPR, MUI, MS, MC, MI, MA$/,
      { problem: 'unknown_metric', metric: 'XX' },
    ],
    [
      'a 4.0 metric in a 3.1 vector',
      `${V31}/AT:N`,
      /has an unknown metric "AT" for CVSS 3\.1/,
      { problem: 'unknown_metric', metric: 'AT' },
    ],
    [
      'a 3.x metric in a 4.0 vector',
      `${V40}/RL:O`,
      /has an unknown metric "RL" for CVSS 4\.0/,
      { problem: 'unknown_metric', metric: 'RL' },
    ],
    [
      'lower-case metric',
      'CVSS:3.1/av:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
      /unknown metric "av" for CVSS 3\.1 \(metric names are upper case: AV\)/,
      { problem: 'unknown_metric' },
    ],
    [
      'unknown value',
      'CVSS:3.1/AV:Q/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
      /has an unknown value "Q" for metric AV \(Attack Vector\); allowed: N, A, L, P$/,
      { problem: 'unknown_value', metric: 'AV', allowed: ['N', 'A', 'L', 'P'] },
    ],
    [
      'X for a base metric',
      'CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
      /unknown value "X" for metric AV/,
      { problem: 'unknown_value' },
    ],
    [
      '4.0 value from 3.x',
      `${V40.replace('UI:N', 'UI:R')}`,
      /unknown value "R" for metric UI \(User Interaction\); allowed: N, P, A$/,
      { problem: 'unknown_value' },
    ],
    [
      '4.0 provider urgency in the wrong case',
      `${V40}/U:red`,
      /unknown value "red" for metric U \(Provider Urgency\); allowed: X, Clear, Green, Amber, Red$/,
      { problem: 'unknown_value' },
    ],
    [
      '4.0 out of order',
      'CVSS:4.0/AC:L/AV:N/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N',
      /lists AV after AC, but CVSS 4\.0 metrics must follow the specification's order: AV, AC, AT, PR, UI, VC, VI, VA, SC, SI, SA, E, CR/,
      { problem: 'order', metric: 'AV' },
    ],
    [
      '4.0 threat after environmental',
      `${V40}/MAV:L/E:A`,
      /lists E after MAV, but CVSS 4\.0 metrics must follow/,
      { problem: 'order', metric: 'E' },
    ],
    ['4.0 supplemental before environmental', `${V40}/S:P/CR:H`, /lists CR after S, but/, { problem: 'order', metric: 'CR' }],
    [
      'empty part',
      'CVSS:3.1/AV:N//AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
      /has an empty part \(a doubled or trailing "\/"\)/,
      { problem: 'syntax' },
    ],
    ['trailing slash', `${V31}/`, /has an empty part/, { problem: 'syntax' }],
    [
      'part without a value',
      'CVSS:3.1/AV:N/AC/PR:N/UI:N/S:U/C:H/I:H/A:H',
      /has a part "AC" that is not METRIC:VALUE/,
      { problem: 'syntax' },
    ],
    [
      'part with two colons',
      'CVSS:3.1/AV:N:L/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
      /has a part "AV:N:L" that is not METRIC:VALUE/,
      { problem: 'syntax' },
    ],
    ['inner whitespace', 'CVSS:3.1/AV:N /AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', /unknown value "N " for metric AV/, { problem: 'unknown_value' }],
    ['far too long', `${V31}/${'E:X/'.repeat(200)}E:X`, /is longer than 512 characters/, {}],
  ];

  for (const [kind, vector, message, details] of cases) {
    it(`refuses ${kind}`, () => {
      const err = errorOf(() => parseCvss(vector));
      expect(err.code).toBe('invalid_input');
      expect(err.message).toMatch(message);
      expect(err.details).toMatchObject({ field: 'cvss', ...details });
      // scoreCvss and cvssJson refuse it the same way: the lenient library never sees it.
      expect(errorOf(() => scoreCvss(vector)).message).toBe(err.message);
      expect(errorOf(() => cvssJson(vector)).message).toBe(err.message);
      expect(isCvssVector(vector)).toBe(false);
    });
  }

  it('refuses non-text', () => {
    expect(errorOf(() => parseCvss(42 as unknown as string)).message).toBe('a CVSS vector must be text');
  });

  it('accepts 3.x metrics in any order, every 4.0 metric in order, and keeps the vector as written', () => {
    const shuffled = 'CVSS:3.1/A:H/I:H/C:H/S:U/UI:N/PR:N/AC:L/AV:N/RC:C/E:F';
    expect(parseCvss(shuffled)).toEqual({
      version: '3.1',
      vector: shuffled,
      metrics: { A: 'H', I: 'H', C: 'H', S: 'U', UI: 'N', PR: 'N', AC: 'L', AV: 'N', RC: 'C', E: 'F' },
    });
    expect(scoreCvss(shuffled).score).toBe(scoreCvss(`${V31}/E:F/RC:C`).score);
    const full = `${V40}/E:A/CR:H/IR:M/AR:L/MAV:A/MAC:H/MAT:P/MPR:L/MUI:A/MVC:L/MVI:N/MVA:H/MSC:L/MSI:S/MSA:S/S:P/AU:Y/R:U/V:D/RE:M/U:Amber`;
    expect(Object.keys(parseCvss(full).metrics)).toHaveLength(32);
    const v4 = JSON.parse(readFileSync(`${SCHEMA_DIR}cvss/cvss-v4.0.json`, 'utf8')) as {
      properties: { vectorString: { pattern: string } };
    };
    expect(new RegExp(v4.properties.vectorString.pattern).test(full)).toBe(true);
    expect(scoreCvss(full).nomenclature).toBe('CVSS-BTE');
  });

  it("agrees with FIRST's strict 4.0 regex on every reference vector and on out-of-order ones", () => {
    const v4 = JSON.parse(readFileSync(`${SCHEMA_DIR}cvss/cvss-v4.0.json`, 'utf8')) as {
      properties: { vectorString: { pattern: string } };
    };
    const strict = new RegExp(v4.properties.vectorString.pattern);
    const samples = [
      ...referenceVectors()
        .filter((v) => v.vector.startsWith('CVSS:4.0'))
        .map((v) => v.vector),
      `${V40}/MAV:L/E:A`,
      `${V40}/E:A/MAV:L`,
      `${V40}/U:Red/S:P`,
      `${V40}/S:P/U:Red`,
    ];
    for (const v of samples) expect(isCvssVector(v), v).toBe(strict.test(v));
  });
});

describe('cvssJson: FIRST CVSS-JSON', () => {
  const schemaJson = (path: string) => {
    const s = JSON.parse(readFileSync(SCHEMA_DIR + path, 'utf8')) as Record<string, unknown>;
    // cvss-v3.0.json is draft-04; its keywords here mean the same in draft-07.
    delete s.$schema;
    delete s.id;
    delete s.$id;
    return s;
  };
  // multipleOf: 0.1 on binary floats (8.1 / 0.1 = 80.999…) needs Ajv's decimal tolerance.
  const ajv = new Ajv({ strict: false, allErrors: true, multipleOfPrecision: 6 });
  const first: Record<CvssVersion, ValidateFunction> = {
    '3.0': ajv.compile(schemaJson('csaf_2.0/referenced_schema/first/cvss-v3.0.json')),
    '3.1': ajv.compile(schemaJson('csaf_2.0/referenced_schema/first/cvss-v3.1.json')),
    '4.0': ajv.compile(schemaJson('cvss/cvss-v4.0.json')),
  };
  // The CVSS schemas as CVE JSON 5 embeds them (metrics[].cvssV3_0 / cvssV3_1 / cvssV4_0).
  const cve5 = JSON.parse(readFileSync(`${SCHEMA_DIR}cve5/CVE_JSON_bundled_5.1.1.json`, 'utf8')) as { $id: string };
  const cve5Ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false, multipleOfPrecision: 6 });
  cve5Ajv.addSchema(cve5);
  const embedded = (key: string) => {
    const validate = cve5Ajv.getSchema(`${cve5.$id}#/definitions/metrics/items/properties/${key}`);
    if (!validate) throw new Error(`CVE 5 schema has no ${key}`);
    return validate;
  };
  const inCve5: Record<CvssVersion, ValidateFunction> = {
    '3.0': embedded('cvssV3_0'),
    '3.1': embedded('cvssV3_1'),
    '4.0': embedded('cvssV4_0'),
  };
  const known = (v: CvssVersion) => {
    const path = v === '4.0' ? 'cvss/cvss-v4.0.json' : `csaf_2.0/referenced_schema/first/cvss-v${v}.json`;
    const schema = JSON.parse(readFileSync(SCHEMA_DIR + path, 'utf8')) as {
      properties: object;
      allOf?: { anyOf: { properties: object }[] }[];
    };
    // 4.0 declares its score fields in allOf/anyOf (score and severity bands), not in properties.
    const scoreFields = (schema.allOf ?? []).flatMap((a) => a.anyOf.flatMap((b) => Object.keys(b.properties)));
    return new Set([...Object.keys(schema.properties), ...scoreFields]);
  };

  const samples = [
    V31,
    `${V31}/E:P/RL:O/RC:C`,
    'CVSS:3.1/AV:A/AC:H/PR:L/UI:R/S:C/C:L/I:N/A:N/E:U/CR:H/MAV:P/MS:U/MA:X',
    'CVSS:3.0/AV:L/AC:L/PR:H/UI:R/S:U/C:H/I:N/A:H/E:H/RL:W/RC:U/CR:H/IR:H/AR:M/MAV:L/MAC:L/MPR:H/MUI:N/MS:C/MC:N/MI:H/MA:L',
    'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N',
    V40,
    `${V40}/E:U`,
    `${V40}/E:U/MAV:L/MSI:S/S:P/AU:Y/R:I/V:C/RE:H/U:Red`,
    'CVSS:4.0/AV:P/AC:H/AT:P/PR:H/UI:A/VC:N/VI:N/VA:N/SC:N/SI:N/SA:N',
    ...referenceVectors()
      .filter((_, i) => i % 97 === 0)
      .map((v) => v.vector),
  ];

  it("validates against FIRST's schemas and CVE JSON 5's, with only the schema's fields", () => {
    for (const vector of samples) {
      const json = cvssJson(vector);
      const version = json.version as CvssVersion;
      expect(first[version](json), `${vector}: ${JSON.stringify(first[version].errors)}`).toBe(true);
      expect(inCve5[version](json), `${vector}: ${JSON.stringify(inCve5[version].errors)}`).toBe(true);
      const fields = known(version);
      expect(
        Object.keys(json).filter((k) => !fields.has(k)),
        vector,
      ).toEqual([]);
    }
  });

  it('keeps the vector as written, leaves Not Defined metrics out, and agrees with scoreCvss', () => {
    const vector = `${V31}/E:P/CR:X`;
    const json = cvssJson(` ${vector} `);
    expect(json).toEqual({
      version: '3.1',
      vectorString: vector,
      baseScore: 9.8,
      baseSeverity: 'CRITICAL',
      temporalScore: 9.3,
      temporalSeverity: 'CRITICAL',
      attackVector: 'NETWORK',
      attackComplexity: 'LOW',
      privilegesRequired: 'NONE',
      userInteraction: 'NONE',
      scope: 'UNCHANGED',
      confidentialityImpact: 'HIGH',
      integrityImpact: 'HIGH',
      availabilityImpact: 'HIGH',
      exploitCodeMaturity: 'PROOF_OF_CONCEPT',
    });
    // 4.0: one score per vector; baseScore is the vector's (here CVSS-BTE) score, as CVE JSON 5 has it.
    const v4 = cvssJson(`${V40}/E:U/MAV:L`);
    expect(v4).toEqual({
      version: '4.0',
      vectorString: `${V40}/E:U/MAV:L`,
      baseScore: 6.1,
      baseSeverity: 'MEDIUM',
      attackVector: 'NETWORK',
      attackComplexity: 'LOW',
      attackRequirements: 'NONE',
      privilegesRequired: 'NONE',
      userInteraction: 'NONE',
      vulnConfidentialityImpact: 'HIGH',
      vulnIntegrityImpact: 'HIGH',
      vulnAvailabilityImpact: 'HIGH',
      subConfidentialityImpact: 'NONE',
      subIntegrityImpact: 'NONE',
      subAvailabilityImpact: 'NONE',
      exploitMaturity: 'UNREPORTED',
      modifiedAttackVector: 'LOCAL',
    });
    expect(cvssJson(V40)).toMatchObject({ baseScore: 9.3, baseSeverity: 'CRITICAL' });
    expect(cvssJson(`${V40}/E:U`)).toMatchObject({ baseScore: 8.1, baseSeverity: 'HIGH' });
    const env31 = cvssJson('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:P/MAV:L');
    expect(env31).toMatchObject({
      baseScore: 9.8,
      temporalScore: 9.3,
      temporalSeverity: 'CRITICAL',
      environmentalScore: 7.9,
      environmentalSeverity: 'HIGH',
      modifiedAttackVector: 'LOCAL',
    });
  });
});
