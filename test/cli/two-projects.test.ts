/**
 * Two projects with different playbooks and different lists in one install (Contour and a
 * Kubernetes project), each with a case walked to publication and the retrospective through the real
 * CLI on one local database. Every mail goes to its own project's exact addresses (checked in the
 * outbox, then delivered over SMTP to a real server), the lint refuses the other project's list
 * address, the retrospective waits for an open leak incident to be closed, and the audit chain
 * verifies. (Need-to-know across projects: test/server/projects.test.ts.)
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApp } from '../../src/app/app.js';
import { configFromEnv } from '../../src/app/config.js';
import { deliverDueMessages } from '../../src/app/outbox-delivery.js';
import { createSmtpTransport, parseSmtpUrl } from '../../src/integrations/mail/smtp.js';
import { startSmtp } from '../support/smtp.js';
import { cliWith, tempDir } from './run-cli.js';

const PASSWORD = 'correct horse battery staple';
const K8S_LISTS = {
  distributors: 'distributors-announce@kubernetes.example',
  users: 'kubernetes-security-announce@kubernetes.example',
  security: 'security@kubernetes.example',
};
const CONTOUR_LISTS = {
  distributors: 'cncf-contour-distributors-announce@lists.cncf.io',
  users: 'cncf-contour-users@lists.cncf.io',
  security: 'cncf-contour-maintainers@lists.cncf.io',
};

interface StepView {
  id: string;
  status: string;
  confirmations: { id: string }[];
  unmet: string[];
}

describe('two projects in one install, each case walked to publication (local mode)', () => {
  let dir: string;
  let cli: ReturnType<typeof cliWith>;
  const nextYear = new Date().getUTCFullYear() + 1;

  beforeAll(async () => {
    dir = tempDir();
    cli = cliWith({ EMBARGO_DATA_DIR: dir, EMBARGO_PASSWORD: PASSWORD });
    await cli.ok(['user', 'add', '--username', 'root', '--admin']);
    const note = join(dir, 'note.txt');
    writeFileSync(note, 'This notice is embargoed until the date above. Share it only with those who must fix it.\n');
    const added = await cli.run([
      'project',
      'add',
      'kubernetes',
      '--name',
      'Kubernetes',
      '--playbook',
      'kubernetes',
      '--repository',
      'kubernetes/kubernetes',
      '--distributors-list',
      K8S_LISTS.distributors,
      '--users-list',
      K8S_LISTS.users,
      '--security-contact',
      K8S_LISTS.security,
      '--embargo-note-file',
      note,
      '--time-zone',
      'America/Los_Angeles',
    ]);
    expect(added.code, added.stderr).toBe(0);
    expect(added.stdout).toBe(
      'Added project kubernetes (Kubernetes), following the kubernetes playbook.\nAdd its members with: embargo project member add kubernetes USER [--admin]\n',
    );
    // One member in each project only.
    await cli.ok(['user', 'add', '--username', 'carl', '--project', 'contour']);
    await cli.ok(['user', 'add', '--username', 'kate', '--project', 'kubernetes']);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses a mistyped list address and an unknown project when they are configured, each with a sentence', async () => {
    const typo = await cli.run(['project', 'edit', 'kubernetes', '--distributors-list', 'distributors-announce@@kubernetes.example']);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toBe(
      'embargo: settings.distributorsList "distributors-announce@@kubernetes.example" is not a plain mail address like security@example.org\n',
    );
    const which = await cli.run(['case', 'new', '--title', 'Which one?']);
    expect(which.code).toBe(2);
    expect(which.stderr).toBe('embargo: name the project (--project): one of contour, kubernetes\n');
    const unknown = await cli.run(['case', 'new', '--title', 'x', '--project', 'gatekeeper']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toBe(
      'embargo: no project "gatekeeper"; an admin adds it with: embargo project add gatekeeper --name NAME --playbook PLAYBOOK\n',
    );
    const shown = (await cli.ok(['project', 'show', 'kubernetes'])).stdout;
    expect(shown).toMatch(/^\* distributors list +distributors-announce@kubernetes\.example$/m);
    expect(shown).toMatch(/^ {2}security tag +\[Security Advisory\]$/m);
  });

  /** Opens a case in the project and walks every step of its playbook in order; answers the mails queued. */
  async function walk(project: 'contour' | 'kubernetes') {
    const carriesCve = project === 'kubernetes';
    const { id } = await cli.json<{ id: string; playbook: string }>([
      'case',
      'new',
      '--project',
      project,
      '--title',
      `${project}: header smuggling in the route filter`,
      '--reporter-name',
      'Rita',
      '--reporter-contact',
      `rita.${project}@example.org`,
      '--json',
    ]);
    await cli.ok([
      'case',
      'edit',
      id,
      '--cvss',
      'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:N',
      '--cwe',
      'CWE-444',
      '--affected',
      '1.20.0..1.33.4',
      '--ghsa',
      project === 'contour' ? 'GHSA-x4mj-7f9g-29h4' : 'GHSA-2c7v-qcjp-4mg2',
      ...(carriesCve ? ['--cve', 'CVE-2026-41001'] : []),
    ]);
    await cli.ok(['case', 'plan', id, '--line', '1.33=1.33.4']);
    await cli.ok(['case', 'embargo', id, '--at', `${nextYear}-12-01 17:00`, '--tz', 'Europe/Berlin']);

    // What each step needs that is not a field: a mail queued, releases out, publication.
    const before: Record<string, () => Promise<unknown>> = {
      triage: () => send(id, 'reporter-ack'),
      'tell-reporter': () => send(id, 'reporter-draft-created'),
      'notify-distributors': () => send(id, 'distributors-notice'),
      'release-patches': () => cli.ok(['case', 'release', id, '1.33', '--tag', 'v1.33.4']),
      release: () => cli.ok(['case', 'release', id, '1.33', '--tag', 'v1.33.4']),
      'publish-advisory': () => publish(id, carriesCve),
      announce: () => publish(id, carriesCve),
      'announce-users': async () => {
        await send(id, 'users-announcement');
        await send(id, 'reporter-published');
      },
      'follow-up-distributors': () => send(id, 'distributors-followup'),
      // Kubernetes: the public announcement once the advisory is out.
      'cve-record': () => send(id, 'users-announcement'),
      // The retrospective does not close a case over an open leak: refused until it is closed with its follow-up.
      retrospective: async () => {
        const leak = await cli.json<{ id: string }>([
          'leak',
          'add',
          id,
          '--what',
          'the fix commit',
          '--to',
          'a public mirror',
          '--reported-by',
          'Rita',
          '--json',
        ]);
        const refused = await cli.run(['case', 'step', 'done', id, 'retrospective']);
        expect(refused.code).toBe(1);
        expect(refused.stderr).toContain(`leak incident ${leak.id.slice(0, 8)} ("the fix commit") is open; close it with its follow-up`);
        await cli.ok(['leak', 'update', id, leak.id.slice(0, 8), '--close', '--follow-up', 'the mirror took it down']);
        await cli.ok(['retro', 'write', id, '--notes', 'A mirror picked up the fix commit; ask mirrors to wait for the release.']);
      },
    };
    const { steps } = await cli.json<{ steps: StepView[] }>(['case', 'steps', id]);
    for (const step of steps) {
      await before[step.id]?.();
      const view = (await cli.json<{ steps: StepView[] }>(['case', 'steps', id])).steps.find((s) => s.id === step.id)!;
      const confirm = view.confirmations.flatMap((c) => ['--confirm', c.id]);
      const r = await cli.run(['case', 'step', 'done', id, step.id, ...confirm]);
      expect(r.code, `${project} ${step.id}: ${r.stderr}`).toBe(0);
    }
    const shown = await cli.json<{ case: { status: string; publishedAt: string | null } }>(['case', 'show', id]);
    return { id, closed: shown.case };
  }

  async function send(id: string, kind: string) {
    const r = await cli.run(['message', 'send', id, '--kind', kind, '--json']);
    expect(r.code, `${kind}: ${r.stdout}${r.stderr}`).toBe(0);
  }

  async function publish(id: string, hadCve: boolean) {
    if (!hadCve) await cli.ok(['case', 'edit', id, '--cve', 'CVE-2026-41246']);
    await cli.ok(['case', 'embargo', id, '--at', '2026-01-05 09:00', '--tz', 'Europe/Berlin', '--allow-past', 'a fixed date in this test']);
    await cli.ok(['case', 'edit', id, '--published', '2026-01-05T08:00:00Z']);
  }

  it('walks a Contour case and a Kubernetes case to the end, each mail to its own project', { timeout: 300_000 }, async () => {
    const contour = await walk('contour');
    const k8s = await walk('kubernetes');
    expect(contour.closed.status).toBe('closed');
    expect(k8s.closed.status).toBe('closed');

    const outbox = async (id: string) =>
      (await cli.json<{ messages: { kind: string; to: string[]; from: string }[] }>(['message', 'list', id])).messages;
    const recipients = (messages: { kind: string; to: string[] }[]) => Object.fromEntries(messages.map((m) => [m.kind, m.to]));
    expect(recipients(await outbox(contour.id))).toEqual({
      'reporter-ack': ['rita.contour@example.org'],
      'reporter-draft-created': ['rita.contour@example.org'],
      // The date moved after the notice: the reporter was told the new one (issue 13, item 5).
      'reporter-date-moved': ['rita.contour@example.org'],
      'distributors-notice': [CONTOUR_LISTS.distributors],
      'users-announcement': [CONTOUR_LISTS.users],
      'reporter-published': ['rita.contour@example.org'],
      'distributors-followup': [CONTOUR_LISTS.distributors],
    });
    const k8sMail = await outbox(k8s.id);
    expect(recipients(k8sMail)).toMatchObject({
      'distributors-notice': [K8S_LISTS.distributors],
      'users-announcement': [K8S_LISTS.users],
    });
    expect(new Set(k8sMail.map((m) => m.from))).toEqual(new Set([K8S_LISTS.security]));

    // The outbox delivers them over SMTP: the envelopes name exactly those addresses.
    const smtp = await startSmtp();
    const app = await openApp(configFromEnv({ EMBARGO_DATA_DIR: dir }));
    const transport = createSmtpTransport({ ...parseSmtpUrl(smtp.url), timeoutMs: 5_000 });
    try {
      await deliverDueMessages({ store: app.store, transport, workerId: 'w1', clock: () => new Date() });
      const envelopes = smtp.received.map((r) => `${r.envelope.from} -> ${r.envelope.to.join(',')}`);
      expect(envelopes).toContain(`${K8S_LISTS.security} -> ${K8S_LISTS.distributors}`);
      expect(envelopes).toContain(`${CONTOUR_LISTS.security} -> ${CONTOUR_LISTS.distributors}`);
      expect(envelopes.filter((e) => e.includes(CONTOUR_LISTS.distributors)).every((e) => !e.startsWith(K8S_LISTS.security))).toBe(true);
    } finally {
      transport.close();
      await smtp.close();
      await app.store.close();
    }

    // The lint refuses the other project's list address on a Kubernetes mail.
    const draft = join(dir, 'notice.txt');
    writeFileSync(draft, 'Subject: [Security Advisory] test\n\nbody\n');
    const linted = await cli.run([
      'message',
      'lint',
      draft,
      '--kind',
      'distributors-notice',
      '--project',
      'kubernetes',
      '--to',
      CONTOUR_LISTS.distributors,
    ]);
    expect(linted.code).toBe(1);
    expect(linted.stdout).toContain(`${CONTOUR_LISTS.distributors} is not a configured address`);

    const verify = await cli.run(['audit', 'verify']);
    expect(verify.code).toBe(0);
  });
});
