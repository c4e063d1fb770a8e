/**
 * Advisory exports and case files over HTTP: the case as OSV, CVE JSON 5, CSAF 2.0, a GitHub
 * advisory request body or Markdown; the case as a case file; and a case file imported. Reads are
 * audited reads of the case (need-to-know applies); an import is one transaction.
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { App } from '../../app/app.js';
import { caseFile, exportCase, importCaseFile } from '../../app/exports.js';
import { CASE_FILE_MAX_BYTES } from '../../domain/case-file/index.js';
import { EXPORT_FORMATS, FILE_EXTENSIONS, parseExportFormat } from '../../domain/exports/index.js';
import { requireActor } from '../auth.js';
import { CaseComponent, caseIdParam, errorResponses, orReceipt, refTo, text } from '../schemas.js';

const documentResponse = (description: string) => Type.String({ description });

const importResponse = Type.Object({
  case: refTo(CaseComponent),
  created: Type.Boolean({ description: 'A new case was opened (201); false: an existing one was updated (200)' }),
  changed: Type.Array(Type.String(), { description: 'The fields the import changed' }),
});

export function exportRoutes(fastify: FastifyInstance, app: App): void {
  const server = fastify.withTypeProvider<TypeBoxTypeProvider>();

  server.get(
    '/api/v1/cases/:caseId/export',
    {
      schema: {
        summary: `The case as an advisory document: ${EXPORT_FORMATS.join(', ')} (the read is audited)`,
        description:
          "osv, cve5 (a full CVE JSON 5.1 record), csaf (CSAF 2.0) and ghsa (the body of GitHub's create/update repository advisory request) are application/json; md is text/markdown. Default: md.",
        tags: ['exports'],
        params: caseIdParam,
        querystring: Type.Object(
          { format: Type.Optional(text(16, 1, { description: `one of ${EXPORT_FORMATS.join(', ')} (default md)` })) },
          { additionalProperties: false },
        ),
        response: { 200: documentResponse('The document'), ...errorResponses },
      },
    },
    async (request, reply) => {
      // Checked here rather than by an enum in the schema, so a wrong format gets a sentence listing the formats.
      const format = parseExportFormat(request.query.format ?? 'md');
      const out = await exportCase(app, requireActor(request), request.params.caseId, format);
      return reply
        .type(out.contentType)
        .header('content-disposition', `inline; filename="${request.params.caseId}${FILE_EXTENSIONS[format]}"`)
        .send(out.text);
    },
  );

  server.get(
    '/api/v1/cases/:caseId/case-file',
    {
      schema: {
        summary: "The case as a case file (YAML, docs/case-file.md; the read is audited; the reporter's contact is left out)",
        tags: ['exports'],
        params: caseIdParam,
        response: { 200: documentResponse('The case file'), ...errorResponses },
      },
    },
    async (request, reply) => {
      const yaml = await caseFile(app, requireActor(request), request.params.caseId);
      return reply.type('application/yaml; charset=utf-8').send(yaml);
    },
  );

  server.post(
    '/api/v1/case-files',
    {
      schema: {
        summary: 'Import a case file: opens a case, or updates the one its id names when you may see it (one transaction)',
        tags: ['exports'],
        body: Type.Object(
          { file: text(CASE_FILE_MAX_BYTES, 1, { description: 'the case file text, YAML or JSON' }) },
          { additionalProperties: false },
        ),
        response: { 200: orReceipt(importResponse), 201: orReceipt(importResponse), ...errorResponses },
      },
    },
    async (request, reply) => {
      const result = await importCaseFile(app, requireActor(request), request.body.file);
      return reply.status(result.created ? 201 : 200).send(result);
    },
  );
}
