/**
 * What the build works out ahead of time for the CLI's local mode: which route group registers
 * each route, and every route schema's validator and serialiser as generated code (Ajv's and
 * fast-json-stringify's standalone output). scripts/build.ts generates the bundle's copy of this
 * module from the routes as they are at build time (scripts/precompile-routes.ts), so it cannot go
 * stale; in the sources there is none, and the local mode registers every route and compiles each
 * schema on its first use instead.
 */
import type { PrecompiledSchemas } from './lazy-schemas.js';
import type { RouteGroup } from './server.js';

export interface Precompiled extends PrecompiledSchemas {
  /** The group of each route, by "METHOD /url/:param" as registered. */
  routes: Readonly<Record<string, RouteGroup>>;
}

export const PRECOMPILED: Precompiled | undefined = undefined;
