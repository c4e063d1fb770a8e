/**
 * `embargo project add|list|show|edit|archive|restore` and `embargo project member add|remove|list`:
 * the projects of this install, the settings each lays over its playbook, and who belongs to it.
 */
import type { Command } from 'commander';
import { type Answer, answer } from '../../client/client.js';
import { type Context, collect, type JsonOption, requireUsage } from '../context.js';
import { settingLabel, settingText, shortTime } from '../format.js';
import { printTable } from '../output.js';

type ProjectView = Answer<'/api/v1/projects/{projectId}', 'get'>;
/** Every key optional: a project sets only what it overrides (the generated answer type lists them all). */
type Settings = Partial<Answer<'/api/v1/projects/{projectId}', 'get'>['settings']>;

interface SettingFlags {
  securityContact?: string;
  distributorsList?: string;
  usersList?: string;
  embargoNoteFile?: string;
  securityTag?: string;
  supportedLines?: string;
  tagPrefix?: string;
  timeZone?: string;
  holiday?: string[];
  mailFrom?: string;
}

/** The flags every settings-taking command has; each sets one key of the project's settings. */
function settingOptions(cmd: Command): Command {
  return cmd
    .option('--security-contact <address>', 'where reporters write, and the team signs with')
    .option('--distributors-list <address>', 'the private distributors list')
    .option('--users-list <address>', 'the public users/announce list')
    .option('--embargo-note-file <file>', 'the note at the bottom of the embargoed distributors mail')
    .option('--security-tag <tag>', 'the tag the distributors mail subject carries, e.g. "#security"')
    .option('--supported-lines <n>', 'how many of the most recent minor lines get patches')
    .option('--tag-prefix <prefix>', 'what release tags start with: "v" for v1.33.3, "" for 1.33.3')
    .option('--time-zone <zone>', 'the IANA zone the project keeps its clocks in, e.g. America/Toronto')
    .option('--holiday <day>', 'a day (YYYY-MM-DD) that is not a business day (repeatable; replaces the list)', collect)
    .option('--mail-from <address>', "the From address of the project's mail");
}

/** The settings the flags give; a release policy takes the half not given from `current`. */
function settingsOf(ctx: Context, f: SettingFlags, current?: Settings['releasePolicy']): Settings {
  const policyGiven = f.supportedLines !== undefined || f.tagPrefix !== undefined;
  const lines = f.supportedLines ?? (current ? String(current.supportedLines) : undefined);
  const prefix = f.tagPrefix ?? current?.tagPrefix;
  if (policyGiven) {
    requireUsage(lines !== undefined && prefix !== undefined, 'a release policy needs both --supported-lines and --tag-prefix');
    requireUsage(/^\d{1,2}$/.test(lines!), `--supported-lines "${lines}" is not a whole number from 1 to 32`);
  }
  return {
    ...(f.securityContact !== undefined ? { securityContact: f.securityContact } : {}),
    ...(f.distributorsList !== undefined ? { distributorsList: f.distributorsList } : {}),
    ...(f.usersList !== undefined ? { usersList: f.usersList } : {}),
    ...(f.embargoNoteFile !== undefined ? { embargoNote: ctx.readArg(f.embargoNoteFile, '--embargo-note-file').toString('utf8') } : {}),
    ...(f.securityTag !== undefined ? { securityTag: f.securityTag } : {}),
    ...(policyGiven ? { releasePolicy: { supportedLines: Number(lines), tagPrefix: prefix! } } : {}),
    ...(f.timeZone !== undefined ? { timeZone: f.timeZone } : {}),
    ...(f.holiday !== undefined ? { holidays: f.holiday } : {}),
    ...(f.mailFrom !== undefined ? { mailFrom: f.mailFrom } : {}),
  };
}

/** One line per setting in the project's table: a note of several lines shows its first. */
function settingLine(key: string, value: unknown): string {
  const text = settingText(key, value);
  return text.includes('\n') ? `${text.split('\n')[0]} …` : text;
}

function printProject(ctx: Context, p: ProjectView, members?: Answer<'/api/v1/projects/{projectId}/members', 'get'>['members']): void {
  const { out } = ctx;
  out.line(`${out.colors.bold(p.name)} (${p.id})${p.archivedAt ? out.colors.yellow(`  archived ${shortTime(p.archivedAt)}`) : ''}`);
  out.line(`  playbook: ${p.playbook}`);
  out.line(`  repository: ${p.repository ?? '—'}`);
  out.line(`  your role: ${p.role}`);
  out.line('Settings (own ones marked *; the others come from the playbook):');
  const own = p.settings as Record<string, unknown>;
  const rows = Object.entries(p.effectiveSettings as Record<string, unknown>).map(([k, v]) => [
    `${k in own ? '*' : ' '} ${settingLabel(k)}`,
    settingLine(k, v),
  ]);
  printTable(out, rows);
  if (members) {
    out.line('Members:');
    if (members.length === 0) out.line('  none yet (embargo project member add PROJECT USER)');
    else
      printTable(
        out,
        members.map((m) => [`  ${m.username}`, m.role, `added ${shortTime(m.addedAt)} by ${m.addedBy}`]),
      );
  }
}

const params = (projectId: string) => ({ params: { path: { projectId } } });

export function registerProject(program: Command, ctx: Context): void {
  const { out } = ctx;
  const project = program.command('project').description('Projects: each with its playbook, settings, members and distributors list');

  settingOptions(
    project
      .command('add')
      .description('Add a project (instance admins); settings not given come from its playbook')
      .argument('<id>', 'the slug: lower-case letters, digits, dots, dashes, underscores, e.g. gatekeeper')
      .option('--name <name>', 'as people write it, e.g. Gatekeeper')
      .option('--playbook <id>', 'the playbook its cases follow (default: the configured default)')
      .option('--repository <owner/name>', 'its GitHub repository'),
  )
    .option('--json', 'print the project as JSON')
    .action(
      async (id: string, opts: SettingFlags & { name?: string; playbook?: string; repository?: string } & JsonOption, cmd: Command) => {
        const settings = settingsOf(ctx, opts);
        const api = await ctx.api(cmd);
        const added = await answer(
          api.POST('/api/v1/projects', {
            body: {
              id,
              ...(opts.name !== undefined ? { name: opts.name } : {}),
              ...(opts.playbook !== undefined ? { playbook: opts.playbook } : {}),
              ...(opts.repository !== undefined ? { repository: opts.repository } : {}),
              settings,
            },
          }),
        );
        if (opts.json) return out.json(added);
        out.line(`Added project ${out.colors.bold(added.id)} (${added.name}), following the ${added.playbook} playbook.`);
        out.line(`Add its members with: embargo project member add ${added.id} USER [--admin]`);
      },
    );

  project
    .command('list')
    .description('The projects you belong to (instance admins: all)')
    .option('--all', 'include archived projects')
    .option('--json', 'print {projects: [...]} as JSON')
    .action(async (opts: { all?: boolean } & JsonOption, cmd: Command) => {
      const api = await ctx.api(cmd);
      const result = await answer(api.GET('/api/v1/projects', { params: { query: opts.all ? { all: 'true' } : {} } }));
      if (opts.json) return out.json(result);
      if (result.projects.length === 0) return out.line('You belong to no project yet; an admin adds you with embargo project member add.');
      printTable(out, [
        ['ID', 'NAME', 'PLAYBOOK', 'REPOSITORY', 'ROLE', ...(opts.all ? ['ARCHIVED'] : [])],
        ...result.projects.map((p) => [
          p.id,
          p.name,
          p.playbook,
          p.repository ?? '',
          p.role,
          ...(opts.all ? [p.archivedAt ? shortTime(p.archivedAt) : ''] : []),
        ]),
      ]);
    });

  project
    .command('show')
    .description('A project: its playbook, its own settings and those in force, its members')
    .argument('<id>', 'the project')
    .option('--json', 'print the project as JSON')
    .action(async (id: string, opts: JsonOption, cmd: Command) => {
      const api = await ctx.api(cmd);
      const p = await answer(api.GET('/api/v1/projects/{projectId}', params(id)));
      if (opts.json) return out.json(p);
      const { members } = await answer(api.GET('/api/v1/projects/{projectId}/members', params(id)));
      printProject(ctx, p, members);
    });

  settingOptions(
    project
      .command('edit')
      .description("Change a project's name, repository, playbook (instance admins) or settings (the project's admins)")
      .argument('<id>', 'the project')
      .option('--name <name>', 'as people write it')
      .option('--playbook <id>', 'the playbook its new cases follow')
      .option('--repository <owner/name>', 'its GitHub repository ("" for none)'),
  )
    .option('--unset <setting>', 'let a setting come from the playbook again, e.g. distributorsList (repeatable)', collect)
    .option('--revision <n>', 'refuse the change if the project changed since this revision')
    .option('--json', 'print the project as JSON')
    .action(
      async (
        id: string,
        opts: SettingFlags & { name?: string; playbook?: string; repository?: string; unset?: string[]; revision?: string } & JsonOption,
        cmd: Command,
      ) => {
        const api = await ctx.api(cmd);
        const needsCurrent = (opts.supportedLines === undefined) !== (opts.tagPrefix === undefined);
        const current = needsCurrent ? await answer(api.GET('/api/v1/projects/{projectId}', params(id))) : undefined;
        const settings: Record<string, unknown> = settingsOf(
          ctx,
          opts,
          current?.effectiveSettings.releasePolicy as Settings['releasePolicy'],
        );
        for (const key of opts.unset ?? []) settings[key] = null;
        const body = {
          ...(opts.name !== undefined ? { name: opts.name } : {}),
          ...(opts.playbook !== undefined ? { playbook: opts.playbook } : {}),
          ...(opts.repository !== undefined ? { repository: opts.repository.trim() || null } : {}),
          ...(Object.keys(settings).length > 0 ? { settings } : {}),
        };
        requireUsage(Object.keys(body).length > 0, 'say what to change: --name, --playbook, --repository, a setting, or --unset SETTING');
        requireUsage(
          opts.revision === undefined || /^\d{1,9}$/.test(opts.revision),
          `--revision "${opts.revision}" is not a revision number`,
        );
        const edited = await answer(
          api.PATCH('/api/v1/projects/{projectId}', {
            ...params(id),
            ...(opts.revision !== undefined ? { headers: { 'if-match': `"${opts.revision}"` } } : {}),
            body: body as never,
          }),
        );
        if (opts.json) return out.json(edited);
        out.line(`Project ${edited.id} is at revision ${edited.revision}.`);
        printProject(ctx, edited);
      },
    );

  for (const [action, description] of [
    ['archive', 'Archive a project (instance admins): no new cases or members; its cases and registers stay'],
    ['restore', 'Restore an archived project (instance admins)'],
  ] as const) {
    project
      .command(action)
      .description(description)
      .argument('<id>', 'the project')
      .option('--json', 'print the project as JSON')
      .action(async (id: string, opts: JsonOption, cmd: Command) => {
        const api = await ctx.api(cmd);
        const path = action === 'archive' ? '/api/v1/projects/{projectId}/archive' : '/api/v1/projects/{projectId}/restore';
        const p = await answer(api.POST(path, params(id)));
        if (opts.json) return out.json(p);
        out.line(p.archivedAt ? `Project ${p.id} is archived (since ${shortTime(p.archivedAt)}).` : `Project ${p.id} is active.`);
      });
  }

  const member = project.command('member').description('Who belongs to a project, and who administers it');
  member
    .command('add')
    .description("Add a user to the project, or change their role (the project's admins)")
    .argument('<project>', 'the project')
    .argument('<username>', 'the user')
    .option('--admin', 'make them an admin of the project (manages its settings, members, distributors and GitHub connection)')
    .option('--json', 'print {members: [...]} as JSON')
    .action(async (projectId: string, username: string, opts: { admin?: boolean } & JsonOption, cmd: Command) => {
      const api = await ctx.api(cmd);
      const result = await answer(
        api.PUT('/api/v1/projects/{projectId}/members/{username}', {
          params: { path: { projectId, username } },
          body: { role: opts.admin ? 'admin' : 'member' },
        }),
      );
      if (opts.json) return out.json(result);
      out.line(`${username} is ${opts.admin ? 'an admin' : 'a member'} of ${projectId}.`);
    });
  member
    .command('remove')
    .description("Take a user out of the project (the project's admins); case access lists are not changed")
    .argument('<project>', 'the project')
    .argument('<username>', 'the user')
    .option('--json', 'print {members: [...]} as JSON')
    .action(async (projectId: string, username: string, opts: JsonOption, cmd: Command) => {
      const api = await ctx.api(cmd);
      const result = await answer(
        api.DELETE('/api/v1/projects/{projectId}/members/{username}', { params: { path: { projectId, username } } }),
      );
      if (opts.json) return out.json(result);
      out.line(`${username} is not a member of ${projectId}.`);
    });
  member
    .command('list')
    .description("The project's members and their roles")
    .argument('<project>', 'the project')
    .option('--json', 'print {members: [...]} as JSON')
    .action(async (projectId: string, opts: JsonOption, cmd: Command) => {
      const api = await ctx.api(cmd);
      const result = await answer(api.GET('/api/v1/projects/{projectId}/members', params(projectId)));
      if (opts.json) return out.json(result);
      if (result.members.length === 0) return out.line(`${projectId} has no members yet.`);
      printTable(out, [
        ['USERNAME', 'ROLE', 'ADDED', 'BY'],
        ...result.members.map((m) => [m.username, m.role, shortTime(m.addedAt), m.addedBy]),
      ]);
    });
}
