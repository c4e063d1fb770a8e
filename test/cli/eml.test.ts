/**
 * `embargo case new --from-eml FILE`: a report mail saved from the private list becomes a case
 * (Subject, text, sender, Date, Message-ID; attachments named, not imported). Through the real CLI,
 * and the parser on its own for what the CLI does not show.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseReportMail } from '../../src/integrations/mail/eml.js';
import { cliWith, REPO, tempDir } from './run-cli.js';

/** Each test runs several CLI commands (in process) on a real database; generous for a busy two-core machine. */
const SLOW = 90_000;
const FIXTURES = join(REPO, 'test/fixtures/eml');
const multipart = join(FIXTURES, 'report-multipart.eml');
const htmlOnly = join(FIXTURES, 'html-only.eml');
const notAMail = join(FIXTURES, 'not-a-mail.eml');

const dir = tempDir();
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const cli = cliWith({ EMBARGO_DATA_DIR: join(dir, 'data') });

describe('parseReportMail', () => {
  it('reads a multipart/alternative mail with attachments: the text part, not the HTML one', async () => {
    const mail = await parseReportMail(readFileSync(multipart));
    expect(mail.subject).toBe('Header smuggling in the HTTPProxy – tenant escape');
    expect(mail.from).toEqual({ name: 'Ada Loveláce', address: 'ada.lovelace@example.org' });
    expect(mail.date?.toISOString()).toBe('2026-11-24T08:30:00.000Z');
    expect(mail.messageId).toBe('<CAF3x9q+report-1@mail.example.org>');
    expect(mail.text).toContain('smuggle a second request through the\nEnvoy listener');
    expect(mail.text).toMatch(/Adá$/);
    expect(mail.text).not.toContain('HTML part');
    expect(mail.attachments.map((a) => a.filename)).toEqual(['poc.py', 'poc.yaml']);
  });

  it('turns an HTML-only mail into text, without its script or style', async () => {
    const mail = await parseReportMail(readFileSync(htmlOnly));
    expect(mail.text).toContain('The dashboard renders the name unescaped & runs scripts.');
    expect(mail.text).not.toMatch(/<|alert\(1\)|color: red/);
  });

  it('refuses what is not a mail with a sentence', async () => {
    await expect(parseReportMail(readFileSync(notAMail))).rejects.toThrow('not a mail: no headers found');
    await expect(parseReportMail(Buffer.alloc(0))).rejects.toThrow('not a mail: the file is empty');
    await expect(parseReportMail(Buffer.from('X-Note: hello\n\nonly a header\n'))).rejects.toThrow('neither a From nor a Subject');
  });
});

describe('embargo case new --from-eml', () => {
  it(
    'opens the case from the mail and names the attachments it did not import',
    async () => {
      const r = await cli.ok(['case', 'new', '--from-eml', multipart]);
      const id = /Opened (EMB-\d{4}-\d{4})/.exec(r.stdout)?.[1];
      expect(id).toBeDefined();
      expect(r.stdout).toContain('"Header smuggling in the HTTPProxy – tenant escape" from the mail of 2026-11-24 08:30 UTC');
      expect(r.stdout).toContain('Message-ID: <CAF3x9q+report-1@mail.example.org>');
      expect(r.stdout).toContain('Reporter: Ada Loveláce <ada.lovelace@example.org>, credit named');
      expect(r.stdout).toContain('(2 attachments)');
      expect(r.stdout).toContain('  - poc.py (text/x-python, 106 B)');
      expect(r.stdout).toContain('  - poc.yaml (application/yaml, 80 B)');

      const shown = await cli.json<{
        case: {
          title: string;
          description: string;
          reporter: { name: string; contact: string };
          report: { text: string; sender: unknown; sentAt: string; messageId: string; attachments: string[] };
        };
      }>(['case', 'show', id!]);
      expect(shown.case.title).toBe('Header smuggling in the HTTPProxy – tenant escape');
      // Issue 13, item 4: the mail is the original report, kept apart; the advisory's text starts empty.
      expect(shown.case.description).toBe('');
      expect(shown.case.report.text).toContain('Steps to reproduce:\n1. Create the HTTPProxy');
      expect(shown.case.report).toMatchObject({
        sender: { name: 'Ada Loveláce', address: 'ada.lovelace@example.org' },
        sentAt: '2026-11-24T08:30:00.000Z',
        messageId: '<CAF3x9q+report-1@mail.example.org>',
        attachments: ['poc.py', 'poc.yaml'],
      });
      expect(r.stdout).toContain(`embargo case edit ${id} --description-file FILE`);
      const original = await cli.ok(['case', 'show', id!, '--report']);
      expect(original.stdout).toContain('Message-ID: <CAF3x9q+report-1@mail.example.org>');
      expect(original.stdout).toContain('Steps to reproduce:\n1. Create the HTTPProxy');
      const pushed = await cli.run(['advisory', 'push', id!, '--dry-run']);
      expect(pushed.code).toBe(1);
      expect(pushed.stderr).toContain(
        `the advisory's description, which the team writes (the original report is not published): embargo case edit ${id} --description-file FILE`,
      );
      expect(shown.case.reporter).toMatchObject({ name: 'Ada Loveláce', contact: 'ada.lovelace@example.org' });

      const { events } = await cli.json<{ events: { action: string; details: Record<string, unknown> }[] }>(['case', 'events', id!]);
      expect(events.find((e) => e.action === 'report.received')?.details).toEqual({
        source: 'mail',
        reportedAt: '2026-11-24T08:30:00.000Z',
        messageId: '<CAF3x9q+report-1@mail.example.org>',
        attachments: ['poc.py', 'poc.yaml'],
      });
      // The reporter's contact stays out of the audit log.
      expect(JSON.stringify(events)).not.toContain('ada.lovelace@example.org');
    },
    SLOW,
  );

  it(
    'lets --title and --reporter-* flags override the mail, and prints JSON',
    async () => {
      const out = await cli.json<{ case: { title: string; reporter: Record<string, unknown> }; mail: { attachments: unknown[] } }>([
        'case',
        'new',
        '--from-eml',
        htmlOnly,
        '--title',
        'Dashboard XSS',
        '--reporter-name',
        'Robert Builder',
        '--credit',
        'anonymous',
      ]);
      expect(out.case.title).toBe('Dashboard XSS');
      expect(out.case.reporter).toEqual({ name: 'Robert Builder', contact: 'bob@builder.example', company: null, credit: 'anonymous' });
      expect(out.mail.attachments).toEqual([]);
    },
    SLOW,
  );

  it(
    'reads the mail from stdin with -',
    async () => {
      const r = await cli.ok(['case', 'new', '--from-eml', '-'], { input: readFileSync(htmlOnly, 'utf8') });
      expect(r.stdout).toContain('"XSS in the dashboard" from the mail');
    },
    SLOW,
  );

  it(
    'exits 2 with a sentence on a file that is not a mail, a missing file, or no title',
    async () => {
      const broken = await cli.run(['case', 'new', '--from-eml', notAMail]);
      expect(broken.code).toBe(2);
      expect(broken.stderr).toBe(`embargo: ${notAMail} is not a mail: no headers found\n`);
      const missing = await cli.run(['case', 'new', '--from-eml', join(dir, 'nope.eml')]);
      expect(missing.code).toBe(2);
      expect(missing.stderr).toContain('no such file');
      const noSubject = join(dir, 'no-subject.eml');
      writeFileSync(noSubject, 'From: a@example.org\r\n\r\nsomething is broken\r\n');
      const untitled = await cli.run(['case', 'new', '--from-eml', noSubject]);
      expect(untitled.code).toBe(2);
      expect(untitled.stderr).toContain('has no Subject: give the case a title with --title');
      expect((await cli.run(['case', 'new'])).stderr).toContain('give the case a title with --title');
      // Nothing was opened by the refusals.
      const { cases } = await cli.json<{ cases: { title: string }[] }>(['case', 'list']);
      expect(cases.map((c) => c.title).sort()).toEqual([
        'Dashboard XSS',
        'Header smuggling in the HTTPProxy – tenant escape',
        'XSS in the dashboard',
      ]);
    },
    SLOW,
  );
});
