/**
 * `embargo message …`: the lint every mail goes through, for teams that write the mail elsewhere;
 * the rendered template for a case with its lint result; sending it from the case (lint first,
 * then the outbox); and the outbox itself: list, show, retry, copy for a web interface, mark as sent,
 * and what needs attention.
 *
 * lint FILE: an optional `Subject:` first line, then the body (`-` reads stdin). Exit 1 on an error
 * finding, 0 otherwise, 2 on a usage mistake. Findings print as FILE:LINE:COLUMN (lines of FILE).
 */
import { Option, type Command } from 'commander';
import { type Answer, answer, detailed } from '../../client/client.js';
import type { Playbook } from '../../domain/playbook/types.js';
import { asDomain } from '../api-types.js';
import { lintMessage, MESSAGE_KIND_IDS, MESSAGE_KINDS, type Finding, type MessageKind } from '../../domain/messages/index.js';
import { caseIdArg, collect, type Context, type JsonOption, requireUsage } from '../context.js';
import { CliError, EXIT_FAILURE, toCliError, usageError } from '../errors.js';
import { shortTime } from '../format.js';
import { printTable } from '../output.js';

class MessageFinding extends CliError {}

/** True for lint findings already reported on stdout: main exits 1 without printing more. */
export const isMessageFinding = (err: unknown) => err instanceof MessageFinding;

interface LintFlags {
  kind: string;
  playbook?: string;
  project?: string;
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

const kindOption = () => new Option('--kind <kind>', 'which mail it is').choices(MESSAGE_KIND_IDS).makeOptionMandatory(true);

export function registerMessage(program: Command, ctx: Context): void {
  const message = program.command('message').description("Lint, draft and send the checklist's mails; the outbox");

  message
    .command('lint')
    .description('Check a mail written elsewhere: embargoed ids, sections, embargo note, tag, exact recipients')
    .argument('<file>', 'the mail: an optional "Subject: …" first line, then the body ("-" for stdin)')
    .addOption(kindOption())
    .option('--playbook <id>', 'the playbook whose settings apply (default: the default playbook)')
    .option('--project <id>', "the project whose settings apply (its own laid over its playbook's)")
    .option('--to <address>', 'a recipient to check (repeatable)', collect)
    .option('--published', 'the advisory is already published (public mails are refused before)')
    .option('--json', 'print {file, kind, playbook, ok, errors, warnings, findings} as JSON')
    .action(async (path: string, opts: LintFlags, cmd: Command) => {
      const kind = opts.kind as MessageKind;
      const file = parseMessageFile(ctx.readArg(path).toString('utf8'));
      requireUsage(!(opts.playbook && opts.project), 'use --playbook or --project, not both');
      // The playbook only: locally no database is opened unless a project's settings are asked for.
      const api = await ctx.api(cmd, { database: opts.project !== undefined });
      const project = opts.project
        ? await answer(api.GET('/api/v1/projects/{projectId}', { params: { path: { projectId: opts.project } } }))
        : undefined;
      const playbookId = project?.playbook ?? opts.playbook ?? (await answer(api.GET('/api/v1/playbooks'))).defaultPlaybook;
      const base = asDomain<Playbook>(await answer(api.GET('/api/v1/playbooks/{playbookId}', { params: { path: { playbookId } } })));
      const playbook: Playbook = project
        ? { ...base, name: project.name, settings: asDomain<Playbook['settings']>(project.effectiveSettings) }
        : base;
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
        for (const f of findings)
          ctx.out.line(f.severity === 'error' ? ctx.out.colors.red(describe(name, f)) : ctx.out.colors.yellow(describe(name, f)));
        ctx.out.line(
          errors === 0
            ? ctx.out.colors.green(`${name}: ok (${warnings} warning${warnings === 1 ? '' : 's'})`)
            : `${name}: ${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}`,
        );
      }
      if (errors > 0) throw new MessageFinding('', EXIT_FAILURE);
    });

  message
    .command('draft')
    .description("Render a case's mail from its playbook's template, with its lint result")
    .argument('<case-id>', 'case id, e.g. EMB-2026-0001', caseIdArg)
    .addOption(kindOption())
    .option('--json', 'print {message, findings, ok} as JSON')
    .action(async (id: string, opts: { kind: string; json?: boolean }, cmd: Command) => {
      // Rendered where the case is (the server, or the local database): the playbook's own
      // templates and the configured From address apply, and the read is audited there.
      const api = await ctx.api(cmd);
      const draft = await answer(
        api.GET('/api/v1/cases/{caseId}/messages/draft', { params: { path: { caseId: id }, query: { kind: opts.kind } } }),
      );
      const { message: rendered, findings } = draft;
      if (opts.json) return ctx.out.json(draft);
      ctx.out.line(`To: ${rendered.to.join(', ') || '(no address configured)'}`);
      ctx.out.line(`Subject: ${rendered.subject}`);
      ctx.out.line();
      ctx.out.line(rendered.body);
      const errors = findings.filter((f) => f.severity === 'error');
      if (findings.length === 0) ctx.out.note('embargo: lint: no findings; ready to send');
      else {
        ctx.out.note(
          `embargo: lint: ${errors.length} error${errors.length === 1 ? '' : 's'}, ${findings.length - errors.length} warning${findings.length - errors.length === 1 ? '' : 's'}${errors.length ? ' (not sendable as is)' : ''}`,
        );
        for (const f of findings)
          ctx.out.note(`  ${f.severity} [${f.rule}] ${f.part === 'recipients' ? '' : `${f.part} ${f.line}:${f.column}: `}${f.message}`);
      }
    });
  registerMessageOutbox(message, ctx);
}

/** A refusal's findings ("body 12:3: …") as positions in the edited file ("mail.txt:14:3: …"). */
function placedInFile(err: CliError, name: string, file: MessageFile): CliError {
  const bullets = err.bullets.map((b) =>
    b.replace(
      /^(subject|body) (\d+):(\d+): /,
      (_m, part: string, line: string, column: string) =>
        `${name}:${part === 'subject' ? 1 : Number(line) + file.bodyLine - 1}:${column}: `,
    ),
  );
  return new CliError(err.message, err.exitCode, bullets);
}

const MESSAGE_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function messageIdArg(value: string): string {
  const id = value.trim();
  if (!MESSAGE_ID.test(id)) throw usageError(`"${value}" is not a message id (a UUID, as "embargo message list CASE" shows it)`);
  return id.toLowerCase();
}

/** "2026-11-25 09:30" is UTC; an ISO time with its own offset is taken as written. */
function timeArg(value: string): string {
  const v = value.trim();
  const naive = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2})?$/.test(v);
  const at = new Date(naive ? `${v.replace(' ', 'T')}Z` : v);
  if (Number.isNaN(at.getTime()))
    throw usageError(`--at "${value}" is not a time; write it like 2026-11-25 09:30 (UTC) or 2026-11-25T10:30:00+01:00`);
  return at.toISOString();
}

const kindLabel = (kind: string) => (kind in MESSAGE_KINDS ? MESSAGE_KINDS[kind as MessageKind].label : kind);

type MessageView = Answer<'/api/v1/messages/{messageId}', 'get'>;

function messageRows(messages: MessageView[], withCase: boolean): string[][] {
  return [
    ['ID', ...(withCase ? ['CASE'] : []), 'KIND', 'STATUS', 'TO', 'QUEUED', 'SENT'],
    ...messages.map((m) => [
      m.id,
      ...(withCase ? [m.caseId ?? '—'] : []),
      m.kind,
      m.status,
      m.to.join(', '),
      shortTime(m.createdAt),
      m.sentAt
        ? `${shortTime(m.sentAt)} by ${m.sentBy ?? '?'}`
        : m.lastError
          ? `— (${m.lastError.length > 60 ? `${m.lastError.slice(0, 59)}…` : m.lastError})`
          : '—',
    ]),
  ];
}

type PastableMail = { id: string; from: string; to: string[]; cc: string[]; subject: string; body: string };

function printMail(ctx: Context, m: PastableMail): void {
  ctx.out.line(`From: ${m.from}`);
  ctx.out.line(`To: ${m.to.join(', ')}`);
  if (m.cc.length) ctx.out.line(`Cc: ${m.cc.join(', ')}`);
  ctx.out.line(`Subject: ${m.subject}`);
  ctx.out.line();
  ctx.out.line(m.body);
}

/** Exactly what to paste: the addresses and the text, nothing retyped. */
function printPaste(ctx: Context, m: PastableMail): void {
  printMail(ctx, m);
  ctx.out.note(`embargo: paste it exactly (the To address too), post it, then: embargo message mark-sent ${m.id}`);
}

export function registerMessageOutbox(message: Command, ctx: Context): void {
  message
    .command('send')
    .description("Lint a case's mail and queue it: the playbook's template, or your edited text (--file); refused on any lint error")
    .argument('<case-id>', 'case id, e.g. EMB-2026-0001', caseIdArg)
    .addOption(kindOption())
    .option('--file <file>', 'your edited mail: an optional "Subject: …" first line, then the body ("-" for stdin)')
    .option('--to <address>', 'a recipient instead of the configured one (repeatable; the lint insists on the exact address)', collect)
    .option(
      '--copy',
      "for a list's web interface: queue it as copied (the worker will not send it), print the text to paste, then mark it as sent",
    )
    .option('--json', 'print {message, created, findings} as JSON')
    .action(async (id: string, opts: { kind: string; file?: string; to?: string[]; copy?: boolean; json?: boolean }, cmd: Command) => {
      const edited = opts.file === undefined ? undefined : parseMessageFile(ctx.readArg(opts.file).toString('utf8'));
      const api = await ctx.api(cmd);
      const sent = await detailed(
        api.POST('/api/v1/cases/{caseId}/messages', {
          params: { path: { caseId: id } },
          body: {
            kind: opts.kind as MessageKind,
            ...(edited?.hasSubject ? { subject: edited.subject } : {}),
            ...(edited ? { body: edited.body } : {}),
            ...(opts.to ? { to: opts.to } : {}),
            via: opts.copy ? 'copy' : 'smtp',
          },
        }),
      ).catch((err: unknown) => {
        throw edited && opts.file ? placedInFile(toCliError(err), opts.file === '-' ? '<stdin>' : opts.file, edited) : err;
      });
      if (opts.json) return ctx.out.json(sent);
      const m = sent.message;
      const what = `${kindLabel(m.kind)} to ${m.to.join(', ')}`;
      if (!sent.created) ctx.out.note(`embargo: the same mail was queued before (message ${m.id}); nothing new was queued`);
      for (const f of sent.findings) ctx.out.note(`embargo: lint: ${f.severity} [${f.rule}] ${f.message}`);
      if (m.status === 'copied') {
        ctx.out.note(`✓ ${id}: ${what} is ready to paste (message ${m.id}, status copied)`);
        printPaste(ctx, m);
      } else {
        ctx.out.line(`✓ ${id}: ${what} is ${m.status} (message ${m.id}).`);
      }
    });

  message
    .command('list')
    .description("A case's mails and their delivery state (the read is audited)")
    .argument('<case-id>', 'case id, e.g. EMB-2026-0001', caseIdArg)
    .option('--json', 'print {messages} as JSON')
    .action(async (id: string, opts: JsonOption, cmd: Command) => {
      const { messages } = await answer((await ctx.api(cmd)).GET('/api/v1/cases/{caseId}/messages', { params: { path: { caseId: id } } }));
      if (opts.json) return ctx.out.json({ messages });
      if (messages.length === 0) return ctx.out.line(`${id} has no messages yet; send one with: embargo message send ${id} --kind KIND`);
      printTable(ctx.out, messageRows(messages, false));
    });

  message
    .command('show')
    .description('One message: headers, delivery state and text (the read is audited)')
    .argument('<message-id>', 'the message id (from message list)', messageIdArg)
    .option('--json', 'print the message as JSON')
    .action(async (messageId: string, opts: JsonOption, cmd: Command) => {
      const m = await answer((await ctx.api(cmd)).GET('/api/v1/messages/{messageId}', { params: { path: { messageId } } }));
      if (opts.json) return ctx.out.json(m);
      printTable(ctx.out, [
        ['FIELD', 'VALUE'],
        ['kind', `${m.kind} (${kindLabel(m.kind)})`],
        ['case', m.caseId ?? '—'],
        ['status', m.status],
        ['attempts', String(m.attempts)],
        ['queued', `${shortTime(m.createdAt)} by ${m.createdBy}`],
        ['sent', m.sentAt ? `${shortTime(m.sentAt)} by ${m.sentBy ?? '?'}` : '—'],
        ['last error', m.lastError ?? '—'],
        ['SMTP reply', m.smtpResponse ?? '—'],
        ['Message-ID', m.messageId],
      ]);
      ctx.out.line();
      printMail(ctx, m);
    });

  message
    .command('retry')
    .description('Queue a failed message again, or one that may have been sent (same Message-ID)')
    .argument('<message-id>', 'the message id', messageIdArg)
    .option('--json', 'print the message as JSON')
    .action(async (messageId: string, opts: JsonOption, cmd: Command) => {
      const m = await answer((await ctx.api(cmd)).POST('/api/v1/messages/{messageId}/retry', { params: { path: { messageId } } }));
      if (opts.json) return ctx.out.json(m);
      ctx.out.line(`✓ message ${m.id} (${m.kind}) is queued again.`);
    });

  message
    .command('copy')
    .description("Print the exact From/To/Subject/body to paste into a list's web interface; the worker will not send it")
    .argument('<message-id>', 'the message id', messageIdArg)
    .option('--json', 'print {id, from, to, cc, subject, body} as JSON')
    .action(async (messageId: string, opts: JsonOption, cmd: Command) => {
      const m = await answer((await ctx.api(cmd)).POST('/api/v1/messages/{messageId}/copy', { params: { path: { messageId } } }));
      if (opts.json) return ctx.out.json(m);
      printPaste(ctx, m);
    });

  message
    .command('mark-sent')
    .description('Record that you posted a copied message (or found an unknown one in the archive): who and when')
    .argument('<message-id>', 'the message id', messageIdArg)
    .option('--at <time>', 'when it was sent (default now), e.g. "2026-11-25 09:30" (UTC)', timeArg)
    .option('--json', 'print the message as JSON')
    .action(async (messageId: string, opts: { at?: string; json?: boolean }, cmd: Command) => {
      const api = await ctx.api(cmd);
      const m = await answer(
        api.POST('/api/v1/messages/{messageId}/mark-sent', {
          params: { path: { messageId } },
          body: opts.at === undefined ? {} : { at: opts.at },
        }),
      );
      if (opts.json) return ctx.out.json(m);
      ctx.out.line(`✓ message ${m.id} (${m.kind}) is sent: ${shortTime(m.sentAt)} by ${m.sentBy ?? '?'}.`);
    });

  message
    .command('attention')
    .description('Messages that failed or may have been sent, across cases (admins)')
    .option('--json', 'print {messages} as JSON')
    .action(async (opts: JsonOption, cmd: Command) => {
      const { messages } = await answer((await ctx.api(cmd)).GET('/api/v1/messages/attention'));
      if (opts.json) return ctx.out.json({ messages });
      if (messages.length === 0) return ctx.out.line('No message needs attention.');
      printTable(ctx.out, messageRows(messages, true));
      ctx.out.note('embargo: retry with "embargo message retry ID", or after checking the archive "embargo message mark-sent ID"');
    });
}
