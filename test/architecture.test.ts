/**
 * Imports point inward (cli, server, jobs → app → store, integrations → domain), no shell imports
 * another shell, and the domain reads no clock, environment or randomness. The checker is in
 * test/support/layers.ts; the tests below first prove it reports each kind of planted violation, then
 * run it on src/.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkLayers, importsOf, readSources, type SourceFile, violationKey } from './support/layers.js';

const SRC = path.resolve(import.meta.dirname, '../src');

/** The `file → what` keys the checker reports for a planted tree. */
const keys = (...files: SourceFile[]): string[] => checkLayers(files).map(violationKey);
const file = (p: string, text: string): SourceFile => ({ path: p, text });

describe('the layer check reports a planted violation', () => {
  it('a server file importing the store', () => {
    expect(keys(file('server/routes/x.ts', "import { loadCase } from '../../store/cases.js';\n"))).toEqual([
      'server/routes/x.ts → ../../store/cases.js',
    ]);
  });

  it('a side-effect import', () => {
    expect(keys(file('server/x.ts', "import '../store/store.js';\n"))).toEqual(['server/x.ts → ../store/store.js']);
  });

  it('a dynamic import', () => {
    expect(keys(file('server/x.ts', "export const load = async () => (await import('../store/cases.js')).loadCase;\n"))).toEqual([
      'server/x.ts → ../store/cases.js',
    ]);
  });

  it('a re-export, a type-only import, a typeof import() and a require()', () => {
    const text = [
      "export { loadCase } from '../store/cases.js';",
      "export * from '../store/events.js';",
      "import type { Store } from '../store/store.js';",
      "type Tokens = typeof import('../store/tokens.js');",
      "const users = require('../store/users.js');",
      "import sessions = require('../store/sessions.js');",
      '',
    ].join('\n');
    expect(keys(file('server/x.ts', text))).toEqual([
      'server/x.ts → ../store/cases.js',
      'server/x.ts → ../store/events.js',
      'server/x.ts → ../store/store.js',
      'server/x.ts → ../store/tokens.js',
      'server/x.ts → ../store/users.js',
      'server/x.ts → ../store/sessions.js',
    ]);
  });

  it('a computed dynamic import, which could hide any layer', () => {
    expect(keys(file('cli/x.ts', 'export const load = (name: string) => import(`./commands/${name}.js`);\n'))).toEqual([
      'cli/x.ts → <computed>',
    ]);
  });

  it('a cli file importing the server', () => {
    expect(keys(file('cli/client.ts', "import { presentAccess } from '../server/presenters.js';\n"))).toEqual([
      'cli/client.ts → ../server/presenters.js',
    ]);
  });

  it('a static import of boot from the cli, while import() of boot passes', () => {
    expect(keys(file('cli/commands/serve.ts', "import { boot } from '../../boot/boot.js';\n"))).toEqual([
      'cli/commands/serve.ts → ../../boot/boot.js',
    ]);
    expect(keys(file('cli/commands/serve.ts', "import '../../boot/boot.js';\n"))).toEqual(['cli/commands/serve.ts → ../../boot/boot.js']);
    expect(keys(file('cli/commands/serve.ts', "export const boot = () => import('../../boot/boot.js');\n"))).toEqual([]);
  });

  it('a file outside every layer', () => {
    expect(keys(file('web/x.ts', 'export const x = 1;\n'), file('main.ts', 'export const y = 1;\n'))).toEqual([
      'web/x.ts → (layer)',
      'main.ts → (layer)',
    ]);
  });

  // Which layer may import which, written out pair by pair from docs/architecture.md rather than
  // read from LAYER_RULES, so a wrong rule fails here.
  const FORBIDDEN: [from: string, to: string][] = [
    ['domain', 'store'],
    ['domain', 'integrations'],
    ['domain', 'app'],
    ['domain', 'server'],
    ['domain', 'client'],
    ['store', 'integrations'],
    ['store', 'app'],
    ['store', 'server'],
    ['integrations', 'store'],
    ['integrations', 'app'],
    ['integrations', 'cli'],
    ['app', 'server'],
    ['app', 'cli'],
    ['app', 'jobs'],
    ['app', 'boot'],
    ['server', 'store'],
    ['server', 'integrations'],
    ['server', 'cli'],
    ['server', 'jobs'],
    ['server', 'client'],
    ['jobs', 'store'],
    ['jobs', 'integrations'],
    ['jobs', 'server'],
    ['jobs', 'cli'],
    ['client', 'app'],
    ['client', 'server'],
    ['client', 'domain'],
    ['client', 'cli'],
    ['cli', 'app'],
    ['cli', 'store'],
    ['cli', 'server'],
    ['cli', 'jobs'],
  ];
  const ALLOWED: [from: string, to: string][] = [
    ['domain', 'domain'],
    ['store', 'domain'],
    ['integrations', 'domain'],
    ['app', 'domain'],
    ['app', 'store'],
    ['app', 'integrations'],
    ['server', 'app'],
    ['server', 'domain'],
    ['jobs', 'app'],
    ['jobs', 'domain'],
    ['client', 'client'],
    ['cli', 'client'],
    ['cli', 'domain'],
    ['cli', 'integrations'],
    ['boot', 'server'],
    ['boot', 'jobs'],
    ['boot', 'client'],
    ['boot', 'store'],
  ];
  for (const [from, to] of FORBIDDEN) {
    it(`${from} importing ${to}`, () => {
      expect(keys(file(`${from}/x.ts`, `import { y } from '../${to}/y.js';\n`))).toEqual([`${from}/x.ts → ../${to}/y.js`]);
    });
  }
  it('and passes every allowed direction', () => {
    const files = ALLOWED.map(([from, to], i) => file(`${from}/x${i}.ts`, `import { y } from '../${to}/y.js';\n`));
    expect(keys(...files)).toEqual([]);
  });
});

describe('the layer check reports an impure domain', () => {
  const domain = (text: string) => keys(file('domain/case/x.ts', text));

  it('reading the clock', () => {
    expect(domain('export const now = () => Date.now();\n')).toEqual(['domain/case/x.ts → Date.now()']);
    expect(domain('export const now = () => new Date();\n')).toEqual(['domain/case/x.ts → new Date()']);
    expect(domain('export const now = () => globalThis.performance.now();\n')).toEqual(['domain/case/x.ts → performance.now()']);
    expect(domain('export const today = () => Date();\n')).toEqual(['domain/case/x.ts → Date()']);
  });

  it('taking randomness', () => {
    expect(domain('export const pick = () => Math.random();\n')).toEqual(['domain/case/x.ts → Math.random()']);
    expect(domain('export const id = () => crypto.randomUUID();\n')).toEqual(['domain/case/x.ts → crypto.randomUUID()']);
    expect(domain("import * as c from 'node:crypto';\nexport const salt = () => c.randomBytes(16);\n")).toEqual([
      'domain/case/x.ts → c.randomBytes()',
    ]);
    expect(domain("import { randomBytes as salt } from 'node:crypto';\nexport const s = () => salt(16);\n")).toEqual([
      'domain/case/x.ts → node:crypto',
    ]);
    expect(domain("import { randomInt } from 'node:crypto';\nexport const n = () => randomInt(6);\n")).toEqual([
      'domain/case/x.ts → node:crypto',
      'domain/case/x.ts → randomInt()',
    ]);
  });

  it('reading the environment', () => {
    expect(domain('export const key = () => process.env.EMBARGO_SECRET_KEY;\n')).toEqual(['domain/case/x.ts → process.env']);
    expect(domain("export const cwd = () => process['cwd']();\n")).toEqual(['domain/case/x.ts → process.cwd']);
  });

  it('importing node:fs or a database', () => {
    expect(domain("import { readFileSync } from 'node:fs';\n")).toEqual(['domain/case/x.ts → node:fs']);
    expect(domain("import fs from 'fs/promises';\n")).toEqual(['domain/case/x.ts → fs/promises']);
    expect(domain("import pg from 'pg';\nimport { Kysely } from 'kysely';\nimport { Octokit } from '@octokit/rest';\n")).toEqual([
      'domain/case/x.ts → pg',
      'domain/case/x.ts → kysely',
      'domain/case/x.ts → @octokit/rest',
    ]);
  });

  it('but not a time it is given, a hash, a pure package, or words in comments and strings', () => {
    const text = [
      "import { createHash } from 'node:crypto';",
      "import { parse } from 'yaml';",
      '// Date.now() and process.env are read by the shell, never here; Math.random() neither.',
      "export const note = 'call Date.now() in the shell';",
      'export const at = (iso: string) => new Date(iso).getTime() + Date.UTC(2026, 0, 1);',
      "export const digest = (s: string) => createHash('sha256').update(s).digest('hex');",
      'export const load = (s: string) => parse(s);',
      'export const run = (clock: { now(): number }) => clock.now();',
      '',
    ].join('\n');
    expect(domain(text)).toEqual([]);
  });

  it('only in the domain: the shells may read the clock', () => {
    expect(
      keys(file('app/x.ts', "import { readFileSync } from 'node:fs';\nexport const now = () => Date.now() + Number(process.env.X);\n")),
    ).toEqual([]);
  });
});

/**
 * Violations tolerated in src/ (file → import), each with its reason. None is left: add a line only
 * for a violation on its way out. The test fails when a listed violation is gone, so the list only
 * shrinks.
 */
const KNOWN_VIOLATIONS: readonly string[] = [];

describe('src/', () => {
  const violations = checkLayers(readSources(SRC));
  const found = [...new Set(violations.map(violationKey))];

  it('has every layer the rules name, and the checker sees its imports', () => {
    const files = readSources(SRC);
    expect(files.length).toBeGreaterThan(50);
    for (const layer of ['domain', 'store', 'integrations', 'app', 'server', 'jobs', 'cli']) {
      expect(files.some((f) => f.path.startsWith(`${layer}/`))).toBe(true);
    }
  });

  it('keeps to the layers, but for the known violations', () => {
    const known = new Set(KNOWN_VIOLATIONS);
    expect(violations.filter((v) => !known.has(violationKey(v))).map((v) => v.message)).toEqual([]);
  });

  it('still has every known violation (delete the line of one that is gone)', () => {
    expect(KNOWN_VIOLATIONS.filter((k) => !found.includes(k))).toEqual([]);
  });
});

/**
 * The web app (web/app/src) is a shell like the CLI: into src/ it may reach only the generated
 * client and the pure domain, never the server, app, store or integrations (which would also pull
 * Node code into the browser bundle).
 */
function webAppViolations(files: readonly SourceFile[]): string[] {
  const repo = path.resolve(import.meta.dirname, '..');
  const webSrc = path.join(repo, 'web/app/src');
  const out: string[] = [];
  for (const f of files) {
    for (const ref of importsOf(f)) {
      if (!ref.spec.startsWith('.')) continue;
      const target = path
        .relative(repo, path.resolve(webSrc, path.dirname(f.path), ref.spec))
        .split(path.sep)
        .join('/');
      if (target.startsWith('web/app/src/') || target.startsWith('src/client/') || target.startsWith('src/domain/')) continue;
      out.push(`${f.path} → ${ref.spec}`);
    }
  }
  return out;
}

describe('the web app', () => {
  it('is caught importing the server or the store', () => {
    expect(
      webAppViolations([
        file('pages/x.tsx', "import { buildServer } from '../../../../src/server/server.js';\nimport { api } from '../api.js';\n"),
        file(
          'y.ts',
          "import type { Store } from '../../../src/store/store.js';\nimport { parseCvss } from '../../../src/domain/severity/cvss.js';\n",
        ),
      ]),
    ).toEqual(['pages/x.tsx → ../../../../src/server/server.js', 'y.ts → ../../../src/store/store.js']);
  });

  it('reaches src/ only through the generated client and the pure domain', () => {
    const files = readSources(path.resolve(import.meta.dirname, '../web/app/src'));
    expect(files.length).toBeGreaterThan(10);
    expect(webAppViolations(files)).toEqual([]);
  });
});
