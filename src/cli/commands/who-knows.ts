/**
 * Who knows (docs/register.md): `embargo distributor add|list|update|remove` manages the
 * distributors list's members; per case, `register` (who received embargoed information),
 * `disclose` (record telling someone), `leak add|list|update`, `ack` / `acks` (the members' answers
 * on the disclosure date) and `agree` (mark the current embargo as the agreed disclosure time).
 */
import { Option, type Command } from 'commander';
import { type Answer, type ApiClient, answer, detailed } from '../../client/client.js';
import type { AckSummary } from '../../domain/disclosure/acks.js';
import { sayEmbargo } from '../../domain/disclosure/acks.js';
import { findMember } from '../../domain/disclosure/membership.js';
import { DISCLOSURE_CHANNELS, type Distributor } from '../../domain/disclosure/types.js';
import { caseIdArg, collect, requireUsage, type Context, type JsonOption } from '../context.js';
import { CliError, EXIT_FAILURE, usageError } from '../errors.js';
import { describeEmbargo, notAnsweredLine, shortTime } from '../format.js';
import { printTable } from '../output.js';

/** "now" is the moment the command runs; any other value goes to the server as written. */
/** The answers on the disclosure date, as `acks`, `ack` and `case show` print them (see asDomain). */
type CaseAcks = AckSummary & { agreement: { agreedBy: string; agreedAt: string } | null };

const caseParams = (caseId: string) => ({ params: { path: { caseId } } });

const instantArg = (value: string) => (value.trim().toLowerCase() === 'now' ? new Date().toISOString() : value);

/** The member a person means: the id, or the organisation or contact address of an active member. */
async function resolveMember(api: ApiClient, ref: string, project?: string): Promise<Distributor> {
  const query = { all: 'true' as const, ...(project !== undefined ? { project } : {}) };
  const { distributors } = await answer(api.GET('/api/v1/distributors', { params: { query } }));
  const found = findMember(distributors, ref);
  if (found === null) throw new CliError(`no member of the distributors list is "${ref}"; see embargo distributor list`, EXIT_FAILURE);
  if (Array.isArray(found)) {
    throw usageError(
      `"${ref}" matches ${found.length} members (${found.map((d) => `${d.organisation} <${d.contact}> ${d.id}`).join('; ')}); give the id`,
    );
  }
  return found;
}

/** The project of a case, from the (unaudited) case list; undefined when the list does not show it. */
async function projectOfCase(api: ApiClient, caseId: string): Promise<string | undefined> {
  const { cases } = await answer(api.GET('/api/v1/cases', { params: { query: { q: caseId, limit: '200' } } }));
  return cases.find((c) => c.id === caseId)?.project;
}

/** A leak by its id or a unique prefix of it (the list shows the first 8 characters). */
async function resolveLeak(api: ApiClient, caseId: string, ref: string): Promise<string> {
  const wanted = ref.trim().toLowerCase();
  if (/^[0-9a-f-]{36}$/.test(wanted)) return wanted;
  requireUsage(wanted.length >= 4, `"${ref}" is too short to name a leak; give at least 4 characters of its id`);
  const matches = (await answer(api.GET('/api/v1/cases/{caseId}/leaks', caseParams(caseId)))).leaks.filter((l) => l.id.startsWith(wanted));
  if (matches.length === 1) return matches[0]!.id;
  if (matches.length === 0) throw new CliError(`no leak of ${caseId} has an id starting with "${ref}"`, EXIT_FAILURE);
  throw usageError(`"${ref}" matches ${matches.length} leaks of ${caseId}; give more of the id`);
}

const terms = (accepted: boolean | null) => (accepted === null ? 'unknown' : accepted ? 'accepted' : 'NOT accepted');

type RegisterEntry = Answer<'/api/v1/cases/{caseId}/register', 'get'>['entries'][number];
type LeakIncident = Answer<'/api/v1/cases/{caseId}/leaks', 'get'>['leaks'][number];

function how(e: RegisterEntry): string {
  if (e.source === 'distributors-list') return `list mail (${e.messageKind})`;
  if (e.source === 'direct') return `mail to ${e.address} (${e.messageKind})`;
  return e.channel ?? 'told';
}

function printAcks(ctx: Context, acks: CaseAcks): void {
  const { out } = ctx;
  out.line(`Proposed disclosure: ${describeEmbargo(acks.embargo)}`);
  if (acks.agreement) out.line(`Agreed by ${acks.agreement.agreedBy} ${shortTime(acks.agreement.agreedAt)}.`);
  if (acks.members.length === 0) {
    out.line('The distributors list has no members (embargo distributor add).');
    return;
  }
  printTable(out, [
    ['ORGANISATION', 'ANSWER', 'REASON / NOTE', 'RECORDED'],
    ...acks.members.map((m) => [
      m.organisation,
      m.state === 'stale' && m.aboutEndsAt
        ? `stale (${m.answer} on ${sayEmbargo({ endsAt: m.aboutEndsAt, timeZone: m.aboutTimeZone ?? 'UTC' })})`
        : m.state,
      m.reason ?? '',
      m.recordedAt ? `${shortTime(m.recordedAt)} by ${m.recordedBy}` : '',
    ]),
  ]);
  out.line(notAnsweredLine(acks));
  for (const o of acks.objected) out.line(out.colors.yellow(`${o.organisation} objects: ${o.reason}`));
}

function printLeak(ctx: Context, l: LeakIncident): void {
  ctx.out.line(
    `Leak ${l.id.slice(0, 8)} (${l.status}): ${l.what} → ${l.leakedTo}; reported by ${l.reportedBy} ${shortTime(l.reportedAt)}.`,
  );
  if (l.followUp) ctx.out.line(`  follow-up: ${l.followUp}`);
}

function registerDistributor(program: Command, ctx: Context): void {
  const { out } = ctx;
  const distributor = program.command('distributor').description("Manage a project's distributors list (changes: the project's admins)");
  const PROJECT = ['--project <id>', 'the project whose list it is (default: the only project you belong to)'] as const;

  distributor
    .command('add')
    .description('Add a member: organisation, contact address, the criteria they meet')
    .requiredOption('--organisation <name>', 'the organisation, e.g. "Example Linux"')
    .requiredOption('--contact <address>', 'the address that receives the list mail for them')
    .option('--criterion <text>', 'a membership criterion they meet (repeatable)', collect)
    .option('--vouched-by <who>', 'who vouched for them')
    .option('--terms-accepted <time>', 'when they accepted the embargo terms, with its zone (or "now")', instantArg)
    .option(...PROJECT)
    .option('--json', 'print the member as JSON')
    .action(
      async (
        opts: {
          organisation: string;
          contact: string;
          criterion?: string[];
          vouchedBy?: string;
          termsAccepted?: string;
          project?: string;
        } & JsonOption,
        cmd: Command,
      ) => {
        const api = await ctx.api(cmd);
        const added = await answer(
          api.POST('/api/v1/distributors', {
            body: {
              ...(opts.project !== undefined ? { project: opts.project } : {}),
              organisation: opts.organisation,
              contact: opts.contact,
              ...(opts.criterion ? { criteria: opts.criterion } : {}),
              ...(opts.vouchedBy !== undefined ? { vouchedBy: opts.vouchedBy } : {}),
              ...(opts.termsAccepted !== undefined ? { termsAcceptedAt: opts.termsAccepted } : {}),
            },
          }),
        );
        if (opts.json) return out.json(added);
        out.line(`Added ${added.organisation} <${added.contact}> to the distributors list of ${added.project} (id ${added.id}).`);
        if (!added.termsAcceptedAt)
          // A reminder, not an error: on stdout, in the same voice as the line above.
          out.line(
            `They have not accepted the embargo terms yet; record it when they do: embargo distributor update "${added.organisation}" --terms-accepted now`,
          );
      },
    );

  distributor
    .command('list')
    .description('The members (with --all, also those removed, for the history)')
    .option('--all', 'include removed members')
    .option(...PROJECT)
    .option('--json', 'print {distributors: [...]} as JSON')
    .action(async (opts: { all?: boolean; project?: string } & JsonOption, cmd: Command) => {
      const api = await ctx.api(cmd);
      const query = { ...(opts.all ? { all: 'true' as const } : {}), ...(opts.project !== undefined ? { project: opts.project } : {}) };
      const result = await answer(api.GET('/api/v1/distributors', { params: { query } }));
      if (opts.json) return out.json(result);
      if (result.distributors.length === 0) return out.line('The distributors list has no members.');
      printTable(out, [
        ['ORGANISATION', 'CONTACT', 'TERMS ACCEPTED', 'CRITERIA', 'VOUCHED BY', 'ADDED', ...(opts.all ? ['REMOVED'] : []), 'ID'],
        ...result.distributors.map((d) => [
          d.organisation,
          d.contact,
          d.termsAcceptedAt ? shortTime(d.termsAcceptedAt) : 'not yet',
          d.criteria.join('; '),
          d.vouchedBy ?? '',
          shortTime(d.addedAt),
          ...(opts.all ? [d.removedAt ? shortTime(d.removedAt) : ''] : []),
          d.id,
        ]),
      ]);
    });

  distributor
    .command('update')
    .description("Change a member's criteria, who vouched for them, or when they accepted the terms")
    .argument('<member>', 'id, organisation or contact address')
    .option('--criterion <text>', 'replaces the criteria (repeatable)', collect)
    .option('--vouched-by <who>', 'who vouched for them ("" for nobody)')
    .option('--terms-accepted <time>', 'when they accepted the embargo terms, with its zone (or "now")', instantArg)
    .option('--terms-not-accepted', 'they have not accepted the terms (clears the time)')
    .option(...PROJECT)
    .option('--json', 'print the member as JSON')
    .action(
      async (
        ref: string,
        opts: {
          criterion?: string[];
          vouchedBy?: string;
          termsAccepted?: string;
          termsNotAccepted?: boolean;
          project?: string;
        } & JsonOption,
        cmd: Command,
      ) => {
        requireUsage(
          !(opts.termsAccepted !== undefined && opts.termsNotAccepted),
          'use --terms-accepted or --terms-not-accepted, not both',
        );
        const edit = {
          ...(opts.criterion ? { criteria: opts.criterion } : {}),
          ...(opts.vouchedBy !== undefined ? { vouchedBy: opts.vouchedBy.trim() || null } : {}),
          ...(opts.termsAccepted !== undefined ? { termsAcceptedAt: opts.termsAccepted } : {}),
          ...(opts.termsNotAccepted ? { termsAcceptedAt: null } : {}),
        };
        requireUsage(
          Object.keys(edit).length > 0,
          'say what to change: --criterion, --vouched-by, --terms-accepted or --terms-not-accepted',
        );
        const api = await ctx.api(cmd);
        const distributorId = (await resolveMember(api, ref, opts.project)).id;
        const updated = await answer(
          api.PATCH('/api/v1/distributors/{distributorId}', { params: { path: { distributorId } }, body: edit }),
        );
        if (opts.json) return out.json(updated);
        out.line(
          `Updated ${updated.organisation}: terms ${updated.termsAcceptedAt ? `accepted ${shortTime(updated.termsAcceptedAt)}` : 'not accepted'}; criteria: ${updated.criteria.join('; ') || '—'}.`,
        );
      },
    );

  distributor
    .command('remove')
    .description('Take a member off the list; the register still names them for earlier notices')
    .argument('<member>', 'id, organisation or contact address')
    .option(...PROJECT)
    .option('--json', 'print the member as JSON')
    .action(async (ref: string, opts: { project?: string } & JsonOption, cmd: Command) => {
      const api = await ctx.api(cmd);
      const distributorId = (await resolveMember(api, ref, opts.project)).id;
      const removed = await answer(api.DELETE('/api/v1/distributors/{distributorId}', { params: { path: { distributorId } } }));
      if (opts.json) return out.json(removed);
      out.line(`Removed ${removed.organisation} <${removed.contact}> from the distributors list.`);
    });
}

export function registerWhoKnows(program: Command, ctx: Context): void {
  const { out } = ctx;
  registerDistributor(program, ctx);

  program
    .command('register')
    .description('Who knows: everyone who received embargoed information of a case, when, how, on which terms (the read is audited)')
    .argument('<case-id>', 'case id, e.g. EMB-2026-0001', caseIdArg)
    .option('--json', 'print {caseId, listAddresses, entries, people, unconfirmed} as JSON')
    .action(async (id: string, opts: JsonOption, cmd: Command) => {
      const reg = await answer((await ctx.api(cmd)).GET('/api/v1/cases/{caseId}/register', caseParams(id)));
      if (opts.json) return out.json(reg);
      if (reg.entries.length === 0) out.line(`Nobody outside the team has received embargoed information of ${id} yet.`);
      else {
        printTable(out, [
          ['WHEN', 'WHO', 'HOW', 'TERMS', 'WHAT'],
          ...reg.entries.map((e) => [
            shortTime(e.at),
            e.who,
            how(e),
            terms(e.acceptedTerms),
            e.what.length > 60 ? `${e.what.slice(0, 59)}…` : e.what,
          ]),
        ]);
        out.line(`Known to ${reg.people.length}: ${reg.people.map((p) => p.who).join(', ')}.`);
        const unsure = reg.entries.filter((e) => e.acceptedTerms !== true).length;
        if (unsure > 0)
          out.note(
            `embargo: ${unsure} receipt${unsure === 1 ? '' : 's'} by people who had not accepted the embargo terms (or whose terms are unknown)`,
          );
      }
      for (const u of reg.unconfirmed) {
        out.note(
          `embargo: warning: ${u.kind} ${u.messageId} to ${u.to.join(', ')} is ${u.status}: it may be out already; mark it sent once confirmed`,
        );
      }
    });

  program
    .command('disclose')
    .description('Record that you told someone about a case outside the outbox (phone, chat, meeting, …)')
    .argument('<case-id>', 'case id', caseIdArg)
    .requiredOption('--to <who>', 'the person or organisation you told')
    .requiredOption('--what <text>', 'what they were told')
    .addOption(new Option('--channel <how>', 'how').choices([...DISCLOSURE_CHANNELS]).default('other'))
    .option('--at <time>', 'when, with its zone, e.g. "2026-11-25 14:00+01:00" (default: now)')
    .option('--accepted-terms', 'they had accepted the embargo terms')
    .option('--json', 'print the disclosure as JSON')
    .action(
      async (
        id: string,
        opts: { to: string; what: string; channel: string; at?: string; acceptedTerms?: boolean } & JsonOption,
        cmd: Command,
      ) => {
        const api = await ctx.api(cmd);
        const d = await detailed(
          api.POST('/api/v1/cases/{caseId}/disclosures', {
            ...caseParams(id),
            body: {
              recipient: opts.to,
              what: opts.what,
              channel: opts.channel as (typeof DISCLOSURE_CHANNELS)[number],
              acceptedTerms: Boolean(opts.acceptedTerms),
              ...(opts.at !== undefined ? { at: opts.at } : {}),
            },
          }),
        );
        if (opts.json) return out.json(d);
        out.line(
          `Recorded: ${d.recipient} was told by ${d.channel} ${shortTime(d.at)} (${d.acceptedTerms ? 'had accepted the terms' : 'had NOT accepted the terms'}).`,
        );
      },
    );

  const leak = program.command('leak').description("A case's leak incidents: what leaked, to whom, and the follow-up");

  leak
    .command('add')
    .description('Record a leak')
    .argument('<case-id>', 'case id', caseIdArg)
    .requiredOption('--what <text>', 'what leaked')
    .requiredOption('--to <whom>', 'to whom it leaked')
    .requiredOption('--reported-by <who>', 'who reported the leak')
    .option('--reported-at <time>', 'when it was reported, with its zone (default: now)')
    .option('--follow-up <text>', 'what is being done about it')
    .option('--json', 'print the leak as JSON')
    .action(
      async (
        id: string,
        opts: { what: string; to: string; reportedBy: string; reportedAt?: string; followUp?: string } & JsonOption,
        cmd: Command,
      ) => {
        const api = await ctx.api(cmd);
        const l = await detailed(
          api.POST('/api/v1/cases/{caseId}/leaks', {
            ...caseParams(id),
            body: {
              what: opts.what,
              leakedTo: opts.to,
              reportedBy: opts.reportedBy,
              ...(opts.reportedAt !== undefined ? { reportedAt: opts.reportedAt } : {}),
              ...(opts.followUp !== undefined ? { followUp: opts.followUp } : {}),
            },
          }),
        );
        if (opts.json) return out.json(l);
        printLeak(ctx, l);
      },
    );

  leak
    .command('list')
    .description("The case's leaks (the read is audited)")
    .argument('<case-id>', 'case id', caseIdArg)
    .option('--json', 'print {leaks: [...]} as JSON')
    .action(async (id: string, opts: JsonOption, cmd: Command) => {
      const result = await answer((await ctx.api(cmd)).GET('/api/v1/cases/{caseId}/leaks', caseParams(id)));
      if (opts.json) return out.json(result);
      if (result.leaks.length === 0) return out.line(`No leaks recorded for ${id}.`);
      printTable(out, [
        ['ID', 'STATUS', 'WHAT', 'TO', 'REPORTED', 'FOLLOW-UP'],
        ...result.leaks.map((l) => [
          l.id.slice(0, 8),
          l.status,
          l.what,
          l.leakedTo,
          `${shortTime(l.reportedAt)} by ${l.reportedBy}`,
          l.followUp,
        ]),
      ]);
    });

  leak
    .command('update')
    .description("Update a leak's follow-up, correct it, close or reopen it")
    .argument('<case-id>', 'case id', caseIdArg)
    .argument('<leak>', 'the leak id (or its first characters, as leak list shows)')
    .option('--follow-up <text>', 'what is being done about it (replaces the text)')
    .option('--what <text>', 'correct what leaked')
    .option('--to <whom>', 'correct to whom it leaked')
    .option('--close', 'the leak is dealt with')
    .option('--reopen', 'the leak needs more work')
    .option('--json', 'print the leak as JSON')
    .action(
      async (
        id: string,
        ref: string,
        opts: { followUp?: string; what?: string; to?: string; close?: boolean; reopen?: boolean } & JsonOption,
        cmd: Command,
      ) => {
        requireUsage(!(opts.close && opts.reopen), 'use --close or --reopen, not both');
        const edit = {
          ...(opts.followUp !== undefined ? { followUp: opts.followUp } : {}),
          ...(opts.what !== undefined ? { what: opts.what } : {}),
          ...(opts.to !== undefined ? { leakedTo: opts.to } : {}),
          ...(opts.close ? { status: 'closed' as const } : opts.reopen ? { status: 'open' as const } : {}),
        };
        requireUsage(Object.keys(edit).length > 0, 'say what to change: --follow-up, --what, --to, --close or --reopen');
        const api = await ctx.api(cmd);
        const leakId = await resolveLeak(api, id, ref);
        const l = await detailed(
          api.PATCH('/api/v1/cases/{caseId}/leaks/{leakId}', { params: { path: { caseId: id, leakId } }, body: edit }),
        );
        if (opts.json) return out.json(l);
        printLeak(ctx, l);
      },
    );

  program
    .command('ack')
    .description("Record a member's answer on the case's current disclosure date: ack (default) or objection")
    .argument('<case-id>', 'case id', caseIdArg)
    .argument('<member>', 'the member: id, organisation or contact address')
    .option('--objection <reason>', 'they object, and why')
    .option('--note <text>', 'a note with an ack')
    .option('--clear', 'forget their answer (back to no answer)')
    .option('--json', 'print the answers as JSON')
    .action(async (id: string, ref: string, opts: { objection?: string; note?: string; clear?: boolean } & JsonOption, cmd: Command) => {
      requireUsage(!(opts.clear && (opts.objection !== undefined || opts.note !== undefined)), '--clear takes no --objection or --note');
      requireUsage(!(opts.objection !== undefined && opts.note !== undefined), 'an objection carries its reason; --note is for an ack');
      const api = await ctx.api(cmd);
      const member = await resolveMember(api, ref, await projectOfCase(api, id));
      const path = { params: { path: { caseId: id, distributorId: member.id } } };
      const answered = opts.clear
        ? await detailed(api.DELETE('/api/v1/cases/{caseId}/acks/{distributorId}', path))
        : await detailed(
            api.PUT('/api/v1/cases/{caseId}/acks/{distributorId}', {
              ...path,
              body:
                opts.objection !== undefined
                  ? { answer: 'objection', reason: opts.objection }
                  : { answer: 'ack', ...(opts.note ? { reason: opts.note } : {}) },
            }),
          );
      if (opts.json) return out.json(answered);
      const acks = answered;
      if (opts.json) return out.json(acks);
      const verb = opts.clear
        ? 'Cleared the answer of'
        : opts.objection !== undefined
          ? 'Recorded the objection of'
          : 'Recorded the ack of';
      out.line(`${verb} ${member.organisation} on ${describeEmbargo(acks.embargo)}.`);
      out.line(notAnsweredLine(acks));
    });

  program
    .command('acks')
    .description("Each member's answer on the case's disclosure date, and who has not answered (the read is audited)")
    .argument('<case-id>', 'case id', caseIdArg)
    .option('--json', 'print the answers as JSON')
    .action(async (id: string, opts: JsonOption, cmd: Command) => {
      const acks = await answer((await ctx.api(cmd)).GET('/api/v1/cases/{caseId}/acks', caseParams(id)));
      if (opts.json) return out.json(acks);
      printAcks(ctx, acks);
    });

  program
    .command('agree')
    .description("Mark the case's current embargo time as the agreed disclosure time (objections and missing answers are warnings)")
    .argument('<case-id>', 'case id', caseIdArg)
    .option('--json', 'print {agreement, local, warnings, objected, notAnswered, alreadyAgreed} as JSON')
    .action(async (id: string, opts: JsonOption, cmd: Command) => {
      const result = await detailed((await ctx.api(cmd)).POST('/api/v1/cases/{caseId}/embargo/agree', caseParams(id)));
      if (opts.json) return out.json(result);
      const a = result.agreement;
      out.line(
        result.alreadyAgreed
          ? `The disclosure time ${result.local} was already agreed by ${a.agreedBy} ${shortTime(a.agreedAt)}.`
          : `Agreed disclosure time of ${id}: ${result.local} (by ${a.agreedBy}, ${shortTime(a.agreedAt)}).`,
      );
      for (const w of result.warnings) out.note(`embargo: warning: ${w}`);
    });
}
