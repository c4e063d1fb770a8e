/**
 * Reads a case file (YAML, or JSON, which is YAML too) into checked CaseFileData. Every problem is
 * reported at once, each as "line N, field: what is wrong", using the same checks as the case
 * commands so a file that parses is a file that imports.
 */
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Node, type Pair } from 'yaml';
import * as advisory from '../case/advisory-fields.js';
import { isCaseId } from '../case/case-id.js';
import * as fields from '../case/fields.js';
import * as limits from '../case/limits.js';
import { CREDIT_PREFERENCES, type AffectedRange, type CreditPreference } from '../case/types.js';
import { DomainError, invalidInput } from '../errors.js';
import { isValidTimeZone, zonedToInstant } from '../time.js';
import { CASE_FILE_KEYS, type CaseFileData, type CaseFileReleaseLine, type CaseFileReporter } from './types.js';

/** Larger than any real case file (a 20,000-character description and every list full). */
export const CASE_FILE_MAX_BYTES = 512 * 1024;

export interface CaseFileProblem {
  line: number;
  field: string;
  message: string;
}

class Problems extends Error {}

class Reader {
  readonly problems: CaseFileProblem[] = [];
  constructor(private readonly lines: LineCounter) {}

  line(node: Node | Pair | null | undefined): number {
    const range = node && 'range' in node ? node.range : undefined;
    if (range) return this.lines.linePos(range[0]).line;
    const key = node && 'key' in node ? (node.key as Node | null) : null;
    return key?.range ? this.lines.linePos(key.range[0]).line : 1;
  }

  problem(node: Node | Pair | null | undefined, field: string, message: string): void {
    this.problems.push({ line: this.line(node), field, message });
  }

  /**
   * Runs a domain check; its error becomes a problem at the node's line. `apiName` is the name the
   * check uses for the field (ghsaId) when the file calls it something else (ghsa).
   */
  check<T>(node: Node | Pair | null | undefined, field: string, fn: () => T, apiName?: string): T | undefined {
    try {
      return fn();
    } catch (err) {
      if (err instanceof DomainError && err.code === 'invalid_input') {
        this.problem(
          node,
          field,
          apiName && err.message.startsWith(apiName) ? `${field}${err.message.slice(apiName.length)}` : err.message,
        );
        return undefined;
      }
      throw err;
    }
  }

  /** A scalar as text: strings as written; numbers and booleans as their source (1.30 stays "1.30"). */
  text(node: Node | null | undefined, field: string): string | null | undefined {
    if (node === null || node === undefined) return null;
    if (!isScalar(node)) {
      this.problem(node, field, `${field} must be a single value, not a ${isSeq(node) ? 'list' : 'mapping'}`);
      return undefined;
    }
    const v = node.value;
    if (v === null) return null;
    if (typeof v === 'string') return v;
    if (typeof v === 'number' || typeof v === 'boolean') return node.source ?? String(v);
    this.problem(node, field, `${field} must be text`);
    return undefined;
  }

  bool(node: Node | null | undefined, field: string): boolean | undefined {
    if (node === null || node === undefined) return undefined;
    if (isScalar(node) && typeof node.value === 'boolean') return node.value;
    this.problem(node, field, `${field} must be true or false`);
    return undefined;
  }

  /** A list (a single value is taken as a list of one). */
  list(node: Node | null | undefined, field: string): (Node | null)[] | undefined {
    if (node === null || node === undefined) return [];
    if (isScalar(node) && node.value === null) return [];
    if (isSeq(node)) return node.items as (Node | null)[];
    if (isScalar(node)) return [node];
    this.problem(node, field, `${field} must be a list`);
    return undefined;
  }

  /** A mapping's values by key, with unknown keys reported. */
  map(node: Node | null | undefined, field: string, known: readonly string[]): Map<string, { node: Node | null; pair: Pair }> | undefined {
    if (!isMap(node)) {
      this.problem(node, field, `${field} must be a mapping of ${known.join(', ')}`);
      return undefined;
    }
    const out = new Map<string, { node: Node | null; pair: Pair }>();
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : null;
      if (key === null) {
        this.problem(pair, field, `${field} has a key that is not a plain name`);
        continue;
      }
      const at = field === '' ? key : `${field}.${key}`;
      if (!known.includes(key)) {
        this.problem(pair, at, `unknown key "${key}"${field === '' ? '' : ` in ${field}`}; the keys are ${known.join(', ')}`);
        continue;
      }
      out.set(key, { node: (pair.value as Node | null) ?? null, pair });
    }
    return out;
  }
}

function firstAlias(node: unknown): Node | null {
  if (isAlias(node)) return node;
  if (isMap(node)) {
    for (const p of node.items) {
      const found = firstAlias(p.key) ?? firstAlias(p.value);
      if (found) return found;
    }
  }
  if (isSeq(node))
    for (const item of node.items) {
      const found = firstAlias(item);
      if (found) return found;
    }
  return null;
}

/**
 * Parses and checks a case file. Throws invalid_input with every problem in the message and in
 * details.problems ([{line, field, message}]).
 */
export function parseCaseFile(text: string): CaseFileData {
  if (typeof text !== 'string') throw invalidInput('a case file must be text');
  if (new TextEncoder().encode(text).length > CASE_FILE_MAX_BYTES)
    throw invalidInput(`the case file is larger than ${CASE_FILE_MAX_BYTES / 1024} kB`);
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true, strict: true });
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    const line = lines.linePos(e.pos[0]).line;
    const message = `the case file is not valid YAML or JSON: ${e.message.split('\n')[0]}`;
    throw invalidInput(`line ${line}: ${message}`, { problems: [{ line, field: '', message }] });
  }
  const r = new Reader(lines);
  try {
    const alias = firstAlias(doc.contents);
    if (alias) {
      r.problem(alias, '', 'YAML aliases (*name) are not supported in case files; write the value out');
      throw new Problems();
    }
    const top = r.map(doc.contents as Node | null, '', CASE_FILE_KEYS);
    if (!top) throw new Problems();
    const data = readTop(r, top);
    if (r.problems.length > 0) throw new Problems();
    return data;
  } catch (err) {
    if (!(err instanceof Problems)) throw err;
    const list = r.problems.sort((a, b) => a.line - b.line);
    throw invalidInput(list.map((p) => `line ${p.line}${p.field ? `, ${p.field}` : ''}: ${p.message}`).join('; '), { problems: list });
  }
}

type Entries = Map<string, { node: Node | null; pair: Pair }>;

function readTop(r: Reader, top: Entries): CaseFileData {
  const data: Partial<CaseFileData> = {};
  const get = (key: string) => top.get(key);
  const textField = (key: string) => {
    const e = get(key);
    // An empty value (`cve:`) has no node of its own: its problems point at the key's line.
    return e ? { value: r.text(e.node, key), node: e.node ?? e.pair } : undefined;
  };

  const id = textField('id');
  if (id && id.value !== undefined && id.value !== null) {
    const v = id.value.trim().toUpperCase();
    if (isCaseId(v)) data.id = v;
    else r.problem(id.node, 'id', `id "${id.value}" is not a case id like EMB-2026-0007`);
  }
  for (const key of ['project', 'playbook'] as const) {
    const e = textField(key);
    if (e && e.value !== undefined && e.value !== null) {
      const v = r.check(e.node, key, () => fields.requiredText(key, e.value, limits.SLUG_MAX));
      if (v !== undefined) data[key] = v;
    }
  }
  const title = textField('title');
  if (!title) r.problem(null, 'title', 'the case file needs a title');
  else if (title.value !== undefined) {
    const v = r.check(title.node, 'title', () => fields.requiredText('title', title.value, limits.TITLE_MAX));
    if (v !== undefined) data.title = v;
  }
  const ghsa = textField('ghsa');
  if (ghsa && ghsa.value !== undefined) {
    const v = r.check(ghsa.node, 'ghsa', () => fields.ghsaId(ghsa.value), 'ghsaId');
    if (v !== undefined) data.ghsa = v;
  }
  const cve = textField('cve');
  if (cve && cve.value !== undefined) {
    const v = r.check(cve.node, 'cve', () => fields.cveId(cve.value), 'cveId');
    if (v !== undefined) data.cve = v;
  }
  for (const key of ['description', 'workarounds'] as const) {
    const e = textField(key);
    if (e && e.value !== undefined) {
      const check = key === 'description' ? advisory.description : advisory.workarounds;
      const v = r.check(e.node, key, () => check(e.value));
      if (v !== undefined) data[key] = v;
    }
  }
  const published = textField('published');
  if (published && published.value !== undefined) {
    const v = r.check(published.node, 'published', () => advisory.instant('published', published.value));
    if (v !== undefined) data.published = v;
  }

  const pkg = get('package');
  if (pkg) data.package = readPackage(r, pkg.node);

  const stringList = <T>(key: string, each: (value: string | null | undefined, i: number) => T): T[] | undefined => {
    const e = get(key);
    if (!e) return undefined;
    const items = r.list(e.node, key);
    if (!items) return undefined;
    const out: T[] = [];
    items.forEach((item, i) => {
      const at = `${key}[${i}]`;
      const value = r.text(item, at);
      if (value === undefined) return;
      const v = r.check(item, at, () => each(value, i));
      if (v !== undefined) out.push(v);
    });
    return [...new Set(out)];
  };
  const cvss = stringList('cvss', (v) => fields.cvssVector(v));
  if (cvss) data.cvss = cvss;
  const cwe = stringList('cwe', (v) => fields.cweId(v));
  if (cwe) data.cwe = cwe;
  const references = stringList('references', (v, i) => advisory.url(`references[${i}]`, v));
  if (references) {
    if (references.length > advisory.REFERENCES_MAX)
      r.problem(get('references')!.node, 'references', `references has more than ${advisory.REFERENCES_MAX} entries`);
    data.references = references;
  }
  for (const [key, max] of [
    ['cvss', 8],
    ['cwe', 8],
  ] as const) {
    if ((data[key]?.length ?? 0) > max) r.problem(get(key)!.node, key, `${key} has more than ${max} entries`);
  }

  const affected = get('affected');
  if (affected) data.affected = readAffected(r, affected.node);
  const credits = get('credits');
  if (credits) data.credits = readCredits(r, credits.node);
  const reporter = get('reporter');
  if (reporter) data.reporter = readReporter(r, reporter.node);
  const embargo = get('embargo');
  if (embargo) data.embargo = readEmbargo(r, embargo.node);
  const plan = get('releasePlan');
  if (plan) data.releasePlan = readReleasePlan(r, plan.node);
  return data as CaseFileData;
}

const isNull = (node: Node | null) => node === null || (isScalar(node) && node.value === null);

function readPackage(r: Reader, node: Node | null): CaseFileData['package'] {
  if (isNull(node)) return null;
  const m = r.map(node, 'package', ['ecosystem', 'name', 'repository']);
  if (!m) return undefined;
  const value: Record<string, unknown> = {};
  for (const [k, e] of m) value[k] = r.text(e.node, `package.${k}`);
  if (!m.has('ecosystem')) r.problem(node, 'package.ecosystem', 'package needs an ecosystem (e.g. Go, npm, PyPI)');
  if (!m.has('name')) r.problem(node, 'package.name', 'package needs a name');
  if (!m.has('ecosystem') || !m.has('name')) return undefined;
  // Check each part at its own line, then (if they pass) the whole.
  const before = r.problems.length;
  r.check(m.get('ecosystem')!.node, 'package.ecosystem', () => advisory.ecosystem('package.ecosystem', value.ecosystem));
  if (value.repository)
    r.check(m.get('repository')!.node, 'package.repository', () => advisory.url('package.repository', value.repository));
  if (r.problems.length > before) return undefined;
  return r.check(node, 'package', () => advisory.casePackage(value)) ?? undefined;
}

function readAffected(r: Reader, node: Node | null): AffectedRange[] | undefined {
  const items = r.list(node, 'affected');
  if (!items) return undefined;
  if (items.length > 32) r.problem(node, 'affected', 'affected has more than 32 entries');
  const out: AffectedRange[] = [];
  items.forEach((item, i) => {
    const at = `affected[${i}]`;
    const m = r.map(item, at, ['introduced', 'fixed']);
    if (!m) return;
    const introducedNode = m.get('introduced')?.node ?? null;
    if (!m.has('introduced')) {
      r.problem(item, `${at}.introduced`, `${at} needs introduced (the first affected version)`);
      return;
    }
    const introduced = r.check(introducedNode, `${at}.introduced`, () =>
      fields.version(`${at}.introduced`, r.text(introducedNode, `${at}.introduced`)),
    );
    const fixedNode = m.get('fixed')?.node ?? null;
    const fixedText = r.text(fixedNode, `${at}.fixed`);
    const fixed =
      fixedText === null || fixedText === '' ? null : r.check(fixedNode, `${at}.fixed`, () => fields.version(`${at}.fixed`, fixedText));
    if (introduced !== undefined && fixed !== undefined) out.push({ introduced, fixed });
  });
  return out;
}

function readCredits(r: Reader, node: Node | null) {
  const items = r.list(node, 'credits');
  if (!items) return undefined;
  if (items.length > advisory.CREDITS_MAX) r.problem(node, 'credits', `credits has more than ${advisory.CREDITS_MAX} entries`);
  const out: NonNullable<CaseFileData['credits']> = [];
  items.forEach((item, i) => {
    const at = `credits[${i}]`;
    const m = r.map(item, at, ['name', 'login', 'anonymous', 'type']);
    if (!m) return;
    const value: Record<string, unknown> = {};
    for (const [k, e] of m) value[k] = k === 'anonymous' ? r.bool(e.node, `${at}.anonymous`) : r.text(e.node, `${at}.${k}`);
    const credit = r.check(item, at, () => advisory.credit(value, i));
    if (credit) out.push(credit);
  });
  const seen = new Set<string>();
  return out.filter((c) => !seen.has(JSON.stringify(c)) && seen.add(JSON.stringify(c)));
}

function readReporter(r: Reader, node: Node | null): CaseFileReporter | null | undefined {
  if (isNull(node)) return null;
  const m = r.map(node, 'reporter', ['name', 'company', 'credit', 'contact']);
  if (!m) return undefined;
  const text = (k: string) => (m.has(k) ? r.text(m.get(k)!.node, `reporter.${k}`) : null);
  const at = (k: string) => m.get(k)?.node ?? node;
  const name = r.check(at('name'), 'reporter.name', () => fields.requiredText('reporter.name', text('name'), limits.NAME_MAX));
  const company = r.check(at('company'), 'reporter.company', () =>
    fields.optionalText('reporter.company', text('company'), limits.NAME_MAX),
  );
  const creditText = text('credit') ?? 'named';
  if (!CREDIT_PREFERENCES.includes(creditText as CreditPreference)) {
    r.problem(at('credit'), 'reporter.credit', `reporter.credit must be one of ${CREDIT_PREFERENCES.join(', ')}`);
  }
  const contactText = text('contact');
  const contact =
    contactText === null
      ? null
      : r.check(at('contact'), 'reporter.contact', () => fields.requiredText('reporter.contact', contactText, limits.CONTACT_MAX));
  if (name === undefined || company === undefined || contact === undefined) return undefined;
  return { name, company, credit: creditText as CreditPreference, ...(contact !== null ? { contact } : {}) };
}

function readEmbargo(r: Reader, node: Node | null): CaseFileData['embargo'] {
  if (isNull(node)) return null;
  const m = r.map(node, 'embargo', ['endsAt', 'timeZone']);
  if (!m) return undefined;
  const endsAt = m.has('endsAt') ? r.text(m.get('endsAt')!.node, 'embargo.endsAt') : null;
  const timeZone = m.has('timeZone') ? r.text(m.get('timeZone')!.node, 'embargo.timeZone') : null;
  if (!endsAt) r.problem(m.get('endsAt')?.node ?? node, 'embargo.endsAt', 'embargo needs endsAt, e.g. "2026-12-01 17:00"');
  if (!timeZone) r.problem(m.get('timeZone')?.node ?? node, 'embargo.timeZone', 'embargo needs timeZone, e.g. Europe/Berlin');
  if (!endsAt || !timeZone) return undefined;
  if (!isValidTimeZone(timeZone)) {
    r.problem(m.get('timeZone')!.node, 'embargo.timeZone', `timeZone "${timeZone}" is not an IANA time zone like Europe/Berlin`);
    return undefined;
  }
  const instant = r.check(m.get('endsAt')!.node, 'embargo.endsAt', () => zonedToInstant(endsAt, timeZone));
  return instant ? { endsAt, timeZone } : undefined;
}

function readReleasePlan(r: Reader, node: Node | null): CaseFileReleaseLine[] | undefined {
  const items = r.list(node, 'releasePlan');
  if (!items) return undefined;
  if (items.length > 32) r.problem(node, 'releasePlan', 'releasePlan has more than 32 lines');
  const out: CaseFileReleaseLine[] = [];
  const seen = new Set<string>();
  items.forEach((item, i) => {
    const at = `releasePlan[${i}]`;
    const m = r.map(item, at, ['line', 'version', 'released', 'tag']);
    if (!m) return;
    const node = (k: string) => m.get(k)?.node ?? item;
    const line = r.check(node('line'), `${at}.line`, () => fields.releaseLine(`${at}.line`, r.text(m.get('line')?.node, `${at}.line`)));
    const version = r.check(node('version'), `${at}.version`, () =>
      fields.version(`${at}.version`, r.text(m.get('version')?.node, `${at}.version`)),
    );
    if (line === undefined || version === undefined) return;
    if (!version.startsWith(`${line}.`)) {
      r.problem(node('version'), `${at}.version`, `version ${version} is not on release line ${line}`);
      return;
    }
    if (seen.has(line)) {
      r.problem(node('line'), `${at}.line`, `release line ${line} is listed twice`);
      return;
    }
    seen.add(line);
    const entry: CaseFileReleaseLine = { line, version };
    if (m.has('released')) {
      const released = r.check(node('released'), `${at}.released`, () =>
        advisory.instant(`${at}.released`, r.text(m.get('released')!.node, `${at}.released`)),
      );
      if (released !== undefined) entry.released = released;
    }
    if (m.has('tag')) {
      const tag = r.text(m.get('tag')!.node, `${at}.tag`);
      if (tag !== undefined) entry.tag = tag;
    }
    out.push(entry);
  });
  return out;
}
