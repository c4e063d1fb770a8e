/**
 * `embargo advisory push|request-cve|fork|publish|publication|sync|import`: the case's GitHub
 * advisory (checklist steps 3, 4 and 9). With a GitHub connection for the case's project the
 * commands act through GitHub's API; without one (manual mode) they print the exact fields to paste
 * into GitHub and the command that records the result. docs/github.md has the whole story.
 */
import type { Command } from 'commander';
import { type Answer, answer } from '../../client/client.js';
import { caseIdArg, requireUsage, type Context, type JsonOption } from '../context.js';
import { table, type Output } from '../output.js';
import { shortTime } from '../format.js';

type Pushed = Answer<'/api/v1/cases/{caseId}/advisory/push', 'post'>;
type FieldChange = NonNullable<Pushed['diff']>[number];
type ManualInstructions = NonNullable<Pushed['manual']>;

const caseParams = (caseId: string) => ({ params: { path: { caseId } } });

const show = (v: unknown) => (v === null || v === undefined ? '(none)' : typeof v === 'string' ? JSON.stringify(v) : JSON.stringify(v));

/** One line per changed field: "summary: "old" → "new"". Long values are cut for the terminal. */
export function printDiff(out: Output, diff: FieldChange[]): void {
  const cut = (s: string) => (s.length > 160 ? `${s.slice(0, 157)}…` : s);
  for (const d of diff) out.line(`  ${d.field}: ${cut(show(d.from))} → ${cut(show(d.to))}`);
}

/** Manual mode: where to go, every field to paste, and what to record afterwards. */
export function printManual(out: Output, m: ManualInstructions, project: string): void {
  const c = out.colors;
  out.line(`${c.yellow('Manual mode')}: project ${project} has no GitHub connection (embargo github connect sets one up).`);
  out.line(`Go to ${m.where} and fill in:`);
  for (const f of m.fields) {
    if (f.value.includes('\n')) {
      out.line(`  ${c.bold(f.label)}:`);
      for (const l of f.value.split('\n')) out.line(`    ${l}`);
    } else {
      out.line(`  ${c.bold(f.label)}: ${f.value}`);
    }
  }
  for (const t of m.then) out.line(`Then: ${t}`);
}

export function registerAdvisory(program: Command, ctx: Context): void {
  const out = ctx.out;
  const c = out.colors;
  const advisory = program
    .command('advisory')
    .description(
      "The case's GitHub security advisory: push, CVE request, private fork, publish, sync, import (manual mode without a connection)",
    );

  advisory
    .command('push')
    .description('Create the advisory draft from the case, or update it; shows the difference first')
    .argument('<case>', 'case id', caseIdArg)
    .option('--dry-run', 'print the request body and the difference without sending anything')
    .option('--json', 'print {mode, dryRun, action, ghsaId, body, diff, case} as JSON')
    .action(async (id: string, opts: { dryRun?: boolean } & JsonOption, cmd: Command) => {
      const api = await ctx.api(cmd);
      const r = await answer(
        api.POST('/api/v1/cases/{caseId}/advisory/push', { ...caseParams(id), body: opts.dryRun ? { dryRun: true } : {} }),
      );
      if (opts.json) return out.json(r);
      if (r.mode === 'manual' && r.manual) {
        printManual(out, r.manual, r.case.project);
        if (r.cvss) out.line(`CVSS for GitHub: ${r.cvss.version} ${r.cvss.vector} (${r.cvss.why})`);
        out.line('');
        out.line('Request body the API would send:');
        out.line(JSON.stringify(r.body, null, 2));
        return;
      }
      if (r.action === 'none') return out.line(`${r.ghsaId} on GitHub already matches ${id}; nothing to send.`);
      const verb = r.action === 'create' ? 'create the advisory draft' : `update ${r.ghsaId}`;
      out.line(
        r.dryRun
          ? `Would ${verb} (dry run: nothing was sent).`
          : r.action === 'create'
            ? `Created the advisory draft ${c.bold(r.ghsaId ?? '')} and recorded it on ${id}.`
            : `Updated ${c.bold(r.ghsaId ?? '')} on GitHub.`,
      );
      out.line(r.action === 'create' ? 'Fields:' : 'Difference (GitHub now → after the push):');
      printDiff(out, r.diff);
      if (r.dryRun && r.cvss) out.line(`CVSS for GitHub: ${r.cvss.version} ${r.cvss.vector} (${r.cvss.why})`);
      if (r.dryRun) {
        out.line('Request body:');
        out.line(JSON.stringify(r.body, null, 2));
      }
    });

  advisory
    .command('request-cve')
    .description('Request a CVE id for the advisory and record it once GitHub assigns it')
    .argument('<case>', 'case id', caseIdArg)
    .option('--json', 'print {mode, status, cveId, case} as JSON')
    .action(async (id: string, opts: JsonOption, cmd: Command) => {
      const r = await answer((await ctx.api(cmd)).POST('/api/v1/cases/{caseId}/advisory/cve', { ...caseParams(id), body: {} }));
      if (opts.json) return out.json(r);
      if (r.mode === 'manual' && r.manual) return printManual(out, r.manual, r.case.project);
      if (r.status === 'assigned') out.line(`GitHub assigned ${c.bold(r.cveId ?? '')}; recorded on ${id}.`);
      else
        out.line(
          `Requested a CVE id for ${r.case.ghsaId}; GitHub has not assigned it yet. embargo advisory sync ${id} records it once it has.`,
        );
    });

  advisory
    .command('fork')
    .description("Create the temporary private fork and make the case's access list its collaborators")
    .argument('<case>', 'case id', caseIdArg)
    .option('--json', 'print {mode, fork, collaborators, withoutLogin, case} as JSON')
    .action(async (id: string, opts: JsonOption, cmd: Command) => {
      const r = await answer((await ctx.api(cmd)).POST('/api/v1/cases/{caseId}/advisory/fork', { ...caseParams(id), body: {} }));
      if (opts.json) return out.json(r);
      if (r.mode === 'manual' && r.manual) return printManual(out, r.manual, r.case.project);
      if (r.fork?.ready) out.line(`Private fork ${c.bold(r.fork.fullName ?? '')} is ready: ${r.fork.url}`);
      else out.line(`Private fork ${r.fork?.fullName ?? ''} requested; GitHub is still creating it (${r.fork?.url ?? 'no URL yet'}).`);
      out.line(
        r.collaborators.length > 0
          ? `Collaborators: ${r.collaborators.map((l) => `@${l}`).join(', ')}`
          : 'No one on the access list has a GitHub login on record.',
      );
      if (r.withoutLogin.length > 0)
        out.line(
          c.yellow(
            `No GitHub login on record for ${r.withoutLogin.join(', ')}: set it with embargo user edit USER --github-login LOGIN, then run this again.`,
          ),
        );
    });

  advisory
    .command('status')
    .description(
      "Where the case's advisory stands, without asking GitHub: ids, state last seen, whether the case changed since the last push",
    )
    .argument('<case>', 'case id', caseIdArg)
    .option('--json', 'print the status as JSON')
    .action(async (id: string, opts: JsonOption, cmd: Command) => {
      const s = await answer((await ctx.api(cmd)).GET('/api/v1/cases/{caseId}/advisory', caseParams(id)));
      if (opts.json) return out.json(s);
      const when = (at: string | null) => (at ? shortTime(at) : '—');
      const rows = [
        ['mode', s.mode === 'github' ? `GitHub (${s.repository})` : 'manual (no GitHub connection for the project)'],
        ['advisory', s.ghsaId ? `${s.ghsaId}${s.remoteState ? `, ${s.remoteState} on GitHub` : ''}` : '—'],
        ['pushed', s.lastPushedAt ? `${when(s.lastPushedAt)}${s.upToDate ? ', up to date with the case' : ''}` : '—'],
        ['synced', when(s.lastSyncedAt)],
        ['CVE', s.cveId ?? (s.cveRequestedAt ? `requested ${when(s.cveRequestedAt)}, not assigned yet` : '—')],
        ['fork', s.forkUrl ?? '—'],
        ['published', when(s.publishedAt)],
      ];
      for (const l of table(rows)) out.line(`  ${l}`);
      if (s.note) out.line(s.upToDate === false ? c.yellow(s.note) : s.note);
    });

  advisory
    .command('publication')
    .description('Whether the advisory may be published now, and every condition that blocks it')
    .argument('<case>', 'case id', caseIdArg)
    .option('--json', 'print {allowed, blockers, step} as JSON')
    .action(async (id: string, opts: JsonOption, cmd: Command) => {
      const r = await answer((await ctx.api(cmd)).GET('/api/v1/cases/{caseId}/advisory/publication', caseParams(id)));
      if (opts.json) return out.json(r);
      if (r.allowed) return out.line(c.green(`The advisory of ${id} may be published.`));
      out.line(`The advisory of ${id} cannot be published yet:`);
      for (const b of r.blockers) out.line(`  - ${b}`);
    });

  advisory
    .command('publish')
    .description(
      'Publish the advisory: only when every line is released and verified and the embargo is over (admins: --override --reason)',
    )
    .argument('<case>', 'case id', caseIdArg)
    .option('--override', 'publish although conditions are unmet (admins; needs --reason; recorded)')
    .option('--reason <text>', 'why the override is needed')
    .option('--json', 'print {mode, published, overridden, unmet, case} as JSON')
    .action(async (id: string, opts: { override?: boolean; reason?: string } & JsonOption, cmd: Command) => {
      requireUsage(opts.reason === undefined || opts.override === true, '--reason goes with --override');
      requireUsage(
        !opts.override || (opts.reason !== undefined && opts.reason.trim() !== ''),
        '--override needs --reason TEXT: say why the advisory goes out before its conditions are met',
      );
      const api = await ctx.api(cmd);
      const r = await answer(
        api.POST('/api/v1/cases/{caseId}/advisory/publish', {
          ...caseParams(id),
          body: { ...(opts.override ? { override: true } : {}), ...(opts.reason !== undefined ? { reason: opts.reason } : {}) },
        }),
      );
      if (opts.json) return out.json(r);
      if (r.overridden) {
        out.line(c.yellow(`Override recorded; conditions overridden:`));
        for (const u of r.unmet) out.line(`  - ${u}`);
      }
      if (r.mode === 'manual' && r.manual) return printManual(out, r.manual, r.case.project);
      out.line(`Published ${c.bold(r.case.ghsaId ?? '')} on ${r.case.publishedAt}.`);
    });

  advisory
    .command('sync')
    .description('Read the advisory from GitHub (conditional request) and record what changed there: CVE id, publication, fork')
    .argument('<case>', 'case id', caseIdArg)
    .option('--json', 'print {mode, notModified, changed, remoteState, note, case} as JSON')
    .action(async (id: string, opts: JsonOption, cmd: Command) => {
      const r = await answer((await ctx.api(cmd)).POST('/api/v1/cases/{caseId}/advisory/sync', { ...caseParams(id), body: {} }));
      if (opts.json) return out.json(r);
      if (r.notModified) out.line(`${r.case.ghsaId} has not changed on GitHub since the last sync.`);
      else if (r.changed.length === 0) out.line(`${r.case.ghsaId} is ${r.remoteState} on GitHub; nothing new for ${id}.`);
      else out.line(`${r.case.ghsaId} is ${r.remoteState} on GitHub; recorded on ${id}: ${r.changed.join(', ')}.`);
      if (r.note) out.line(c.yellow(r.note));
    });

  advisory
    .command('import')
    .description("Open a case for each of the project's private vulnerability reports on GitHub (its admins); imported ones are skipped")
    .option('--project <id>', 'the project whose GitHub repository to read (default: the only project you belong to)')
    .option('--json', 'print {imported, skipped, notModified} as JSON')
    .action(async (opts: { project?: string } & JsonOption, cmd: Command) => {
      const body = opts.project !== undefined ? { project: opts.project } : {};
      const r = await answer((await ctx.api(cmd)).POST('/api/v1/github/imports', { body }));
      if (opts.json) return out.json(r);
      for (const i of r.imported) out.line(`Imported ${i.ghsaId} as ${c.bold(i.caseId)}: ${i.title}`);
      if (r.notModified)
        return out.line('No new private vulnerability reports (the list has not changed on GitHub since the last import).');
      if (r.imported.length === 0) out.line('No new private vulnerability reports.');
      if (r.skipped.length > 0) out.line(c.dim(`Already imported: ${r.skipped.map((s) => `${s.ghsaId} (${s.caseId})`).join(', ')}`));
    });
}
