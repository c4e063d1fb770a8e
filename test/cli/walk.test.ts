/**
 * Walks one case through all 12 steps of the Contour playbook with the real CLI on a local database,
 * setting exactly the fields each gate asks for, and checks that the gates refuse before and allow
 * after. Then the audit log must verify.
 */
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliWith, tempDir } from './run-cli.js';

const PASSWORD = 'correct horse battery staple';
const TITLE = 'HTTPProxy include lets a tenant route to another namespace';

describe('embargo CLI walks a case through the Contour playbook (local mode)', () => {
  let dir: string;
  let cli: ReturnType<typeof cliWith>;
  let id: string;

  beforeAll(async () => {
    dir = tempDir();
    cli = cliWith({ EMBARGO_DATA_DIR: dir });
    await cli.ok(['user', 'add', '--username', 'alice', '--admin', '--password-stdin'], { input: `${PASSWORD}\n` });
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** `case step done` that must be refused: exit 1, the message, then the unmet conditions as bullets. */
  async function refused(step: string, extra: string[] = []) {
    const r = await cli.run(['case', 'step', 'done', id, step, ...extra]);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toBe('');
    const [first, ...rest] = r.stderr.trimEnd().split('\n');
    expect(first).toMatch(/^embargo: step \d+ ".+" cannot be completed: (1 condition is|\d+ conditions are) unmet$/);
    expect(rest.length).toBeGreaterThan(0);
    for (const line of rest) expect(line).toMatch(/^ {2}- \S/);
    return rest.map((l) => l.replace(/^ {2}- /, ''));
  }

  /** Sends one of the checklist's mails from the case (the steps that send mail wait for it). */
  async function send(kind: string, extra: string[] = []) {
    return cli.json<{ created: boolean; message: { id: string; kind: string; status: string; to: string[] } }>([
      'message',
      'send',
      id,
      '--kind',
      kind,
      ...extra,
    ]);
  }

  async function done(step: string, extra: string[] = []) {
    const r = await cli.ok(['case', 'step', 'done', id, step, ...extra]);
    expect(r.stdout).toMatch(new RegExp(`^✓ ${id}: step \\d+ ".+" is done\\.`));
    return r.stdout;
  }

  it('opens, lists and shows a case', async () => {
    const created = await cli.json<{ id: string; title: string; status: string; reporter: { credit: string } }>([
      'case',
      'new',
      '--title',
      TITLE,
      '--reporter-name',
      'Ada Reporter',
      '--reporter-contact',
      'ada@example.org',
      '--reporter-company',
      'ACME',
      '--credit',
      'name-without-company',
    ]);
    id = created.id;
    expect(id).toMatch(/^EMB-\d{4}-0001$/);
    expect(created).toMatchObject({ title: TITLE, status: 'reported', reporter: { credit: 'name-without-company' } });

    const list = await cli.ok(['case', 'list']);
    expect(list.stdout).toContain(id);
    expect(list.stdout).toContain(TITLE);
    expect(list.stdout).toContain('reported');

    const show = await cli.ok(['case', 'show', id]);
    expect(show.stdout).toContain(`${id}  ${TITLE}`);
    expect(show.stdout).toContain('Ada Reporter <ada@example.org>, ACME; credit: name-without-company');
    // Twelve open steps, each with the open mark, and the first is ready.
    expect(show.stdout.match(/^ {2}· +\d+ {2}/gm)).toHaveLength(12);
    expect(show.stdout).toContain(`Next: step 1 "Record the vulnerability report" (report) — ready: embargo case step done ${id} report`);
  });

  it('walks all 12 steps, refusing each gate until its fields are set', async () => {
    await done('report');

    // 2. Triage needs the reporter's acknowledgement, the affected range and the release plan.
    expect(await refused('triage')).toEqual([
      'the acknowledgement to the reporter is not sent yet (kind reporter-ack)',
      `no affected version range is recorded; triage must say which versions are affected (embargo case edit ${id} --affected INTRODUCED..FIXED)`,
      `no release line is planned; decide which minors get a patch release (embargo case plan ${id} --line MINOR=VERSION)`,
    ]);
    await cli.ok(['case', 'edit', id, '--affected', '1.20.0..1.33.4']);
    const plan = await cli.ok(['case', 'plan', id, '--line', '1.33=1.33.4', '--line', '1.32=1.32.5']);
    expect(plan.stdout).toContain('1.33 → 1.33.4, 1.32 → 1.32.5');
    const ack = await send('reporter-ack');
    expect(ack).toMatchObject({ created: true, message: { kind: 'reporter-ack', status: 'queued', to: ['ada@example.org'] } });
    await done('triage');

    // 3. The advisory draft: CVSS, CWE, GHSA id and the attestation that a CVE was requested.
    const draft = await refused('advisory-draft');
    expect(draft).toEqual([
      `the CVSS vector is not set (embargo case edit ${id} --cvss CVSS:3.1/…)`,
      `the CWE id is not set (embargo case edit ${id} --cwe CWE-…)`,
      `the GHSA id of the advisory draft is not recorded (embargo advisory push ${id}, or embargo case edit ${id} --ghsa GHSA-…)`,
      'confirm: Requested a CVE ID via GitHub from the advisory draft',
    ]);
    const scored = await cli.ok([
      'case',
      'edit',
      id,
      '--cvss',
      'CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:H/I:H/A:N',
      '--cwe',
      'CWE-284',
      '--ghsa',
      'GHSA-x4mj-7f9g-29h4',
    ]);
    // Accepted with a word: MITRE discourages CWE-284 as a mapping and suggests others (issue 13, item 13).
    expect(scored.stdout).toContain(
      '! CWE-284 Improper Access Control is discouraged by MITRE for mapping a vulnerability; MITRE suggests instead: CWE-862 Missing Authorization; CWE-863 Incorrect Authorization;',
    );
    // The right fields but no attestation: exactly the confirmation is left.
    expect(await refused('advisory-draft')).toEqual(['confirm: Requested a CVE ID via GitHub from the advisory draft']);
    await done('advisory-draft', ['--confirm', 'cve-requested']);

    // 4. Skippable, with a reason.
    const skip = await cli.ok(['case', 'step', 'skip', id, 'private-fork', '--reason', 'the fix is a one-line change made in the draft']);
    expect(skip.stdout).toMatch(new RegExp(`^↷ ${id}: step 4 "Create a private fork for the advisory" is skipped\\.`));

    // 5. Two attestations in one --confirm.
    expect(await refused('keep-draft', ['--confirm', 'still-draft'])).toEqual([
      'confirm: The reporter is credited in the draft the way they asked (named, anonymous, or without their company)',
    ]);
    await done('keep-draft', ['--confirm', 'still-draft', 'reporter-credited']);
    expect(await refused('tell-reporter')).toEqual([
      'the "draft advisory created" mail to the reporter is not sent yet (kind reporter-draft-created)',
    ]);
    await send('reporter-draft-created');
    await done('tell-reporter');

    // 7. The distributors mail needs the embargo time, the notice itself (linted) and two attestations.
    const notify = await refused('notify-distributors');
    expect(notify[0]).toBe(
      `no embargo time is set; the mail must give the disclosure date (embargo case embargo ${id} --at "YYYY-MM-DD HH:MM" --tz ZONE)`,
    );
    expect(notify.filter((u) => u.startsWith('confirm: '))).toHaveLength(2);
    expect(notify).toContain('the embargoed distributors notice is not sent yet (kind distributors-notice)');
    const nextYear = new Date().getUTCFullYear() + 1;
    const embargo = await cli.ok(['case', 'embargo', id, '--at', `${nextYear}-12-01 17:00`, '--tz', 'Europe/Berlin']);
    expect(embargo.stdout).toMatch(new RegExp(`ends ${nextYear}-12-01 17:00 Europe/Berlin \\(in \\d+ days\\)`));
    // Through the list's web interface: queued as copied (the text to paste on stdout), then marked sent.
    const copied = await cli.ok(['message', 'send', id, '--kind', 'distributors-notice', '--copy']);
    expect(copied.stdout).toMatch(
      /^From: cncf-contour-maintainers@lists\.cncf\.io\nTo: cncf-contour-distributors-announce@lists\.cncf\.io\nSubject: #security /,
    );
    const noticeId = /embargo message mark-sent (\S+)/.exec(copied.stderr)![1]!;
    await cli.ok(['message', 'mark-sent', noticeId]);

    // The date moves after the notice (issue 13, item 5): the reporter is told at once; the step and
    // the agreement wait for a notice that gives the new date.
    const moved = await cli.ok(['case', 'embargo', id, '--at', `${nextYear}-12-03 17:00`, '--tz', 'Europe/Berlin']);
    expect(moved.stdout).toContain(`The distributors were told ${nextYear}-12-01 17:00 Europe/Berlin`);
    expect(moved.stdout).toContain(`embargo message send ${id} --kind distributors-notice`);
    expect(moved.stdout).toMatch(/Queued the mail that tells the reporter the new date \(ada@example\.org\)/);
    const told = await cli.ok(['message', 'list', id]);
    expect(told.stdout).toContain('reporter-date-moved');
    const stale = `the embargoed distributors notice gave ${nextYear}-12-01 17:00 Europe/Berlin (16:00 UTC), but the embargo is now ${nextYear}-12-03 17:00 Europe/Berlin (16:00 UTC): send a new notice with the new date (embargo message send ${id} --kind distributors-notice) and tell the reporter (embargo message send ${id} --kind reporter-date-moved)`;
    expect(await refused('notify-distributors', ['--confirm', 'web-interface', '--confirm', 'date-buy-in'])).toEqual([stale]);
    const agree = await cli.run(['agree', id]);
    expect(agree.code).toBe(1);
    expect(agree.stderr).toBe(`embargo: cannot agree on the date of ${id}: ${stale}\n`);
    const renotice = await cli.ok(['message', 'send', id, '--kind', 'distributors-notice', '--copy']);
    expect(renotice.stdout).toContain(`${nextYear}-12-03 17:00`);
    await cli.ok(['message', 'mark-sent', /embargo message mark-sent (\S+)/.exec(renotice.stderr)![1]!]);
    await done('notify-distributors', ['--confirm', 'web-interface', '--confirm', 'date-buy-in']);

    // 9 before 8: refused while the lines are unreleased and the embargo is in the future.
    const early = await refused('publish-advisory');
    expect(early).toContain('step 8 "Release patches for all supported minors" is not done');
    expect(early).toContain(`release line 1.33 has no released patch (embargo case release ${id} 1.33 [--tag TAG])`);
    expect(early).toContain(`release line 1.32 has no released patch (embargo case release ${id} 1.32 [--tag TAG])`);
    expect(early.some((u) => new RegExp(`^embargo ends ${nextYear}-12-03 17:00 Europe/Berlin, in \\d+ days$`).test(u))).toBe(true);

    // 8. Release both lines.
    expect(await refused('release-patches', ['--confirm', 'pithy-commits'])).toEqual([
      `release line 1.33 has no released patch (embargo case release ${id} 1.33 [--tag TAG])`,
      `release line 1.32 has no released patch (embargo case release ${id} 1.32 [--tag TAG])`,
    ]);
    const first = await cli.ok(['case', 'release', id, '1.33', '--tag', 'v1.33.4']);
    expect(first.stdout).toContain('Still to release: 1.32.');
    const second = await cli.ok(['case', 'release', id, '1.32']);
    expect(second.stdout).toContain('Every planned line is released.');
    await done('release-patches', ['--confirm', 'pithy-commits']);

    // 9. Released, but the embargo is still in the future (and no CVE id yet).
    const waiting = await refused('publish-advisory');
    expect(waiting).toHaveLength(2);
    expect(waiting[0]).toMatch(/^embargo ends .+, in \d+ days$/);
    expect(waiting[1]).toMatch(/^the CVE id is not recorded/);
    // A step that may not be skipped stays unskippable.
    const noSkip = await cli.run(['case', 'step', 'skip', id, 'publish-advisory', '--reason', 'in a hurry']);
    expect(noSkip.code).toBe(1);
    expect(noSkip.stderr).toBe('embargo: step 9 "Publish the security advisory" cannot be skipped; the Contour playbook requires it\n');

    await cli.ok(['case', 'edit', id, '--cve', 'CVE-2026-41246']);
    // A time already past is refused (issue 13, item 12) unless the reason is given; the event keeps it.
    const typo = await cli.run(['case', 'embargo', id, '--at', '2026-01-05 09:00', '--tz', 'Europe/Berlin']);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toMatch(
      /^embargo: the embargo time 2026-01-05 09:00 Europe\/Berlin is in the past \(\d+ days ago\); give a date to come, or, to replay an old case, say why with --allow-past REASON/,
    );
    await cli.ok([
      'case',
      'embargo',
      id,
      '--at',
      '2026-01-05 09:00',
      '--tz',
      'Europe/Berlin',
      '--allow-past',
      'disclosed early: the fix leaked',
    ]);
    const { events: embargoEvents } = await cli.json<{ events: { action: string; details: { allowedPast?: string } }[] }>([
      'case',
      'events',
      id,
    ]);
    expect(embargoEvents.filter((e) => e.action === 'case.embargo-set').at(-1)!.details.allowedPast).toBe(
      'disclosed early: the fix leaked',
    );
    await done('publish-advisory');

    // 10 and 11: the public mails, once the advisory is recorded as published.
    await cli.ok(['case', 'edit', id, '--published', '2026-01-05T08:00:00Z']);
    await send('users-announcement');
    await send('reporter-published');
    await done('announce-users');
    await send('distributors-followup');
    await done('follow-up-distributors');
    // 12. The retrospective step waits for the retrospective itself, not a checkbox.
    expect(await refused('retrospective')).toEqual([
      `the retrospective is not written; write its notes first (embargo retro write ${id} --notes-file FILE)`,
    ]);
    await cli.ok(['retro', 'write', id, '--notes', 'The notice went out through the web interface; the reporter waited for the ack.']);
    const last = await done('retrospective');
    expect(last).toContain('Every step is done or skipped: the case is closed.');
  }, 180_000);

  it('shows the closed case with every step marked, in both text and JSON', async () => {
    const shown = await cli.json<{
      case: { status: string; cveId: string; releasePlan: { releasedAt: string | null; tag: string }[] };
      steps: { id: string; status: string; unmet: string[] }[];
    }>(['case', 'show', id]);
    expect(shown.case.status).toBe('closed');
    expect(shown.case.cveId).toBe('CVE-2026-41246');
    expect(shown.case.releasePlan.map((l) => l.tag)).toEqual(['v1.33.4', 'v1.32.5']);
    expect(shown.steps.map((s) => s.status)).toEqual(['done', 'done', 'done', 'skipped', ...Array(8).fill('done')]);

    const text = await cli.ok(['case', 'show', id]);
    expect(text.stdout.match(/^ {2}✓ +\d+ {2}/gm)).toHaveLength(11);
    expect(text.stdout.match(/^ {2}↷ +4 {2}Create a private fork/gm)).toHaveLength(1);
    expect(text.stdout).toContain('skipped by local:');

    const closed = await cli.json<{ cases: { id: string }[] }>(['case', 'list', '--status', 'closed']);
    expect(closed.cases.map((c) => c.id)).toEqual([id]);
  });

  it('reopens a step with a reason and the case leaves "closed"', async () => {
    const r = await cli.ok(['case', 'step', 'reopen', id, 'retrospective', '--reason', 'the retrospective missed the release team']);
    expect(r.stdout).toMatch(new RegExp(`^· ${id}: step 12 "Hold a team retrospective" is open again\\. Status: retrospective\\.`));
    await done('retrospective');
    const missingReason = await cli.run(['case', 'step', 'reopen', id, 'retrospective']);
    expect(missingReason.code).toBe(2);
    expect(missingReason.stderr).toMatch(/^embargo: required option '--reason <text>' not specified/);
  });

  it('gives the retrospective of the walk: each milestone from the event log, with the durations between them', async () => {
    type Ev = { action: string; at: string; details: Record<string, unknown> };
    const { events } = await cli.json<{ events: Ev[] }>(['case', 'events', id]);
    const at = (action: string, match: (d: Record<string, unknown>) => boolean = () => true) =>
      Date.parse(events.find((e) => e.action === action && match(e.details))!.at);
    const reported = at('case.created');
    const acknowledged = at('message.queued', (d) => d.kind === 'reporter-ack'); // no SMTP here: queued, not sent
    const triaged = at('step.done', (d) => d.step === 'triage');
    const cve = at('case.edited', (d) => typeof (d.changed as Record<string, unknown>).cveId === 'string');
    const released = [at('release.recorded', (d) => d.line === '1.33'), at('release.recorded', (d) => d.line === '1.32')];
    const notice = Date.parse(events.find((e) => e.action === 'message.marked_sent')!.details.sentAt as string);
    const published = Date.parse('2026-01-05T08:00:00Z'); // as recorded with case edit --published
    const announced = at('message.queued', (d) => d.kind === 'users-announcement');

    const r = await cli.json<{
      timeline: { kind: string; at: string; state?: string; sinceReport: number; sincePrevious: number | null }[];
      durations: Record<string, number | null>;
      clocks: unknown;
      written: { notes: string } | null;
    }>(['retro', id]);
    expect(r.durations).toEqual({
      toAcknowledge: acknowledged - reported,
      toTriage: triaged - reported,
      toCve: cve - reported,
      toFix: Math.max(...released) - reported,
      toNotice: notice - reported,
      toDisclose: published - reported,
      toAnnounce: announced - reported,
    });
    // Every milestone once (two releases), in time order, each duration measured from the one before.
    expect(r.timeline.map((m) => m.kind).sort()).toEqual(
      ['acknowledged', 'announced', 'cve', 'notice', 'published', 'released', 'released', 'reported', 'triaged'].sort(),
    );
    expect(r.timeline[0]).toMatchObject({ kind: 'published', sinceReport: published - reported, sincePrevious: null });
    for (let i = 1; i < r.timeline.length; i++) {
      expect(r.timeline[i]!.sincePrevious).toBe(Date.parse(r.timeline[i]!.at) - Date.parse(r.timeline[i - 1]!.at));
    }
    expect(r.timeline.find((m) => m.kind === 'acknowledged')!.state).toBe('queued');
    expect(r.timeline.find((m) => m.kind === 'notice')!.state).toBe('sent');
    // The playbook's clocks, each met (on time), missed (overdue or met late) or still running.
    const clocks = r.clocks as { id: string; dueAt: string; metAt: string | null; outcome: string }[];
    expect(clocks.map((k) => k.id)).toContain('acknowledge');
    for (const k of clocks) {
      if (k.metAt) expect(k.outcome).toBe(k.metAt <= k.dueAt ? 'met' : 'missed');
      else expect(['missed', 'running']).toContain(k.outcome);
    }
    expect(r.written?.notes).toContain('the reporter waited for the ack');

    // An action item stays on the open list until done.
    const added = await cli.ok(['retro', 'action', 'add', id, 'Send the ack from a template on intake', '--owner', 'alice']);
    const actionId = /action item ([0-9a-f]{8})/.exec(added.stdout)![1]!;
    expect((await cli.json<{ actions: { text: string; caseId: string }[] }>(['retro', 'actions'])).actions).toEqual([
      expect.objectContaining({ caseId: id, text: 'Send the ack from a template on intake' }),
    ]);
    const md = await cli.ok(['retro', id, '--markdown']);
    expect(md.stdout).toContain(`# Retrospective: ${id}`);
    expect(md.stdout).toContain(`- [ ] Send the ack from a template on intake (alice) — ${actionId}`);
    await cli.ok(['retro', 'action', 'done', actionId]);
    expect((await cli.json<{ actions: unknown[] }>(['retro', 'actions'])).actions).toEqual([]);

    const csv = await cli.ok(['metrics', '--csv']);
    const [header, row] = csv.stdout.trimEnd().split('\r\n');
    expect(header).toMatch(/^case,project,reported_at,hours_to_acknowledge,/);
    expect(row!.split(',').slice(0, 4)).toEqual([
      id,
      'contour',
      new Date(reported).toISOString(),
      ((acknowledged - reported) / 3_600_000).toFixed(2),
    ]);
    const metrics = await cli.json<{ overall: { cases: number; toFix: number } }>(['metrics', '--since', '2000-01-01']);
    expect(metrics.overall).toMatchObject({ cases: 1, toFix: Math.max(...released) - reported });
  });

  it('keeps the whole walk in the case events and the audit log verifies', async () => {
    const { events } = await cli.json<{ events: { action: string; actor: string }[] }>(['case', 'events', id]);
    const count = (action: string) => events.filter((e) => e.action === action).length;
    expect(count('step.done')).toBe(12); // 11 steps, one of them twice
    expect(count('step.skipped')).toBe(1);
    expect(count('step.reopened')).toBe(1);
    expect(count('release.recorded')).toBe(2);
    // The checklist's six, a second notice and two 'new date' mails to the reporter (the date moved twice after the notice).
    expect(events.filter((e) => e.action === 'message.queued')).toHaveLength(9);
    expect(events.every((e) => e.actor.startsWith('local:'))).toBe(true);

    const verify = await cli.run(['audit', 'verify']);
    expect(verify.code).toBe(0);
    const m = /^audit log intact: (\d+) events checked\n$/.exec(verify.stdout);
    expect(m, verify.stdout).not.toBeNull();
    const checked = Number(m![1]);
    expect(checked).toBeGreaterThan(events.length);
    const asJson = await cli.json<{ ok: boolean; checked: number; firstBroken: unknown }>(['audit', 'verify']);
    expect(asJson).toEqual({ ok: true, checked, firstBroken: null });
  });
});

describe('embargo CLI closes reports that get no advisory (local mode)', () => {
  let dir: string;
  let cli: ReturnType<typeof cliWith>;

  beforeAll(async () => {
    dir = tempDir();
    cli = cliWith({ EMBARGO_DATA_DIR: dir });
    await cli.ok(['user', 'add', '--username', 'alice', '--admin', '--password-stdin'], { input: `${PASSWORD}\n` });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const open = (title: string) =>
    cli.json<{ id: string; codename: string }>([
      'case',
      'new',
      '--title',
      title,
      '--reporter-name',
      'Rita',
      '--reporter-contact',
      'rita@example.org',
    ]);
  /** Exit code of the leak guard on a commit message naming the word. */
  const guardOn = async (word: string) =>
    (await cli.run(['guard', '--text', '-'], { input: `Fix the ${word.replace('-', ' ')} path\n` })).code;

  it('rejects a report: closed with its reason, the reporter told, its codename no longer blocked, and reopenable', async () => {
    const report = await open('Header case looks like a bug');
    expect(await guardOn(report.codename)).toBe(1);
    // Skipping the required first step says what to do instead.
    const skip = await cli.run(['case', 'step', 'skip', report.id, 'report', '--reason', 'not a vulnerability']);
    expect(skip.code).toBe(1);
    expect(skip.stderr).toContain(`embargo case reject|duplicate|withdraw ${report.id} --reason`);

    const rejected = await cli.run([
      'case',
      'reject',
      report.id,
      '--category',
      'out-of-scope',
      '--reason',
      'debug endpoint, documented as unsafe',
    ]);
    expect(rejected.code, rejected.stderr).toBe(0);
    expect(rejected.stdout).toBe(
      `${report.id} is rejected: debug endpoint, documented as unsafe\n` +
        'Its codename and guard terms no longer block commits (embargo guard terms export to refresh a terms file).\n' +
        `Queued the mail to the reporter (rita@example.org); see embargo message list ${report.id}.\n`,
    );
    const mail = await cli.json<{ messages: { kind: string; to: string[]; subject: string }[] }>(['message', 'list', report.id]);
    expect(mail.messages).toEqual([expect.objectContaining({ kind: 'reporter-closed', to: ['rita@example.org'] })]);
    const text = await cli.ok(['message', 'draft', report.id, '--kind', 'reporter-closed']);
    expect(text.stdout).toContain('outside the scope of our security policy');
    expect(text.stdout).not.toContain('documented as unsafe');

    expect((await cli.json<{ cases: { id: string }[] }>(['case', 'list', '--status', 'rejected'])).cases.map((c) => c.id)).toEqual([
      report.id,
    ]);
    expect(await guardOn(report.codename)).toBe(0);
    const shown = await cli.ok(['case', 'show', report.id]);
    expect(shown.stdout).toMatch(/^ +closed +rejected \(out-of-scope\) by local:\S+ .+: debug endpoint, documented as unsafe$/m);
    const stepAfter = await cli.run(['case', 'step', 'done', report.id, 'report']);
    expect(stepAfter.code).toBe(1);
    expect(stepAfter.stderr).toMatch(
      new RegExp(`was rejected on \\d{4}-\\d{2}-\\d{2}; reopen it first to work on its steps \\(embargo case reopen ${report.id}`),
    );
    expect((await cli.run(['case', 'reject', report.id, '--reason', 'again'])).code).toBe(1);

    const reopened = await cli.ok(['case', 'reopen', report.id, '--reason', 'the reporter found a bypass']);
    expect(reopened.stdout).toBe(`${report.id} is open again (reported).\n`);
    expect(await guardOn(report.codename)).toBe(1);
    const { events } = await cli.json<{ events: { action: string; details: Record<string, unknown> }[] }>(['case', 'events', report.id]);
    expect(events.filter((e) => e.action === 'case.resolved' || e.action === 'case.reopened').map((e) => [e.action, e.details])).toEqual([
      [
        'case.resolved',
        { outcome: 'rejected', category: 'out-of-scope', duplicateOf: null, reason: 'debug endpoint, documented as unsafe' },
      ],
      ['case.reopened', { previous: 'rejected', reason: 'the reporter found a bypass' }],
    ]);
  });

  it('closes a duplicate of a case it names, and a withdrawn report, each with a sentence for a mistake', async () => {
    const first = await open('Route leak via includes');
    const again = await open('Route leak, reported twice');
    const missingOf = await cli.run(['case', 'duplicate', again.id, '--reason', 'same issue']);
    expect(missingOf.code).toBe(2);
    const unknown = await cli.run(['case', 'duplicate', again.id, '--of', 'EMB-2026-9999', '--reason', 'same issue']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toBe('embargo: case EMB-2026-9999 not found\n');
    const dup = await cli.json<{ case: { status: string; resolution: { duplicateOf: string } } }>([
      'case',
      'duplicate',
      again.id,
      '--of',
      first.id,
      '--reason',
      'same issue',
      '--no-mail',
    ]);
    expect(dup.case).toMatchObject({ status: 'duplicate', resolution: { duplicateOf: first.id } });
    expect((await cli.json<{ messages: unknown[] }>(['message', 'list', again.id])).messages).toEqual([]);
    const withdrawn = await cli.json<{ case: { status: string } }>([
      'case',
      'withdraw',
      first.id,
      '--reason',
      'the reporter withdrew it by mail',
    ]);
    expect(withdrawn.case.status).toBe('withdrawn');
    expect((await cli.run(['audit', 'verify'])).code).toBe(0);
  });
});

describe('embargo CLI corrects a release recorded with the wrong tag (local mode)', () => {
  let dir: string;
  let cli: ReturnType<typeof cliWith>;

  beforeAll(async () => {
    dir = tempDir();
    cli = cliWith({ EMBARGO_DATA_DIR: dir });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('warns about a tag that is not the planned version, then corrects it, and undoes a release so the line can be re-planned', async () => {
    const { id } = await cli.json<{ id: string }>(['case', 'new', '--title', 'Wrong tag']);
    await cli.ok(['case', 'plan', id, '--line', '1.2=1.2.3', '--line', '1.1=1.1.7']);
    const wrong = await cli.run(['case', 'release', id, '1.2', '--tag', 'v1.2.9']);
    expect(wrong.code).toBe(0);
    expect(wrong.stderr).toBe(
      `embargo: warning: the tag v1.2.9 does not name the planned version 1.2.3 of line 1.2; if it is wrong: embargo case release ${id} 1.2 --correct --tag TAG --reason …\n`,
    );
    const twice = await cli.run(['case', 'release', id, '1.2', '--tag', 'v1.2.3']);
    expect(twice.code).toBe(1);
    expect((await cli.run(['case', 'release', id, '1.2', '--correct', '--tag', 'v1.2.3'])).stderr).toBe(
      'embargo: say why with --reason: the correction is kept in the audit log\n',
    );
    const fixed = await cli.run(['case', 'release', id, '1.2', '--correct', '--tag', 'v1.2.3', '--reason', 'typo in the tag']);
    expect(fixed.code, fixed.stderr).toBe(0);
    expect(fixed.stderr).toBe('');
    expect(fixed.stdout).toBe(
      `Corrected the release of line 1.2 to 1.2.3 (v1.2.3) for ${id}; verify it again with embargo plan verify.\nStill to release: 1.1.\n`,
    );

    // A line released by mistake: undo it, then it may leave the plan.
    await cli.ok(['case', 'release', id, '1.1']);
    expect((await cli.run(['case', 'plan', id, '--line', '1.2=1.2.3'])).code).toBe(1);
    const undone = await cli.run(['case', 'release', id, '1.1', '--undo', '--reason', 'recorded on the wrong case']);
    expect(undone.stdout).toBe(`Undid the release of line 1.1 for ${id}.\nStill to release: 1.1.\n`);
    expect((await cli.run(['case', 'plan', id, '--line', '1.2=1.2.3'])).code).toBe(0);

    const { events } = await cli.json<{ events: { action: string; details: Record<string, unknown> }[] }>(['case', 'events', id]);
    expect(
      events.filter((e) => e.action === 'release.corrected' || e.action === 'release.undone').map((e) => [e.action, e.details]),
    ).toEqual([
      [
        'release.corrected',
        {
          line: '1.2',
          version: '1.2.3',
          tag: 'v1.2.3',
          previous: { version: '1.2.3', tag: 'v1.2.9', verified: false },
          reason: 'typo in the tag',
        },
      ],
      [
        'release.undone',
        {
          line: '1.1',
          version: '1.1.7',
          previous: { releasedAt: expect.any(String), tag: 'v1.1.7', verified: false },
          reason: 'recorded on the wrong case',
        },
      ],
    ]);
  });
});
