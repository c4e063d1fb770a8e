/**
 * Reads a playbook from YAML text. Whoever writes a playbook gets every problem at once, each as
 * "where: what is wrong", instead of the first ajv message in schema-speak.
 */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { isMap, isScalar, LineCounter, parseDocument, type Document } from 'yaml';
import { invalidInput } from '../errors.js';
import { unknownPlaceholders, PLACEHOLDER_NAMES } from '../messages/placeholders.js';
import { isMessageKind, MESSAGE_KIND_IDS } from '../messages/types.js';
import { KEBAB_CASE, PLAYBOOK_SCHEMA } from './schema.js';
import type { ClockDeclaration } from '../clock/types.js';
import { GATE_KINDS, type Gate, type Playbook, type PlaybookStep } from './types.js';

let compiled: ValidateFunction | undefined;

/** The schema's validator, compiled on the first parse (not when the module loads: most commands parse no playbook). */
function validator(): ValidateFunction {
  // strictRequired is off: the gate oneOf branches name properties declared one level up, on purpose.
  compiled ??= new Ajv({ allErrors: true, verbose: true, strict: true, strictRequired: false }).compile(PLAYBOOK_SCHEMA);
  return compiled;
}

/** What the file must look like after YAML parsing and schema validation (defaults not yet filled). */
interface RawStep {
  id: string;
  number?: number;
  title: string;
  phase: string;
  guidance?: string[];
  skippable?: boolean;
  publishes?: boolean;
  gates?: Gate[];
}
type RawClock = Omit<ClockDeclaration, 'from' | 'repeats' | 'atRisk'> & Partial<Pick<ClockDeclaration, 'from' | 'repeats' | 'atRisk'>>;
type RawPlaybook = Omit<Playbook, 'steps' | 'clocks'> & { steps: RawStep[]; clocks?: RawClock[] };

export function parsePlaybook(yamlText: string, origin?: string): Playbook {
  const problems: string[] = [];
  const { data, doc, lines } = readYaml(yamlText, problems);
  if (problems.length === 0) {
    if (data === null || data === undefined) problems.push('the file is empty');
    else {
      const validate = validator();
      if (!validate(data)) problems.push(...explainSchemaErrors(validate.errors ?? []));
    }
    problems.push(...crossStepProblems(data), ...policyProblems(data), ...clockProblems(data));
    if (doc && lines) problems.push(...templateProblems(doc, lines, yamlText));
  }
  if (problems.length > 0) {
    const name = origin ?? idOf(data) ?? '(unnamed)';
    throw invalidInput(`playbook ${name} is invalid: ${problems.join('; ')}`, { problems });
  }
  return withDefaults(data as RawPlaybook);
}

interface ReadYaml {
  data: unknown;
  /** The parsed document and its line index, for problems that say on which line they are. */
  doc?: Document;
  lines?: LineCounter;
}

function readYaml(yamlText: string, problems: string[]): ReadYaml {
  if (typeof yamlText !== 'string') {
    problems.push('the playbook is not text');
    return { data: undefined };
  }
  const lines = new LineCounter();
  const doc = parseDocument(yamlText, { prettyErrors: true, uniqueKeys: true, lineCounter: lines });
  for (const e of doc.errors) {
    // Pretty messages append a code excerpt after the first line; the first line has the position.
    problems.push(`YAML syntax: ${(e.message.split('\n')[0] ?? '').replace(/:$/, '')}`);
  }
  if (problems.length > 0) return { data: undefined };
  try {
    return { data: doc.toJS({ maxAliasCount: 100 }), doc, lines };
  } catch (e) {
    problems.push(`YAML: ${(e as Error).message}`);
    return { data: undefined };
  }
}

function idOf(data: unknown): string | undefined {
  if (isRecord(data) && typeof data.id === 'string' && data.id.trim() !== '') return data.id;
  return undefined;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** "/steps/2/gates/0/confirm" -> "steps[2].gates[0].confirm" */
function where(instancePath: string): string {
  if (instancePath === '') return 'the playbook';
  return instancePath
    .slice(1)
    .split('/')
    .map((seg) => seg.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((acc, seg) => (/^\d+$/.test(seg) ? `${acc}[${seg}]` : acc === '' ? seg : `${acc}.${seg}`), '');
}

const GATE_PATH = /^\/steps\/\d+\/gates\/\d+$/;
const MESSAGE_GATE_PATH = /^\/steps\/\d+\/gates\/\d+\/message$/;
const GATE_KIND_LIST = GATE_KINDS.join(', ');

function describeValue(v: unknown): string {
  if (v === null) return 'empty (null)';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'string') return `text (${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)})`;
  return `${typeof v} (${String(v)})`;
}

const TYPE_WORDS: Record<string, string> = {
  string: 'text',
  boolean: 'true or false',
  array: 'a list',
  object: 'a mapping',
  integer: 'a whole number',
  number: 'a number',
};

function explainSchemaErrors(errors: ErrorObject[]): string[] {
  // A gate with an unknown key also fails "exactly one kind"; the unknown key is the better sentence.
  const gatesWithUnknownKey = new Set(
    errors.filter((e) => e.keyword === 'additionalProperties' && GATE_PATH.test(e.instancePath)).map((e) => e.instancePath),
  );
  const out: string[] = [];
  for (const e of errors) {
    // The branches of the gate oneOf each report "must have required property"; the oneOf says it.
    if (e.schemaPath.includes('/oneOf/')) continue;
    // The `then` branch reports the unknown message kind itself; its `if` adds nothing.
    if (e.keyword === 'if') continue;
    if (e.keyword === 'oneOf' && gatesWithUnknownKey.has(e.instancePath)) continue;
    const sentence = explainOne(e);
    if (!out.includes(sentence)) out.push(sentence);
  }
  return out;
}

function kindsIn(gate: unknown): string[] {
  return isRecord(gate) ? GATE_KINDS.filter((k) => k in gate) : [];
}

function explainOne(e: ErrorObject): string {
  const at = where(e.instancePath);
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'required':
      return `${at} is missing "${String(p.missingProperty)}"`;
    case 'additionalProperties':
      return GATE_PATH.test(e.instancePath)
        ? `${at} has unknown gate kind "${String(p.additionalProperty)}"; a gate is one of ${GATE_KIND_LIST}`
        : `${at} has unknown key "${String(p.additionalProperty)}"`;
    case 'type':
      return `${at} must be ${TYPE_WORDS[String(p.type)] ?? String(p.type)}, not ${describeValue(e.data)}`;
    case 'enum':
      if (MESSAGE_GATE_PATH.test(e.instancePath)) {
        return `${at} is ${describeValue(e.data)}, which is not a message kind (${MESSAGE_KIND_IDS.join(', ')}); "message" alone is a message gate, beside "field" it is that gate's sentence`;
      }
      return `${at} is ${describeValue(e.data)}, which is not one of: ${(p.allowedValues as unknown[]).join(', ')}`;
    case 'const':
      return `${at} must be ${JSON.stringify(p.allowedValue)}, not ${describeValue(e.data)}`;
    case 'pattern':
      return p.pattern === KEBAB_CASE
        ? `${at} is ${describeValue(e.data)}; it must be kebab-case (lowercase letters and digits joined by single dashes, e.g. advisory-draft)`
        : `${at} does not match ${String(p.pattern)}`;
    case 'minLength':
      return `${at} must not be empty`;
    case 'minItems':
      return e.instancePath === '/steps' ? 'the playbook has no steps' : `${at} must list at least ${String(p.limit)} item(s)`;
    case 'minimum':
      return `${at} must be at least ${String(p.limit)}`;
    case 'oneOf':
      if (e.instancePath.startsWith('/clocks/')) {
        return `${at} is ${describeValue(e.data)}, which is not one of the forms docs/clocks.md lists for it`;
      }
      return p.passingSchemas === null
        ? `${at} names no gate kind; a gate has exactly one of ${GATE_KIND_LIST}`
        : `${at} mixes gate kinds ${kindsIn(e.data).join(' and ')}; write each as its own gate`;
    case 'dependencies':
      return `${at} has "${String(p.property)}", which only goes with a field gate`;
    default:
      return `${at} ${e.message ?? 'is invalid'}`;
  }
}

/** Rules that look across steps. Defensive about shape: it also runs when the schema failed. */
function crossStepProblems(data: unknown): string[] {
  if (!isRecord(data) || !Array.isArray(data.steps)) return [];
  const problems: string[] = [];
  const indexById = new Map<string, number>();
  data.steps.forEach((step: unknown, i: number) => {
    if (!isRecord(step)) return;
    if (typeof step.id === 'string') {
      const first = indexById.get(step.id);
      if (first !== undefined) problems.push(`steps[${i}].id "${step.id}" is already used by steps[${first}]`);
      else indexById.set(step.id, i);
    }
    if (typeof step.number === 'number' && step.number !== i + 1) {
      problems.push(`steps[${i}].number is ${step.number}, but it is step ${i + 1} in the list; numbers follow the order of the steps`);
    }
  });
  data.steps.forEach((step: unknown, i: number) => {
    if (!isRecord(step) || !Array.isArray(step.gates)) return;
    const confirmIds = new Set<string>();
    step.gates.forEach((gate: unknown, g: number) => {
      if (!isRecord(gate)) return;
      if (Array.isArray(gate.stepsDone)) {
        for (const ref of gate.stepsDone) {
          if (typeof ref !== 'string') continue;
          const at = indexById.get(ref);
          if (at === undefined) {
            problems.push(`steps[${i}].gates[${g}].stepsDone names "${ref}", which is not a step of this playbook`);
          } else if (at >= i) {
            problems.push(
              `steps[${i}].gates[${g}].stepsDone names "${ref}" (steps[${at}]), which does not come before it; a step can only wait for earlier steps`,
            );
          }
        }
      }
      if (isRecord(gate.confirm) && typeof gate.confirm.id === 'string') {
        if (confirmIds.has(gate.confirm.id)) {
          problems.push(`steps[${i}].gates[${g}].confirm.id "${gate.confirm.id}" is already used in this step`);
        }
        confirmIds.add(gate.confirm.id);
      }
    });
  });
  return problems;
}

/** Policy ids are unique, and a `policies: true` gate needs policies to check. */
function policyProblems(data: unknown): string[] {
  if (!isRecord(data)) return [];
  const problems: string[] = [];
  const policies = Array.isArray(data.policies) ? data.policies : [];
  const seen = new Set<string>();
  policies.forEach((p: unknown, i: number) => {
    if (!isRecord(p) || typeof p.id !== 'string') return;
    if (seen.has(p.id)) problems.push(`policies[${i}].id "${p.id}" is already used`);
    seen.add(p.id);
  });
  const gated =
    Array.isArray(data.steps) &&
    data.steps.some(
      (s: unknown) => isRecord(s) && Array.isArray(s.gates) && s.gates.some((g: unknown) => isRecord(g) && g.policies === true),
    );
  if (gated && policies.length === 0) problems.push('a step has the gate "policies: true", but the playbook declares no policies');
  return problems;
}

/** Clock ids are unique, and a clock's steps are steps of this playbook. */
function clockProblems(data: unknown): string[] {
  if (!isRecord(data) || !Array.isArray(data.clocks)) return [];
  const stepIds = new Set(Array.isArray(data.steps) ? data.steps.map((s: unknown) => (isRecord(s) ? s.id : undefined)) : []);
  const problems: string[] = [];
  const seen = new Set<unknown>();
  data.clocks.forEach((clock: unknown, i: number) => {
    if (!isRecord(clock)) return;
    if (seen.has(clock.id)) problems.push(`clocks[${i}].id "${String(clock.id)}" is already used by another clock`);
    seen.add(clock.id);
    for (const key of ['from', 'metBy'] as const) {
      const ref = clock[key];
      if (isRecord(ref) && typeof ref.step === 'string' && !stepIds.has(ref.step)) {
        problems.push(`clocks[${i}].${key}.step names "${ref.step}", which is not a step of this playbook`);
      }
    }
  });
  return problems;
}

/**
 * A project's own templates: every key a message kind, every `{{name}}` a known placeholder, the
 * subject one line. Each problem says its line in the file, where a person will look for it.
 */
function templateProblems(doc: Document, lines: LineCounter, yamlText: string): string[] {
  const templates = doc.get('templates', true);
  if (!isMap(templates)) return [];
  const problems: string[] = [];
  const lineOf = (offset: number) => lines.linePos(offset).line;
  for (const pair of templates.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '';
    const keyLine = isScalar(pair.key) && pair.key.range ? lineOf(pair.key.range[0]) : 0;
    if (!isMessageKind(key)) {
      problems.push(`line ${keyLine}: templates.${key || '?'} is not a message kind; the kinds are: ${MESSAGE_KIND_IDS.join(', ')}`);
      continue;
    }
    if (!isMap(pair.value)) continue; // the schema says what is wrong with its shape
    for (const part of ['subject', 'body'] as const) {
      const node = pair.value.get(part, true);
      if (!isScalar(node) || typeof node.value !== 'string' || !node.range) continue;
      const value = node.value;
      // Search the file's own text of the value, so the line is the placeholder's, not the key's.
      const source = yamlText.slice(node.range[0], node.range[1]);
      let from = 0; // the next occurrence of the same mistake is further down
      for (const u of unknownPlaceholders(value)) {
        const written = value.slice(u.offset, value.indexOf('}}', u.offset) + 2);
        const at = source.indexOf(written, from);
        if (at >= 0) from = at + written.length;
        const line = lineOf(node.range[0] + Math.max(at, 0));
        problems.push(
          `line ${line}: templates.${key}.${part} uses {{${u.name}}}, which is not a placeholder; the placeholders are: ${PLACEHOLDER_NAMES.join(', ')}`,
        );
      }
      if (part === 'subject' && /[\r\n]/.test(value.trim())) {
        problems.push(`line ${lineOf(node.range[0])}: templates.${key}.subject must be one line`);
      }
    }
  }
  return problems;
}

function withDefaults(raw: RawPlaybook): Playbook {
  const steps: PlaybookStep[] = raw.steps.map((s, i) => ({
    id: s.id,
    number: i + 1,
    title: s.title,
    phase: s.phase,
    guidance: s.guidance ?? [],
    skippable: s.skippable ?? false,
    ...(s.publishes ? { publishes: true } : {}),
    gates: s.gates ?? [],
  }));
  const pb: Playbook = {
    id: raw.id,
    name: raw.name,
    description: raw.description,
    sequential: raw.sequential,
    settings: { ...raw.settings },
    steps,
    clocks: (raw.clocks ?? []).map((c) => ({
      ...c,
      from: c.from ?? 'reported',
      repeats: c.repeats ?? false,
      atRisk: c.atRisk ?? { businessDays: 1 },
    })),
  };
  if (raw.source !== undefined) pb.source = raw.source;
  if (raw.templates !== undefined) pb.templates = { ...raw.templates };
  if (raw.policies !== undefined) pb.policies = raw.policies.map((p) => ({ ...p }));
  return pb;
}
