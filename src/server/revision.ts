/**
 * Optimistic concurrency over HTTP: a case answer carries `ETag: "<revision>"`, and a change may send
 * `If-Match: "<revision>"` (quotes optional, W/ tolerated) to be refused with 409 revision_conflict
 * when the case moved on meanwhile. Without If-Match the change applies as before.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { ChangeOptions } from '../app/unit-of-work.js';
import { parseRevision } from '../domain/case/changes.js';

/** The headers a case change declares, so the OpenAPI document and the generated client know If-Match. */
export const ifMatchHeaders = Type.Object({
  'if-match': Type.Optional(Type.String({ maxLength: 64, description: 'The revision the change is based on, e.g. "7"' })),
});

/** The change options the request's If-Match asks for. */
export function ifMatch(request: FastifyRequest): ChangeOptions {
  const header = request.headers['if-match'];
  const expectedRevision = parseRevision(Array.isArray(header) ? header[0] : header);
  return expectedRevision === undefined ? {} : { expectedRevision };
}

/** Sets the case's revision as its ETag and answers the case. */
export function withETag<C extends { revision: number }>(reply: FastifyReply, c: C): C {
  reply.header('etag', `"${c.revision}"`);
  return c;
}
