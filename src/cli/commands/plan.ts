/**
 * `embargo plan`: the release plan from a project's git repository (checklist step 2) — the
 * supported lines, the latest release and next patch of each, the affected ranges — optionally
 * stored on a case; and `embargo plan verify`: do the release tags carry the fix (step 8)?
 * Both read the repository only; nothing touches the database unless --case is given.
 */
import { Option, type Command } from 'commander';
import { answer } from '../../client/client.js';
import { asDomain } from '../api-types.js';
import {
  caseChangesOf,
  checkFixInTags,
  planFromRepository,
  type PolicyOwner,
  releasePolicyOf,
  type PolicySource,
  type RepositoryPlan,
} from '../../integrations/git/release-lines.js';
import type { Playbook } from '../../domain/playbook/types.js';
import { MAX_SUPPORTED_LINES, parseAsOf, shortCommit } from '../../domain/releases/index.js';
import { CliError, EXIT_FAILURE, usageError } from '../errors.js';
import { caseIdArg, requireUsage, type Context, type JsonOption } from '../context.js';
import { shortTime, wrap } from '../format.js';
import { printTable } from '../output.js';

interface PlanFlags extends JsonOption {
  repo?: string;
  lines?: number;
  line?: string[];
  asOf?: string;
  tagPrefix?: string;
  introduced?: string;
  case?: string;
  project?: string;
}

interface VerifyFlags extends JsonOption {
  repo?: string;
  fix: string;
  tag: string[];
}

function countArg(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isInteger(n) || n < 1 || n > MAX_SUPPORTED_LINES) {
    throw usageError(`--lines "${value}" must be a whole number from 1 to ${MAX_SUPPORTED_LINES}`);
  }
  return n;
}

function policyWords(source: PolicySource, count: number | null): string {
  const lines = count === null ? '' : count === 1 ? 'the most recent line' : `the ${count} most recent lines`;
  if (source.kind === 'lines') return 'the lines given with --line';
  if (source.kind === 'count') return `${lines} (--lines)`;
  if (source.kind === 'playbook') return `${lines} (release policy of playbook ${source.playbook})`;
  if (source.kind === 'project') return `${lines} (release policy of project ${source.project})`;
  return `${lines} (the default; no playbook release policy)`;
}

/** The JSON printed by `embargo plan --json`. */
function planJson(plan: RepositoryPlan, policy: Record<string, unknown>) {
  return {
    repo: plan.repo,
    tagPrefix: plan.tagPrefix,
    asOf: plan.asOf,
    introduced: plan.introduced,
    policy,
    lines: plan.lines.map((l) => ({ line: l.line, latest: l.latest, next: l.nextTag })),
    unsupported: plan.unsupported.map((l) => ({ line: l.line, latest: l.latest })),
    affected: plan.affected,
  };
}

export function registerPlan(program: Command, ctx: Context): void {
  const out = ctx.out;
  const c = out.colors;

  const plan = program
    .command('plan')
    .description('The release plan from a git repository: supported lines, latest release and next patch of each, affected ranges')
    .option('--repo <path>', 'the git repository to read the tags of (required)')
    .addOption(
      new Option(
        '--lines <n>',
        "support the N most recent minor lines that have a final release (default: the playbook's release policy, else 3)",
      )
        .argParser(countArg)
        .conflicts('line'),
    )
    .addOption(new Option('--line <lines...>', 'support exactly these minor lines, e.g. --line 1.31 1.33 (repeatable)'))
    .option(
      '--as-of <date>',
      'only tags created before this day (UTC) or time, e.g. 2026-05-01 or 2026-05-01T09:00:00Z: replays an earlier day',
    )
    .option('--tag-prefix <prefix>', 'release tags are named <prefix>1.2.3 (default: the playbook\'s, else "v"; "" for none)')
    .option('--introduced <version>', 'the first version with the bug, e.g. 1.19.0: narrows the affected ranges')
    .option('--case <id>', 'store the plan on this case: its release lines and affected ranges', caseIdArg)
    .option('--project <id>', "use this project's release policy (with --case: the case's project)")
    .option('--json', 'print {repo, tagPrefix, asOf, introduced, policy, lines, unsupported, affected} as JSON')
    .addHelpText(
      'after',
      `
Lines with only pre-releases (v1.34.0-rc.1) are not supported yet; lines older than the supported
ones are affected with no fix, and the output says so. Exit codes: 0 ok, 1 failure, 2 usage.`,
    )
    .action(async (opts: PlanFlags, cmd: Command) => {
      requireUsage(opts.repo !== undefined, "required option '--repo <path>' not specified");
      const asOf = opts.asOf === undefined ? undefined : parseAsOf(opts.asOf, '--as-of');
      const api = opts.case ? await ctx.api(cmd) : undefined;
      const caseParams = { params: { path: { caseId: opts.case ?? '' } } };

      // The release policy: the flags, else the project's (the case's with --case) or its playbook's, else 3 and "v".
      let owner: PolicyOwner | undefined;
      if ((opts.lines === undefined && opts.line === undefined) || opts.tagPrefix === undefined) {
        const projectId = api && opts.case ? (await answer(api.GET('/api/v1/cases/{caseId}', caseParams))).project : opts.project;
        if (projectId !== undefined) {
          const projects = api ?? (await ctx.api(cmd));
          const p = await answer(projects.GET('/api/v1/projects/{projectId}', { params: { path: { projectId } } }));
          const playbook = asDomain<Playbook>(
            await answer(projects.GET('/api/v1/playbooks/{playbookId}', { params: { path: { playbookId: p.playbook } } })),
          );
          // A project sets only what it overrides (the generated type lists every key).
          const own = (p.settings as { releasePolicy?: { supportedLines: number; tagPrefix: string } }).releasePolicy;
          owner = { playbook, project: { id: p.id, settings: own ? { releasePolicy: own } : {} } };
        } else {
          // The default playbook's policy; locally only the playbooks are read, no database is opened.
          const playbooks = await ctx.api(cmd, { database: false });
          const playbookId = (await answer(playbooks.GET('/api/v1/playbooks'))).defaultPlaybook;
          owner = {
            playbook: asDomain<Playbook>(
              await answer(playbooks.GET('/api/v1/playbooks/{playbookId}', { params: { path: { playbookId } } })),
            ),
          };
        }
      }
      const { policy, source: policySource } = releasePolicyOf(owner);
      const tagPrefix = opts.tagPrefix ?? policy.tagPrefix;
      let supported: { count: number } | { lines: string[] };
      let source: PolicySource;
      if (opts.line !== undefined) {
        supported = {
          lines: opts.line
            .flatMap((l) => l.split(','))
            .map((l) => l.trim())
            .filter(Boolean),
        };
        source = { kind: 'lines' };
      } else if (opts.lines !== undefined) {
        supported = { count: opts.lines };
        source = { kind: 'count' };
      } else {
        supported = { count: policy.supportedLines };
        source = policySource;
      }

      const result = await planFromRepository({
        repo: opts.repo!,
        repoLabel: '--repo',
        tagPrefix,
        supported,
        ...(asOf ? { asOf } : {}),
        ...(opts.introduced !== undefined ? { introduced: opts.introduced, introducedLabel: '--introduced' } : {}),
      });
      const policyOut = {
        ...('count' in supported ? { supportedLines: supported.count } : { lines: supported.lines }),
        source:
          source.kind === 'playbook'
            ? `playbook ${source.playbook}`
            : source.kind === 'project'
              ? `project ${source.project}`
              : source.kind === 'lines'
                ? '--line'
                : source.kind === 'count'
                  ? '--lines'
                  : 'default',
      };

      let stored: { id: string; revision: number } | undefined;
      if (api && opts.case) {
        const changes = caseChangesOf(result);
        await answer(api.PUT('/api/v1/cases/{caseId}/release-plan', { ...caseParams, body: { lines: changes.lines } }));
        const updated = await answer(api.PATCH('/api/v1/cases/{caseId}', { ...caseParams, body: { affected: changes.affected } }));
        stored = { id: updated.id, revision: updated.revision };
      }

      if (opts.json) return out.json({ ...planJson(result, policyOut), ...(stored ? { case: stored } : {}) });

      out.line(`Release plan from ${result.repo}`);
      out.line(
        `Supported: ${policyWords(source, 'count' in supported ? supported.count : null)}; tags named ${result.tagPrefix}1.2.3${result.asOf ? `; as of ${shortTime(result.asOf)}` : ''}.`,
      );
      out.line('');
      const rows = [
        ['LINE', 'LATEST', 'RELEASED', 'NEXT'],
        ...result.lines.map((l) => [l.line, l.latest, shortTime(l.latestAt), l.nextTag]),
      ];
      printTable(out, rows);
      if ('count' in supported && result.lines.length < supported.count) {
        out.line(c.yellow(`Only ${result.lines.length} line${result.lines.length === 1 ? ' has' : 's have'} a final release.`));
      }
      if (result.unsupported.length > 0) {
        const shown = result.unsupported.slice(0, 6).map((l) => `${l.line} (${l.latest})`);
        out.line(
          `Not supported: ${shown.join(', ')}${result.unsupported.length > 6 ? `, and ${result.unsupported.length - 6} older` : ''}.`,
        );
      }
      out.line('');
      const affectedRows = [['AFFECTED FROM', 'FIXED IN'], ...result.affected.map((a) => [a.introduced, a.fixed ?? c.red('no fix')])];
      printTable(out, affectedRows);
      for (const a of result.affected) if (a.note) for (const l of wrap(a.note, 4, '  * ')) out.line(l);
      if (stored) {
        out.line('');
        out.line(
          `Stored on ${c.bold(stored.id)}: release lines ${result.lines.map((l) => `${l.line} → ${l.next}`).join(', ')} and ${result.affected.length} affected range${result.affected.length === 1 ? '' : 's'}.`,
        );
      } else if (result.introduced === null) {
        out.line('');
        out.line(
          c.dim('Give --introduced VERSION (where the bug first appeared) to narrow the affected ranges, and --case ID to store the plan.'),
        );
      }
    });

  plan
    .command('verify')
    .description(
      "Check that each release tag exists and contains the fix commit or a cherry-pick of it (same patch-id); exit 1 naming the tags that lack it. With --case ID the result is recorded on the case's release lines (publishing the advisory needs every line verified)",
    )
    .option('--repo <path>', 'the git repository (required)')
    .requiredOption('--fix <commit>', 'the fix commit (hash, branch or any git revision)')
    .requiredOption('--tag <tags...>', 'the release tags to check, e.g. --tag v1.33.4 v1.32.6 (repeatable)')
    .option('--json', 'print {repo, fix, ok, lacking, tags: [...]} as JSON')
    .action(async (_opts: unknown, cmd: Command) => {
      // `plan` and `plan verify` share --repo and --json, and commander gives an option to the first
      // command that knows it: read both levels, and refuse what only `plan` understands.
      const opts = cmd.optsWithGlobals<VerifyFlags & PlanFlags>();
      const planOnly = (['lines', 'line', 'asOf', 'tagPrefix', 'introduced'] as const).filter((k) => opts[k] !== undefined);
      if (planOnly.length > 0) {
        const flag = (k: string) => `--${k.replace(/[A-Z]/g, (m) => `-${m.toLowerCase()}`)}`;
        throw usageError(
          `${planOnly.map(flag).join(', ')} ${planOnly.length === 1 ? 'is' : 'are'} for embargo plan, not embargo plan verify`,
        );
      }
      requireUsage(opts.repo !== undefined, "required option '--repo <path>' not specified");
      const tags = opts.tag
        .flatMap((t) => t.split(','))
        .map((t) => t.trim())
        .filter(Boolean);
      if (tags.length === 0) throw usageError('name at least one tag with --tag');
      const result = await checkFixInTags({ repo: opts.repo!, fix: opts.fix, tags, repoLabel: '--repo', fixLabel: '--fix' });
      // With --case the result goes on the case's release lines, failures too: a tag that lacks the
      // fix loses an earlier verification, so publication stays blocked.
      const stored = opts.case
        ? await answer(
            (await ctx.api(cmd)).POST('/api/v1/cases/{caseId}/release-verifications', {
              params: { path: { caseId: opts.case } },
              body: { fixCommit: result.fix, checks: result.checks.map((k) => ({ tag: k.tag, contains: k.contains })) },
            }),
          )
        : undefined;
      if (opts.json) {
        out.json({
          repo: result.repo,
          fix: result.fix,
          fixIsMerge: result.fixIsMerge,
          ok: result.ok,
          lacking: result.lacking,
          tags: result.checks,
          ...(stored ? { case: { id: stored.id, revision: stored.revision } } : {}),
        });
      } else {
        out.line(`Fix ${shortCommit(result.fix)} in ${result.repo}:`);
        for (const check of result.checks) {
          const mark = check.contains ? (check.how === 'cherry-pick-noted' ? c.yellow('!') : c.green('✓')) : c.red('✗');
          out.line(`  ${mark} ${check.note}`);
        }
        if (result.fixIsMerge)
          out.line(c.yellow('The fix is a merge commit: only the commit itself can be found in a tag, not a cherry-pick of it.'));
        if (result.ok) out.line(c.green(`${result.sentence.charAt(0).toUpperCase() + result.sentence.slice(1)}.`));
        if (stored)
          out.line(
            `Recorded on ${c.bold(stored.id)}: ${result.checks.filter((k) => k.contains).length} of ${result.checks.length} release tag${result.checks.length === 1 ? '' : 's'} verified.`,
          );
      }
      if (!result.ok) throw new CliError(result.sentence, EXIT_FAILURE);
    });
}
