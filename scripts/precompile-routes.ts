/**
 * What the build works out ahead of time for the CLI's local mode, as the source of the bundle's
 * src/server/precompiled.ts: the group of every route, and every route schema's validator and
 * serialiser as standalone code. The code is what Fastify's own compilers make of the schemas at a
 * server's start (Ajv's and fast-json-stringify's standalone output, with the same options), so a
 * precompiled function validates and serialises exactly as a compiled one.
 */
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import ajvCompiler from '@fastify/ajv-compiler';
import { StandaloneSerializer } from '@fastify/fast-json-stringify-compiler';
import { createApp } from '../src/app/app.js';
import { configFromEnv } from '../src/app/config.js';
import { type SerializerRoute, serializerKey, type ValidatorRoute, validatorKey } from '../src/server/lazy-schemas.js';
import type { Precompiled } from '../src/server/precompiled.js';
import { buildServer, type RouteGroup, type SchemaCompilers } from '../src/server/server.js';
import { openStore } from '../src/store/store.js';

export interface RouteCode {
  /** "METHOD /url/:param" → the group that registers it. */
  routes: Record<string, RouteGroup>;
  /** validatorKey → Ajv's standalone module code (CommonJS). */
  validators: Map<string, string>;
  /** serializerKey → fast-json-stringify's standalone module code (CommonJS). */
  serializers: Map<string, string>;
}

/**
 * The local server matches a path against the routes segment by segment (boot/local-server.ts):
 * a wildcard, a regular expression or two parameters in one segment would need find-my-way itself.
 */
function checkMatchable(url: string): void {
  for (const segment of url.split('/')) {
    if (segment.includes('*') || segment.includes('(') || segment.indexOf(':') > 0 || segment.split(':').length > 2) {
      throw new Error(`route ${url}: the CLI's local server cannot index the segment "${segment}" (see boot/local-server.ts)`);
    }
  }
}

/**
 * Every route but the web app's static assets (/assets/*): the CLI never asks for them, and a path
 * no indexed route matches goes to the server with every route anyway.
 */
export const isIndexed = (route: { group: string; url: string }) => !(route.group === 'web' && route.url.endsWith('/*'));

export async function precompileRoutes(): Promise<RouteCode> {
  const validators = new Map<string, string>();
  const serializers = new Map<string, string>();
  // A HEAD route (Fastify's, for each GET) is never asked for in process; its schemas are the GET's.
  const keep = (route: { method?: string }) => route.method !== 'HEAD';
  const writeValidators = ajvCompiler.StandaloneValidator({
    readMode: false,
    storeFunction: (route, code) => void (keep(route) && validators.set(validatorKey(route as ValidatorRoute), code)),
  });
  const writeSerializers = StandaloneSerializer({
    readMode: false,
    storeFunction: (route, code) => void (keep(route) && serializers.set(serializerKey(route as SerializerRoute), code)),
  });
  const compilers = {
    buildValidator: writeValidators,
    // Validators for anyOf branches inlined into the serialiser's code, rather than Ajv compiling them on first use.
    buildSerializer: (externalSchemas: never, options?: object) =>
      writeSerializers(externalSchemas, { ...options, inlineValidators: true } as never),
  } as unknown as SchemaCompilers;

  const store = await openStore({ databaseUrl: 'sqlite::memory:' });
  try {
    const server = await buildServer(await createApp(store, configFromEnv({})), { schemaCompilers: compilers });
    const routes: Record<string, RouteGroup> = {};
    for (const route of server.embargoRoutes) {
      if (!isIndexed(route)) continue;
      checkMatchable(route.url);
      routes[`${route.method} ${route.url}`] = route.group;
    }
    await server.close();
    return { routes, validators, serializers };
  } finally {
    await store.close();
  }
}

/**
 * The bundle's src/server/precompiled.ts, and the files it loads: each distinct piece of code once,
 * as a CommonJS module of its own (dist/cli/schemas/schema-HASH.js), read when a route first needs it.
 * A serialiser of a case is ~100 kB of code and a command needs two or three of the ~140 pieces.
 * The index is one JSON string: V8 reads it faster than it builds an object literal of 700 entries.
 */
export function precompiledModule(code: RouteCode): { module: string; files: Map<string, string> } {
  const files = new Map<string, string>();
  const nameOf = new Map<string, string>();
  const table = (entries: Map<string, string>) => {
    const names: Record<string, string> = {};
    for (const [key, text] of entries) {
      let name = nameOf.get(text);
      if (name === undefined) {
        // Named by its content: the code cache keys a file by its name (see scripts/build.ts).
        name = `schema-${createHash('sha256').update(text).digest('hex').slice(0, 16)}.js`;
        files.set(name, text);
        nameOf.set(text, name);
      }
      names[key] = name;
    }
    return names;
  };
  const index = { routes: code.routes, validators: table(code.validators), serializers: table(code.serializers) };
  const module = `// Generated by scripts/build.ts from the routes (scripts/precompile-routes.ts). Do not edit.
// The pieces are not bundled: each is read from dist/cli/schemas when a route first needs it.
const index = JSON.parse(${JSON.stringify(JSON.stringify(index))});
const load = (name) => (name === undefined ? undefined : require(require("node:path").join(__dirname, "schemas", name)));
export const PRECOMPILED = {
  routes: index.routes,
  validator: (key) => load(index.validators[key]),
  serializer: (key) => load(index.serializers[key]),
};
`;
  return { module, files };
}

/**
 * What the bundle's PRECOMPILED holds, made in this process from `precompileRoutes()`: for tests
 * that run the CLI's local mode from the sources as the built CLI runs it.
 */
export async function loadPrecompiled(): Promise<Precompiled> {
  const code = await precompileRoutes();
  const require = createRequire(import.meta.url);
  const made = new Map<string, unknown>();
  const load = (text: string) => {
    if (!made.has(text)) {
      const module = { exports: {} as unknown };
      new Function('module', 'exports', 'require', text)(module, module.exports, require);
      made.set(text, module.exports);
    }
    return made.get(text) as never;
  };
  const find = (entries: Map<string, string>) => (key: string) => {
    const text = entries.get(key);
    return text === undefined ? undefined : load(text);
  };
  return { routes: code.routes, validator: find(code.validators), serializer: find(code.serializers) };
}
