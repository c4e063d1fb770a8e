/**
 * `embargo case …`: open a case, see where it stands, walk it through its playbook's steps, and set
 * the details the steps' gates ask for (ids, severity); the embargo and the releases are in case-schedule.ts.
 */
import { Option, type Command } from 'commander';
import { type Answer, type ApiClient, answer, detailed } from '../../client/client.js';
import type { StepView } from '../../domain/playbook/types.js';
import type { CaseEdit as CaseEditInput, CaseWithSteps as CaseWithStepsAnswer } from '../api-types.js';
import { caseIdArg, collect, requireUsage, type Context, type JsonOption } from '../context.js';
import { CliError, EXIT_FAILURE } from '../errors.js';
import { cweMappingWarning } from '../../domain/severity/cwe.js';
import { registerCaseResolution } from './case-resolution.js';
import { registerCaseSchedule } from './case-schedule.js';
import { printCaseFile, registerCaseImport } from './export.js';
import { newCaseFromMail } from './report-mail.js';
import {
  type ReporterFlags,
  reporterOptions,
  hasReporterFlags,
  reporterFrom,
  affectedArg,
  type AdvisoryFlags,
  advisoryEdit,
  orNull,
  listOrNull,
  revisionArg,
  limitArg,
} from '../case-args.js';
import { answerLines, caseDetails, describeEmbargo, MARKS, nextStepLines, shortTime, stepList, withConfirmHints, wrap } from '../format.js';
import { printTable } from '../output.js';
import { clockLines } from '../clock-lines.js';

const DEFAULT_LIST_LIMIT = 50;
/** The most cases the API gives in one answer. */
const PAGE_MAX = 200;

/** Up to `limit` cases (null: all), page by page along the API's cursor, and whether there are more than shown. */
async function listCases(
  api: ApiClient,
  filter: { q?: string; status?: string; project?: string },
  limit: number | null,
): Promise<{ cases: Answer<'/api/v1/cases', 'get'>['cases']; more: boolean }> {
  const query = {
    ...(filter.q !== undefined ? { q: filter.q } : {}),
    ...(filter.status !== undefined ? { status: filter.status } : {}),
    ...(filter.project !== undefined ? { project: filter.project } : {}),
  };
  const cases: Answer<'/api/v1/cases', 'get'>['cases'] = [];
  let cursor: string | null = null;
  for (;;) {
    const want = limit === null ? PAGE_MAX : Math.min(PAGE_MAX, limit - cases.length);
    const page: Answer<'/api/v1/cases', 'get'> = await answer(
      api.GET('/api/v1/cases', { params: { query: { ...query, limit: String(want), ...(cursor ? { cursor } : {}) } } }),
    );
    cases.push(...page.cases);
    cursor = page.nextCursor;
    if (cursor === null) return { cases, more: false };
    if (limit !== null && cases.length >= limit) return { cases, more: true };
  }
}

export function registerCase(program: Command, ctx: Context): void {
  const out = ctx.out;
  const c = out.colors;
  const kase = program.command('case').description('Open, inspect and walk cases through their playbook');
  registerCaseImport(kase, ctx);
  registerCaseResolution(kase, ctx);

  /** After a step change: the one-line result and what comes next. */
  const printStepResult = (result: CaseWithStepsAnswer, stepId: string, verb: string) => {
    const step = result.steps.find((s) => s.id === stepId);
    const label = step ? `step ${step.number} "${step.title}"` : `step ${stepId}`;
    const mark = step ? MARKS[step.status] : '';
    out.line(`${mark} ${result.case.id}: ${label} ${verb}. Status: ${result.case.status}.`.trim());
    for (const l of nextStepLines(result.case.id, result.steps, c)) out.line(l);
  };

  reporterOptions(
    kase
      .command('new')
      .description('Open a case for a newly reported vulnerability (or from the report mail with --from-eml FILE)')
      .option('--title <title>', 'short internal title (stays private until publication; with --from-eml: default the Subject)')
      .option(
        '--from-eml <file>',
        'open it from a report mail saved as a raw .eml file (- for stdin): Subject, text, sender, Date, Message-ID',
      )
      .option('--project <id>', 'the project the case belongs to (default: the only project you belong to)')
      .option('--playbook <id>', "a check: the playbook the case must follow (it follows its project's)"),
  )
    .option('--json', 'print the new case as JSON')
    .action(
      async (
        opts: { title?: string; fromEml?: string; project?: string; playbook?: string } & ReporterFlags & JsonOption,
        cmd: Command,
      ) => {
        if (opts.fromEml !== undefined) {
          const fromEml = opts.fromEml;
          return newCaseFromMail(ctx, cmd, { ...opts, fromEml }, (sender) =>
            hasReporterFlags(opts) || sender ? reporterFrom(opts, sender) : undefined,
          );
        }
        requireUsage(opts.title !== undefined, 'give the case a title with --title (or open it from a report mail with --from-eml FILE)');
        const reporter = hasReporterFlags(opts) ? reporterFrom(opts, null) : undefined;
        const api = await ctx.api(cmd);
        const created = await detailed(
          api.POST('/api/v1/cases', {
            body: {
              title: opts.title!,
              ...(opts.project !== undefined ? { project: opts.project } : {}),
              ...(opts.playbook !== undefined ? { playbook: opts.playbook } : {}),
              ...(reporter ? { reporter } : {}),
            },
          }),
        );
        if (opts.json) return out.json(created);
        out.line(
          `Opened ${c.bold(created.id)} "${created.title}" (codename ${created.codename}, playbook ${created.playbook}, status ${created.status}).`,
        );
        out.line(`See what comes next: ${c.cyan(`embargo case show ${created.id}`)}`);
      },
    );

  kase
    .command('list')
    .description('List the cases you may see (no embargoed details)')
    .option('--q <text>', 'only cases whose title, id or codename contains this')
    .option('--status <status>', 'only cases in this status (a playbook phase, or closed)')
    .option('--project <id>', "only this project's cases")
    .option('--limit <n>', `show at most this many cases (default ${DEFAULT_LIST_LIMIT})`, limitArg)
    .option('--all', 'show every case')
    .option('--json', 'print {cases: [...]} as JSON')
    .action(async (opts: { q?: string; status?: string; project?: string; limit?: number; all?: boolean } & JsonOption, cmd: Command) => {
      requireUsage(!(opts.all && opts.limit !== undefined), 'use --limit or --all, not both');
      const { cases, more } = await listCases(
        await ctx.api(cmd),
        { q: opts.q, status: opts.status, project: opts.project },
        opts.all ? null : (opts.limit ?? DEFAULT_LIST_LIMIT),
      );
      const result = { cases };
      // On stderr, so --json stays the API's answer and a pipe gets only the rows.
      if (more) out.note(`embargo: showing the first ${cases.length} cases; there are more (use --limit N or --all)`);
      if (opts.json) return out.json(result);
      if (result.cases.length === 0)
        return out.line(
          opts.q || opts.status || opts.project ? 'No case matches.' : 'No cases yet: open one with embargo case new --title "…"',
        );
      const now = new Date();
      const rows = [
        ['ID', 'PROJECT', 'STATUS', 'EMBARGO ENDS', 'CODENAME', 'TITLE'],
        ...result.cases.map((k) => [k.id, k.project, k.status, describeEmbargo(k.embargo, now), k.codename, k.title]),
      ];
      printTable(out, rows);
    });

  kase
    .command('show')
    .description('Show a case: its details, its steps and what the next step still needs (the read is audited)')
    .argument('<id>', 'case id, e.g. EMB-2026-0001', caseIdArg)
    .option('--json', 'print {case, steps, acks, clocks} as JSON')
    .option('--report', 'print the original report as the reporter sent it (never edited)')
    .addOption(new Option('--format <format>', 'case: print the case file (YAML; see docs/case-file.md) instead').choices(['case']))
    .action(async (id: string, opts: JsonOption & { format?: 'case'; report?: boolean }, cmd: Command) => {
      requireUsage([opts.json, opts.format, opts.report].filter(Boolean).length <= 1, 'use one of --json, --report or --format case');
      if (opts.format === 'case') return printCaseFile(ctx, cmd, id);
      // One request, one transaction, one audited read: the case, its steps and the distributors' answers.
      const answered = await answer((await ctx.api(cmd)).GET('/api/v1/cases/{caseId}/overview', { params: { path: { caseId: id } } }));
      if (opts.json) return out.json(answered);
      if (opts.report) {
        const r = answered.case.report;
        if (!r) throw new CliError(`${id} has no original report: the team opened it by hand`, EXIT_FAILURE);
        out.line(`Subject: ${r.title}`);
        if (r.sender) out.line(`From: ${r.sender.name ? `${r.sender.name} <${r.sender.address}>` : r.sender.address}`);
        if (r.sentAt) out.line(`Date: ${r.sentAt}`);
        if (r.messageId) out.line(`Message-ID: ${r.messageId}`);
        if (r.attachments.length) out.line(`Attachments (in the original mail): ${r.attachments.join(', ')}`);
        out.line('');
        out.line(r.text);
        return;
      }
      const result = answered;
      for (const l of caseDetails(result.case, c)) out.line(l);
      if (result.case.embargo) {
        for (const l of answerLines(answered.acks, c)) out.line(l);
      }
      out.line('');
      out.line(c.bold('Steps'));
      for (const l of stepList(result.steps, c)) out.line(l);
      if (answered.clocks.clocks.length > 0) {
        out.line('');
        out.line(c.bold(`Clocks (${answered.clocks.timeZone})`));
        for (const l of clockLines(answered.clocks.clocks, answered.clocks.timeZone, c)) out.line(l);
      }
      out.line('');
      for (const l of nextStepLines(result.case.id, result.steps, c)) out.line(l);
    });

  kase
    .command('clocks')
    .description("A case's clocks: acknowledge, update the reporter, disclosure target, embargo end (due, at risk, overdue, met)")
    .argument('<id>', 'case id', caseIdArg)
    .option('--json', 'print {caseId, timeZone, clocks} as JSON')
    .action(async (id: string, opts: JsonOption, cmd: Command) => {
      const answered = await answer((await ctx.api(cmd)).GET('/api/v1/cases/{caseId}/clocks', { params: { path: { caseId: id } } }));
      if (opts.json) return out.json(answered);
      out.line(`${c.bold(answered.caseId)}  ${c.dim(`business days in ${answered.timeZone}`)}`);
      for (const l of clockLines(answered.clocks, answered.timeZone, c)) out.line(l);
    });

  kase
    .command('steps')
    .description("The playbook's steps for a case, with what each open step still needs")
    .argument('<id>', 'case id', caseIdArg)
    .option('--guidance', "also print each step's guidance")
    .option('--json', 'print {case, steps} as JSON')
    .action(async (id: string, opts: { guidance?: boolean } & JsonOption, cmd: Command) => {
      const answered = await answer((await ctx.api(cmd)).GET('/api/v1/cases/{caseId}/steps', { params: { path: { caseId: id } } }));
      if (opts.json) return out.json(answered);
      const result = answered;
      out.line(`${c.bold(result.case.id)}  ${result.case.title}  ${c.dim(`(${result.case.playbook}, status ${result.case.status})`)}`);
      const lines = stepList(result.steps, c);
      result.steps.forEach((s: StepView, i) => {
        out.line(lines[i]);
        const pad = '       ';
        if (opts.guidance) for (const g of s.guidance) for (const l of wrap(g, pad.length + 2, `${pad}- `)) out.line(c.dim(l));
        if (s.status === 'open') for (const u of withConfirmHints(s, result.case.id)) out.line(`${pad}${c.yellow('!')} ${u}`);
        if (s.status === 'done' && s.confirmed.length > 0) out.line(c.dim(`${pad}confirmed: ${s.confirmed.join(', ')}`));
      });
      out.line('');
      for (const l of nextStepLines(result.case.id, result.steps, c)) out.line(l);
    });

  const step = kase.command('step').description('Complete, skip or reopen a step of a case');

  step
    .command('done')
    .description('Mark a step done; refused, with every unmet condition, while its gates are not met')
    .argument('<id>', 'case id', caseIdArg)
    .argument('<step>', 'step id, e.g. advisory-draft (see embargo case steps ID)')
    .option('--confirm <ids...>', 'attest what only a person can know, by confirmation id (repeatable)')
    .option('--json', 'print {case, steps} as JSON')
    .action(async (id: string, stepId: string, opts: { confirm?: string[] } & JsonOption, cmd: Command) => {
      const confirm = (opts.confirm ?? [])
        .flatMap((v) => v.split(','))
        .map((v) => v.trim())
        .filter(Boolean);
      const api = await ctx.api(cmd);
      const result = await detailed(
        api.POST('/api/v1/cases/{caseId}/steps/{stepId}/done', { params: { path: { caseId: id, stepId } }, body: { confirm } }),
      );
      if (opts.json) return out.json(result);
      printStepResult(result, stepId, 'is done');
    });

  step
    .command('skip')
    .description('Skip a step that does not apply, with the reason (only steps the playbook lets you skip)')
    .argument('<id>', 'case id', caseIdArg)
    .argument('<step>', 'step id')
    .requiredOption('--reason <text>', 'why it does not apply; kept in the audit log')
    .option('--json', 'print {case, steps} as JSON')
    .action(async (id: string, stepId: string, opts: { reason: string } & JsonOption, cmd: Command) => {
      const api = await ctx.api(cmd);
      const result = await detailed(
        api.POST('/api/v1/cases/{caseId}/steps/{stepId}/skip', { params: { path: { caseId: id, stepId } }, body: { reason: opts.reason } }),
      );
      if (opts.json) return out.json(result);
      printStepResult(result, stepId, 'is skipped');
    });

  step
    .command('reopen')
    .description('Reopen a done or skipped step, with the reason')
    .argument('<id>', 'case id', caseIdArg)
    .argument('<step>', 'step id')
    .requiredOption('--reason <text>', 'why it has to be done again; kept in the audit log')
    .option('--json', 'print {case, steps} as JSON')
    .action(async (id: string, stepId: string, opts: { reason: string } & JsonOption, cmd: Command) => {
      const api = await ctx.api(cmd);
      const result = await detailed(
        api.POST('/api/v1/cases/{caseId}/steps/{stepId}/reopen', {
          params: { path: { caseId: id, stepId } },
          body: { reason: opts.reason },
        }),
      );
      if (opts.json) return out.json(result);
      printStepResult(result, stepId, 'is open again');
    });

  reporterOptions(
    kase
      .command('edit')
      .description(
        'Set triage and advisory details: title, GHSA/CVE ids, CVSS vectors, CWE ids, affected ranges, reporter and credit, description, package, workarounds, references ("" clears a value)',
      )
      .argument('<id>', 'case id', caseIdArg)
      .option('--title <title>', 'new title')
      .option('--ghsa <id>', 'GitHub advisory id, e.g. GHSA-x4mj-7f9g-29h4')
      .option('--cve <id>', 'CVE id, e.g. CVE-2026-41246')
      .option('--cvss <vector>', 'CVSS 3.x/4.0 vector (repeatable; replaces the list)', collect)
      .option('--cwe <id>', 'CWE id, e.g. CWE-79 (repeatable; replaces the list)', collect)
      .option(
        '--affected <range>',
        'affected versions INTRODUCED..FIXED, e.g. 1.20.0..1.33.4, or 1.20.0.. with no fix (repeatable; replaces the list)',
        affectedArg,
      )
      .option('--description <markdown>', "the advisory's text (markdown)")
      .option('--description-file <path>', 'read the description from a file (- for stdin)')
      .option('--package <ecosystem:name>', 'the affected package, e.g. Go:github.com/projectcontour/contour ("" clears it)')
      .option('--package-repository <url>', "the package's source repository (with --package)")
      .option('--workarounds <markdown>', 'how to mitigate without upgrading (markdown)')
      .option('--workarounds-file <path>', 'read the workarounds from a file (- for stdin)')
      .option('--reference <url>', 'a public reference URL (repeatable; replaces the list)', collect)
      .option('--published <time>', 'when the advisory was published, e.g. 2026-04-24T00:00:00Z')
      .option('--fork-url <url>', "the advisory's temporary private fork, when created by hand (manual mode)"),
  )
    .option(
      '--revision <n>',
      'refuse the change if the case is no longer at this revision (someone else changed it since you read it)',
      revisionArg,
    )
    .option('--json', 'print the case as JSON')
    .action(
      async (
        id: string,
        opts: {
          title?: string;
          revision?: number;
          ghsa?: string;
          cve?: string;
          cvss?: string[];
          cwe?: string[];
          affected?: { introduced: string; fixed: string | null }[];
        } & AdvisoryFlags &
          ReporterFlags &
          JsonOption,
        cmd: Command,
      ) => {
        const api = await ctx.api(cmd);
        const caseId = { params: { path: { caseId: id } } };
        // The revision the change is based on: the one given, or the one read to merge the reporter.
        let basedOn = opts.revision;
        const edit: CaseEditInput = {};
        if (opts.title !== undefined) edit.title = opts.title;
        if (opts.ghsa !== undefined) edit.ghsaId = orNull(opts.ghsa);
        if (opts.cve !== undefined) edit.cveId = orNull(opts.cve);
        if (opts.cvss !== undefined) edit.cvss = listOrNull(opts.cvss);
        if (opts.cwe !== undefined) edit.cwe = listOrNull(opts.cwe);
        if (opts.affected !== undefined) edit.affected = opts.affected.length === 0 ? null : opts.affected;
        Object.assign(edit, advisoryEdit(ctx, opts));
        if (hasReporterFlags(opts)) {
          // Changing only the credit or company keeps the recorded name and contact.
          const complete = opts.reporterName !== undefined && opts.reporterContact !== undefined;
          let recorded = null;
          if (!complete) {
            const current = await answer(api.GET('/api/v1/cases/{caseId}', caseId));
            basedOn ??= current.revision;
            recorded = current.reporter;
          }
          edit.reporter = reporterFrom(opts, recorded);
        }
        const changed = Object.keys(edit);
        requireUsage(changed.length > 0, 'say what to change, e.g. --ghsa GHSA-x4mj-7f9g-29h4 or --cvss CVSS:3.1/AV:N/…');
        const ifMatch = basedOn === undefined ? {} : { header: { 'if-match': `"${basedOn}"` } };
        const updated = await detailed(api.PATCH('/api/v1/cases/{caseId}', { params: { path: { caseId: id }, ...ifMatch }, body: edit }));
        if (opts.json) return out.json(updated);
        out.line(`Saved ${c.bold(updated.id)} (revision ${updated.revision}): ${changed.join(', ')}.`);
        // Accepted, but MITRE advises against it as a mapping: say so, with its alternatives.
        if (edit.cwe)
          for (const warning of updated.severity.cwe.map(cweMappingWarning)) if (warning) out.line(`${c.yellow('!')} ${warning}`);
      },
    );

  registerCaseSchedule(kase, ctx);

  kase
    .command('events')
    .description("The case's audit trail (the read is audited too)")
    .argument('<id>', 'case id', caseIdArg)
    .option('--json', 'print {events: [...]} as JSON')
    .action(async (id: string, opts: JsonOption, cmd: Command) => {
      const result = await answer((await ctx.api(cmd)).GET('/api/v1/cases/{caseId}/events', { params: { path: { caseId: id } } }));
      if (opts.json) return out.json(result);
      const rows = [
        ['SEQ', 'AT', 'ACTOR', 'ACTION', 'DETAILS'],
        ...result.events.map((e) => {
          const details = JSON.stringify(e.details);
          return [String(e.seq), shortTime(e.at), e.actor, e.action, details.length > 100 ? `${details.slice(0, 99)}…` : details];
        }),
      ];
      printTable(out, rows);
    });

  kase
    .command('access')
    .description("Who is on a case's need-to-know list; admins add or remove people")
    .argument('<id>', 'case id', caseIdArg)
    .option('--grant <user>', 'add this user to the case')
    .option('--revoke <user>', 'remove this user from the case')
    .option('--json', 'print {access: [...]} as JSON')
    .action(async (id: string, opts: { grant?: string; revoke?: string } & JsonOption, cmd: Command) => {
      requireUsage(!(opts.grant && opts.revoke), 'use --grant or --revoke, not both');
      const api = await ctx.api(cmd);
      const result = opts.grant
        ? await detailed(api.PUT('/api/v1/cases/{caseId}/access/{username}', { params: { path: { caseId: id, username: opts.grant } } }))
        : opts.revoke
          ? await detailed(
              api.DELETE('/api/v1/cases/{caseId}/access/{username}', { params: { path: { caseId: id, username: opts.revoke } } }),
            )
          : await answer(api.GET('/api/v1/cases/{caseId}/access', { params: { path: { caseId: id } } }));
      if (opts.json) return out.json(result);
      if (opts.grant) out.line(`${opts.grant} is on the access list of ${id}.`);
      if (opts.revoke) out.line(`${opts.revoke} is off the access list of ${id}.`);
      if (result.access.length === 0) return out.line(`Nobody is on the access list of ${id}; only admins see it.`);
      const rows = [['USER', 'GRANTED BY', 'AT'], ...result.access.map((a) => [a.username, a.grantedBy, shortTime(a.grantedAt)])];
      printTable(out, rows);
    });
}
