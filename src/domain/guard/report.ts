/**
 * The guard's findings as people and tools read them: plain lines (coloured on a terminal), JSON,
 * and SARIF 2.1.0 for code-scanning upload. Nothing here prints a term that came from the hashed
 * list: findings carry masked excerpts and masked branch names only.
 */
import { hash as sha256 } from 'node:crypto';
import { RULES, ruleInfo, type Level } from './rules.js';
import type { TextFinding } from './scanner.js';

/** Where a text came from. */
export type GuardSource =
  | { kind: 'commit'; commit: string }
  | { kind: 'diff'; commit: string; path: string }
  | { kind: 'message'; path: string }
  | { kind: 'text'; path: string }
  /** A branch or other ref name, with any secret part masked. */
  | { kind: 'ref'; ref: string };

export interface GuardFinding extends TextFinding {
  source: GuardSource;
}

export interface ScanCounts {
  /** Commit message files (the commit-msg hook). */
  messages: number;
  commits: number;
  diffLines: number;
  texts: number;
  refs: number;
}

export interface GuardReport {
  findings: GuardFinding[];
  scanned: ScanCounts;
  /** Public CVE/GHSA ids that were seen and let through. */
  allowedIds: number;
  /** Embargoed cases the terms covered (0: ids and revealing words only). */
  cases: number;
  errors: number;
  warnings: number;
  /** Whether the run passes: no error (and, with strict, no warning either). */
  ok: boolean;
  strict: boolean;
}

export function buildReport(input: {
  findings: GuardFinding[];
  scanned: ScanCounts;
  allowedIds: number;
  cases: number;
  strict: boolean;
}): GuardReport {
  const errors = input.findings.filter((f) => f.severity === 'error').length;
  const warnings = input.findings.length - errors;
  return { ...input, errors, warnings, ok: errors === 0 && (!input.strict || warnings === 0) };
}

/** `1a2b3c4d5e6f:1:27`, `CHANGELOG.md:12:3 (added in 1a2b3c4d5e6f)`, `branch fix/****-****:1:5` */
export function describeLocation(f: GuardFinding): string {
  const at = `${f.line}:${f.column}`;
  const s = f.source;
  switch (s.kind) {
    case 'commit':
      return `commit ${s.commit.slice(0, 12)} message:${at}`;
    case 'diff':
      return `${s.path}:${f.line}:${f.column} (added in ${s.commit.slice(0, 12)})`;
    case 'message':
      return `${s.path}:${at}`;
    case 'text':
      return `${s.path}:${at}`;
    case 'ref':
      return `branch ${s.ref} (column ${f.column})`;
  }
}

export interface Paint {
  red(s: string): string;
  yellow(s: string): string;
  dim(s: string): string;
  bold(s: string): string;
  green(s: string): string;
}

export const NO_PAINT: Paint = { red: (s) => s, yellow: (s) => s, dim: (s) => s, bold: (s) => s, green: (s) => s };

export function findingLines(f: GuardFinding, paint: Paint = NO_PAINT, showExcerpt = true): string[] {
  const level = f.severity === 'error' ? paint.red('error') : paint.yellow('warning');
  const lines = [`${paint.bold(describeLocation(f))}  ${level}  ${f.message}  ${paint.dim(`[${f.rule}]`)}`];
  if (showExcerpt && f.source.kind !== 'ref' && f.excerpt) lines.push(`    ${paint.dim('|')} ${f.excerpt}`);
  if (f.hint) lines.push(`    ${paint.dim(`hint: ${f.hint}`)}`);
  return lines;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;

export function scannedSummary(s: ScanCounts): string {
  const parts: string[] = [];
  if (s.messages) parts.push(plural(s.messages, 'commit message'));
  if (s.commits) parts.push(plural(s.commits, 'commit'));
  if (s.diffLines) parts.push(plural(s.diffLines, 'added changelog line'));
  if (s.texts) parts.push(plural(s.texts, 'text'));
  if (s.refs) parts.push(plural(s.refs, 'branch name'));
  return parts.length > 0 ? parts.join(', ') : 'nothing';
}

export function summaryLine(r: GuardReport, paint: Paint = NO_PAINT): string {
  const scanned = scannedSummary(r.scanned);
  const allowed = r.allowedIds > 0 ? `; ${plural(r.allowedIds, 'public id')} allowed` : '';
  const terms = r.cases > 0 ? `, terms of ${plural(r.cases, 'embargoed case')}` : ', no case terms';
  if (r.findings.length === 0) return paint.green(`embargo guard: no leaks in ${scanned}${terms}${allowed}`);
  const counts = `${plural(r.errors, 'error')}, ${plural(r.warnings, 'warning')}`;
  const verdict = r.ok ? 'passes' : 'fails';
  const why = r.ok ? ' (warnings do not fail without --strict)' : r.errors === 0 ? ' (--strict: warnings fail)' : '';
  return `embargo guard ${r.ok ? paint.yellow(verdict) : paint.red(verdict)}: ${counts} in ${scanned}${terms}${allowed}${why}`;
}

const sameLine = (a: GuardFinding, b: GuardFinding | undefined) =>
  b !== undefined && a.line === b.line && JSON.stringify(a.source) === JSON.stringify(b.source);

/** Every finding (a line's excerpt once, under its first finding), then the summary. */
export function humanReport(r: GuardReport, paint: Paint = NO_PAINT): string[] {
  const lines: string[] = [];
  r.findings.forEach((f, i) => {
    lines.push(...findingLines(f, paint, !sameLine(f, r.findings[i - 1])));
  });
  return [...lines, summaryLine(r, paint)];
}

/** The JSON shape of `embargo guard --json`. */
export function jsonReport(r: GuardReport) {
  return {
    ok: r.ok,
    strict: r.strict,
    errors: r.errors,
    warnings: r.warnings,
    allowedIds: r.allowedIds,
    cases: r.cases,
    scanned: r.scanned,
    findings: r.findings.map((f) => ({
      rule: f.rule,
      severity: f.severity,
      message: f.message,
      ...(f.hint ? { hint: f.hint } : {}),
      ...(f.caseId ? { caseId: f.caseId } : {}),
      ...(f.match !== undefined ? { match: f.match } : {}),
      source: f.source,
      line: f.line,
      column: f.column,
      endLine: f.endLine,
      endColumn: f.endColumn,
      excerpt: f.excerpt,
    })),
  };
}

const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

/** The file a result is shown against: the changelog itself, or a stable pseudo-path for git data. */
export function artifactUri(s: GuardSource): string {
  switch (s.kind) {
    case 'commit':
      return `.git/commits/${s.commit}`;
    case 'diff':
      return s.path;
    case 'message':
      return s.path.replace(/\\/g, '/');
    case 'text':
      return s.path.replace(/\\/g, '/');
    case 'ref':
      return `.git/refs/${s.ref}`;
  }
}

const sarifLevel = (l: Level) => l;

/** SARIF 2.1.0 with the properties GitHub code scanning reads (rules with help, fingerprints). */
export function sarifReport(r: GuardReport, tool: { version: string; informationUri?: string }) {
  const rules = RULES.map((rule) => ({
    id: rule.id,
    name: rule.name,
    shortDescription: { text: rule.summary },
    fullDescription: { text: rule.summary },
    help: { text: rule.help },
    defaultConfiguration: { level: rule.defaultSeverity },
    properties: { tags: ['security', 'embargo'], precision: rule.id === 'revealing-word' ? 'medium' : 'high' },
  }));
  const ruleIndex = new Map(rules.map((rule, i) => [rule.id, i]));
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'embargo-guard',
            version: tool.version,
            semanticVersion: tool.version,
            ...(tool.informationUri ? { informationUri: tool.informationUri } : {}),
            rules,
          },
        },
        columnKind: 'utf16CodeUnits',
        results: r.findings.map((f) => {
          const uri = artifactUri(f.source);
          const text = `${f.message}.${f.hint ? ` Hint: ${f.hint}.` : ''} ${ruleInfo(f.rule).summary}`;
          return {
            ruleId: f.rule,
            ruleIndex: ruleIndex.get(f.rule)!,
            level: sarifLevel(f.severity),
            message: { text },
            locations: [
              {
                physicalLocation: {
                  artifactLocation: { uri },
                  region: { startLine: f.line, startColumn: f.column, endLine: f.endLine, endColumn: Math.max(f.endColumn, f.column + 1) },
                },
                ...(f.source.kind === 'commit' || f.source.kind === 'diff'
                  ? { logicalLocations: [{ name: f.source.commit, kind: 'commit' }] }
                  : {}),
              },
            ],
            partialFingerprints: {
              primaryLocationLineHash: `${sha256('sha256', `${f.rule}\n${uri}\n${f.excerpt}`, 'hex').slice(0, 16)}:${f.line}`,
            },
            properties: { ...(f.caseId ? { caseId: f.caseId } : {}), source: f.source.kind },
          };
        }),
      },
    ],
  };
}
