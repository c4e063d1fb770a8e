/**
 * Writes a case as a case file (YAML): everything an advisory needs, in the documented order, with
 * empty values left out. The reporter's private contact is never written.
 */
import { Document, isMap, isSeq, type Node } from 'yaml';
import type { Case } from '../case/types.js';
import { formatInZone } from '../time.js';
import { CASE_FILE_KEYS, type CaseFileData } from './types.js';

/**
 * The embargo end as the wall-clock time it was agreed in, with that moment's UTC offset
 * ("2026-12-01T17:00:00+01:00"): readable by the people who agreed it and still one exact instant.
 */
export function embargoEndText(endsAt: string, timeZone: string): string {
  const instant = new Date(endsAt);
  if (instant.getUTCSeconds() !== 0 || instant.getUTCMilliseconds() !== 0) return instant.toISOString();
  const wall = formatInZone(instant, timeZone).slice(0, 16); // "2026-12-01 17:00"
  const wallAsUtc = Date.parse(`${wall.replace(' ', 'T')}:00Z`);
  const offsetMinutes = Math.round((wallAsUtc - instant.getTime()) / 60_000);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  return `${wall.replace(' ', 'T')}:00${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/** The case file's data for a case (only non-empty values; keys in the documented order). */
export function caseFileData(c: Case): CaseFileData {
  const data: CaseFileData = { id: c.id, project: c.project, playbook: c.playbook, title: c.title };
  if (c.ghsaId) data.ghsa = c.ghsaId;
  if (c.cveId) data.cve = c.cveId;
  if (c.package) data.package = { ...c.package };
  if (c.description) data.description = c.description;
  if (c.severity.cvss.length > 0) data.cvss = [...c.severity.cvss];
  if (c.severity.cwe.length > 0) data.cwe = [...c.severity.cwe];
  if (c.affected.length > 0) data.affected = c.affected.map((a) => ({ introduced: a.introduced, fixed: a.fixed }));
  if (c.reporter) data.reporter = { name: c.reporter.name, company: c.reporter.company, credit: c.reporter.credit };
  if (c.credits.length > 0) data.credits = c.credits.map((k) => ({ ...k }));
  if (c.publishedAt) data.published = c.publishedAt;
  if (c.references.length > 0) data.references = [...c.references];
  if (c.workarounds) data.workarounds = c.workarounds;
  if (c.embargo) data.embargo = { endsAt: embargoEndText(c.embargo.endsAt, c.embargo.timeZone), timeZone: c.embargo.timeZone };
  if (c.releasePlan.length > 0) {
    data.releasePlan = c.releasePlan.map((l) => ({
      line: l.line,
      version: l.version,
      ...(l.releasedAt ? { released: l.releasedAt } : {}),
      ...(l.tag ? { tag: l.tag } : {}),
    }));
  }
  const ordered: Record<string, unknown> = {};
  for (const key of CASE_FILE_KEYS) if (data[key] !== undefined) ordered[key] = data[key];
  return ordered as unknown as CaseFileData;
}

const HEADER = [
  ' Embargo case file (docs/case-file.md). Import with: embargo case import FILE',
  " The reporter's contact is kept in Embargo and never written to files.",
  ' releasePlan released/tag are for reading; record releases with: embargo case release ID LINE',
].join('\n');

/** Short lists of scalars and small mappings read best on one line: [a, b] and {k: v}. */
function flowSmall(node: Node | null | undefined, depth: number): void {
  if (isSeq(node)) {
    const scalarsOnly = node.items.every((i) => !isMap(i) && !isSeq(i));
    if (scalarsOnly && depth === 1 && node.items.length <= 4 && JSON.stringify(node.toJSON()).length <= 100) node.flow = true;
    for (const item of node.items) flowSmall(item as Node, depth + 1);
  } else if (isMap(node)) {
    if (depth >= 2 && JSON.stringify(node.toJSON()).length <= 100) node.flow = true;
    for (const pair of node.items) flowSmall(pair.value as Node, depth + 1);
  }
}

/** The case as YAML text. */
export function caseToFile(c: Case): string {
  const doc = new Document(caseFileData(c));
  doc.commentBefore = HEADER;
  flowSmall(doc.contents as Node, 0);
  const pkg = isMap(doc.contents) ? (doc.contents.get('package', true) as Node | undefined) : undefined;
  if (isMap(pkg)) pkg.flow = JSON.stringify(pkg.toJSON()).length <= 120;
  return doc.toString({ lineWidth: 0, blockQuote: 'literal' });
}
