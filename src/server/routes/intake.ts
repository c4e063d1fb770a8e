/**
 * Reports coming in: the public report form (anyone, rate-limited per client address and size-
 * limited) and the team's import of a report that arrived by mail. Both open a case; the rules
 * are in src/app/intake.ts.
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { App } from '../../app/app.js';
import * as intake from '../../app/intake.js';
import * as limits from '../../domain/case/limits.js';
import { CreditPreferenceSchema, ReporterInputSchema } from '../../domain/case/schema.js';
import { requireActor } from '../auth.js';
import { CaseComponent, errorResponses, nullable, orReceipt, refTo, text } from '../schemas.js';

/** Text with something in it: blank fields are refused by the schema, before the rate limit counts. */
const filled = (maxLength: number, description?: string) =>
  Type.String({ minLength: 1, maxLength, pattern: '\\S', ...(description ? { description } : {}) });

/** Longest report text the form takes (the advisory description it seeds has room for more). */
export const REPORT_DESCRIPTION_MAX = 15_000;
export const REPORT_BODY_LIMIT = 64 * 1024;
/** A report mail with its attachments, as JSON text: mails past this are archives, not reports. */
export const MAIL_PREVIEW_BODY_LIMIT = 8 * 1024 * 1024;

const publicReporter = Type.Object(
  {
    name: filled(limits.NAME_MAX),
    contact: filled(limits.CONTACT_MAX, 'E-mail address the team can reach you at; never published'),
    company: Type.Optional(nullable(text(limits.NAME_MAX, 0))),
    credit: Type.Optional(CreditPreferenceSchema),
  },
  { additionalProperties: false },
);

const confirmation = Type.Object({
  reference: Type.String({ description: 'The reference to quote (R-XXXXX-XXXXX): it reveals no count of cases' }),
  message: Type.String(),
  nextSteps: Type.Array(Type.String()),
  portalUrl: Type.String({ description: "The reporter's private link; shown in this response only" }),
});

export function intakeRoutes(fastify: FastifyInstance, app: App, options: { reportsPerHour: number }): void {
  const server = fastify.withTypeProvider<TypeBoxTypeProvider>();

  server.post(
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
        body: Type.Object(
          {
            title: filled(limits.TITLE_MAX),
            description: filled(REPORT_DESCRIPTION_MAX),
            affectedVersions: Type.Optional(
              text(intake.AFFECTED_VERSIONS_MAX, 0, { description: 'Free text, e.g. "1.30.0 to 1.33.2"; the team turns it into ranges' }),
            ),
            reporter: publicReporter,
            project: Type.Optional(
              text(limits.SLUG_MAX, 1, { description: 'The project the report is about; may be left out when the server runs one' }),
            ),
          },
          { additionalProperties: false },
        ),
        response: { 201: confirmation, ...errorResponses },
      },
    },
    async (request, reply) => reply.status(201).send(await intake.submitReport(app, request.body)),
  );

  server.post(
    '/api/v1/reports/import',
    {
      schema: {
        summary: 'Open a case from a report that arrived by mail (embargo case new --from-eml)',
        tags: ['reports'],
        body: Type.Object(
          {
            title: text(limits.TITLE_MAX),
            description: text(limits.DESCRIPTION_MAX, 1, {
              description: "The mail's text: kept as the original report; the advisory's description starts empty",
            }),
            sender: Type.Optional(
              nullable(
                Type.Object(
                  { name: Type.Optional(nullable(text(limits.NAME_MAX, 0))), address: text(limits.CONTACT_MAX) },
                  { additionalProperties: false, description: "The mail's From" },
                ),
              ),
            ),
            reporter: Type.Optional(nullable(ReporterInputSchema)),
            project: Type.Optional(text(limits.SLUG_MAX)),
            playbook: Type.Optional(text(limits.SLUG_MAX)),
            reportedAt: Type.Optional(nullable(text(limits.TIME_INPUT_MAX, 1, { description: "The mail's Date header (ISO 8601)" }))),
            // 998: the longest line RFC 5322 allows; 255: the longest file name most systems allow.
            messageId: Type.Optional(nullable(text(998))),
            attachments: Type.Optional(
              Type.Array(text(255), { maxItems: 100, description: 'Names of the attachments that were not imported' }),
            ),
          },
          { additionalProperties: false },
        ),
        response: { 201: orReceipt(refTo(CaseComponent)), ...errorResponses },
      },
    },
    async (request, reply) => reply.status(201).send(await intake.importReport(app, requireActor(request), request.body)),
  );

  server.post(
    '/api/v1/reports/mail-preview',
    {
      bodyLimit: MAIL_PREVIEW_BODY_LIMIT,
      schema: {
        summary:
          'Read a raw report mail (.eml) and answer what an import would keep: Subject, sender, Date, Message-ID, text and attachment names. Stores nothing; the web app shows it, then imports it with POST /reports/import',
        tags: ['reports'],
        body: Type.Object(
          { eml: text(MAIL_PREVIEW_BODY_LIMIT - 1024, 1, { description: 'The mail as saved from the list archive or a mail client' }) },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            subject: Type.String(),
            from: nullable(Type.Object({ name: nullable(Type.String()), address: Type.String() })),
            date: nullable(Type.String()),
            messageId: nullable(Type.String()),
            text: Type.String({ description: 'The text the import keeps as the original report (cut, saying so, past the limit)' }),
            cut: Type.Boolean(),
            attachments: Type.Array(Type.Object({ filename: Type.String(), contentType: Type.String(), size: Type.Integer() })),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => intake.previewReportMail(requireActor(request), request.body.eml),
  );
}
