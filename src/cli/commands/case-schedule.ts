/**
 * `embargo case embargo|plan|release`: the dates a case keeps — the agreed end of the embargo (the
 * reporter told when it moves after the notice), the release lines with their planned dates, and
 * each line's release, corrected or undone with a reason.
 */
import type { Command } from 'commander';
import { detailed } from '../../client/client.js';
import { releaseTagWarning } from '../../domain/case/release-correction.js';
import { noticeOnEarlierDate } from '../../domain/messages/record.js';
import { lineArg } from '../case-args.js';
import { caseIdArg, type Context, type JsonOption, requireUsage } from '../context.js';
import { describeEmbargo, shortTime } from '../format.js';

export function registerCaseSchedule(kase: Command, ctx: Context): void {
  const out = ctx.out;
  const c = out.colors;

  kase
    .command('embargo')
    .description('Set the agreed end of the embargo, in the time zone it was agreed in')
    .argument('<id>', 'case id', caseIdArg)
    .requiredOption('--at <time>', 'wall-clock time, e.g. "2026-12-01 17:00"')
    .requiredOption('--tz <zone>', 'IANA time zone it was agreed in, e.g. Europe/Berlin')
    .option('--allow-past <reason>', 'accept a time already past, saying why (replaying an old case); kept in the event')
    .option('--no-mail', 'when the distributors were told another date: do not queue the mail that tells the reporter the new one')
    .option('--json', 'print {case, message} as JSON')
    .action(async (id: string, opts: { at: string; tz: string; mail: boolean; allowPast?: string } & JsonOption, cmd: Command) => {
      const api = await ctx.api(cmd);
      const body = { endsAt: opts.at, timeZone: opts.tz, ...(opts.allowPast !== undefined ? { allowPast: opts.allowPast } : {}) };
      const updated = await detailed(api.PUT('/api/v1/cases/{caseId}/embargo', { params: { path: { caseId: id } }, body }));
      // Moved after the distributors were told (issue 13, item 5): the reporter hears the new date
      // now; the distributors need a new notice before their step or the agreement.
      const earlier = noticeOnEarlierDate(updated);
      const tell = earlier !== null && opts.mail && Boolean(updated.reporter?.contact);
      const mail = tell
        ? await detailed(
            api.POST('/api/v1/cases/{caseId}/messages', { params: { path: { caseId: id } }, body: { kind: 'reporter-date-moved' } }),
          )
        : null;
      if (opts.json) return out.json({ case: updated, message: mail?.message ?? null });
      out.line(`The embargo of ${c.bold(updated.id)} ends ${describeEmbargo(updated.embargo)}.`);
      if (!earlier) return;
      out.line(
        `${c.yellow('!')} The distributors were told ${earlier.told ? describeEmbargo(earlier.told) : 'no date'}: their answers are stale, and their step and embargo agree wait for a new notice: ${c.cyan(`embargo message send ${id} --kind distributors-notice`)}`,
      );
      if (mail)
        out.line(`Queued the mail that tells the reporter the new date (${mail.message.to.join(', ')}); see embargo message list ${id}.`);
      else if (opts.mail) out.line('The case has no reporter contact, so no reporter was told.');
    });

  kase
    .command('plan')
    .description('Set the release lines that get a patch and the version of each (replaces the plan)')
    .argument('<id>', 'case id', caseIdArg)
    .requiredOption(
      '--line <line=version[@date]>',
      'e.g. 1.33=1.33.4, or 1.33=1.33.4@2026-12-10 with the planned date (repeatable)',
      lineArg,
    )
    .option('--json', 'print the case as JSON')
    .action(async (id: string, opts: { line: { line: string; version: string; plannedAt?: string }[] } & JsonOption, cmd: Command) => {
      const api = await ctx.api(cmd);
      const updated = await detailed(
        api.PUT('/api/v1/cases/{caseId}/release-plan', { params: { path: { caseId: id } }, body: { lines: opts.line } }),
      );
      if (opts.json) return out.json(updated);
      out.line(
        `Release plan of ${c.bold(updated.id)}: ${updated.releasePlan.map((l) => `${l.line} → ${l.version}${l.releasedAt ? ' (released)' : l.plannedAt ? ` (planned ${shortTime(l.plannedAt)})` : ''}`).join(', ')}.`,
      );
    });

  kase
    .command('release')
    .description("Record that a release line's patch is out; --correct or --undo a recorded one, with a reason")
    .argument('<id>', 'case id', caseIdArg)
    .argument('<line>', 'release line, e.g. 1.33')
    .option('--tag <tag>', 'the git tag (default: v<version>)')
    .option('--correct', 'correct a recorded release: its --tag and/or --version (resets its verification)')
    .option('--version <version>', 'with --correct: the version that really shipped')
    .option('--undo', 'undo a recorded release (the line is not released again)')
    .option('--reason <text>', 'with --correct or --undo: why; kept in the audit log')
    .option('--json', 'print the case as JSON')
    .action(
      async (
        id: string,
        line: string,
        opts: { tag?: string; correct?: boolean; version?: string; undo?: boolean; reason?: string } & JsonOption,
        cmd: Command,
      ) => {
        requireUsage(!(opts.correct && opts.undo), 'use --correct or --undo, not both');
        requireUsage(
          !opts.correct && !opts.undo ? opts.reason === undefined && opts.version === undefined : true,
          '--reason and --version go with --correct or --undo',
        );
        requireUsage(
          !(opts.correct || opts.undo) || opts.reason !== undefined,
          `say why with --reason: the ${opts.undo ? 'undo' : 'correction'} is kept in the audit log`,
        );
        requireUsage(!opts.undo || (opts.tag === undefined && opts.version === undefined), '--undo takes no --tag or --version');
        const api = await ctx.api(cmd);
        const path = { params: { path: { caseId: id, line } } };
        const updated = opts.undo
          ? await detailed(api.POST('/api/v1/cases/{caseId}/releases/{line}/undo', { ...path, body: { reason: opts.reason! } }))
          : opts.correct
            ? await detailed(
                api.POST('/api/v1/cases/{caseId}/releases/{line}/correction', {
                  ...path,
                  body: {
                    reason: opts.reason!,
                    ...(opts.tag !== undefined ? { tag: opts.tag } : {}),
                    ...(opts.version !== undefined ? { version: opts.version } : {}),
                  },
                }),
              )
            : await detailed(
                api.POST('/api/v1/cases/{caseId}/releases', {
                  params: { path: { caseId: id } },
                  body: { line, ...(opts.tag !== undefined ? { tag: opts.tag } : {}) },
                }),
              );
        const l = updated.releasePlan.find((r) => r.line === line);
        const warning = l ? releaseTagWarning(l) : null;
        if (warning)
          out.note(`embargo: warning: ${warning}; if it is wrong: embargo case release ${id} ${line} --correct --tag TAG --reason …`);
        if (opts.json) return out.json(updated);
        const pending = updated.releasePlan.filter((r) => !r.releasedAt).map((r) => r.line);
        const what = l ? `${l.version}${l.tag ? ` (${l.tag})` : ''}` : `line ${line}`;
        out.line(
          opts.undo
            ? `Undid the release of line ${line} for ${c.bold(updated.id)}.`
            : opts.correct
              ? `Corrected the release of line ${line} to ${what} for ${c.bold(updated.id)}; verify it again with embargo plan verify.`
              : `Recorded the release of ${what} for ${c.bold(updated.id)}.`,
        );
        out.line(pending.length === 0 ? 'Every planned line is released.' : `Still to release: ${pending.join(', ')}.`);
      },
    );
}
