/**
 * A V8 code cache for the bundled CLI (dist/cli/*.js, CommonJS; see scripts/build.ts). Node 20 has
 * no module.enableCompileCache, and compiling the bundle's JavaScript is a good part of a local
 * command's start: with the bytecode V8 made on an earlier run, a chunk is deserialised instead of
 * parsed, and the functions that earlier run compiled are ready. The first run that loads a chunk
 * (the build's warm-up, normally) writes its cache when it exits; later runs only read. V8 refuses
 * a cache made by another version or with other flags, and that run writes a new one.
 *
 * The hook wraps `Module.prototype._compile` for the files of one directory, as v8-compile-cache
 * did for whole applications: the module is compiled by `vm.Script` with the same wrapper Node uses.
 */
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import path from 'node:path';
import vm from 'node:vm';

interface CompilingModule {
  exports: unknown;
  _compile(content: string, filename: string, ...rest: unknown[]): unknown;
}

type Wrapper = (exports: unknown, require: NodeJS.Require, module: unknown, filename: string, dirname: string) => unknown;

/** Where a file's cache lives: its name and modification time, so an edited file never meets an old cache. */
function cacheFileOf(cacheDir: string, filename: string): string {
  return path.join(cacheDir, `${path.basename(filename)}-${Math.floor(statSync(filename).mtimeMs)}.v8`);
}

function readCache(file: string): Buffer | undefined {
  try {
    return readFileSync(file);
  } catch {
    return undefined;
  }
}

/** Best effort: a read-only installation or a full disk only means the next run compiles again. */
function writeCaches(cacheDir: string, fresh: readonly { script: vm.Script; file: string }[]): void {
  if (fresh.length === 0) return;
  try {
    mkdirSync(cacheDir, { recursive: true });
    for (const { script, file } of fresh) {
      const tmp = `${file}.${process.pid}.tmp`;
      writeFileSync(tmp, script.createCachedData());
      renameSync(tmp, file);
    }
  } catch {
    // Nothing to do: the cache is an optimisation.
  }
}

export interface CodeCacheOptions {
  /**
   * Write the cache of every module this run loads, not only of those that had none: it then holds
   * what earlier runs compiled and what this one did (the build's warm-up runs several commands).
   */
  refresh?: boolean;
}

/**
 * Compiles every CommonJS module loaded from `dir` or below it with a code cache kept in
 * `cacheDir`. Modules from elsewhere (node_modules) load as usual.
 */
export function installCodeCache(dir: string, cacheDir: string, options: CodeCacheOptions = {}): void {
  const proto = (Module as unknown as { prototype: CompilingModule }).prototype;
  const original = proto._compile;
  const fresh: { script: vm.Script; file: string }[] = [];
  proto._compile = function compileWithCache(this: CompilingModule, content: string, filename: string, ...rest: unknown[]) {
    if (!filename.startsWith(dir + path.sep)) return original.call(this, content, filename, ...rest);
    const file = cacheFileOf(cacheDir, filename);
    const cachedData = readCache(file);
    const script = new vm.Script(Module.wrap(content), {
      filename,
      cachedData,
      // The bundle's import() of an external package (pg, nodemailer, @octokit/rest) goes to Node's loader.
      importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
    });
    if (options.refresh || cachedData === undefined || script.cachedDataRejected) fresh.push({ script, file });
    const wrapper = script.runInThisContext({ displayErrors: true }) as Wrapper;
    return wrapper.call(this.exports, this.exports, createRequire(filename), this, filename, path.dirname(filename));
  };
  process.once('exit', () => writeCaches(cacheDir, fresh));
}
