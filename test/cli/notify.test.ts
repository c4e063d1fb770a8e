/** `embargo case clocks`, `notify` and `calendar` on the local database. */
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliWith, tempDir } from './run-cli.js';

const SLOW = 120_000;

describe('embargo case clocks / notify / calendar (local database)', () => {
  let dir: string;
  let cli: ReturnType<typeof cliWith>;
  let id: string;

  beforeAll(async () => {
    dir = tempDir('embargo-cli-notify-');
    cli = cliWith({ EMBARGO_DATA_DIR: dir });
    await cli.ok(['user', 'add', '--username', 'alice', '--password-stdin'], { input: 'correct horse battery staple\n' });
    id = (await cli.json<{ id: string }>(['case', 'new', '--title', 'Cookie path rewrite'])).id;
  }, SLOW);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it(
    'shows the clocks in case clocks and case show',
    async () => {
      const clocks = await cli.json<{ clocks: { id: string; status: string }[] }>(['case', 'clocks', id]);
      expect(clocks.clocks.find((k) => k.id === 'acknowledge')?.status).toBe('due');
      const text = (await cli.ok(['case', 'clocks', id])).stdout;
      expect(text).toMatch(/· due +Acknowledge the reporter — due \d{4}-\d{2}-\d{2} 00:00 UTC \(in \d+ (days|hours)\)/);
      expect((await cli.ok(['case', 'show', id])).stdout).toContain('Clocks (UTC)');
    },
    SLOW,
  );

  it(
    'sets and shows notification choices, and refuses a bad kind with exit 2',
    async () => {
      const set = await cli.json(['notify', 'set', 'alice', '--mail', 'alice@example.org', '--mail-events', 'new-report,clock-overdue']);
      expect(set).toMatchObject({ mail: { address: 'alice@example.org', events: ['new-report', 'clock-overdue'] } });
      const hook = await cli.json(
        ['notify', 'set', 'alice', '--webhook', 'https://hooks.example.org/x', '--webhook-secret-stdin', '--webhook-events', 'all'],
        {
          input: 'a-key-of-sixteen-or-more\n',
        },
      );
      expect(hook).toMatchObject({ webhook: { url: 'https://hooks.example.org/x', hasSecret: true } });
      const bad = await cli.run(['notify', 'set', 'alice', '--mail-events', 'everything']);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toContain('"everything" is not a notification kind');
    },
    SLOW,
  );

  it(
    'creates, lists and revokes a calendar feed',
    async () => {
      const feed = await cli.json<{ id: string; url: string }>(['calendar', 'create', 'alice']);
      expect(feed.url).toMatch(/\/calendar\/cal_[A-Za-z0-9_-]+\.ics$/);
      expect((await cli.json<{ id: string }[]>(['calendar', 'list', 'alice'])).map((f) => f.id)).toEqual([feed.id]);
      expect((await cli.ok(['calendar', 'revoke', 'alice', feed.id])).stdout).toContain(`Revoked calendar feed ${feed.id}.`);
      expect((await cli.run(['calendar', 'revoke', 'alice', feed.id])).code).toBe(1);
    },
    SLOW,
  );
});
