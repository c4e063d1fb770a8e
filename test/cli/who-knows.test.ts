/**
 * The who-knows commands as people run them: the distributors list, the register built from a real
 * outbox row, disclosures, answers on the date and the agreement, leaks; locally and through --server.
 */
import { rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, createApiToken } from '../../src/app/accounts.js';
import { localActor } from '../../src/app/actor.js';
import { openApp, type App } from '../../src/app/app.js';
import { configFromEnv } from '../../src/app/config.js';
import { buildServer } from '../../src/server/server.js';
import { enqueueMessage, markCopied, markMessageSent } from '../../src/store/outbox.js';
import { cliWith, tempDir } from './run-cli.js';

const LIST = 'cncf-contour-distributors-announce@lists.cncf.io';
/** Each test runs the CLI a dozen times as a child process; on a busy two-core machine that takes a while. */
const SLOW = 120_000;

/** A distributors notice of the case, sent now through the list's web interface. */
async function sendNotice(app: App, caseId: string): Promise<string> {
  return app.store.write(async (tx) => {
    const { message } = await enqueueMessage(tx, {
      caseId,
      kind: 'distributors-notice',
      idempotencyKey: `distributors-notice:${caseId}:cli-test`,
      from: 'cncf-contour-maintainers@lists.cncf.io',
      to: [LIST],
      subject: '#security Upcoming security release',
      body: 'The notice.',
      createdBy: 'test',
      now: new Date(),
    });
    await markCopied(tx, message.id);
    await markMessageSent(tx, message.id, 'test', new Date());
    return message.id;
  });
}

describe('embargo distributor / register / ack / agree / leak (local database)', () => {
  let dir: string;
  let cli: ReturnType<typeof cliWith>;
  let id: string;

  beforeAll(async () => {
    dir = tempDir('embargo-cli-register-');
    cli = cliWith({ EMBARGO_DATA_DIR: dir });
    id = (await cli.json<{ id: string }>(['case', 'new', '--title', 'Cookie path rewrite'])).id;
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it(
    'manages the list and builds the register from a sent notice',
    async () => {
      const alpha = await cli.json<{ id: string; criteria: string[]; termsAcceptedAt: string }>([
        'distributor',
        'add',
        '--organisation',
        'Alpha Linux',
        '--contact',
        'security@alpha.example',
        '--criterion',
        'actively maintained distribution',
        '--criterion',
        'has a security contact',
        '--vouched-by',
        'root',
        '--terms-accepted',
        'now',
      ]);
      expect(alpha.criteria).toEqual(['actively maintained distribution', 'has a security contact']);
      expect(alpha.termsAcceptedAt).toMatch(/^\d{4}-/);
      const beta = await cli.ok(['distributor', 'add', '--organisation', 'Beta OS', '--contact', 'psirt@beta.example']);
      expect(beta.stdout).toMatch(/^Added Beta OS <psirt@beta\.example> to the distributors list of contour \(id [0-9a-f-]{36}\)\.\n/);
      expect(beta.stderr).toBe('');
      expect(beta.stdout).toContain(
        'They have not accepted the embargo terms yet; record it when they do: embargo distributor update "Beta OS" --terms-accepted now',
      );
      const dup = await cli.run(['distributor', 'add', '--organisation', 'Beta again', '--contact', 'psirt@beta.example']);
      expect(dup.code).toBe(1);
      expect(dup.stderr).toBe('embargo: psirt@beta.example is already on the list for Beta OS\n');

      const list = await cli.ok(['distributor', 'list']);
      expect(list.stdout.split('\n')[0]).toMatch(/^ORGANISATION +CONTACT +TERMS ACCEPTED +CRITERIA +VOUCHED BY +ADDED +ID$/);
      expect(list.stdout).toMatch(/Beta OS +psirt@beta\.example +not yet/);

      const app = await openApp(configFromEnv({ EMBARGO_DATA_DIR: dir }));
      try {
        await sendNotice(app, id);
      } finally {
        await app.store.close();
      }
      await cli.ok(['disclose', id, '--to', 'Sam at Epsilon', '--what', 'the affected versions', '--channel', 'phone', '--accepted-terms']);

      const reg = await cli.ok(['register', id]);
      const lines = reg.stdout.trimEnd().split('\n');
      expect(lines[0]).toMatch(/^WHEN +WHO +HOW +TERMS +WHAT$/);
      expect(lines.pop()).toBe('Known to 3: Alpha Linux, Beta OS, Sam at Epsilon.');
      expect(lines.slice(1).map((l) => l.replace(/^\S+ \S+ UTC +/, '').replace(/ {2,}/g, ' | '))).toEqual([
        'Alpha Linux | list mail (distributors-notice) | accepted | #security Upcoming security release',
        'Beta OS | list mail (distributors-notice) | NOT accepted | #security Upcoming security release',
        'Sam at Epsilon | phone | accepted | the affected versions',
      ]);
      expect(reg.stderr).toContain('1 receipt by people who had not accepted the embargo terms');
      const json = await cli.json<{ entries: { who: string; source: string }[]; listAddresses: string[] }>(['register', id]);
      expect(json.listAddresses).toEqual([LIST]);
      expect(json.entries.map((e) => e.source)).toEqual(['distributors-list', 'distributors-list', 'disclosure']);
    },
    SLOW,
  );

  it(
    'refuses answers and agreement while there is no date',
    async () => {
      const early = await cli.run(['ack', id, 'alpha linux']);
      expect(early.code).toBe(1);
      expect(early.stderr).toMatch(/^embargo: case EMB-\d{4}-\d{4} has no proposed disclosure date yet; set the embargo first/);
      const noAgree = await cli.run(['agree', id]);
      expect(noAgree.code).toBe(1);
      expect(noAgree.stderr).toMatch(/no embargo to agree on/);
    },
    SLOW,
  );

  it(
    'records acks and objections on the date and says who has not answered',
    async () => {
      await cli.ok([
        'case',
        'embargo',
        id,
        '--at',
        '2026-12-01 17:00',
        '--tz',
        'Europe/Berlin',
        '--allow-past',
        'a fixed date in this test',
      ]);
      const ack = await cli.ok(['ack', id, 'ALPHA LINUX', '--note', 'fine for us']);
      expect(ack.stdout).toBe(
        `Recorded the ack of Alpha Linux on ${ack.stdout.match(/on (.*)\.\n/)![1]}.\nNot answered on this date: Beta OS.\n`,
      );
      const noReason = await cli.run(['ack', id, 'psirt@beta.example', '--objection', '  ']);
      expect(noReason.code).toBe(2);
      expect(noReason.stderr).toMatch(/objection needs a reason/);
      const unknown = await cli.run(['ack', id, 'Gamma']);
      expect(unknown.code).toBe(1);
      expect(unknown.stderr).toBe('embargo: no member of the distributors list is "Gamma"; see embargo distributor list\n');
      await cli.ok(['ack', id, 'psirt@beta.example', '--objection', 'our freeze ends Dec 3']);

      const acks = await cli.ok(['acks', id]);
      expect(acks.stdout).toContain('Proposed disclosure: 2026-12-01 17:00 Europe/Berlin');
      expect(acks.stdout).toMatch(/Alpha Linux +ack +fine for us/);
      expect(acks.stdout).toMatch(/Beta OS +objection +our freeze ends Dec 3/);
      expect(acks.stdout).toContain('Every member has answered on this date.');
    },
    SLOW,
  );

  it(
    'agrees the date with warnings, and shows answers as stale once it moves',
    async () => {
      const agreed = await cli.run(['agree', id]);
      expect(agreed.code).toBe(0);
      expect(agreed.stdout).toMatch(
        new RegExp(`^Agreed disclosure time of ${id}: 2026-12-01 17:00 Europe/Berlin \\(by local:\\S+, .+\\)\\.\\n$`),
      );
      expect(agreed.stderr).toBe('embargo: warning: Beta OS objected to this date: our freeze ends Dec 3\n');

      // The date moves: the answers are stale and the agreement no longer holds.
      await cli.ok([
        'case',
        'embargo',
        id,
        '--at',
        '2026-12-03 17:00',
        '--tz',
        'Europe/Berlin',
        '--allow-past',
        'a fixed date in this test',
      ]);
      const moved = await cli.json<{ agreement: unknown; notAnswered: string[]; members: { state: string }[] }>(['acks', id]);
      expect(moved.agreement).toBeNull();
      expect(moved.notAnswered).toEqual(['Alpha Linux', 'Beta OS']);
      expect(moved.members.map((m) => m.state)).toEqual(['stale', 'stale']);
      expect((await cli.ok(['acks', id])).stdout).toMatch(/Alpha Linux +stale \(ack on 2026-12-01 17:00 Europe\/Berlin\)/);
      // The case itself says who has not answered on the date it now proposes.
      const shown = (await cli.ok(['case', 'show', id])).stdout;
      expect(shown).toContain('Distributors: 0 of 2 acknowledged the date\n');
      expect(shown).toContain('  Not answered on this date: Alpha Linux, Beta OS.\n');
      const cleared = await cli.json<{ members: { state: string }[] }>(['ack', id, 'Alpha Linux', '--clear']);
      expect(cleared.members[0]!.state).toBe('no-answer');
    },
    SLOW,
  );

  it(
    'walks a leak and keeps removed members in the history',
    async () => {
      const leak = await cli.json<{ id: string; status: string }>([
        'leak',
        'add',
        id,
        '--what',
        'the fix commit',
        '--to',
        'a public chat',
        '--reported-by',
        'Beta OS',
      ]);
      expect(leak.status).toBe('open');
      const updated = await cli.ok(['leak', 'update', id, leak.id.slice(0, 8), '--follow-up', 'asked for deletion', '--close']);
      expect(updated.stdout).toBe(
        `Leak ${leak.id.slice(0, 8)} (closed): the fix commit → a public chat; reported by Beta OS ${updated.stdout.match(/Beta OS (.* UTC)/)![1]}.\n  follow-up: asked for deletion\n`,
      );
      const list = await cli.ok(['leak', 'list', id]);
      expect(list.stdout).toMatch(
        new RegExp(`^${leak.id.slice(0, 8)} +closed +the fix commit +a public chat +.+ by Beta OS +asked for deletion$`, 'm'),
      );
      expect((await cli.run(['leak', 'update', id, leak.id.slice(0, 8)])).code).toBe(2);

      await cli.ok(['distributor', 'remove', 'Beta OS']);
      expect((await cli.ok(['distributor', 'list'])).stdout).not.toContain('Beta OS');
      expect((await cli.ok(['distributor', 'list', '--all'])).stdout).toMatch(/Beta OS .+ UTC +[0-9a-f-]{36}$/m);
      // The notice went out while Beta was a member: the register still names them.
      const reg = await cli.json<{ entries: { who: string }[] }>(['register', id]);
      expect(reg.entries.map((e) => e.who)).toContain('Beta OS');
    },
    SLOW,
  );
});

describe('embargo who-knows commands with --server', () => {
  let serverDir: string;
  let app: App;
  let server: Awaited<ReturnType<typeof buildServer>>;
  let admin: ReturnType<typeof cliWith>;
  let member: ReturnType<typeof cliWith>;

  beforeAll(async () => {
    serverDir = tempDir('embargo-server-register-');
    app = await openApp(configFromEnv({ EMBARGO_DATA_DIR: serverDir }));
    await addUser(app, null, { username: 'root', password: 'correct horse battery staple', role: 'admin' });
    await addUser(app, localActor('test'), { username: 'bob', password: 'correct horse battery staple', role: 'member' });
    const rootToken = (await createApiToken(app, localActor('test'), { name: 't', username: 'root' })).token;
    const bobToken = (await createApiToken(app, localActor('test'), { name: 't', username: 'bob' })).token;
    server = await buildServer(app, { logger: false });
    await server.listen({ host: '127.0.0.1', port: 0 });
    const url = `http://127.0.0.1:${(server.server.address() as AddressInfo).port}`;
    const empty = tempDir('embargo-cli-empty-');
    admin = cliWith({ EMBARGO_DATA_DIR: empty, EMBARGO_SERVER: url, EMBARGO_TOKEN: rootToken });
    member = cliWith({ EMBARGO_DATA_DIR: empty, EMBARGO_SERVER: url, EMBARGO_TOKEN: bobToken });
  });
  afterAll(async () => {
    await server?.close();
    await app?.store.close();
    rmSync(serverDir, { recursive: true, force: true });
  });

  it(
    'lets admins manage the list, hides cases from outsiders, and agrees through the API',
    async () => {
      const refused = await member.run(['distributor', 'add', '--organisation', 'X', '--contact', 'x@x.example']);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toBe('embargo: only an admin of project contour can do this\n');
      await admin.ok(['distributor', 'add', '--organisation', 'Alpha Linux', '--contact', 'security@alpha.example']);
      expect(
        (await member.json<{ distributors: { organisation: string }[] }>(['distributor', 'list'])).distributors.map((d) => d.organisation),
      ).toEqual(['Alpha Linux']);

      const id = (await admin.json<{ id: string }>(['case', 'new', '--title', 'Remote who-knows'])).id;
      await sendNotice(app, id);
      const hidden = await member.run(['register', id]);
      expect(hidden.code).toBe(1);
      expect(hidden.stderr).toBe(`embargo: case ${id} not found\n`);
      const reg = await admin.json<{ entries: { who: string; acceptedTerms: boolean }[] }>(['register', id]);
      expect(reg.entries).toMatchObject([{ who: 'Alpha Linux', acceptedTerms: false }]);

      await admin.ok(['case', 'embargo', id, '--at', '2026-12-01 17:00', '--tz', 'UTC', '--allow-past', 'a fixed date in this test']);
      const agreed = await admin.run(['agree', id]);
      expect(agreed.code).toBe(0);
      expect(agreed.stderr).toBe('embargo: warning: 1 member has not answered on this date: Alpha Linux\n');
      const again = await admin.json<{ alreadyAgreed: boolean; agreement: { agreedBy: string } }>(['agree', id]);
      expect(again).toMatchObject({ alreadyAgreed: true, agreement: { agreedBy: 'root' } });
    },
    SLOW,
  );
});
