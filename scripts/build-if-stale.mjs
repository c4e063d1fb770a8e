#!/usr/bin/env node
/**
 * Builds what is older than its sources, and nothing else: the CLI and server bundle (scripts/build.ts)
 * when a file under src/ or the build scripts is newer than dist/cli/start.js, and the web app (vite → dist/web) when a
 * file under web/app/, src/ (it imports the client and pure domain modules) or vite.config.ts is
 * newer than dist/web/index.html. `npm start` runs it, so a start after `npm install` serves at
 * once; vitest's global setup runs it for the web app, so the browser tests run the real build.
 *
 * Plain JavaScript on purpose: it runs before anything is compiled.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const at = (...parts) => path.join(ROOT, ...parts);

/** The newest modification time under the given files and directories (0 when none exists). */
function newest(paths) {
  let latest = 0;
  for (const p of paths) {
    let stat;
    try {
      stat = statSync(p);
    } catch {
      continue;
    }
    if (!stat.isDirectory()) {
      latest = Math.max(latest, stat.mtimeMs);
      continue;
    }
    for (const entry of readdirSync(p, { withFileTypes: true, recursive: true })) {
      if (entry.isFile()) latest = Math.max(latest, statSync(path.join(entry.parentPath, entry.name)).mtimeMs);
    }
  }
  return latest;
}

function builtAt(file) {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return 0;
  }
}

export const TARGETS = {
  // The CLI and server bundle (scripts/build.ts: esbuild, the precompiled route schemas, the code cache).
  server: {
    output: at('dist/cli/start.js'),
    sources: [at('src'), at('scripts/build.ts'), at('scripts/precompile-routes.ts'), at('playbooks')],
    command: ['--import', 'tsx', at('scripts/build.ts')],
  },
  web: {
    output: at('dist/web/index.html'),
    sources: [at('web/app'), at('src'), at('vite.config.ts')],
    command: [at('node_modules/vite/bin/vite.js'), 'build', '--config', at('vite.config.ts'), '--logLevel', 'warn'],
  },
};

export function isStale(name) {
  const target = TARGETS[name];
  return builtAt(target.output) < newest(target.sources);
}

/** Builds each named target that is stale; throws when a build fails. Returns the names built. */
export function buildIfStale(names = Object.keys(TARGETS), log = (line) => console.error(line)) {
  const built = [];
  for (const name of names) {
    if (!isStale(name)) continue;
    const started = Date.now();
    // NODE_ENV=production whoever calls: under vitest it is "test", and Vite would bundle React's development build.
    const env = { ...process.env, NODE_ENV: 'production' };
    const run = spawnSync(process.execPath, TARGETS[name].command, { cwd: ROOT, env, stdio: ['ignore', 'inherit', 'inherit'] });
    if (run.status !== 0) throw new Error(`building the ${name} failed (exit ${run.status ?? run.signal}); run npm run build to see why`);
    log(`embargo: built the ${name} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    built.push(name);
  }
  return built;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    buildIfStale();
  } catch (err) {
    console.error(`embargo: ${err.message}`);
    process.exit(1);
  }
}
