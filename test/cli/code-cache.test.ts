/**
 * The code cache of the bundled CLI (src/cli/code-cache.ts): the first run writes a cache for each
 * module of the directory, the next reads it (and writes nothing), a cache V8 refuses is replaced,
 * and an edited module gets a cache of its own. Each run is a real process, as the installed CLI is.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO } from './run-cli.js';

describe('the code cache', () => {
  let dir: string;
  let lib: string;
  let cache: string;

  /** Loads lib/a.js (which requires lib/b.js and other.js) with the cache installed for lib/; prints its answer. */
  const run = (options = {}) => {
    const script = `
      import { createRequire } from 'node:module';
      import { installCodeCache } from ${JSON.stringify(pathToFileURL(join(REPO, 'src/cli/code-cache.ts')).href)};
      installCodeCache(${JSON.stringify(lib)}, ${JSON.stringify(cache)}, ${JSON.stringify(options)});
      console.log(createRequire(import.meta.url)(${JSON.stringify(join(lib, 'a.js'))}).answer);`;
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: REPO, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    return r.stdout.trim();
  };
  const cached = () => readdirSync(cache).sort();

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'embargo-code-cache-'));
    lib = join(dir, 'lib');
    cache = join(dir, 'cache');
    mkdirSync(lib);
    writeFileSync(join(lib, 'package.json'), '{ "type": "commonjs" }\n');
    writeFileSync(join(lib, 'a.js'), 'exports.answer = require("./b.js").value + require("../other.js").value;\n');
    writeFileSync(join(lib, 'b.js'), 'exports.value = 40;\n');
    writeFileSync(join(dir, 'package.json'), '{ "type": "commonjs" }\n');
    writeFileSync(join(dir, 'other.js'), 'exports.value = 2;\n');
  });

  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('is written for the modules of its directory by the first run, and only read by the next', () => {
    expect(run()).toBe('42');
    const files = cached();
    expect(files.map((f) => f.replace(/-\d+\.v8$/, ''))).toEqual(['a.js', 'b.js']);
    const written = files.map((f) => statSync(join(cache, f)).mtimeMs);
    expect(run()).toBe('42');
    expect(cached()).toEqual(files);
    expect(files.map((f) => statSync(join(cache, f)).mtimeMs)).toEqual(written);
  });

  it('is rewritten for every module a run loads when the run asks for it (the build warms it with several commands)', () => {
    const files = cached();
    const written = files.map((f) => statSync(join(cache, f)).mtimeMs);
    expect(run({ refresh: true })).toBe('42');
    expect(cached()).toEqual(files);
    for (const [i, f] of files.entries()) expect(statSync(join(cache, f)).mtimeMs, f).toBeGreaterThan(written[i]!);
  });

  it('is replaced when V8 refuses it', () => {
    const b = cached().find((f) => f.startsWith('b.js'))!;
    writeFileSync(join(cache, b), 'not a code cache');
    expect(run()).toBe('42');
    expect(readFileSync(join(cache, b)).length).toBeGreaterThan(100);
  });

  it('is made anew for an edited module', () => {
    writeFileSync(join(lib, 'b.js'), 'exports.value = 41;\n');
    utimesSync(join(lib, 'b.js'), new Date(), new Date(Date.now() + 5_000));
    expect(run()).toBe('43');
    expect(cached().filter((f) => f.startsWith('b.js'))).toHaveLength(2);
  });
});
