/**
 * `embargo message lint|draft`: the lint every mail goes through, for teams that write the mail
 * elsewhere, and the rendered template for a case with its lint result.
 *
 * lint FILE: an optional `Subject:` first line, then the body (`-` reads stdin). Exit 1 on an error
 * finding, 0 otherwise, 2 on a usage mistake. Findings print as FILE:LINE:COLUMN (lines of FILE).
 */
import { readFileSync } from 'node:fs';
import { Option, type Command } from 'commander';
import {
  hasErrors,
  lintMessage,
  MESSAGE_KIND_IDS,
  renderMessage,
  type Finding,
  type MessageKind,
} from '../../domain/messages/index.js';
import { caseIdArg, collect, type Context } from '../context.js';
import { CliError, EXIT_FAILURE, usageError } from '../errors.js';

class MessageFinding extends CliError {}

/** True for lint findings already reported on stdout: main exits 1 without printing more. */
export const isMessageFinding = (err: unknown) => err instanceof MessageFinding;

interface LintFlags {
  kind: string;
  playbook?: string;
  to?: string[];
  published?: boolean;
  json?: boolean;
}

export interface MessageFile {
  subject: string;
  body: string;
  /** Line of the file on which the body starts (1-based). */
  bodyLine: number;
  hasSubject: boolean;
}

/** "Subject: …" on the first line (optional), an optional blank line, then the body. */
export function parseMessageFile(text: string): MessageFile {
  const normalised = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const m = /^subject:[ \t]*(.*)\n?/i.exec(normalised);
  if (!m) return { subject: '', body: normalised, bodyLine: 1, hasSubject: false };
  let rest = normalised.slice(m[0].length);
  let bodyLine = 2;
  if (rest.startsWith('\n')) {
    rest = rest.slice(1);
    bodyLine = 3;
  }
  return { subject: m[1]!.trim(), body: rest, bodyLine, hasSubject: true };
}

function readMessage(path: string): string {
  try {
    return readFileSync(path === '-' ? 0 : path, 'utf8');
  } catch (err) {
    throw usageError(`${path}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
  }
}

/** A finding placed in the file: subject on line 1, body lines shifted, recipients on line 0. */
function inFile(f: Finding, file: MessageFile): Finding {
  if (f.part === 'body') return { ...f, line: f.line + file.bodyLine - 1 };
  if (f.part === 'subject') return { ...f, line: 1 };
  return f;
}

function describe(file: string, f: Finding): string {
  const where = f.part === 'recipients' ? `${file}: recipients` : `${file}:${f.line}:${f.column}`;
  return `${where}: ${f.severity} [${f.rule}] ${f.message}`;
}

const kindOption = () =>
  new Option('--kind <kind>', 'which mail it is').choices(MESSAGE_KIND_IDS).makeOptionMandatory(true);

export function registerMessage(program: Command, ctx: Context): void {
  const message = program.command('message').description('Lint and draft the mails of the checklist');

  message
    .command('lint')
    .description('Check a mail written elsewhere: embargoed ids, sections, embargo note, tag, exact recipients')
    .argument('<file>', 'the mail: an optional "Subject: …" first line, then the body ("-" for stdin)')
    .addOption(kindOption())
    .option('--playbook <id>', 'the playbook whose settings apply (default: the default playbook)')
    .option('--to <address>', 'a recipient to check (repeatable)', collect)
    .option('--published', 'the advisory is already published (public mails are refused before)')
    .option('--json', 'print {file, kind, playbook, ok, errors, warnings, findings} as JSON')
    .action(async (path: string, opts: LintFlags, cmd: Command) => {
      const kind = opts.kind as MessageKind;
      const file = parseMessageFile(readMessage(path));
      const playbook = await ctx.clientFor(cmd).getPlaybook(opts.playbook);
      const findings = lintMessage({
        kind,
        subject: file.subject,
        body: file.body,
        to: opts.to ?? [],
        playbook,
        published: Boolean(opts.published),
      }).map((f) => inFile(f, file));
      if (kind === 'distributors-notice' && !file.hasSubject && playbook.settings.securityTag) {
        // Without a Subject: line the tag can only be in the body; say where the subject would go.
        const tagFinding = findings.find((f) => f.rule === 'security-tag');
        if (tagFinding) tagFinding.message += ' (The file has no "Subject:" first line.)';
      }
      const errors = findings.filter((f) => f.severity === 'error').length;
      const warnings = findings.length - errors;
      if (opts.json) {
        ctx.out.json({ file: path, kind, playbook: playbook.id, ok: errors === 0, errors, warnings, findings });
      } else {
        const name = path === '-' ? '<stdin>' : path;
        for (const f of findings) ctx.out.line(f.severity === 'error' ? ctx.out.colors.red(describe(name, f)) : ctx.out.colors.yellow(describe(name, f)));
        ctx.out.line(errors === 0 ? ctx.out.colors.green(`${name}: ok (${warnings} warning${warnings === 1 ? '' : 's'})`) : `${name}: ${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}`);
      }
      if (errors > 0) throw new MessageFinding('', EXIT_FAILURE);
    });

  message
    .command('draft')
    .description("Render a case's mail from its playbook's template, with its lint result")
    .argument('<case-id>', 'case id, e.g. EMB-2026-0001', caseIdArg)
    .addOption(kindOption())
    .option('--json', 'print {message, findings} as JSON')
    .action(async (id: string, opts: { kind: string; json?: boolean }, cmd: Command) => {
      const kind = opts.kind as MessageKind;
      const client = ctx.clientFor(cmd);
      const c = await client.showCase(id);
      const playbook = await client.getPlaybook(c.playbook);
      const rendered = renderMessage(kind, { case: c, playbook, now: new Date() });
      const findings = lintMessage({ ...rendered, playbook, case: c });
      if (opts.json) return ctx.out.json({ message: rendered, findings, ok: !hasErrors(findings) });
      ctx.out.line(`To: ${rendered.to.join(', ') || '(no address configured)'}`);
      ctx.out.line(`Subject: ${rendered.subject}`);
      ctx.out.line();
      ctx.out.line(rendered.body);
      const errors = findings.filter((f) => f.severity === 'error');
      if (findings.length === 0) ctx.out.note('embargo: lint: no findings; ready to send');
      else {
        ctx.out.note(`embargo: lint: ${errors.length} error${errors.length === 1 ? '' : 's'}, ${findings.length - errors.length} warning${findings.length - errors.length === 1 ? '' : 's'}${errors.length ? ' (not sendable as is)' : ''}`);
        for (const f of findings) ctx.out.note(`  ${f.severity} [${f.rule}] ${f.part === 'recipients' ? '' : `${f.part} ${f.line}:${f.column}: `}${f.message}`);
      }
    });
}
