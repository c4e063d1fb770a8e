/** `embargo message lint|draft` through the real CLI: exit codes, file positions, JSON, stdin. */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { renderMessage } from '../../src/domain/messages/index.js';
import { parsePlaybook } from '../../src/domain/playbook/index.js';
import { readyCase } from '../support/case-fixture.js';
import { cliWith, runCli, tempDir } from './run-cli.js';

const dir = tempDir();
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const env = { EMBARGO_DATA_DIR: join(dir, 'data') };
const LIST = 'cncf-contour-distributors-announce@lists.cncf.io';

const contour = parsePlaybook(readFileSync(new URL('../../playbooks/contour.yaml', import.meta.url), 'utf8'));
const m = renderMessage('distributors-notice', {
  case: readyCase({ description: 'A tenant can reach another namespace.' }),
  playbook: contour,
  now: new Date('2026-11-21T10:00:00Z'),
});
const cleanText = `Subject: ${m.subject}\n\n${m.body}\n`;
const cleanFile = join(dir, 'clean.txt');
writeFileSync(cleanFile, cleanText);
const leakyFile = join(dir, 'leaky.txt');
writeFileSync(leakyFile, cleanText.replace('A tenant can reach', 'A tenant (cve-2026-41246) can reach'));

describe('embargo message lint', () => {
  it('exits 0 on a clean notice sent to the exact list', async () => {
    const r = await runCli(['message', 'lint', cleanFile, '--kind', 'distributors-notice', '--to', LIST], { env });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('ok (0 warnings)');
  });

  it('exits 1 with FILE:LINE:COLUMN on an id, counting the Subject line', async () => {
    const r = await runCli(['message', 'lint', leakyFile, '--kind', 'distributors-notice', '--to', LIST], { env });
    expect(r.code).toBe(1);
    const line =
      readFileSync(leakyFile, 'utf8')
        .split('\n')
        .findIndex((l) => l.includes('cve-2026-41246')) + 1;
    expect(r.stdout).toContain(`${leakyFile}:${line}:11: error [embargoed-id]`);
    expect(r.stderr).toBe('');
  });

  it('exits 1 on a look-alike recipient and prints JSON findings from stdin', async () => {
    const r = await runCli(['message', 'lint', '-', '--kind', 'distributors-notice', '--to', LIST.replace('.io', '.com'), '--json'], {
      env,
      input: cleanText,
    });
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ ok: false, errors: 1, playbook: 'contour' });
    expect(out.findings[0]).toMatchObject({ rule: 'recipient-lookalike', part: 'recipients' });
    expect(out.findings[0].message).toContain(`resembles ${LIST}`);
  });

  it('refuses the users announcement unless --published', async () => {
    const users = join(dir, 'users.txt');
    writeFileSync(
      users,
      'Subject: Contour advisory\n\n## Description\nx\n## Affected versions\nx\n## Fixed versions\nx\n## Workarounds\nx\n## Credits\nx\n',
    );
    const before = await runCli(['message', 'lint', users, '--kind', 'users-announcement', '--json'], { env });
    expect(before.code).toBe(1);
    expect(JSON.parse(before.stdout).findings.map((f: { rule: string }) => f.rule)).toContain('not-published');
    const after = await runCli(['message', 'lint', users, '--kind', 'users-announcement', '--published'], { env });
    expect(after.code).toBe(0);
  });

  it('exits 2 on usage mistakes', async () => {
    expect((await runCli(['message', 'lint', cleanFile], { env })).code).toBe(2);
    expect((await runCli(['message', 'lint', cleanFile, '--kind', 'distributor-notice'], { env })).code).toBe(2);
    const missing = await runCli(['message', 'lint', join(dir, 'nope.txt'), '--kind', 'distributors-notice'], { env });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no such file');
  });
});

describe('embargo message draft', () => {
  it('renders a case mail with its lint result', async () => {
    const cli = cliWith(env);
    const { id } = await cli.json<{ id: string }>([
      'case',
      'new',
      '--title',
      'Route leak',
      '--reporter-name',
      'Ada',
      '--reporter-contact',
      'ada@example.org',
    ]);
    const draft = await cli.json<{ message: { to: string[]; body: string }; findings: { rule: string }[]; ok: boolean }>([
      'message',
      'draft',
      id,
      '--kind',
      'reporter-ack',
    ]);
    expect(draft.message.to).toEqual(['ada@example.org']);
    expect(draft.message.body).toContain('Hello Ada,');
    expect(draft.ok).toBe(true);
    const notice = await cli.run(['message', 'draft', id, '--kind', 'distributors-notice']);
    expect(notice.code).toBe(0);
    expect(notice.stdout).toContain(`To: ${LIST}`);
    expect(notice.stderr).toMatch(/lint: \d+ errors?.*not sendable/);
    expect(notice.stderr).toContain('[placeholder]');
  });
});

describe('embargo message send|list|show|copy|mark-sent|retry|attention (local mode)', () => {
  it('queues a case mail once, refuses a leaky edit at its place in the file, and takes the copy path', async () => {
    const cli = cliWith({ EMBARGO_DATA_DIR: join(dir, 'send') });
    const { id } = await cli.json<{ id: string }>([
      'case',
      'new',
      '--title',
      'Route leak',
      '--reporter-name',
      'Ada',
      '--reporter-contact',
      'ada@example.org',
    ]);

    const first = await cli.ok(['message', 'send', id, '--kind', 'reporter-ack']);
    const messageId = new RegExp(
      `^✓ ${id}: the acknowledgement to the reporter to ada@example\\.org is queued \\(message ([0-9a-f-]{36})\\)\\.\\n$`,
    ).exec(first.stdout)?.[1];
    expect(messageId, first.stdout).toBeDefined();
    // The same request again: the same message, nothing new queued.
    const again = await cli.json<{ created: boolean; message: { id: string } }>(['message', 'send', id, '--kind', 'reporter-ack']);
    expect(again).toMatchObject({ created: false, message: { id: messageId } });

    // An edited notice with a CVE id is refused with every error, and nothing is queued.
    await cli.ok(['case', 'edit', id, '--affected', '1.20.0..1.28.2', '--cvss', 'CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:H/I:H/A:N']);
    await cli.ok(['case', 'plan', id, '--line', '1.28=1.28.2']);
    await cli.ok(['case', 'embargo', id, '--at', '2026-12-01 17:00', '--tz', 'Europe/Berlin', '--allow-past', 'a fixed date in this test']);
    const draft = await cli.json<{ message: { subject: string; body: string }; ok: boolean }>([
      'message',
      'draft',
      id,
      '--kind',
      'distributors-notice',
    ]);
    expect(draft.ok).toBe(true);
    const edited = join(dir, 'edited.txt');
    writeFileSync(
      edited,
      `Subject: ${draft.message.subject}\n\n${draft.message.body.replace('## Description\n\n', '## Description\n\nCVE-2026-41246. ')}\n`,
    );
    const refused = await cli.run(['message', 'send', id, '--kind', 'distributors-notice', '--file', edited]);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toBe('');
    const [sentence, ...bullets] = refused.stderr.trimEnd().split('\n');
    expect(sentence).toBe('embargo: the embargoed distributors notice was not queued: the lint found 1 error');
    const line =
      readFileSync(edited, 'utf8')
        .split('\n')
        .findIndex((l) => l.startsWith('CVE-2026-41246')) + 1;
    expect(bullets).toEqual([
      expect.stringMatching(new RegExp(`^ {2}- ${edited}:${line}:1: \\[embargoed-id\\] "CVE-2026-41246" is the CVE id`)),
    ]);

    // The web-interface path: the exact text on stdout, the hint on stderr; then marked sent.
    const copy = await cli.ok(['message', 'send', id, '--kind', 'distributors-notice', '--copy']);
    expect(
      copy.stdout.startsWith(
        `From: cncf-contour-maintainers@lists.cncf.io\nTo: ${LIST}\nSubject: ${draft.message.subject}\n\n${draft.message.body}`,
      ),
    ).toBe(true);
    const noticeId = /embargo message mark-sent (\S+)/.exec(copy.stderr)![1]!;
    const marked = await cli.ok(['message', 'mark-sent', noticeId, '--at', '2026-11-20 09:30']);
    expect(marked.stdout).toMatch(/^✓ message \S+ \(distributors-notice\) is sent: 2026-11-20 09:30 UTC by local:\S+\.\n$/);

    const list = await cli.ok(['message', 'list', id]);
    const rows = list.stdout.trimEnd().split('\n');
    expect(rows[0]).toMatch(/^ID +KIND +STATUS +TO +QUEUED +SENT$/);
    expect(rows.slice(1).map((r) => r.split(/ {2,}/).slice(0, 3))).toEqual([
      [messageId, 'reporter-ack', 'queued'],
      [noticeId, 'distributors-notice', 'sent'],
    ]);
    const show = await cli.ok(['message', 'show', messageId!]);
    expect(show.stdout).toContain('status      queued');
    expect(show.stdout).toContain('To: ada@example.org\nSubject: Re: Route leak');

    // The queued acknowledgement can be copied instead; a sent message cannot be retried.
    const copied = await cli.json<{ to: string[]; body: string }>(['message', 'copy', messageId!]);
    expect(copied.to).toEqual(['ada@example.org']);
    const retry = await cli.run(['message', 'retry', noticeId]);
    expect(retry.code).toBe(1);
    expect(retry.stderr).toBe(`embargo: message ${noticeId} is sent; only a failed or unknown message can be retried\n`);
    expect(await cli.json(['message', 'attention'])).toEqual({ messages: [] });
    expect((await cli.run(['message', 'show', 'not-an-id'])).code).toBe(2);
  }, 120_000);
});
