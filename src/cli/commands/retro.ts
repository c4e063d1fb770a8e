/**
 * `embargo retro ID` (the case's retrospective: text, --json, --markdown), `retro write`, `retro
 * action add|done`, `retro actions` (the open list), and `embargo metrics [--since] [--csv]`.
 */
import type { Command } from 'commander';
import { answer } from '../../client/client.js';
import { durationRows, formatDuration, metricsCsv, retrospectiveMarkdown } from '../../domain/retro/index.js';
import { caseIdArg, requireUsage, type Context, type JsonOption } from '../context.js';
import { usageError } from '../errors.js';
import { printTable } from '../output.js';

export function registerRetro(program: Command, ctx: Context): void {
  const retro = program
    .command('retro')
    .description("A case's retrospective from its event log: timeline, durations, clocks, notes and action items (the read is audited)")
    .argument('[case-id]', 'case id, e.g. EMB-2026-0001')
    .option('--json', 'print the retrospective as JSON')
    .option('--markdown', "print it as Markdown, for the team's notes")
    .action(async (id: string | undefined, opts: JsonOption & { markdown?: boolean }, cmd: Command) => {
      if (id === undefined) return cmd.help({ error: true });
      requireUsage(!(opts.json && opts.markdown), 'give --json or --markdown, not both');
      const r = await answer(
        (await ctx.api(cmd)).GET('/api/v1/cases/{caseId}/retrospective', { params: { path: { caseId: caseIdArg(id) } } }),
      );
      if (opts.json) return ctx.out.json(r);
      if (opts.markdown) return ctx.out.line(retrospectiveMarkdown(r).trimEnd());
      const c = ctx.out.colors;
      ctx.out.line(`${c.bold(r.caseId)}  ${r.title}  (${r.codename}, ${r.status})`);
      ctx.out.line('');
      printTable(ctx.out, [
        ['when (UTC)', 'milestone', 'since previous', 'since report'],
        ...r.timeline.map((m) => [
          m.at.slice(0, 16).replace('T', ' '),
          m.state === 'queued' ? `${m.label} (queued)` : m.label,
          formatDuration(m.sincePrevious),
          formatDuration(m.sinceReport),
        ]),
      ]);
      ctx.out.line('');
      for (const [label, value] of durationRows(r.durations)) ctx.out.line(`  ${label.padEnd(30)} ${value}`);
      ctx.out.line('');
      ctx.out.line(
        r.clocks === null
          ? 'Clocks: not known for this case.'
          : `Clocks: ${r.clocks.map((k) => `${k.label} ${k.outcome}`).join('; ') || 'none declared'}`,
      );
      ctx.out.line(
        r.written
          ? `Notes by ${r.written.writtenBy} on ${r.written.writtenAt.slice(0, 10)}:`
          : c.yellow(`Not written yet: embargo retro write ${r.caseId} --notes-file FILE`),
      );
      if (r.written) for (const line of r.written.notes.split('\n')) ctx.out.line(`  ${line}`);
      if (r.actions.length > 0) ctx.out.line('Action items:');
      for (const a of r.actions)
        ctx.out.line(`  [${a.doneAt ? 'x' : ' '}] ${a.id.slice(0, 8)}  ${a.text}${a.owner ? ` (${a.owner})` : ''}`);
    });

  retro
    .command('write')
    .description("Write the case's retrospective notes (the retrospective step waits for them)")
    .argument('<case-id>', 'case id', caseIdArg)
    .option('--notes <text>', 'the notes')
    .option('--notes-file <file>', 'read the notes from a file ("-": stdin)')
    .action(async (id: string, opts: { notes?: string; notesFile?: string }, cmd: Command) => {
      requireUsage((opts.notes === undefined) !== (opts.notesFile === undefined), 'give the notes with --notes TEXT or --notes-file FILE');
      const notes = opts.notes ?? ctx.readArg(opts.notesFile!, '--notes-file').toString('utf8');
      await answer((await ctx.api(cmd)).PUT('/api/v1/cases/{caseId}/retrospective', { params: { path: { caseId: id } }, body: { notes } }));
      ctx.out.line(`The retrospective of ${id} is written (embargo retro ${id} to read it).`);
    });

  const action = retro.command('action').description("A retrospective's action items");
  action
    .command('add')
    .description('Add an action item to the case; it stays on the open list (embargo retro actions) until done')
    .argument('<case-id>', 'case id', caseIdArg)
    .argument('<text>', 'what to do')
    .option('--owner <name>', 'who does it')
    .action(async (id: string, text: string, opts: { owner?: string }, cmd: Command) => {
      const added = await answer(
        (await ctx.api(cmd)).POST('/api/v1/cases/{caseId}/retrospective/actions', {
          params: { path: { caseId: id } },
          body: { text, ...(opts.owner ? { owner: opts.owner } : {}) },
        }),
      );
      ctx.out.line('receipt' in added ? `Added an action item to ${id}.` : `Added action item ${added.id.slice(0, 8)} to ${id}.`);
    });
  action
    .command('done')
    .description('Mark an action item done (its id or first 8 characters)')
    .argument('<action-id>', 'the action item')
    .action(async (actionId: string, _opts: unknown, cmd: Command) => {
      if (!/^[0-9a-f-]{8,36}$/i.test(actionId)) throw usageError(`"${actionId}" is not an action item id (see embargo retro actions)`);
      const done = await answer(
        (await ctx.api(cmd)).POST('/api/v1/retrospective/actions/{actionId}/done', {
          params: { path: { actionId: actionId.toLowerCase() } },
        }),
      );
      ctx.out.line(`Action item ${done.id.slice(0, 8)} of ${done.caseId} is done.`);
    });

  retro
    .command('actions')
    .description('The open action items of every case you may see (the read is audited)')
    .option('--json', 'print {actions} as JSON')
    .action(async (opts: JsonOption, cmd: Command) => {
      const { actions } = await answer((await ctx.api(cmd)).GET('/api/v1/retrospective/actions'));
      // `retro` has its own --json, which commander gives the parent when written after `actions`.
      if (opts.json || cmd.parent?.opts<JsonOption>().json) return ctx.out.json({ actions });
      if (actions.length === 0) return ctx.out.line('No open action items.');
      printTable(ctx.out, [
        ['id', 'case', 'action', 'owner', 'since'],
        ...actions.map((a) => [a.id.slice(0, 8), `${a.caseId} (${a.codename})`, a.text, a.owner ?? '', a.createdAt.slice(0, 10)]),
      ]);
    });
}

export function registerMetrics(program: Command, ctx: Context): void {
  program
    .command('metrics')
    .description('Time to acknowledge, fix and disclose across the cases you may see: medians and the trend by month (the read is audited)')
    .option('--since <date>', 'only cases reported on or after this date (YYYY-MM-DD)')
    .option('--json', 'print {overall, trend, cases} as JSON')
    .option('--csv', 'print one row per case (durations in hours), for a spreadsheet')
    .action(async (opts: JsonOption & { since?: string; csv?: boolean }, cmd: Command) => {
      requireUsage(!(opts.json && opts.csv), 'give --json or --csv, not both');
      if (opts.since !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(opts.since))
        throw usageError(`--since ${opts.since}: write a date like 2026-01-31`);
      const m = await answer((await ctx.api(cmd)).GET('/api/v1/metrics', { params: { query: opts.since ? { since: opts.since } : {} } }));
      if (opts.json) return ctx.out.json(m);
      if (opts.csv) return void ctx.world.stdout.write(metricsCsv(m));
      const row = (label: string, s: typeof m.overall) => [
        label,
        String(s.cases),
        formatDuration(s.toAcknowledge),
        formatDuration(s.toFix),
        formatDuration(s.toDisclose),
        s.clocksMissed === null ? '—' : String(s.clocksMissed),
      ];
      printTable(ctx.out, [
        ['', 'cases', 'median to acknowledge', 'median to fix', 'median to disclose', 'clocks missed'],
        row('all', m.overall),
        ...m.trend.map((t) => row(t.month, t)),
      ]);
    });
}
