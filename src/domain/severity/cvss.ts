/**
 * CVSS 3.0, 3.1 and 4.0: a strict parser, the scores and FIRST's CVSS-JSON.
 *
 * This is the only module that imports ae-cvss-calculator (exact against FIRST's calculators on 3.1
 * and 4.0). The library is lenient — a missing base metric scores as 0, duplicates and any order are
 * accepted — so every vector is parsed strictly here first, following FIRST's specifications: the
 * metric lists and values of each version, every base metric present, no metric twice, and (4.0)
 * the specification's metric order.
 *
 * The library is a webpack CommonJS bundle: under ESM only its default export is reliable (named
 * imports pass under vitest but throw under plain node).
 */
import ae from 'ae-cvss-calculator';
import { DomainError } from '../errors.js';

const { Cvss3P0, Cvss3P1, Cvss4P0 } = ae;

export type CvssVersion = '3.0' | '3.1' | '4.0';
export type CvssSeverity = 'NONE' | 'LOW' | 'MEDIUM' | 'HIGH' | 'CRITICAL';
export type CvssNomenclature = 'CVSS-B' | 'CVSS-BT' | 'CVSS-BE' | 'CVSS-BTE';
export type CvssMetricGroup = 'base' | 'temporal' | 'threat' | 'environmental' | 'supplemental';

export const CVSS_VERSIONS: readonly CvssVersion[] = ['3.0', '3.1', '4.0'];

/** A vector that passed the strict parse. */
export interface ParsedCvss {
  version: CvssVersion;
  /** As written, trimmed. */
  vector: string;
  /** Metric abbreviation -> value, in the order written (e.g. {AV: 'N', AC: 'L', …}). */
  metrics: Record<string, string>;
}

export interface CvssScore {
  version: CvssVersion;
  /** As written, trimmed. */
  vector: string;
  /** 3.x: the base score. 4.0: the score of the base metrics alone (CVSS-B). */
  baseScore: number;
  /** 3.x only: null when no temporal metric is given (or all are X). Always null for 4.0. */
  temporalScore: number | null;
  /**
   * 3.x: null when no environmental metric is given (or all are X). 4.0: the score with the
   * environmental metrics (CVSS-BE or CVSS-BTE), null when none is given.
   */
  environmentalScore: number | null;
  /** 4.0 only: the score of the base and threat metrics (CVSS-BT), null when no threat metric. */
  threatScore?: number | null;
  /** The overall score: the one to publish. */
  score: number;
  /** Qualitative rating of `score`. */
  severity: CvssSeverity;
  /** 4.0 only: which metric groups the score includes; null for 3.x. */
  nomenclature: CvssNomenclature | null;
}

interface MetricDef {
  abbr: string;
  name: string;
  group: CvssMetricGroup;
  values: readonly string[];
}

const m = (abbr: string, name: string, group: CvssMetricGroup, values: string): MetricDef => ({
  abbr,
  name,
  group,
  values: values.split(' '),
});

/** CVSS v3.0 and v3.1 (same metrics and values), from FIRST's specification, table 15. */
const V3_METRICS: readonly MetricDef[] = [
  m('AV', 'Attack Vector', 'base', 'N A L P'),
  m('AC', 'Attack Complexity', 'base', 'L H'),
  m('PR', 'Privileges Required', 'base', 'N L H'),
  m('UI', 'User Interaction', 'base', 'N R'),
  m('S', 'Scope', 'base', 'U C'),
  m('C', 'Confidentiality', 'base', 'H L N'),
  m('I', 'Integrity', 'base', 'H L N'),
  m('A', 'Availability', 'base', 'H L N'),
  m('E', 'Exploit Code Maturity', 'temporal', 'X H F P U'),
  m('RL', 'Remediation Level', 'temporal', 'X U W T O'),
  m('RC', 'Report Confidence', 'temporal', 'X C R U'),
  m('CR', 'Confidentiality Requirement', 'environmental', 'X H M L'),
  m('IR', 'Integrity Requirement', 'environmental', 'X H M L'),
  m('AR', 'Availability Requirement', 'environmental', 'X H M L'),
  m('MAV', 'Modified Attack Vector', 'environmental', 'X N A L P'),
  m('MAC', 'Modified Attack Complexity', 'environmental', 'X L H'),
  m('MPR', 'Modified Privileges Required', 'environmental', 'X N L H'),
  m('MUI', 'Modified User Interaction', 'environmental', 'X N R'),
  m('MS', 'Modified Scope', 'environmental', 'X U C'),
  m('MC', 'Modified Confidentiality', 'environmental', 'X N L H'),
  m('MI', 'Modified Integrity', 'environmental', 'X N L H'),
  m('MA', 'Modified Availability', 'environmental', 'X N L H'),
];

/** CVSS v4.0 in the specification's order (table 23), which a vector must follow. */
const V4_METRICS: readonly MetricDef[] = [
  m('AV', 'Attack Vector', 'base', 'N A L P'),
  m('AC', 'Attack Complexity', 'base', 'L H'),
  m('AT', 'Attack Requirements', 'base', 'N P'),
  m('PR', 'Privileges Required', 'base', 'N L H'),
  m('UI', 'User Interaction', 'base', 'N P A'),
  m('VC', 'Vulnerable System Confidentiality', 'base', 'H L N'),
  m('VI', 'Vulnerable System Integrity', 'base', 'H L N'),
  m('VA', 'Vulnerable System Availability', 'base', 'H L N'),
  m('SC', 'Subsequent System Confidentiality', 'base', 'H L N'),
  m('SI', 'Subsequent System Integrity', 'base', 'H L N'),
  m('SA', 'Subsequent System Availability', 'base', 'H L N'),
  m('E', 'Exploit Maturity', 'threat', 'X A P U'),
  m('CR', 'Confidentiality Requirement', 'environmental', 'X H M L'),
  m('IR', 'Integrity Requirement', 'environmental', 'X H M L'),
  m('AR', 'Availability Requirement', 'environmental', 'X H M L'),
  m('MAV', 'Modified Attack Vector', 'environmental', 'X N A L P'),
  m('MAC', 'Modified Attack Complexity', 'environmental', 'X L H'),
  m('MAT', 'Modified Attack Requirements', 'environmental', 'X N P'),
  m('MPR', 'Modified Privileges Required', 'environmental', 'X N L H'),
  m('MUI', 'Modified User Interaction', 'environmental', 'X N P A'),
  m('MVC', 'Modified Vulnerable System Confidentiality', 'environmental', 'X H L N'),
  m('MVI', 'Modified Vulnerable System Integrity', 'environmental', 'X H L N'),
  m('MVA', 'Modified Vulnerable System Availability', 'environmental', 'X H L N'),
  m('MSC', 'Modified Subsequent System Confidentiality', 'environmental', 'X H L N'),
  m('MSI', 'Modified Subsequent System Integrity', 'environmental', 'X S H L N'),
  m('MSA', 'Modified Subsequent System Availability', 'environmental', 'X S H L N'),
  m('S', 'Safety', 'supplemental', 'X N P'),
  m('AU', 'Automatable', 'supplemental', 'X N Y'),
  m('R', 'Recovery', 'supplemental', 'X A U I'),
  m('V', 'Value Density', 'supplemental', 'X D C'),
  m('RE', 'Vulnerability Response Effort', 'supplemental', 'X L M H'),
  m('U', 'Provider Urgency', 'supplemental', 'X Clear Green Amber Red'),
];

const METRICS: Record<CvssVersion, readonly MetricDef[]> = { '3.0': V3_METRICS, '3.1': V3_METRICS, '4.0': V4_METRICS };
const BY_ABBR: Record<CvssVersion, Map<string, { def: MetricDef; index: number }>> = {
  '3.0': new Map(V3_METRICS.map((d, index) => [d.abbr, { def: d, index }])),
  '3.1': new Map(V3_METRICS.map((d, index) => [d.abbr, { def: d, index }])),
  '4.0': new Map(V4_METRICS.map((d, index) => [d.abbr, { def: d, index }])),
};

/** Longer than any valid vector (a 4.0 vector with every metric is about 200 characters). */
export const CVSS_VECTOR_MAX_LENGTH = 512;

/** The metric definitions of a version, in the specification's order (for calculators and help). */
export function cvssMetrics(version: CvssVersion): readonly Readonly<MetricDef>[] {
  return METRICS[version];
}

function invalid(vector: string, problem: string, details: Record<string, unknown> = {}): DomainError {
  const shown = vector.length > 80 ? `${vector.slice(0, 77)}...` : vector;
  return new DomainError('invalid_input', `"${shown}" ${problem}`, { field: 'cvss', ...details });
}

const list = (items: readonly string[]) => items.join(', ');

/**
 * Parses a vector strictly. Throws an invalid_input DomainError whose message names the problem:
 * empty, bad prefix or version, an empty part, a part that is not METRIC:VALUE, an unknown metric,
 * an unknown value (with the allowed ones), a metric given twice, (4.0) a metric out of the
 * specification's order, or missing base metrics (which ones).
 */
export function parseCvss(vector: string): ParsedCvss {
  if (typeof vector !== 'string') throw new DomainError('invalid_input', 'a CVSS vector must be text', { field: 'cvss' });
  const text = vector.trim();
  if (text === '') throw new DomainError('invalid_input', 'the CVSS vector is empty', { field: 'cvss' });
  if (text.length > CVSS_VECTOR_MAX_LENGTH) throw invalid(text, `is longer than ${CVSS_VECTOR_MAX_LENGTH} characters: not a CVSS vector`);

  const prefix = /^CVSS:([^/]*)(\/|$)/.exec(text);
  if (!prefix) {
    throw invalid(
      text,
      'is not a CVSS 3.x or 4.0 vector: it must start with CVSS:3.1/, CVSS:4.0/ or CVSS:3.0/ (e.g. CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H)',
      { problem: 'prefix' },
    );
  }
  const version = prefix[1]!;
  if (!(CVSS_VERSIONS as readonly string[]).includes(version)) {
    throw invalid(text, `has CVSS version "${version}", which Embargo does not score; use 3.0, 3.1 or 4.0`, { problem: 'version' });
  }
  const v = version as CvssVersion;
  const body = text.slice(prefix[0].length);
  if (body === '')
    throw invalid(text, `has no metrics after CVSS:${v}/`, {
      problem: 'missing',
      missing: METRICS[v].filter((d) => d.group === 'base').map((d) => d.abbr),
    });

  const known = BY_ABBR[v];
  const metrics: Record<string, string> = {};
  let last: { abbr: string; index: number } | undefined;
  for (const part of body.split('/')) {
    if (part === '') throw invalid(text, 'has an empty part (a doubled or trailing "/")', { problem: 'syntax' });
    const colon = part.indexOf(':');
    if (colon <= 0 || colon === part.length - 1 || part.indexOf(':', colon + 1) !== -1) {
      throw invalid(text, `has a part "${part}" that is not METRIC:VALUE`, { problem: 'syntax' });
    }
    const abbr = part.slice(0, colon);
    const value = part.slice(colon + 1);
    const entry = known.get(abbr);
    if (!entry) {
      const hint = known.has(abbr.toUpperCase()) ? ` (metric names are upper case: ${abbr.toUpperCase()})` : '';
      throw invalid(
        text,
        `has an unknown metric "${abbr}" for CVSS ${v}${hint}; CVSS ${v} metrics are ${list(METRICS[v].map((d) => d.abbr))}`,
        {
          problem: 'unknown_metric',
          metric: abbr,
        },
      );
    }
    const { def, index } = entry;
    if (abbr in metrics) throw invalid(text, `gives metric ${abbr} (${def.name}) more than once`, { problem: 'duplicate', metric: abbr });
    if (!def.values.includes(value)) {
      throw invalid(text, `has an unknown value "${value}" for metric ${abbr} (${def.name}); allowed: ${list(def.values)}`, {
        problem: 'unknown_value',
        metric: abbr,
        allowed: def.values,
      });
    }
    if (v === '4.0' && last && index < last.index) {
      throw invalid(
        text,
        `lists ${abbr} after ${last.abbr}, but CVSS 4.0 metrics must follow the specification's order: ${list(V4_METRICS.map((d) => d.abbr))}`,
        {
          problem: 'order',
          metric: abbr,
        },
      );
    }
    metrics[abbr] = value;
    last = { abbr, index };
  }

  const missing = METRICS[v].filter((d) => d.group === 'base' && !(d.abbr in metrics)).map((d) => d.abbr);
  if (missing.length > 0) {
    const names = METRICS[v].filter((d) => missing.includes(d.abbr)).map((d) => `${d.abbr} (${d.name})`);
    throw invalid(
      text,
      `is missing base metric${missing.length === 1 ? '' : 's'} ${list(names)}; every CVSS ${v} vector needs ${list(METRICS[v].filter((d) => d.group === 'base').map((d) => d.abbr))}`,
      {
        problem: 'missing',
        missing,
      },
    );
  }
  return { version: v, vector: text, metrics };
}

/** True when a vector passes the strict parse. */
export function isCvssVector(vector: string): boolean {
  try {
    parseCvss(vector);
    return true;
  } catch {
    return false;
  }
}

/** The qualitative rating of a score; the bands are the same in 3.0, 3.1 and 4.0. */
export function severityOf(score: number, version: CvssVersion = '3.1'): CvssSeverity {
  if (!(CVSS_VERSIONS as readonly string[]).includes(version))
    throw new DomainError('invalid_input', `CVSS version "${version}" has no severity scale here; use 3.0, 3.1 or 4.0`);
  if (typeof score !== 'number' || !Number.isFinite(score) || score < 0 || score > 10) {
    throw new DomainError('invalid_input', `a CVSS score is a number from 0.0 to 10.0, not ${String(score)}`);
  }
  if (score === 0) return 'NONE';
  if (score < 4) return 'LOW';
  if (score < 7) return 'MEDIUM';
  if (score < 9) return 'HIGH';
  return 'CRITICAL';
}

/** True when some metric of the group is given with a value other than X (Not Defined). */
function hasGroup(p: ParsedCvss, group: CvssMetricGroup): boolean {
  const known = BY_ABBR[p.version];
  return Object.entries(p.metrics).some(([abbr, value]) => value !== 'X' && known.get(abbr)?.def.group === group);
}

/** The vector with only the named groups' metrics (for 4.0 partial scores), in spec order. */
function vectorOf(p: ParsedCvss, groups: readonly CvssMetricGroup[]): string {
  const parts = V4_METRICS.filter((d) => groups.includes(d.group) && d.abbr in p.metrics).map((d) => `${d.abbr}:${p.metrics[d.abbr]}`);
  return `CVSS:${p.version}/${parts.join('/')}`;
}

function score4(vector: string): number {
  const s = new Cvss4P0(vector).calculateScores();
  return s.overall;
}

function scoreParsed(p: ParsedCvss): CvssScore {
  if (p.version === '4.0') {
    const threat = hasGroup(p, 'threat');
    const environmental = hasGroup(p, 'environmental');
    const score = score4(p.vector);
    const baseScore = threat || environmental ? score4(vectorOf(p, ['base'])) : score;
    const threatScore = threat ? (environmental ? score4(vectorOf(p, ['base', 'threat'])) : score) : null;
    const nomenclature: CvssNomenclature = threat ? (environmental ? 'CVSS-BTE' : 'CVSS-BT') : environmental ? 'CVSS-BE' : 'CVSS-B';
    return {
      version: p.version,
      vector: p.vector,
      baseScore,
      temporalScore: null,
      environmentalScore: environmental ? score : null,
      threatScore,
      score,
      severity: severityOf(score, p.version),
      nomenclature,
    };
  }
  const calc = p.version === '3.0' ? new Cvss3P0(p.vector) : new Cvss3P1(p.vector);
  const s = calc.calculateScores();
  const base = s.base;
  if (base === undefined) throw new Error(`CVSS library gave no base score for ${p.vector}`);
  const temporalScore = hasGroup(p, 'temporal') ? (s.temporal ?? null) : null;
  const environmentalScore = hasGroup(p, 'environmental') ? (s.environmental ?? null) : null;
  const score = environmentalScore ?? temporalScore ?? base;
  return {
    version: p.version,
    vector: p.vector,
    baseScore: base,
    temporalScore,
    environmentalScore,
    score,
    severity: severityOf(score, p.version),
    nomenclature: null,
  };
}

/** Parses strictly (see parseCvss) and scores. */
export function scoreCvss(vector: string): CvssScore {
  return scoreParsed(parseCvss(vector));
}

/**
 * FIRST's CVSS-JSON for the vector's version (cvss-v3.0.json, cvss-v3.1.json, cvss-v4.0.json): what
 * CVE JSON 5 expects in `metrics[].cvssV3_0 / cvssV3_1 / cvssV4_0` and CSAF 2.0 in `scores[].cvss_v3`.
 * Metrics the vector leaves Not Defined are omitted (as in CVE records); `vectorString` is the
 * vector as written. Scores: 3.x base, temporal and environmental as FIRST defines them. 4.0 has
 * one score per vector (labelled CVSS-B/BT/BE/BTE by the metrics it uses): `baseScore` is that
 * score, as ae-cvss-calculator and Red Hat's cvss library write it, and the only score field CVE
 * JSON 5.1's cvssV4_0 schema allows (it has no threatScore or environmentalScore). So for a 4.0
 * vector with threat or environmental metrics, cvssJson's baseScore is scoreCvss's `score`, not
 * its `baseScore` (the base metrics alone).
 */
export function cvssJson(vector: string): Record<string, unknown> {
  const p = parseCvss(vector);
  const s = scoreParsed(p);
  const calc = p.version === '4.0' ? new Cvss4P0(p.vector) : p.version === '3.0' ? new Cvss3P0(p.vector) : new Cvss3P1(p.vector);
  const generated = calc.createJsonSchema() as Record<string, unknown>;
  const published = p.version === '4.0' ? s.score : s.baseScore;
  const out: Record<string, unknown> = {
    version: p.version,
    vectorString: p.vector,
    baseScore: published,
    baseSeverity: severityOf(published, p.version),
  };
  const SCORES = new Set([
    'version',
    'vectorString',
    'baseScore',
    'baseSeverity',
    'temporalScore',
    'temporalSeverity',
    'threatScore',
    'threatSeverity',
    'environmentalScore',
    'environmentalSeverity',
  ]);
  for (const [key, value] of Object.entries(generated)) {
    if (SCORES.has(key) || value === 'NOT_DEFINED' || value === undefined || value === null) continue;
    out[key] = value;
  }
  if (s.temporalScore !== null) {
    out.temporalScore = s.temporalScore;
    out.temporalSeverity = severityOf(s.temporalScore, p.version);
  }
  if (p.version !== '4.0' && s.environmentalScore !== null) {
    out.environmentalScore = s.environmentalScore;
    out.environmentalSeverity = severityOf(s.environmentalScore, p.version);
  }
  return out;
}
