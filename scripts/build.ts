/**
 * `npm run build`: the CLI bundled for a fast start (issue 10, "a fast CLI"). What `embargo case list`
 * spent its start on was loading ~600 modules one file at a time and compiling them; the bundle is
 * a few files, and bin/embargo.cjs loads them with a V8 code cache (src/cli/code-cache.ts).
 *
 *   dist/cli/start.js        bin/embargo.cjs's module: installs the code cache, loads the program
 *   dist/cli/guard-hook.js   what the git hooks of `embargo guard install` run
 *   dist/cli/*-HASH.js       chunks: the program (main-HASH.js, src/cli/main.ts), each command group
 *                            and what they share, each loaded when a command needs it
 *   dist/cli/schemas/        the route schemas' validators and serialisers as code, for the local
 *                            mode (scripts/precompile-routes.ts; src/server/precompiled.ts says more)
 *   dist/code-cache/         V8's bytecode for the chunks, written by the warm-up below (and by any
 *                            later run that finds it missing or made by another Node)
 *
 * Every file that goes through the code cache has its content's hash in its name, so a cache can
 * never meet another build's file of the same name and length (V8 checks no more than the length;
 * npm gives every file of a package the same modification time).
 *
 * esbuild splits code only in ES module format, and Node 20 can give a code cache only to scripts, so
 * the chunks are built as ES modules and each is then turned into CommonJS (dist/cli/package.json
 * says so). Packages that are native or that only rare commands use stay in node_modules.
 * `import.meta.url` in a source file becomes the URL its compiled file would have (dist/server/server.js
 * for src/server/server.ts), so paths relative to it (web/, playbooks/, package.json) still resolve.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { precompiledModule, precompileRoutes } from './precompile-routes.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SRC = path.join(ROOT, 'src');
const DIST = path.join(ROOT, 'dist');
const OUT = path.join(DIST, 'cli');
export const CODE_CACHE_DIR = path.join(DIST, 'code-cache');

/** Native addons, and big CommonJS packages only a rare command loads (require() finds them in node_modules). */
const EXTERNAL = ['better-sqlite3', 'pg', '@node-rs/argon2', 'nodemailer', 'mailparser'];

/** `import.meta.url` of src/x/y.ts → the URL of dist/x/y.js, computed where the chunk runs. */
const importMetaUrl: esbuild.Plugin = {
  name: 'import-meta-url',
  setup(build) {
    build.onLoad({ filter: /\.ts$/ }, (args) => {
      if (!args.path.startsWith(SRC)) return undefined;
      const compiled = path.relative(SRC, args.path).replace(/\.ts$/, '.js').split(path.sep).join('/');
      const text = readFileSync(args.path, 'utf8').replaceAll('import.meta.url', `__embargoUrl(${JSON.stringify(compiled)})`);
      return { contents: text, loader: 'ts' };
    });
  },
};

/** src/server/precompiled.ts, which has nothing in the sources, as generated from the routes. */
function precompiled(text: string): esbuild.Plugin {
  const file = path.join(SRC, 'server/precompiled.ts');
  return {
    name: 'precompiled',
    setup(build) {
      build.onLoad({ filter: /precompiled\.ts$/ }, (args) =>
        args.path === file ? { contents: text, loader: 'js', resolveDir: path.dirname(file) } : undefined,
      );
    },
  };
}

/**
 * Our own JSON files (the CWE catalogue) as one string that JSON.parse reads: V8 parses JSON much
 * faster than it runs the object literal esbuild would make of it, and caches one string, not its code.
 */
const jsonAsString: esbuild.Plugin = {
  name: 'json-as-string',
  setup(build) {
    build.onLoad({ filter: /\.json$/ }, (args) => {
      if (!args.path.startsWith(SRC)) return undefined;
      const text = JSON.stringify(JSON.parse(readFileSync(args.path, 'utf8')));
      return { contents: `export default JSON.parse(${JSON.stringify(text)});`, loader: 'js' };
    });
  },
};

/**
 * Node modules that a package requires when it loads but uses only on paths the CLI rarely takes:
 * commander's child processes (for stand-alone executable subcommands, which embargo has none of).
 * The package gets an object that requires the real module on first use: ~2 ms of every start.
 * (Fastify's https, http2 and dns would be candidates too, but the fetch API the client uses loads
 * them anyway.)
 */
const LAZY_BUILTINS: Record<string, readonly string[]> = {
  'node_modules/commander/lib/command.js': ['node:child_process'],
};

const lazyBuiltins: esbuild.Plugin = {
  name: 'lazy-builtins',
  setup(build) {
    build.onResolve({ filter: /^node:/ }, (args) => {
      const importer = path.relative(ROOT, args.importer).split(path.sep).join('/');
      return LAZY_BUILTINS[importer]?.includes(args.path) ? { path: args.path, namespace: 'lazy-builtin' } : undefined;
    });
    build.onLoad({ filter: /.*/, namespace: 'lazy-builtin' }, (args) => ({
      contents: `let loaded;
const real = () => (loaded ??= require(${JSON.stringify(args.path)}));
module.exports = new Proxy({}, { get: (_, key) => real()[key], has: (_, key) => key in real() });`,
      loader: 'js',
    }));
  },
};

/** Defined at the top of every chunk (a chunk lives in dist/cli, so dist is its parent directory). */
const BANNER = `var __embargoUrl = (file) => require("node:url").pathToFileURL(require("node:path").join(__dirname, "..", file)).href;`;

/**
 * One ES module chunk as CommonJS. Every import() becomes a require(): of a chunk, so that it goes
 * through the code cache and not Node's ES module loader; of a package (pg, nodemailer), because an
 * import() in code that V8 restored from a code cache finds no module loader in Node 20.
 */
async function toCommonJs(code: string, file: string): Promise<string> {
  const result = await esbuild.transform(code, {
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    supported: { 'dynamic-import': false },
    sourcefile: file,
    // Less to read at every start; names stay (stack traces and Fastify's plugin names read them).
    minifyWhitespace: true,
    minifySyntax: true,
    // guard.ts's import.meta.resolve runs only from the TypeScript sources (tsx), never in the bundle.
    logOverride: { 'empty-import-meta': 'silent' },
  });
  if (/\bimport\(/.test(result.code)) throw new Error(`${file}: an import() is left in the bundle; it would fail under the code cache`);
  return result.code;
}

export async function build(): Promise<void> {
  rmSync(DIST, { recursive: true, force: true });
  const generated = precompiledModule(await precompileRoutes());
  mkdirSync(path.join(OUT, 'schemas'), { recursive: true });
  for (const [name, text] of generated.files) writeFileSync(path.join(OUT, 'schemas', name), text);
  const result = await esbuild.build({
    absWorkingDir: ROOT,
    // main.ts is no entry of its own: start.ts imports it, so it is a chunk with a hashed name.
    entryPoints: { start: 'src/cli/start.ts', 'guard-hook': 'src/cli/guard-hook.ts' },
    outdir: OUT,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    external: EXTERNAL,
    plugins: [precompiled(generated.module), importMetaUrl, jsonAsString, lazyBuiltins],
    banner: { js: BANNER },
    legalComments: 'none',
    write: false,
    logLevel: 'warning',
  });
  mkdirSync(OUT, { recursive: true });
  writeFileSync(path.join(OUT, 'package.json'), '{ "type": "commonjs" }\n');
  for (const file of result.outputFiles) {
    writeFileSync(file.path, await toCommonJs(file.text, path.relative(ROOT, file.path)));
  }
}

/**
 * Runs the commands whose start matters most, so the caches of the chunks they load hold the
 * functions they compile: a first `case new` only creates a database to list (its caches are
 * dropped); `case list` writes the caches of what it loads, then `cvss`, `--help` and `case list`
 * again rewrite theirs (EMBARGO_CODE_CACHE=refresh), so a chunk they share holds what each needs.
 */
export function warmUp(): void {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'embargo-build-'));
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^(EMBARGO_|DATABASE_URL$|NODE_OPTIONS$)/.test(k)) env[k] = v;
  Object.assign(env, { EMBARGO_DATA_DIR: dataDir, NO_COLOR: '1' });
  const embargo = (args: string[], extra: NodeJS.ProcessEnv = {}) => {
    const r = spawnSync(process.execPath, [path.join(ROOT, 'bin/embargo.cjs'), ...args], {
      cwd: ROOT,
      env: { ...env, ...extra },
      encoding: 'utf8',
    });
    if (r.status !== 0) throw new Error(`the built CLI failed: embargo ${args.join(' ')} exited ${r.status ?? r.signal}\n${r.stderr}`);
  };
  const list = ['case', 'list'];
  try {
    embargo(['case', 'new', '--title', 'Warm-up case']);
    rmSync(CODE_CACHE_DIR, { recursive: true, force: true });
    embargo(list);
    for (const args of [['cvss', 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H'], ['--help'], list]) {
      embargo(args, { EMBARGO_CODE_CACHE: 'refresh' });
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await build();
  warmUp();
}
