/**
 * Severity for the UI's CVSS calculator and CWE picker: score a vector, search and read MITRE's CWE
 * catalogue. Signed-in users only; nothing here touches a case, so no store and no audit event.
 */
import type { FastifyInstance } from 'fastify';
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
import { errorResponses, nullable, text } from '../schemas.js';

const score = { type: 'number', minimum: 0, maximum: 10 } as const;
const severity = { type: 'string', enum: ['NONE', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL'] } as const;

const cvssScoreSchema = {
  type: 'object',
  properties: {
    version: { type: 'string', enum: ['3.0', '3.1', '4.0'] },
    vector: { type: 'string' },
    baseScore: score,
    temporalScore: nullable(score),
    environmentalScore: nullable(score),
    threatScore: nullable(score),
    score,
    severity,
    nomenclature: nullable({ type: 'string', enum: ['CVSS-B', 'CVSS-BT', 'CVSS-BE', 'CVSS-BTE'] }),
  },
  required: ['version', 'vector', 'baseScore', 'temporalScore', 'environmentalScore', 'score', 'severity', 'nomenclature'],
} as const;

const cweEntrySchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    name: { type: 'string' },
    status: { type: 'string' },
    usage: { type: 'string', enum: ['Allowed', 'Allowed-with-Review', 'Discouraged', 'Prohibited'] },
    description: nullable({ type: 'string' }),
    terms: { type: 'array', items: { type: 'string' } },
    url: { type: 'string' },
  },
  required: ['id', 'name', 'status', 'usage', 'description', 'url'],
} as const;

const catalogueSchema = {
  type: 'object',
  properties: {
    version: { type: 'string' },
    date: { type: 'string' },
    descriptionsFrom: { type: 'object', properties: { version: { type: 'string' }, date: { type: 'string' } } },
  },
} as const;

const sourceSchema = {
  type: 'object',
  description: "MITRE's copyright designation and license, which the CWE Terms of Use ask every copy to carry",
  properties: Object.fromEntries(Object.keys(CWE_SOURCE).map((k) => [k, { type: 'string' }])),
} as const;

const catalogue = { version: CWE_CATALOGUE.version, date: CWE_CATALOGUE.date, descriptionsFrom: CWE_CATALOGUE.descriptionsFrom };
const withUrl = (e: CweEntry) => ({ ...e, url: cweUrl(e.id) });

export function severityRoutes(server: FastifyInstance, _app: App): void {
  server.post<{ Body: { vector: string } }>(
    '/api/v1/cvss',
    {
      // Scoring changes nothing: a read-only token may do it (a browser session still sends its CSRF token).
      config: { scope: 'read' },
      schema: {
        summary: 'Score a CVSS 3.0, 3.1 or 4.0 vector (checked strictly first)',
        tags: ['severity'],
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['vector'],
          properties: { vector: text(CVSS_VECTOR_MAX_LENGTH) },
        },
        response: { 200: cvssScoreSchema, ...errorResponses },
      },
    },
    async (request) => scoreCvss(request.body.vector),
  );

  server.get<{ Querystring: { q: string; limit?: string } }>(
    '/api/v1/cwe',
    {
      schema: {
        summary: "Search MITRE's CWE catalogue by id, name, other names or description, best match first",
        tags: ['severity'],
        querystring: {
          type: 'object',
          additionalProperties: false,
          required: ['q'],
          properties: {
            q: text(SEARCH_TEXT_MAX),
            limit: { type: 'string', pattern: '^(?:[1-9]|[1-9][0-9]|100)$', description: '1 to 100, default 10' },
          },
        },
        response: {
          200: {
            type: 'object',
            properties: {
              query: { type: 'string' },
              results: {
                type: 'array',
                items: { ...cweEntrySchema, properties: { ...cweEntrySchema.properties, match: { type: 'string' } } },
              },
              catalogue: catalogueSchema,
              source: sourceSchema,
            },
          },
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

  server.get<{ Params: { cweId: string } }>(
    '/api/v1/cwe/:cweId',
    {
      schema: {
        summary: 'One weakness of the CWE catalogue (CWE-79 or 79)',
        tags: ['severity'],
        params: { type: 'object', properties: { cweId: text(16) }, required: ['cweId'] },
        response: {
          200: { type: 'object', properties: { ...cweEntrySchema.properties, catalogue: catalogueSchema, source: sourceSchema } },
          ...errorResponses,
        },
      },
    },
    async (request) => ({ ...withUrl(getCwe(request.params.cweId)), catalogue, source: CWE_SOURCE }),
  );
}
