import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { App } from '../../app/app.js';
import * as guard from '../../app/guard.js';
import { requireActor } from '../auth.js';
import { MAX_TERM_LENGTH, TERMS_FORMAT } from '../../domain/guard/index.js';
import { mapAnswer } from '../../app/unit-of-work.js';
import { caseIdParam, errorResponses, orReceipt, projectSlug, text } from '../schemas.js';

const hexList = (description: string) => Type.Array(Type.String(), { description });

const termsFile = {
  200: Type.Object({
    format: Type.Literal(TERMS_FORMAT),
    salt: Type.String({ description: '32 hex digits, fresh for every export' }),
    generatedAt: Type.String(),
    cases: Type.Array(
      Type.Object({
        caseId: Type.String(),
        terms: hexList("Salted hashes (14 hex digits each) of the case's terms, sorted"),
        ids: hexList("Salted hashes of the case's CVE and GHSA ids"),
      }),
    ),
    publicIds: Type.Array(Type.String(), { description: 'CVE/GHSA ids of published cases, in clear: they are public' }),
  }),
  ...errorResponses,
};

const termList = Type.Array(Type.Object({ id: Type.String(), term: Type.String(), addedBy: Type.String(), addedAt: Type.String() }));

const termParams = Type.Object({
  caseId: caseIdParam.properties.caseId,
  termId: Type.String({ pattern: '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' }),
});

export function guardRoutes(fastify: FastifyInstance, app: App): void {
  const server = fastify.withTypeProvider<TypeBoxTypeProvider>();

  server.get(
    '/api/v1/guard/terms',
    {
      config: { scope: 'guard' },
      schema: {
        summary:
          'Terms for the leak guard (API tokens with the guard scope): per embargoed case you may see, salted hashes of its terms and ids; the ids of published cases in clear',
        tags: ['guard'],
        querystring: Type.Object(
          { project: Type.Optional(projectSlug) },
          { additionalProperties: false, description: "project: only that project's cases (a repository's hooks need no other)" },
        ),
        response: termsFile,
      },
    },
    async (request) => guard.guardTermsFile(app, requireActor(request), { project: request.query.project }),
  );

  server.get(
    '/api/v1/cases/:caseId/guard-terms',
    {
      schema: {
        summary: 'The leak-guard terms the team added to a case, in clear text (the read is audited)',
        tags: ['guard'],
        params: caseIdParam,
        response: { 200: Type.Object({ terms: termList }), ...errorResponses },
      },
    },
    async (request) => ({ terms: await guard.caseGuardTerms(app, requireActor(request), request.params.caseId) }),
  );

  server.post(
    '/api/v1/cases/:caseId/guard-terms',
    {
      schema: {
        summary: 'Add words that would give the case away (function names, config keys); one to three words, or one identifier',
        tags: ['guard'],
        params: caseIdParam,
        body: Type.Object(
          { terms: Type.Array(text(MAX_TERM_LENGTH), { minItems: 1, maxItems: guard.MAX_TERMS_PER_REQUEST }) },
          { additionalProperties: false },
        ),
        response: { 200: orReceipt(Type.Object({ terms: termList, added: Type.Integer() })), ...errorResponses },
      },
    },
    async (request) => guard.addCaseGuardTerms(app, requireActor(request), request.params.caseId, request.body.terms),
  );

  server.delete(
    '/api/v1/cases/:caseId/guard-terms/:termId',
    {
      schema: {
        summary: 'Remove one leak-guard term from a case',
        tags: ['guard'],
        params: termParams,
        response: { 200: orReceipt(Type.Object({ terms: termList })), ...errorResponses },
      },
    },
    async (request) =>
      mapAnswer(await guard.removeCaseGuardTerm(app, requireActor(request), request.params.caseId, request.params.termId), (terms) => ({
        terms,
      })),
  );
}
