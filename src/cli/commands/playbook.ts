/** `embargo playbook list|show`: the processes cases follow. */
import type { Command } from 'commander';
import { answer } from '../../client/client.js';
import type { Playbook } from '../../domain/playbook/index.js';
import type { Context, JsonOption } from '../context.js';
import { playbookDetails } from '../format.js';
import { printTable } from '../output.js';

export function registerPlaybook(program: Command, ctx: Context): void {
  const playbook = program.command('playbook').description('List and read playbooks');

  playbook
    .command('list')
    .description('The playbooks new cases can follow')
    .option('--json', 'print {playbooks: [...]} as JSON')
    .action(async (opts: JsonOption, cmd: Command) => {
      const result = await answer((await ctx.api(cmd, { database: false })).GET('/api/v1/playbooks'));
      if (opts.json) return ctx.out.json(result);
      const fallback = result.defaultPlaybook;
      const rows = [
        ['ID', 'NAME', 'STEPS', 'DEFAULT'],
        // The answer's schema leaves a playbook open (any object); its shape is the domain's Playbook.
        ...(result.playbooks as unknown as Playbook[]).map((p) => [p.id, p.name, String(p.steps.length), p.id === fallback ? 'yes' : '']),
      ];
      printTable(ctx.out, rows);
    });

  playbook
    .command('show')
    .description('A playbook: its steps with guidance and gates, and its settings')
    .argument('[id]', 'playbook id (default: the default playbook)')
    .option('--json', 'print the playbook as JSON')
    .action(async (id: string | undefined, opts: JsonOption, cmd: Command) => {
      const api = await ctx.api(cmd, { database: false });
      const playbookId = id ?? (await answer(api.GET('/api/v1/playbooks'))).defaultPlaybook;
      const pb = await answer(api.GET('/api/v1/playbooks/{playbookId}', { params: { path: { playbookId } } }));
      if (opts.json) return ctx.out.json(pb);
      for (const l of playbookDetails(pb as unknown as Playbook, ctx.out.colors)) ctx.out.line(l);
    });
}
