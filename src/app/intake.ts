/**
 * Reports arriving (checklist step 1): from the public report form, where nobody is signed in, and
 * from a mail the team imports (`embargo case new --from-eml`). Either way the case, the report's
 * text and a `report.received` event are written in one transaction; the form also issues the
 * reporter's portal link in that transaction, so a report is never stored without its link.
 */
import { reportReceived } from '../domain/case/access-events.js';
import type { Kysely } from 'kysely';
import {
  advisoryFields,
  createCase as createCaseCommand,
  originalReport,
  type Case,
  type OriginalReportInput,
  type CommandContext,
  type DomainEvent,
} from '../domain/case/index.js';
import { invalidInput } from '../domain/errors.js';
import type { ReportReceived } from '../domain/events.js';
import { deriveStatus } from '../domain/playbook/index.js';
import { insertCase } from '../store/cases.js';
import { appendEvents } from '../store/events.js';
import type { Database } from '../store/schema.js';
import { requireScope, type Actor } from './actor.js';
import { reportReference } from './report-reference.js';
import { answerChange, type CaseAnswer } from './unit-of-work.js';
import type { App } from './app.js';
import { grantOpener, newCaseFacts } from './open-case.js';
import { issuePortalLink } from './portal.js';
import type { Project } from '../domain/project/schema.js';
import { intakeProject, projectPlaybook, resolveProject } from './projects.js';

type Db = Kysely<Database>;

/** Who the audit log says opened a case from the public form: nobody signed in, so no user gets access. */
export const INTAKE_ACTOR = 'intake';
export const AFFECTED_VERSIONS_MAX = 2_000;

interface ReportFacts {
  title: unknown;
  /** The report as it arrived: kept on the case, apart from the advisory's description (which starts empty). */
  report: Omit<OriginalReportInput, 'title'>;
  reporter?: unknown;
  project: Project;
  playbook?: unknown;
  /** Goes in the report.received event; never the reporter's name or contact. */
  received: ReportReceived;
}

/** Opens the case for a report, the report kept as it arrived: one pure command, one transaction. */
async function openReportedCase(
  tx: Db,
  app: App,
  facts: ReportFacts,
  ctx: CommandContext,
): Promise<{ created: Case; events: DomainEvent[] }> {
  const playbook = projectPlaybook(app, facts.project, facts.playbook);
  const title = typeof facts.title === 'string' ? facts.title.trim() : '';
  const opened = createCaseCommand(
    { title: facts.title, reporter: facts.reporter, project: facts.project.id, report: originalReport({ ...facts.report, title }) },
    await newCaseFacts(tx, playbook, ctx.now, app.config.caseNumbers),
    ctx,
  );
  const id = opened.state.id;
  const created = { ...opened.state, status: deriveStatus(playbook, opened.state) };
  await insertCase(tx, created);
  const events: DomainEvent[] = [...opened.events, reportReceived(id, facts.received)];
  return { created, events };
}

function requiredReportText(field: string, value: unknown, max: number): string {
  // Line ends normalized, no NUL: the same text rules as the case's markdown fields.
  const text = advisoryFields.markdown(field, value, max).trim();
  if (text === '') throw invalidInput(`${field} must not be empty: say what you found and how to reproduce it`, { field });
  return text;
}

export interface PublicReport {
  title: unknown;
  description: unknown;
  /** Free text, e.g. "1.30.0 to 1.33.2"; the team turns it into ranges during triage. */
  affectedVersions?: unknown;
  reporter: unknown;
  /** Which project; may be left out when the server runs one. */
  project?: unknown;
}

export interface ReportConfirmation {
  /** The reference to quote: a keyed hash of the case id, which reveals no count of cases. */
  reference: string;
  message: string;
  nextSteps: string[];
  /** The reporter's private link, shown this once. */
  portalUrl: string;
}

/** A report from the public form: a new case nobody but the admins sees yet, and the reporter's portal link. */
export async function submitReport(app: App, report: PublicReport): Promise<ReportConfirmation> {
  const now = app.clock();
  const ctx = { actor: INTAKE_ACTOR, now };
  const description = requiredReportText('description', report.description, advisoryFields.DESCRIPTION_MAX - AFFECTED_VERSIONS_MAX - 100);
  const affected = report.affectedVersions === undefined || report.affectedVersions === null ? '' : report.affectedVersions;
  if (typeof affected !== 'string') throw invalidInput('affectedVersions must be text', { field: 'affectedVersions' });
  const affectedText = affected.trim().slice(0, AFFECTED_VERSIONS_MAX);
  return app.store.write(async (tx) => {
    const { created, events } = await openReportedCase(
      tx,
      app,
      {
        title: report.title,
        report: {
          source: 'form',
          // The reporter's words first, their version note after: the team reads both in one place.
          text: affectedText ? `${description}\n\nAffected versions (as reported): ${affectedText}` : description,
          sender: reporterAddress(report.reporter),
          sentAt: now.toISOString(),
        },
        reporter: report.reporter,
        project: await intakeProject(tx, report.project),
        received: { source: 'form', reportedAt: now.toISOString(), affectedVersions: affectedText || null },
      },
      ctx,
    );
    await appendEvents(tx, { actor: INTAKE_ACTOR, at: now, events });
    const link = await issuePortalLink(tx, app, created, INTAKE_ACTOR, now);
    const reference = await reportReference(tx, created.id);
    return {
      reference,
      message: `Thank you: your report has reached the security team as ${reference}. Quote this reference when you write to the team.`,
      nextSteps: [
        'The security team will confirm that they received your report and assess it; they will contact you at the address you gave.',
        'Please keep the details private until the advisory is published. The team will propose a disclosure date and tell you when the fixed releases are out.',
        "Your private link below shows the status of your report and the team's messages to you; there you can reply and choose how you are credited.",
        'The link is shown only this once and works without an account: keep it safe and do not share it.',
      ],
      portalUrl: link.url,
    };
  });
}

export interface MailReport {
  title: unknown;
  /** The mail's text: kept as the original report (the advisory's description starts empty). */
  description: unknown;
  /** The mail's From (the reporter may be someone else, when the mail was forwarded). */
  sender?: unknown;
  reporter?: unknown;
  project?: unknown;
  playbook?: unknown;
  /** The mail's Date header (ISO 8601): when the reporter sent it. */
  reportedAt?: string | null;
  messageId?: string | null;
  /** Names of the attachments that were not imported. */
  attachments?: string[];
}

const optionalShortText = (field: string, value: unknown, max: number): string | null => {
  if (value === undefined || value === null || value === '') return null;
  if (typeof value !== 'string' || value.length > max) throw invalidInput(`${field} must be text of at most ${max} characters`, { field });
  return value;
};

/** The reporter's name and address as the original report's sender (the form's reporter; a mail's when no From was given). */
function reporterAddress(value: unknown): OriginalReportInput['sender'] {
  if (typeof value !== 'object' || value === null) return null;
  const r = value as Record<string, unknown>;
  return typeof r.contact === 'string' ? { name: typeof r.name === 'string' ? r.name : null, address: r.contact } : null;
}

function mailSender(value: unknown): OriginalReportInput['sender'] {
  if (value === undefined || value === null) return null;
  const s = value as Record<string, unknown>;
  if (typeof s !== 'object' || typeof s.address !== 'string' || s.address === '')
    throw invalidInput('sender must be {name, address}', { field: 'sender' });
  return { name: optionalShortText('sender.name', s.name, 200), address: optionalShortText('sender.address', s.address, 320)! };
}

/** A report that came in by mail, opened as a case by a team member (who then sees it, as with any case they open). */
export async function importReport(app: App, actor: Actor, mail: MailReport): Promise<CaseAnswer<Case>> {
  requireScope(actor, 'write');
  const now = app.clock();
  const ctx = { actor: actor.name, now };
  const reportedAt = optionalShortText('reportedAt', mail.reportedAt, 64);
  if (reportedAt !== null && Number.isNaN(Date.parse(reportedAt)))
    throw invalidInput(`reportedAt "${reportedAt}" is not a date`, { field: 'reportedAt' });
  const attachments = mail.attachments ?? [];
  if (!Array.isArray(attachments) || attachments.length > 100 || attachments.some((a) => typeof a !== 'string' || a.length > 255)) {
    throw invalidInput('attachments must be a list of at most 100 file names', { field: 'attachments' });
  }
  return app.store.write(async (tx) => {
    const { created, events } = await openReportedCase(
      tx,
      app,
      {
        title: mail.title,
        report: {
          source: 'mail',
          text: requiredReportText('description', mail.description, advisoryFields.DESCRIPTION_MAX),
          sender: mailSender(mail.sender) ?? reporterAddress(mail.reporter),
          sentAt: reportedAt === null ? null : new Date(reportedAt).toISOString(),
          messageId: optionalShortText('messageId', mail.messageId, 998),
          attachments,
        },
        reporter: mail.reporter,
        project: await resolveProject(tx, actor, mail.project),
        playbook: mail.playbook,
        received: {
          source: 'mail',
          reportedAt: reportedAt === null ? null : new Date(reportedAt).toISOString(),
          messageId: optionalShortText('messageId', mail.messageId, 998),
          attachments,
        },
      },
      ctx,
    );
    events.push(...(await grantOpener(tx, actor, created.id, now, 'opened the case')));
    const answer = answerChange(actor, created, created, events);
    await appendEvents(tx, { actor: actor.name, at: now, events: answer.events });
    return answer.value;
  });
}

/**
 * What importing a raw report mail would keep (Subject, sender, Date, Message-ID, text, attachment
 * names), read and shown before anything is stored. Needs write scope like the import it precedes.
 */
export async function previewReportMail(actor: Actor, eml: string) {
  requireScope(actor, 'write');
  // mailparser is heavy: loaded by the first preview only.
  const { parseReportMail, reportTextOf } = await import('../integrations/mail/eml.js');
  const mail = await parseReportMail(Buffer.from(eml, 'utf8'));
  return { ...mail, date: mail.date?.toISOString() ?? null, ...reportTextOf(mail) };
}
