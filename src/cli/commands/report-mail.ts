/**
 * `embargo case new --from-eml FILE`: a report that arrived on the private list, saved as a raw
 * mail, becomes a case — Subject as the title, the sender as the reporter, and the mail (text,
 * sender, Date, Message-ID, attachment names) kept as the case's original report, apart from the
 * advisory's description, which the team writes. Attachments stay in the
 * mail; the confirmation names them so nobody forgets to look.
 */
import type { Command } from 'commander';
import { DESCRIPTION_MAX } from '../../domain/case/advisory-fields.js';
import { DomainError } from '../../domain/errors.js';
import type { ReportMail } from '../../integrations/mail/eml.js';
import { detailed } from '../../client/client.js';
import type { ReporterInput } from '../api-types.js';
import type { Context, JsonOption } from '../context.js';
import { CliError, EXIT_USAGE, usageError } from '../errors.js';
import { shortTime } from '../format.js';

const TITLE_MAX = 200;

export interface MailCaseOptions extends JsonOption {
  fromEml: string;
  title?: string;
  project?: string;
  playbook?: string;
}

async function readMail(ctx: Context, file: string): Promise<ReportMail> {
  const raw = ctx.readArg(file, '--from-eml');
  // mailparser is heavy: only `case new --from-eml` loads it.
  const { parseReportMail } = await import('../../integrations/mail/eml.js');
  try {
    return await parseReportMail(raw);
  } catch (err) {
    if (err instanceof DomainError) throw new CliError(`${file} is ${err.message}`, EXIT_USAGE);
    throw err;
  }
}

/** The original report's text, cut where a case's text ends, with a warning when it was. */
async function reportText(ctx: Context, mail: ReportMail, file: string): Promise<string> {
  const { reportTextOf } = await import('../../integrations/mail/eml.js');
  const { text, cut } = reportTextOf(mail);
  if (cut) ctx.out.note(`embargo: warning: the text of ${file} is longer than ${DESCRIPTION_MAX} characters; the case keeps the beginning`);
  return text;
}

const fileSize = (bytes: number) =>
  bytes < 1024 ? `${bytes} B` : bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(1)} kB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/**
 * Opens the case. `reporterFor` applies the --reporter-* flags over the mail's sender (the flags
 * win), so a report forwarded by someone else can name the real reporter.
 */
export async function newCaseFromMail(
  ctx: Context,
  cmd: Command,
  opts: MailCaseOptions,
  reporterFor: (fromMail: ReporterInput | null) => ReporterInput | undefined,
): Promise<void> {
  const { out } = ctx;
  const c = out.colors;
  const mail = await readMail(ctx, opts.fromEml);
  const subject = mail.subject.length > TITLE_MAX ? `${mail.subject.slice(0, TITLE_MAX - 1)}…` : mail.subject;
  const title = opts.title ?? subject;
  if (!title) throw usageError(`${opts.fromEml} has no Subject: give the case a title with --title`);
  const sender = mail.from ? { name: mail.from.name ?? mail.from.address.split('@')[0]!, contact: mail.from.address, company: null } : null;
  const reporter = reporterFor(sender);
  const attachments = mail.attachments.map((a) => a.filename);
  const api = await ctx.api(cmd);
  const created = await detailed(
    api.POST('/api/v1/reports/import', {
      body: {
        title,
        description: await reportText(ctx, mail, opts.fromEml),
        ...(mail.from ? { sender: { name: mail.from.name ?? null, address: mail.from.address } } : {}),
        ...(opts.project !== undefined ? { project: opts.project } : {}),
        ...(opts.playbook !== undefined ? { playbook: opts.playbook } : {}),
        ...(reporter ? { reporter } : {}),
        reportedAt: mail.date?.toISOString() ?? null,
        messageId: mail.messageId,
        attachments,
      },
    }),
  );
  if (opts.json)
    return out.json({
      case: created,
      mail: { reportedAt: mail.date?.toISOString() ?? null, messageId: mail.messageId, attachments: mail.attachments },
    });
  out.line(
    `Opened ${c.bold(created.id)} "${created.title}" from the mail${mail.date ? ` of ${shortTime(mail.date.toISOString())}` : ''} (codename ${created.codename}, playbook ${created.playbook}, status ${created.status}).`,
  );
  if (mail.messageId) out.line(`Message-ID: ${mail.messageId}`);
  out.line(
    created.reporter
      ? `Reporter: ${created.reporter.name} <${created.reporter.contact}>, credit ${created.reporter.credit}`
      : 'No reporter recorded (the mail has no From address): add one with embargo case edit --reporter-name NAME --reporter-contact CONTACT',
  );
  if (mail.attachments.length > 0) {
    out.line(
      `Not imported, look at them in the original mail (${mail.attachments.length} attachment${mail.attachments.length === 1 ? '' : 's'}):`,
    );
    for (const a of mail.attachments) out.line(`  - ${a.filename} (${a.contentType}, ${fileSize(a.size)})`);
  }
  out.line(
    `The mail is kept as the original report; the advisory's description is yours to write: ${c.cyan(`embargo case edit ${created.id} --description-file FILE`)}`,
  );
  out.line(`See what comes next: ${c.cyan(`embargo case show ${created.id}`)}`);
}
