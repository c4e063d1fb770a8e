/**
 * The top-level commands, in the order `embargo --help` lists them, and the module that defines
 * each. Only the module of the command being run is imported (a start that loads every command's
 * modules takes ten times as long as node itself); the others appear in the help as stubs with
 * the usage and description written here. test/cli/command-groups.test.ts checks that these match
 * what the modules register.
 */
import type { Command } from 'commander';
import type { Context } from './context.js';

/** What a command module gives the program once loaded. */
export interface LoadedGroup {
  register(program: Command, ctx: Context): void;
  /** True for a finding the command already reported on stdout: exit 1 without a sentence on stderr. */
  isReported?(err: unknown): boolean;
}

export interface CommandGroup {
  /** The top-level commands the module registers, each with its help line (usage after the name, and description). */
  readonly commands: readonly { name: string; usage: string; description: string }[];
  load(): Promise<LoadedGroup>;
}

const one = (name: string, usage: string, description: string) => [{ name, usage, description }];

export const COMMAND_GROUPS: readonly CommandGroup[] = [
  {
    commands: one(
      'serve',
      '[options]',
      'Run the Embargo web UI and API on the local database (HOST, PORT, DATABASE_URL, EMBARGO_DATA_DIR, EMBARGO_PUBLIC_URL)',
    ),
    load: async () => ({ register: (await import('./commands/serve.js')).registerServe }),
  },
  {
    commands: one('user', '', 'Add and list users'),
    load: async () => ({ register: (await import('./commands/user.js')).registerUser }),
  },
  {
    commands: one('token', '', 'Create, list and revoke API tokens'),
    load: async () => ({ register: (await import('./commands/token.js')).registerToken }),
  },
  {
    commands: one('project', '', 'Projects: each with its playbook, settings, members and distributors list'),
    load: async () => ({ register: (await import('./commands/project.js')).registerProject }),
  },
  {
    commands: one('case', '', 'Open, inspect and walk cases through their playbook'),
    load: async () => {
      const [{ registerCase }, { registerPortal }] = await Promise.all([import('./commands/case.js'), import('./commands/portal.js')]);
      return {
        register: (program, ctx) => {
          registerCase(program, ctx);
          registerPortal(program, ctx);
        },
      };
    },
  },
  {
    commands: one(
      'export',
      '[options] [id]',
      'Write a case as an advisory: osv, cve5, csaf, ghsa, md (with --from FILE: offline, from a case file)',
    ),
    load: async () => ({ register: (await import('./commands/export.js')).registerExport }),
  },
  {
    commands: one('audit', '', 'Check the audit log'),
    load: async () => {
      const m = await import('./commands/audit.js');
      return { register: m.registerAudit, isReported: m.isSilentFinding };
    },
  },
  {
    commands: one('secrets', '', 'Rotate the key that encrypts stored secrets (GitHub tokens)'),
    load: async () => ({ register: (await import('./commands/secrets.js')).registerSecrets }),
  },
  {
    commands: [
      {
        name: 'backup',
        usage: '[options]',
        description: 'Write an encrypted backup of the whole database, read in one consistent snapshot while the server runs (admins)',
      },
      {
        name: 'restore',
        usage: '[options] <file>',
        description: 'Restore an encrypted backup into an empty database (DATABASE_URL or EMBARGO_DATA_DIR); refused when it holds data',
      },
    ],
    load: async () => ({ register: (await import('./commands/backup.js')).registerBackup }),
  },
  {
    commands: [
      {
        name: 'retro',
        usage: '[options] [case-id]',
        description: "A case's retrospective from its event log: timeline, durations, clocks, notes and action items (the read is audited)",
      },
      {
        name: 'metrics',
        usage: '[options]',
        description:
          'Time to acknowledge, fix and disclose across the cases you may see: medians and the trend by month (the read is audited)',
      },
    ],
    load: async () => {
      const m = await import('./commands/retro.js');
      return {
        register: (program, ctx) => {
          m.registerRetro(program, ctx);
          m.registerMetrics(program, ctx);
        },
      };
    },
  },
  {
    commands: one('playbook', '', 'List and read playbooks'),
    load: async () => ({ register: (await import('./commands/playbook.js')).registerPlaybook }),
  },
  {
    commands: one(
      'guard',
      '[options]',
      'Scan commit messages, branch names, PR text and changelogs for embargo leaks; exit 0 clean, 1 findings, 2 error',
    ),
    load: async () => {
      const m = await import('./commands/guard.js');
      return { register: m.registerGuard, isReported: m.isGuardFinding };
    },
  },
  {
    commands: one(
      'cvss',
      '[options] [vector]',
      'Score CVSS 3.0, 3.1 and 4.0 vectors (offline); without VECTOR, one vector per line from stdin',
    ),
    load: async () => ({ register: (await import('./commands/cvss.js')).registerCvss }),
  },
  {
    // The catalogue's version is in the description; the test above keeps it in step with the catalogue.
    commands: one('cwe', '', "Look up weaknesses in MITRE's CWE catalogue (CWE 4.17, offline)"),
    load: async () => ({ register: (await import('./commands/cwe.js')).registerCwe }),
  },
  {
    commands: one(
      'plan',
      '[options]',
      'The release plan from a git repository: supported lines, latest release and next patch of each, affected ranges',
    ),
    load: async () => ({ register: (await import('./commands/plan.js')).registerPlan }),
  },
  {
    commands: one(
      'advisory',
      '',
      "The case's GitHub security advisory: push, CVE request, private fork, publish, sync, import (manual mode without a connection)",
    ),
    load: async () => ({ register: (await import('./commands/advisory.js')).registerAdvisory }),
  },
  {
    commands: one('github', '', 'Connect projects to their GitHub repositories (the advisory commands use the connection)'),
    load: async () => ({ register: (await import('./commands/github.js')).registerGitHub }),
  },
  {
    commands: [
      { name: 'notify', usage: '', description: 'Choose which notifications come by mail and which by signed webhook' },
      { name: 'calendar', usage: '', description: "A person's calendar feeds (ICS): embargo ends and clock deadlines, by codename" },
    ],
    load: async () => ({ register: (await import('./commands/notify.js')).registerNotify }),
  },
  {
    commands: one('message', '', "Lint, draft and send the checklist's mails; the outbox"),
    load: async () => {
      const m = await import('./commands/message.js');
      return { register: m.registerMessage, isReported: m.isMessageFinding };
    },
  },
  {
    commands: [
      { name: 'distributor', usage: '', description: "Manage a project's distributors list (changes: the project's admins)" },
      {
        name: 'register',
        usage: '[options] <case-id>',
        description: 'Who knows: everyone who received embargoed information of a case, when, how, on which terms (the read is audited)',
      },
      {
        name: 'disclose',
        usage: '[options] <case-id>',
        description: 'Record that you told someone about a case outside the outbox (phone, chat, meeting, …)',
      },
      { name: 'leak', usage: '', description: "A case's leak incidents: what leaked, to whom, and the follow-up" },
      {
        name: 'ack',
        usage: '[options] <case-id> <member>',
        description: "Record a member's answer on the case's current disclosure date: ack (default) or objection",
      },
      {
        name: 'acks',
        usage: '[options] <case-id>',
        description: "Each member's answer on the case's disclosure date, and who has not answered (the read is audited)",
      },
      {
        name: 'agree',
        usage: '[options] <case-id>',
        description: "Mark the case's current embargo time as the agreed disclosure time (objections and missing answers are warnings)",
      },
    ],
    load: async () => ({ register: (await import('./commands/who-knows.js')).registerWhoKnows }),
  },
];

/** Global options that take a value: their value is not a command name. */
const VALUE_OPTIONS = new Set(['--server', '--token']);

/**
 * The group a command line runs: the first word that is not a global option (or the word after
 * `help`). Undefined for `embargo`, `embargo --help`, `embargo help` and unknown commands, which
 * need no command module.
 */
export function groupOf(argv: readonly string[]): CommandGroup | undefined {
  let name: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      name = argv[i + 1];
      break;
    }
    if (arg.startsWith('-')) {
      if (VALUE_OPTIONS.has(arg)) i++;
      continue;
    }
    name = arg === 'help' ? argv.slice(i + 1).find((a) => !a.startsWith('-')) : arg;
    break;
  }
  return name === undefined ? undefined : COMMAND_GROUPS.find((g) => g.commands.some((c) => c.name === name));
}
