/** `embargo playbook list|show`: the processes cases follow. */
import type { Command } from 'commander';
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
      const client = ctx.clientFor(cmd);
      const result = await client.listPlaybooks();
      if (opts.json) return ctx.out.json(result);
      const fallback = result.defaultPlaybook;
      const rows = [
        ['ID', 'NAME', 'STEPS', 'DEFAULT'],
        ...result.playbooks.map((p) => [p.id, p.name, String(p.steps.length), p.id === fallback ? 'yes' : '']),
      ];
      printTable(ctx.out, rows);
    });

  playbook
    .command('show')
    .description('A playbook: its steps with guidance and gates, and its settings')
    .argument('[id]', 'playbook id (default: the default playbook)')
    .option('--json', 'print the playbook as JSON')
    .action(async (id: string | undefined, opts: JsonOption, cmd: Command) => {
      const pb = await ctx.clientFor(cmd).getPlaybook(id);
      if (opts.json) return ctx.out.json(pb);
      for (const l of playbookDetails(pb, ctx.out.colors)) ctx.out.line(l);
    });
}
