/**
 * The layer check: which folder under src/ may import which, and what the pure domain may not
 * touch. The rules are data (LAYER_RULES, PURE_*); the checker reads the code with the TypeScript
 * parser, so static imports, `export … from`, side-effect imports, `import type`, dynamic
 * `import()`, `typeof import()` and `require()` all count, and nothing in a comment or a string does.
 *
 * The checker works on file contents, not on the disk, so a test can feed it a planted violation.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import ts from 'typescript';

/** A source file: its path relative to src/ with forward slashes ('server/routes/cases.ts'), and its text. */
export interface SourceFile {
  path: string;
  text: string;
}

export interface LayerRule {
  /** Layers this one may import in any way; '*' for all. A layer always lists itself when it may import itself. */
  imports: readonly string[] | '*';
  /** Layers this one may load only lazily, through `import()` (or name in a type): they must not load at start. */
  lazily?: readonly string[];
  /** No I/O, clock, environment or randomness (see PURE_*). */
  pure?: boolean;
}

/**
 * Imports point inward: cli, server, jobs → app → store, integrations → domain; no shell imports
 * another shell. `client` (the generated API client and its transports) stands alone so the web app
 * can take it; `boot` is the composition root that wires server, jobs and the in-process transport;
 * the CLI reaches it only through `import()`, so `embargo --help` does not load the server.
 */
export const LAYER_RULES: Readonly<Record<string, LayerRule>> = {
  domain: { imports: ['domain'], pure: true },
  store: { imports: ['domain', 'store'] },
  integrations: { imports: ['domain', 'integrations'] },
  app: { imports: ['domain', 'store', 'integrations', 'app'] },
  server: { imports: ['app', 'domain', 'server'] },
  jobs: { imports: ['app', 'domain', 'jobs'] },
  client: { imports: ['client'] },
  boot: { imports: '*' },
  cli: { imports: ['cli', 'client', 'domain', 'integrations'], lazily: ['boot'] },
};

/** Node built-ins the pure domain may use: computation only (node:crypto for hashes; its randomness is caught below). */
export const PURE_BUILTINS: readonly string[] = [
  'crypto',
  'util',
  'url',
  'buffer',
  'assert',
  'assert/strict',
  'string_decoder',
  'querystring',
];

/** Packages that do I/O (databases, HTTP, mail, GitHub): never in the domain. A prefix ending in '/' matches a scope. */
export const IO_PACKAGES: readonly string[] = [
  'pg',
  'better-sqlite3',
  'kysely',
  'fastify',
  '@fastify/',
  'nodemailer',
  'smtp-server',
  'mailparser',
  '@octokit/',
  'openapi-fetch',
  'undici',
];

/** Calls that read the clock or do I/O, written as `object.member` or a global function. */
export const PURE_FORBIDDEN_CALLS: readonly string[] = [
  'Date.now',
  'Date',
  'Math.random',
  'performance.now',
  'fetch',
  'setTimeout',
  'setInterval',
  'setImmediate',
];

/** Functions that take randomness, caught on any object (`crypto.randomUUID()`, `c.randomBytes()`) or alone. */
export const RANDOMNESS_FUNCTIONS: readonly string[] = [
  'randomUUID',
  'randomBytes',
  'randomInt',
  'randomFill',
  'randomFillSync',
  'getRandomValues',
];

/** Names the domain may not import from node:crypto, so an alias (`randomBytes as rb`) does not hide them. */
export const CRYPTO_RANDOMNESS = /^(random|getRandomValues$|generateKey|generatePrime)/;

export type ImportKind = 'static' | 'side-effect' | 're-export' | 'type' | 'dynamic' | 'require';

export interface ImportRef {
  spec: string;
  kind: ImportKind;
  line: number;
  /** The names an `import { a, b as c }` takes (the exported names), for the crypto check. */
  names: string[];
}

export interface Violation {
  file: string;
  line: number;
  /** What was found: the import specifier, or the forbidden expression (`Date.now()`, `process.env`). */
  what: string;
  message: string;
}

/** `file → what`, the form KNOWN_VIOLATIONS lists. */
export const violationKey = (v: Pick<Violation, 'file' | 'what'>): string => `${v.file} → ${v.what}`;

function parse(file: SourceFile): ts.SourceFile {
  return ts.createSourceFile(file.path, file.text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
}

const lineOf = (sf: ts.SourceFile, node: ts.Node): number => sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1;

/** A literal specifier, or undefined when it is computed (and so cannot be checked). */
function literal(node: ts.Node | undefined): string | undefined {
  if (node && (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node))) return node.text;
  return undefined;
}

/** Every module a file refers to. A computed `import(x)` or `require(x)` comes back with the spec '<computed>'. */
export function importsOf(file: SourceFile): ImportRef[] {
  const sf = parse(file);
  const refs: ImportRef[] = [];
  const add = (spec: string | undefined, kind: ImportKind, node: ts.Node, names: string[] = []) =>
    refs.push({ spec: spec ?? '<computed>', kind, line: lineOf(sf, node), names });
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node)) {
      const clause = node.importClause;
      const names =
        clause?.namedBindings && ts.isNamedImports(clause.namedBindings)
          ? clause.namedBindings.elements.map((e) => (e.propertyName ?? e.name).text)
          : [];
      const kind: ImportKind = !clause ? 'side-effect' : clause.isTypeOnly ? 'type' : 'static';
      add(literal(node.moduleSpecifier), kind, node, names);
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier) {
      add(literal(node.moduleSpecifier), node.isTypeOnly ? 'type' : 're-export', node);
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      add(literal(node.moduleReference.expression), node.isTypeOnly ? 'type' : 'require', node);
    } else if (ts.isImportTypeNode(node)) {
      const arg = node.argument;
      add(ts.isLiteralTypeNode(arg) ? literal(arg.literal) : undefined, 'type', node);
    } else if (ts.isCallExpression(node)) {
      if (node.expression.kind === ts.SyntaxKind.ImportKeyword) add(literal(node.arguments[0]), 'dynamic', node);
      else if (ts.isIdentifier(node.expression) && node.expression.text === 'require') add(literal(node.arguments[0]), 'require', node);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return refs;
}

/** The dotted name of a callee (`Date.now`, `crypto.randomUUID`, `fetch`), or undefined when it is not a plain name. */
function dottedName(node: ts.Expression): string | undefined {
  if (ts.isIdentifier(node)) return node.text;
  if (ts.isPropertyAccessExpression(node)) {
    const left = dottedName(node.expression);
    return left === undefined ? undefined : `${left}.${node.name.text}`;
  }
  return undefined;
}

/** `globalThis.Date.now` → `Date.now`; `window.` and `global.` likewise. */
const withoutGlobal = (name: string): string => name.replace(/^(globalThis|global|window|self)\./, '');

/** Clock, environment and randomness reads in a file's code (comments and strings do not count). */
export function impureExpressions(file: SourceFile): { what: string; line: number }[] {
  const sf = parse(file);
  const found: { what: string; line: number }[] = [];
  const forbidden = new Set(PURE_FORBIDDEN_CALLS);
  const randomness = new Set(RANDOMNESS_FUNCTIONS);
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node)) {
      const name = dottedName(node.expression);
      const last = name?.slice(name.lastIndexOf('.') + 1);
      if (name !== undefined && (forbidden.has(withoutGlobal(name)) || randomness.has(last!)))
        found.push({ what: `${withoutGlobal(name)}()`, line: lineOf(sf, node) });
    } else if (ts.isNewExpression(node)) {
      const name = dottedName(node.expression);
      // new Date(x) converts a time it is given; new Date() reads the clock.
      if (name !== undefined && withoutGlobal(name) === 'Date' && (node.arguments?.length ?? 0) === 0)
        found.push({ what: 'new Date()', line: lineOf(sf, node) });
    } else if (ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node)) {
      const name = dottedName(node.expression);
      if (name !== undefined && withoutGlobal(name) === 'process') {
        const member = ts.isPropertyAccessExpression(node) ? node.name.text : (literal(node.argumentExpression) ?? '[…]');
        found.push({ what: `process.${member}`, line: lineOf(sf, node) });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}

/** The layer a path relative to src/ is in: its first folder, or '' for a file directly in src/. */
export const layerOf = (file: string): string => (file.includes('/') ? file.slice(0, file.indexOf('/')) : '');

/** Where a relative specifier lands, relative to src/ ('store/cases.js'), or undefined when outside src/. */
export function resolve(file: string, spec: string): string | undefined {
  const to = path.posix.normalize(path.posix.join(path.posix.dirname(file), spec));
  return to.startsWith('../') || to === '..' ? undefined : to;
}

const isBuiltin = (spec: string): boolean => spec.startsWith('node:') || builtinModules.includes(spec.split('/')[0]!);

/** Checks every file against LAYER_RULES and, in a pure layer, against the PURE_* lists. */
export function checkLayers(files: readonly SourceFile[], rules: Readonly<Record<string, LayerRule>> = LAYER_RULES): Violation[] {
  const violations: Violation[] = [];
  for (const file of files) {
    const layer = layerOf(file.path);
    const rule = rules[layer];
    if (!rule) {
      violations.push({
        file: file.path,
        line: 1,
        what: '(layer)',
        message: `${file.path} is in no known layer (${Object.keys(rules).join(', ')})`,
      });
      continue;
    }
    const report = (line: number, what: string, message: string) => violations.push({ file: file.path, line, what, message });
    for (const ref of importsOf(file)) {
      if (ref.spec === '<computed>') {
        report(ref.line, ref.spec, `a ${ref.kind} import with a computed specifier cannot be checked: name the module`);
        continue;
      }
      if (ref.spec.startsWith('.')) {
        const to = resolve(file.path, ref.spec);
        if (to === undefined) continue; // data beside src/ (package.json, playbooks): no layer
        const target = layerOf(to);
        if (rule.imports === '*' || rule.imports.includes(target)) continue;
        if (rule.lazily?.includes(target) && (ref.kind === 'dynamic' || ref.kind === 'type')) continue;
        const how = rule.lazily?.includes(target) ? ` except through import() (this is a ${ref.kind} import)` : '';
        report(ref.line, ref.spec, `${layer} may not import ${target || 'src/'}${how}: ${file.path}:${ref.line} → ${ref.spec}`);
      } else if (rule.pure) {
        const bare = ref.spec.replace(/^node:/, '');
        if (isBuiltin(ref.spec)) {
          if (!PURE_BUILTINS.includes(bare))
            report(ref.line, ref.spec, `the domain does no I/O: ${file.path}:${ref.line} imports ${ref.spec}`);
          else if (bare === 'crypto' && ref.names.some((n) => CRYPTO_RANDOMNESS.test(n)))
            report(ref.line, ref.spec, `the domain takes no randomness: ${file.path} imports ${ref.names.join(', ')} from ${ref.spec}`);
        } else if (IO_PACKAGES.some((p) => (p.endsWith('/') ? ref.spec.startsWith(p) : ref.spec === p || ref.spec.startsWith(`${p}/`)))) {
          report(ref.line, ref.spec, `the domain does no I/O: ${file.path}:${ref.line} imports ${ref.spec}`);
        }
      }
    }
    if (rule.pure) {
      for (const { what, line } of impureExpressions(file)) {
        report(line, what, `the domain reads no clock, environment or randomness (pass it in): ${file.path}:${line} ${what}`);
      }
    }
  }
  return violations;
}

/** Every TypeScript source under a directory, with paths relative to it. */
export function readSources(root: string): SourceFile[] {
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? walk(path.join(dir, e.name)) : /\.[cm]?tsx?$/.test(e.name) ? [path.join(dir, e.name)] : [],
    );
  return walk(root).map((abs) => ({ path: path.relative(root, abs).split(path.sep).join('/'), text: readFileSync(abs, 'utf8') }));
}
