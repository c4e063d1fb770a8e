/**
 * Two `embargo serve` processes on one PostgreSQL behind a round-robin proxy (a small Node proxy
 * here): a browser session opened through one instance works on the other, both outbox workers
 * deliver from the one outbox, and one instance killed with SIGKILL in the middle of a load of
 * changes and audited reads loses no acknowledged write, leaves no acknowledged read without its
 * record, sends no mail twice, and leaves an audit chain that verifies.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import path from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { addUser, createApiToken } from '../../src/app/accounts.js';
import { localActor } from '../../src/app/actor.js';
import { createApp } from '../../src/app/app.js';
import { configFromEnv } from '../../src/app/config.js';
import { freePort } from '../support/free-port.js';
import { getCase } from '../../src/store/cases.js';
import { listEvents, verifyChain } from '../../src/store/events.js';
import { enqueueMessage, listMessages } from '../../src/store/outbox.js';
import { openStore } from '../../src/store/store.js';
import { startSmtp, type TestSmtp } from '../support/smtp.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const pgUrl = process.env.EMBARGO_TEST_DATABASE_URL;
const MAILS = 20;
const PASSWORD = 'a long enough password';

/** Forwards each request to the next backend in turn; a backend that does not answer gives a 502. */
function roundRobinProxy(ports: number[]): Promise<{ url: string; served: number[]; close(): Promise<void> }> {
  let next = 0;
  const served = ports.map(() => 0);
  const server = http.createServer((req, res) => {
    const i = next++ % ports.length;
    const upstream = http.request({ host: '127.0.0.1', port: ports[i], method: req.method, path: req.url, headers: req.headers }, (up) => {
      served[i]!++;
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    upstream.on('error', () => {
      if (!res.headersSent) res.writeHead(502).end();
      else res.destroy();
    });
    req.pipe(upstream);
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
        served,
        close: () => new Promise<void>((r) => server.close(() => r())),
      }),
    ),
  );
}

const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) c.kill('SIGKILL');
});

async function startInstance(env: Record<string, string>): Promise<{ port: number; child: ChildProcess }> {
  const port = await freePort();
  let output = '';
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'serve', '--port', String(port)], {
    cwd: ROOT,
    env: { ...process.env, ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error(`server exited early: ${output}`);
    try {
      if ((await fetch(`http://127.0.0.1:${port}/api/v1/health`)).ok) return { port, child };
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`server did not come up: ${output}`);
}

describe.skipIf(!pgUrl)('two instances on one PostgreSQL behind a round-robin proxy', () => {
  it('share sessions and the outbox, and survive losing one instance mid-load', async () => {
    const schema = `emb_many_${randomBytes(5).toString('hex')}`;
    const admin = new pg.Client({ connectionString: pgUrl });
    await admin.connect();
    await admin.query(`create schema "${schema}"`);
    await admin.end();
    const url = new URL(pgUrl!);
    url.searchParams.set('options', `-c search_path=${schema}`);
    const storeOptions = { databaseUrl: pgUrl, schema };
    let smtp: TestSmtp | undefined;
    let proxy: Awaited<ReturnType<typeof roundRobinProxy>> | undefined;
    try {
      smtp = await startSmtp();
      // A user, a token and queued mails, made on the database before the instances start.
      const setupStore = await openStore(storeOptions);
      const app = await createApp(setupStore, configFromEnv({}));
      await addUser(app, localActor('test'), { username: 'many', password: PASSWORD });
      const { token } = await createApiToken(app, localActor('test'), { name: 'many', username: 'many' });
      await setupStore.write(async (tx) => {
        for (let i = 0; i < MAILS; i++) {
          await enqueueMessage(tx, {
            caseId: null,
            kind: 'notice',
            idempotencyKey: `many:${i}`,
            from: 'security@example.org',
            to: ['list@example.org'],
            subject: `Notice ${i}`,
            body: 'Embargoed text.\n',
            createdBy: 'test',
            now: new Date(),
          });
        }
      });
      await setupStore.close();

      const env = { DATABASE_URL: url.toString(), EMBARGO_SMTP_URL: smtp.url };
      const [a, b] = [await startInstance(env), await startInstance(env)];
      proxy = await roundRobinProxy([a!.port, b!.port]);
      const base = proxy.url;

      // A browser session opened through one instance is known to the other.
      const signIn = await fetch(`${base}/api/v1/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'many', password: PASSWORD }),
      });
      expect(signIn.status).toBe(200);
      const cookie = /embargo_session=[^;]+/.exec(String(signIn.headers.get('set-cookie')))![0];
      const { csrfToken } = (await signIn.json()) as { csrfToken: string };
      for (let i = 0; i < 4; i++) expect((await fetch(`${base}/api/v1/session`, { headers: { cookie } })).status).toBe(200);
      for (let i = 0; i < 2; i++) {
        const opened = await fetch(`${base}/api/v1/cases`, {
          method: 'POST',
          headers: { cookie, 'x-csrf-token': csrfToken, 'content-type': 'application/json' },
          body: JSON.stringify({ title: `from the browser ${i}` }),
        });
        expect(opened.status).toBe(201);
      }
      expect(proxy.served.every((n) => n >= 3)).toBe(true);

      // Writers open and change cases, readers read them; instance A dies in the middle.
      const acknowledged: { id: string; title: string; revision: number }[] = [];
      let reads = 0;
      let failures = 0;
      let stop = false;
      const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
      const writer = async (w: number) => {
        for (let i = 0; !stop; i++) {
          try {
            const res = await fetch(`${base}/api/v1/cases`, {
              method: 'POST',
              headers: auth,
              body: JSON.stringify({ title: `load ${w}-${i}` }),
            });
            if (res.status !== 201) throw new Error(`open answered ${res.status}`);
            const created = (await res.json()) as { id: string };
            const changed = await fetch(`${base}/api/v1/cases/${created.id}`, {
              method: 'PATCH',
              headers: auth,
              body: JSON.stringify({ title: `changed ${w}-${i}` }),
            });
            if (changed.status !== 200) throw new Error(`change answered ${changed.status}`);
            acknowledged.push((await changed.json()) as { id: string; title: string; revision: number });
            const read = await fetch(`${base}/api/v1/cases/${created.id}`, { headers: auth });
            if (read.status !== 200) throw new Error(`read answered ${read.status}`);
            reads++;
          } catch {
            // A request that reached the dead instance (or was cut off): not acknowledged.
            failures++;
          }
        }
      };
      const writers = Array.from({ length: 6 }, (_, w) => writer(w));
      while (acknowledged.length < 30) await new Promise((r) => setTimeout(r, 5));
      a!.child.kill('SIGKILL');
      await new Promise((r) => a!.child.once('exit', r));
      const atKill = acknowledged.length;
      while (acknowledged.length < atKill + 30) await new Promise((r) => setTimeout(r, 5));
      stop = true;
      await Promise.all(writers);
      expect(failures).toBeGreaterThan(0); // the kill really landed mid-load

      // Both workers had a go at the outbox: wait until it is done (B's next pass takes what A left).
      const after = await openStore(storeOptions);
      try {
        for (let i = 0; i < 200; i++) {
          const pending = (await listMessages(after.db, {})).filter((m) => m.status === 'queued' || m.status === 'sending');
          if (pending.length === 0) break;
          await new Promise((r) => setTimeout(r, 100));
        }
        for (const ack of acknowledged) {
          const stored = await getCase(after.db, ack.id);
          expect(stored?.title, ack.id).toBe(ack.title);
          expect(stored?.revision).toBe(ack.revision);
        }
        const readRecords = (await listEvents(after.db, { limit: 100_000 })).filter(
          (e) => e.action === 'case.read' && e.actor === 'many' && (e.details as { what?: string }).what === 'details',
        );
        expect(readRecords.length).toBeGreaterThanOrEqual(reads);
        expect(await verifyChain(after.db)).toMatchObject({ ok: true });

        const subjects = smtp.received.map((r) => r.parsed.subject);
        expect(new Set(subjects).size).toBe(subjects.length); // nothing twice
        const messages = await listMessages(after.db, {});
        expect(messages).toHaveLength(MAILS);
        // Each was sent once, or (killed between send and record) is `unknown` for a person to decide.
        for (const m of messages) expect(['sent', 'unknown']).toContain(m.status);
        const sent = (await listEvents(after.db, { limit: 100_000 })).filter((e) => e.action === 'message.sent');
        expect(sent).toHaveLength(messages.filter((m) => m.status === 'sent').length);
        expect(sent.length).toBeLessThanOrEqual(subjects.length);
        expect(sent.length).toBeGreaterThan(0);
      } finally {
        await after.close();
      }
    } finally {
      await proxy?.close();
      await smtp?.close();
      const c = new pg.Client({ connectionString: pgUrl });
      await c.connect();
      await c.query(`drop schema if exists "${schema}" cascade`);
      await c.end();
    }
  }, 120_000);
});
