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
const m = renderMessage('distributors-notice', { case: readyCase({ description: 'A tenant can reach another namespace.' }), playbook: contour, now: new Date('2026-11-21T10:00:00Z') });
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
    const line = readFileSync(leakyFile, 'utf8').split('\n').findIndex((l) => l.includes('cve-2026-41246')) + 1;
    expect(r.stdout).toContain(`${leakyFile}:${line}:11: error [embargoed-id]`);
    expect(r.stderr).toBe('');
  });

  it('exits 1 on a look-alike recipient and prints JSON findings from stdin', async () => {
    const r = await runCli(['message', 'lint', '-', '--kind', 'distributors-notice', '--to', LIST.replace('.io', '.com'), '--json'], { env, input: cleanText });
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ ok: false, errors: 1, playbook: 'contour' });
    expect(out.findings[0]).toMatchObject({ rule: 'recipient-lookalike', part: 'recipients' });
    expect(out.findings[0].message).toContain(`resembles ${LIST}`);
  });

  it('refuses the users announcement unless --published', async () => {
    const users = join(dir, 'users.txt');
    writeFileSync(users, 'Subject: Contour advisory\n\n## Description\nx\n## Affected versions\nx\n## Fixed versions\nx\n## Workarounds\nx\n## Credits\nx\n');
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
    const { id } = await cli.json<{ id: string }>(['case', 'new', '--title', 'Route leak', '--reporter-name', 'Ada', '--reporter-contact', 'ada@example.org']);
    const draft = await cli.json<{ message: { to: string[]; body: string }; findings: { rule: string }[]; ok: boolean }>(['message', 'draft', id, '--kind', 'reporter-ack']);
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
