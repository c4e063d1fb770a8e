/**
 * The periodic advisory sync: open cases with a GitHub advisory are read with their ETag (a 304
 * costs nothing, against the fake GitHub that checks every request against GitHub's OpenAPI), a CVE
 * id GitHub assigned lands on the case, and the team is told once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syncOpenAdvisories } from '../../src/app/background.js';
import { fanOutEvents } from '../../src/app/notification-sources.js';
import { listMessages } from '../../src/store/outbox.js';
import { storeFactories } from '../support/databases.js';
import { type AdvisoryWorld, advisoryWorld, REPO } from './advisory-support.js';

describe.each(storeFactories())('advisory sync job ($name)', ({ open }) => {
  let w: AdvisoryWorld;
  beforeAll(async () => {
    w = await advisoryWorld(open);
    await w.connect();
    w.t.app.config.smtpUrl = 'smtp://127.0.0.1:9'; // notification mail is queued only when it can go
  });
  afterAll(() => w.close());

  it('finds the CVE id GitHub assigned, with conditional requests, and tells the team once', async () => {
    const kase = await w.newCase();
    const pushed = await w.alice.post(`/api/v1/cases/${kase.id}/advisory/push`, {});
    expect(pushed.status, JSON.stringify(pushed.body)).toBe(200);
    const ghsaId = pushed.body.ghsaId as string;
    expect(
      (await w.alice.put('/api/v1/users/alice/notifications', { mail: { address: 'alice@example.org', events: ['cve-assigned'] } })).status,
    ).toBe(200);
    while ((await fanOutEvents(w.t.app)) > 0) {}

    expect(await syncOpenAdvisories(w.t.app)).toEqual({ synced: 1, skipped: 0 });
    expect(await syncOpenAdvisories(w.t.app)).toEqual({ synced: 1, skipped: 0 });
    const last = w.fake.requests.at(-1)!;
    expect([last.status, Boolean(last.headers['if-none-match'])]).toEqual([304, true]);

    w.fake.changeOnGitHub(REPO, ghsaId, { cve_id: 'CVE-2026-55555' });
    await syncOpenAdvisories(w.t.app);
    expect((await w.admin.get(`/api/v1/cases/${kase.id}`)).body.cveId).toBe('CVE-2026-55555');
    await fanOutEvents(w.t.app);
    await syncOpenAdvisories(w.t.app);
    await fanOutEvents(w.t.app);
    const mails = (await w.t.app.store.read((db) => listMessages(db, {}))).filter(
      (m) => m.kind === 'notification' && m.to.includes('alice@example.org'),
    );
    expect(mails.map((m) => m.subject)).toEqual([`[Embargo] GitHub assigned a CVE id to the advisory of ${kase.id} (${kase.codename})`]);
    expect(mails[0]!.body).not.toContain('CVE-2026-55555');
  });
});
