/**
 * One JSON error shape for every failure: {error: {code, message, details}}. Client mistakes are
 * 4xx with a sentence; only a bug in Embargo is a 500, and its message never carries internals.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, type DomainErrorCode } from '../domain/errors.js';

export const STATUS_BY_CODE: Record<DomainErrorCode, number> = {
  invalid_input: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  gate_failed: 409,
  revision_conflict: 409,
  rate_limited: 429,
};

export interface ErrorBody {
  error: { code: string; message: string; details: Record<string, unknown> };
}

export function errorBody(code: string, message: string, details: Record<string, unknown> = {}): ErrorBody {
  return { error: { code, message, details } };
}

/** Fastify's own client errors, by code, with the sentence we show instead of its wording. */
const FASTIFY_CLIENT_ERRORS: Record<string, [number, string, string]> = {
  FST_ERR_CTP_INVALID_JSON_BODY: [400, 'invalid_json', 'the request body is not valid JSON'],
  FST_ERR_CTP_EMPTY_JSON_BODY: [400, 'invalid_json', 'the request body is empty but says it is JSON'],
  FST_ERR_CTP_BODY_TOO_LARGE: [413, 'too_large', 'the request body is too large'],
  FST_ERR_CTP_INVALID_MEDIA_TYPE: [415, 'unsupported_media_type', 'send the request body as application/json'],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: [400, 'invalid_request', 'the Content-Length header does not match the body'],
};

/** Answers a request no route took, when it is one the web app's pages should answer (see web.ts). */
export type NotFoundFallback = (request: FastifyRequest, reply: FastifyReply) => Promise<boolean>;

export function installErrorHandling(server: FastifyInstance, fallback?: () => NotFoundFallback | undefined): void {
  server.setErrorHandler((err: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    if (err instanceof DomainError) {
      return reply.status(STATUS_BY_CODE[err.code]).send(errorBody(err.code, err.message, err.details));
    }
    if (err.validation) {
      const first = err.validation[0];
      const where = `${err.validationContext ?? 'request'}${first?.instancePath ?? ''}`;
      const message = first ? `${where} ${first.message ?? 'is invalid'}` : err.message;
      return reply.status(400).send(
        errorBody('invalid_input', message, {
          issues: err.validation.map((v) => ({
            path: `${err.validationContext ?? 'request'}${v.instancePath}`,
            message: v.message,
            params: v.params,
          })),
        }),
      );
    }
    const known = err.code ? FASTIFY_CLIENT_ERRORS[err.code] : undefined;
    if (known) return reply.status(known[0]).send(errorBody(known[1], known[2]));
    if (err.statusCode === 429)
      return reply.status(429).send(errorBody('rate_limited', err.message || 'too many requests; try again later'));
    if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
      return reply.status(err.statusCode).send(errorBody('invalid_request', err.message));
    }
    request.log.error({ err }, 'unhandled error');
    return reply.status(500).send(errorBody('internal', 'Embargo failed to handle this request; the error is in the server log'));
  });

  server.setNotFoundHandler(async (request, reply) => {
    if (await fallback?.()?.(request, reply)) return reply;
    return reply.status(404).send(errorBody('not_found', `no route ${request.method} ${(request.url.split('?')[0] ?? '').slice(0, 200)}`));
  });
}
