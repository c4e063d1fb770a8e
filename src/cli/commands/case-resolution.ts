/**
 * `embargo case reject|duplicate|withdraw|reopen`: a report that gets no advisory is closed with its
 * outcome and reason (its codename leaves the leak guard's terms), the reporter is told from the
 * playbook's template unless --no-mail, and an admin can take it back.
 */
import { type Command, Option } from 'commander';
import { type Answer, detailed } from '../../client/client.js';
import { type Context, caseIdArg, type JsonOption } from '../context.js';

type CaseAnswer = Exclude<Answer<'/api/v1/cases/{caseId}/resolution', 'post'>, { receipt: true }>;

const CATEGORIES = ['not-a-vulnerability', 'out-of-scope', 'cannot-reproduce'] as const;

interface CloseFlags extends JsonOption {
  reason: string;
  mail: boolean;
  category?: (typeof CATEGORIES)[number];
  of?: string;
}

export function registerCaseResolution(kase: Command, ctx: Context): void {
  const { out } = ctx;

  async function close(id: string, outcome: 'rejected' | 'duplicate' | 'withdrawn', opts: CloseFlags, cmd: Command) {
    const api = await ctx.api(cmd);
    const closed: CaseAnswer = await detailed(
      api.POST('/api/v1/cases/{caseId}/resolution', {
        params: { path: { caseId: id } },
        body: {
          outcome,
          reason: opts.reason,
          ...(opts.category !== undefined ? { category: opts.category } : {}),
          ...(opts.of !== undefined ? { duplicateOf: opts.of } : {}),
        },
      }),
    );
    // The reporter hears it from the template; the reason stays with the team (it may hold notes not for them).
    const tell = opts.mail && Boolean(closed.reporter?.contact);
    const mail = tell
      ? await detailed(api.POST('/api/v1/cases/{caseId}/messages', { params: { path: { caseId: id } }, body: { kind: 'reporter-closed' } }))
      : null;
    if (opts.json) return out.json({ case: closed, message: mail?.message ?? null });
    out.line(`${id} is ${closed.status}: ${opts.reason}`);
    out.line('Its codename and guard terms no longer block commits (embargo guard terms export to refresh a terms file).');
    if (mail) out.line(`Queued the mail to the reporter (${mail.message.to.join(', ')}); see embargo message list ${id}.`);
    else if (opts.mail) out.note(`embargo: the case has no reporter contact, so no one was told`);
  }

  const closeOptions = (c: Command) =>
    c
      .argument('<id>', 'case id', caseIdArg)
      .requiredOption('--reason <text>', 'why, for the team and the audit log (the reporter gets the template, not this)')
      .option('--no-mail', 'do not queue the mail that tells the reporter')
      .option('--json', 'print {case, message} as JSON');

  closeOptions(
    kase
      .command('reject')
      .description('Close a report that gets no advisory: not a vulnerability, out of scope, or not reproducible')
      .addOption(new Option('--category <why>', 'why it is rejected').choices(CATEGORIES).default('not-a-vulnerability')),
  ).action((id: string, opts: CloseFlags, cmd: Command) => close(id, 'rejected', opts, cmd));

  closeOptions(
    kase
      .command('duplicate')
      .description('Close a report that duplicates another case')
      .requiredOption('--of <case-id>', 'the case it duplicates', caseIdArg),
  ).action((id: string, opts: CloseFlags, cmd: Command) => close(id, 'duplicate', opts, cmd));

  closeOptions(kase.command('withdraw').description('Close a report its reporter withdrew')).action(
    (id: string, opts: CloseFlags, cmd: Command) => close(id, 'withdrawn', opts, cmd),
  );

  kase
    .command('reopen')
    .description("Reopen a report closed as rejected, duplicate or withdrawn (the project's admins); its steps are as they were")
    .argument('<id>', 'case id', caseIdArg)
    .requiredOption('--reason <text>', 'why it is open again; kept in the audit log')
    .option('--json', 'print the case as JSON')
    .action(async (id: string, opts: { reason: string } & JsonOption, cmd: Command) => {
      const api = await ctx.api(cmd);
      const reopened = await detailed(
        api.POST('/api/v1/cases/{caseId}/reopen', { params: { path: { caseId: id } }, body: { reason: opts.reason } }),
      );
      if (opts.json) return out.json(reopened);
      out.line(`${id} is open again (${reopened.status}).`);
    });
}
