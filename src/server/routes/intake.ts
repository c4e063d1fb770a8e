/**
 * Reports coming in: the public report form (anyone, rate-limited per client address and size-
 * limited) and the team's import of a report that arrived by mail. Both open a case; the rules
 * are in src/app/intake.ts.
 */
import type { FastifyInstance } from 'fastify';
import type { App } from '../../app/app.js';
import * as intake from '../../app/intake.js';
import { requireActor } from '../auth.js';
import { errorResponses, nullable, ref, reporterInput, text } from '../schemas.js';

/** Text with something in it: blank fields are refused by the schema, before the rate limit counts. */
const filled = (maxLength: number) => ({ ...text(maxLength), pattern: '\\S' });

/** Longest report text the form takes (the advisory description it seeds has room for more). */
export const REPORT_DESCRIPTION_MAX = 15_000;
export const REPORT_BODY_LIMIT = 64 * 1024;

const publicReporter = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'contact'],
  properties: {
    name: filled(200),
    contact: { ...filled(320), description: 'E-mail address the team can reach you at; never published' },
    company: nullable(text(200, 0)),
    credit: { type: 'string', enum: ['named', 'anonymous', 'name-without-company'] },
  },
} as const;

const confirmation = {
  type: 'object',
  properties: {
    reference: { type: 'string' },
    message: { type: 'string' },
    nextSteps: { type: 'array', items: { type: 'string' } },
    portalUrl: { type: 'string', description: "The reporter's private link; shown in this response only" },
  },
} as const;

export function intakeRoutes(server: FastifyInstance, app: App, options: { reportsPerHour: number }): void {
  server.post<{ Body: intake.PublicReport }>(
    '/api/v1/reports',
    {
      bodyLimit: REPORT_BODY_LIMIT,
      config: {
        auth: 'public',
        rateLimit: {
          max: options.reportsPerHour,
          timeWindow: 3_600_000,
          // Counted once the report is well-formed: a typo the form rejects does not use up the hour.
          hook: 'preHandler',
          errorResponseBuilder: () =>
            Object.assign(
              new Error(
                'Too many reports from your address in the last hour; please try again later, or write to the security contact of the project.',
              ),
              { statusCode: 429 },
            ),
        },
      },
      schema: {
        summary: 'Report a vulnerability (no account needed): opens a case and returns its reference and your private portal link',
        tags: ['reports'],
        security: [],
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['title', 'description', 'reporter'],
          properties: {
            title: filled(200),
            description: filled(REPORT_DESCRIPTION_MAX),
            affectedVersions: text(intake.AFFECTED_VERSIONS_MAX, 0),
            reporter: publicReporter,
          },
        },
        response: { 201: confirmation, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .header('cache-control', 'no-store')
        .send(await intake.submitReport(app, request.body)),
  );

  server.post<{ Body: intake.MailReport }>(
    '/api/v1/reports/import',
    {
      schema: {
        summary: 'Open a case from a report that arrived by mail (embargo case new --from-eml)',
        tags: ['reports'],
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['title', 'description'],
          properties: {
            title: text(200),
            description: text(20_000),
            reporter: reporterInput,
            project: text(64),
            playbook: text(64),
            reportedAt: nullable(text(64)),
            messageId: nullable(text(998)),
            attachments: { type: 'array', maxItems: 100, items: text(255) },
          },
        },
        response: { 201: ref('Case'), ...errorResponses },
      },
    },
    async (request, reply) => reply.status(201).send(await intake.importReport(app, requireActor(request), request.body)),
  );
}
