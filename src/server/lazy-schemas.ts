/**
 * Schema compilers for the CLI's local mode, which builds the server for one or two requests: a
 * route's validator or serialiser is made the first time it is called instead of when the server
 * starts (compiling all ~90 routes' schemas up front was most of a local command's start-up), and
 * taken from the code the build generated for it when there is some (src/server/precompiled.ts),
 * so that not even the first call compiles. A network server keeps Fastify's eager compilers, so a
 * broken schema still stops the start, not a first request.
 */
import ajvCompiler from '@fastify/ajv-compiler';
import { SerializerSelector } from '@fastify/fast-json-stringify-compiler';
import type { SchemaCompilers } from './server.js';

type Validator = ((data: unknown) => unknown) & { errors?: unknown };
type Serializer = (doc: unknown) => string;

/** What Fastify says about the schema it asks a compiler for. */
export interface ValidatorRoute {
  method: string;
  url: string;
  httpPart?: string;
}
export interface SerializerRoute {
  method: string;
  url: string;
  httpStatus?: string;
  contentType?: string;
}

/** The route schemas' functions the build generated, by `validatorKey` and `serializerKey` (undefined: none). */
export interface PrecompiledSchemas {
  validator(key: string): Validator | undefined;
  serializer(key: string): Serializer | undefined;
}

export const validatorKey = (route: ValidatorRoute): string => `${route.method} ${route.url} ${route.httpPart ?? ''}`;
export const serializerKey = (route: SerializerRoute): string =>
  `${route.method} ${route.url} ${route.httpStatus ?? ''} ${route.contentType ?? ''}`;

/** A compiler's result, made when it is first called: from the generated code, else by `compile`. */
function onFirstCall<Compiled extends (...args: never[]) => unknown>(make: () => Compiled, keepErrors: boolean): Compiled {
  let compiled: Compiled | undefined;
  const call = ((...input: never[]) => {
    compiled ??= make();
    const result = compiled(...input);
    // Fastify reads a validator's errors from the function it was given, after the call.
    if (keepErrors) (call as unknown as Validator).errors = (compiled as unknown as Validator).errors;
    return result;
  }) as Compiled;
  return call;
}

/** `schemaController.compilersFactory` for a server that makes each route's schema functions on first use. */
export function lazySchemaCompilers(precompiled?: PrecompiledSchemas): SchemaCompilers {
  const validators = ajvCompiler();
  const serializers = SerializerSelector();
  return {
    buildValidator: (externalSchemas: unknown, ajvOptions: { customOptions?: object }) => {
      // Checking the schemas against JSON Schema's meta-schema costs more than compiling the one
      // route a CLI command calls; the server that compiles everything at start still checks them.
      const options = { ...ajvOptions, customOptions: { ...ajvOptions.customOptions, validateSchema: false } };
      // Ajv itself is set up only when a schema has no generated code.
      let compile: ((route: ValidatorRoute) => Validator) | undefined;
      const compileNow = (route: ValidatorRoute) => {
        compile ??= validators(externalSchemas as never, options as never) as unknown as (route: ValidatorRoute) => Validator;
        return compile(route);
      };
      return (route: ValidatorRoute) => onFirstCall(() => precompiled?.validator(validatorKey(route)) ?? compileNow(route), true);
    },
    buildSerializer: (externalSchemas: unknown, serializerOptions: unknown) => {
      const compile = serializers(externalSchemas as never, serializerOptions as never) as unknown as (
        route: SerializerRoute,
      ) => Serializer;
      return (route: SerializerRoute) => onFirstCall(() => precompiled?.serializer(serializerKey(route)) ?? compile(route), false);
    },
  } as unknown as SchemaCompilers;
}
