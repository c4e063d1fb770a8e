/**
 * Severity for the UI's CVSS calculator and CWE picker: score a vector, search and read MITRE's CWE
 * catalogue. Signed-in users only; nothing here touches a case, so no store and no audit event.
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { App } from '../../app/app.js';
import { CVSS_VECTOR_MAX_LENGTH, scoreCvss } from '../../domain/severity/cvss.js';
import {
  CWE_CATALOGUE,
  CWE_SOURCE,
  cweUrl,
  getCwe,
  searchCwe,
  SEARCH_LIMIT_DEFAULT,
  SEARCH_TEXT_MAX,
  type CweEntry,
} from '../../domain/severity/cwe.js';
import { CWE_ID_MAX } from '../../domain/case/limits.js';
import { errorResponses, nullable, stringEnum, text } from '../schemas.js';

const score = Type.Number({ minimum: 0, maximum: 10 });

const cvssScoreSchema = Type.Object({
  version: stringEnum(['3.0', '3.1', '4.0'] as const),
  vector: Type.String({ description: 'As written, trimmed' }),
  baseScore: score,
  temporalScore: nullable(score),
  environmentalScore: nullable(score),
  threatScore: Type.Optional(nullable(score)),
  score,
  severity: stringEnum(['NONE', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL'] as const),
  nomenclature: nullable(stringEnum(['CVSS-B', 'CVSS-BT', 'CVSS-BE', 'CVSS-BTE'] as const)),
});

const cweEntryProperties = {
  id: Type.String({ description: 'CWE-79' }),
  name: Type.String(),
  status: stringEnum(['Stable', 'Usable', 'Draft', 'Incomplete', 'Obsolete', 'Deprecated'] as const),
  usage: stringEnum(['Allowed', 'Allowed-with-Review', 'Discouraged', 'Prohibited'] as const),
  description: nullable(Type.String()),
  terms: Type.Optional(Type.Array(Type.String(), { description: 'Other names, e.g. XSS' })),
  url: Type.String(),
};

const catalogueSchema = Type.Object({
  version: Type.String(),
  date: Type.String(),
  descriptionsFrom: Type.Object({ version: Type.String(), date: Type.String() }),
});

const sourceSchema = Type.Object(
  {
    name: Type.String(),
    publisher: Type.String(),
    url: Type.String(),
    termsOfUse: Type.String(),
    notice: Type.String(),
    copyright: Type.String(),
    license: Type.String(),
    disclaimer: Type.String(),
  },
  { description: "MITRE's copyright designation and license, which the CWE Terms of Use ask every copy to carry" },
);

const catalogue = { version: CWE_CATALOGUE.version, date: CWE_CATALOGUE.date, descriptionsFrom: CWE_CATALOGUE.descriptionsFrom };
const withUrl = <E extends CweEntry>(e: E) => ({ ...e, url: cweUrl(e.id) });

export function severityRoutes(fastify: FastifyInstance, _app: App): void {
  const server = fastify.withTypeProvider<TypeBoxTypeProvider>();

  server.post(
    '/api/v1/cvss',
    {
      // Scoring changes nothing: a read-only token may do it (a browser session still sends its CSRF token).
      config: { scope: 'read' },
      schema: {
        summary: 'Score a CVSS 3.0, 3.1 or 4.0 vector (checked strictly first)',
        tags: ['severity'],
        body: Type.Object({ vector: text(CVSS_VECTOR_MAX_LENGTH) }, { additionalProperties: false }),
        response: { 200: cvssScoreSchema, ...errorResponses },
      },
    },
    async (request) => scoreCvss(request.body.vector),
  );

  server.get(
    '/api/v1/cwe',
    {
      schema: {
        summary: "Search MITRE's CWE catalogue by id, name, other names or description, best match first",
        tags: ['severity'],
        querystring: Type.Object(
          {
            q: text(SEARCH_TEXT_MAX),
            limit: Type.Optional(Type.String({ pattern: '^(?:[1-9]|[1-9][0-9]|100)$', description: '1 to 100, default 10' })),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            query: Type.String(),
            results: Type.Array(
              Type.Object({
                ...cweEntryProperties,
                match: stringEnum(['id', 'name-prefix', 'name', 'term', 'description'] as const, {
                  description: 'Where the search matched',
                }),
              }),
            ),
            catalogue: catalogueSchema,
            source: sourceSchema,
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const { q, limit } = request.query;
      const results = searchCwe(q, limit === undefined ? SEARCH_LIMIT_DEFAULT : Number(limit));
      return { query: q, results: results.map(withUrl), catalogue, source: CWE_SOURCE };
    },
  );

  server.get(
    '/api/v1/cwe/:cweId',
    {
      schema: {
        summary: 'One weakness of the CWE catalogue (CWE-79 or 79)',
        tags: ['severity'],
        params: Type.Object({ cweId: text(CWE_ID_MAX) }),
        response: {
          200: Type.Object({ ...cweEntryProperties, catalogue: catalogueSchema, source: sourceSchema }),
          ...errorResponses,
        },
      },
    },
    async (request) => ({ ...withUrl(getCwe(request.params.cweId)), catalogue, source: CWE_SOURCE }),
  );
}
