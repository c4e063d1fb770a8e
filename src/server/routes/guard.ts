import type { FastifyInstance } from 'fastify';
import type { App } from '../../app/app.js';
import * as guard from '../../app/guard.js';
import { requireActor } from '../auth.js';
import { caseIdParam, errorResponses, text } from '../schemas.js';

const hexList = { type: 'array', items: { type: 'string' } } as const;

const termsFile = {
  200: {
    type: 'object',
    properties: {
      format: { type: 'string' },
      salt: { type: 'string' },
      generatedAt: { type: 'string' },
      cases: {
        type: 'array',
        items: { type: 'object', properties: { caseId: { type: 'string' }, terms: hexList, ids: hexList } },
      },
      publicIds: { type: 'array', items: { type: 'string' } },
    },
  },
  ...errorResponses,
};

const termList = {
  type: 'array',
  items: {
    type: 'object',
    properties: { id: { type: 'string' }, term: { type: 'string' }, addedBy: { type: 'string' }, addedAt: { type: 'string' } },
  },
} as const;

const termParams = {
  type: 'object',
  properties: {
    ...caseIdParam.properties,
    termId: { type: 'string', pattern: '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' },
  },
  required: ['caseId', 'termId'],
} as const;

export function guardRoutes(server: FastifyInstance, app: App): void {
  server.get(
    '/api/v1/guard/terms',
    {
      config: { scope: 'guard' },
      schema: {
        summary:
          'Terms for the leak guard (API tokens with the guard scope): per embargoed case you may see, salted hashes of its terms and ids; the ids of published cases in clear',
        tags: ['guard'],
        response: termsFile,
      },
    },
    async (request) => guard.guardTermsFile(app, requireActor(request)),
  );

  server.get<{ Params: { caseId: string } }>(
    '/api/v1/cases/:caseId/guard-terms',
    {
      schema: {
        summary: 'The leak-guard terms the team added to a case, in clear text (the read is audited)',
        tags: ['guard'],
        params: caseIdParam,
        response: { 200: { type: 'object', properties: { terms: termList } }, ...errorResponses },
      },
    },
    async (request) => ({ terms: await guard.caseGuardTerms(app, requireActor(request), request.params.caseId) }),
  );

  server.post<{ Params: { caseId: string }; Body: { terms: string[] } }>(
    '/api/v1/cases/:caseId/guard-terms',
    {
      schema: {
        summary: 'Add words that would give the case away (function names, config keys); one to three words, or one identifier',
        tags: ['guard'],
        params: caseIdParam,
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['terms'],
          properties: { terms: { type: 'array', minItems: 1, maxItems: guard.MAX_TERMS_PER_REQUEST, items: text(200) } },
        },
        response: { 200: { type: 'object', properties: { terms: termList, added: { type: 'integer' } } }, ...errorResponses },
      },
    },
    async (request) => guard.addCaseGuardTerms(app, requireActor(request), request.params.caseId, request.body.terms),
  );

  server.delete<{ Params: { caseId: string; termId: string } }>(
    '/api/v1/cases/:caseId/guard-terms/:termId',
    {
      schema: {
        summary: 'Remove one leak-guard term from a case',
        tags: ['guard'],
        params: termParams,
        response: { 200: { type: 'object', properties: { terms: termList } }, ...errorResponses },
      },
    },
    async (request) => ({
      terms: await guard.removeCaseGuardTerm(app, requireActor(request), request.params.caseId, request.params.termId),
    }),
  );
}
