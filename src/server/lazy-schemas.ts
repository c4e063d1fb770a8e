/**
 * Schema compilers that compile a route's validator or serialiser on its first use instead of when
 * the server starts. The CLI's local mode builds the whole server for one or two requests: compiling
 * all ~90 routes' schemas up front was most of a local command's start-up. A network server keeps
 * Fastify's eager compilers, so a broken schema still stops the start, not a first request.
 */
import ajvCompiler from '@fastify/ajv-compiler';
import { SerializerSelector } from '@fastify/fast-json-stringify-compiler';
import type { FastifyServerOptions } from 'fastify';

type CompilersFactory = NonNullable<NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']>;

type Validator = ((data: unknown) => unknown) & { errors?: unknown };
type Factory<Compiled> = (...args: never[]) => (route: never) => Compiled;

/** Wraps a compiler factory so each route's function is built the first time it is called. */
function lazily<Compiled extends (...args: never[]) => unknown>(factory: Factory<Compiled>, keepErrors: boolean): Factory<Compiled> {
  return (...args) => {
    const compile = factory(...args);
    return (route) => {
      let compiled: Compiled | undefined;
      const call = ((...input: never[]) => {
        compiled ??= compile(route);
        const result = compiled(...input);
        // Fastify reads a validator's errors from the function it was given, after the call.
        if (keepErrors) (call as unknown as Validator).errors = (compiled as unknown as Validator).errors;
        return result;
      }) as Compiled;
      return call;
    };
  };
}

/** `schemaController.compilersFactory` for a server that compiles each route's schemas on first use. */
export function lazySchemaCompilers(): CompilersFactory {
  return {
    buildValidator: lazily(ajvCompiler() as unknown as Factory<Validator>, true),
    buildSerializer: lazily(SerializerSelector() as unknown as Factory<(doc: unknown) => string>, false),
  } as unknown as CompilersFactory;
}
