/**
 * Issue 14, item 9: the public form answered with the case id, and ids are sequential, so anyone
 * learned how many cases exist (reports 0016 -> 0020 around three private cases). The form, the
 * portal and the reporter's mails now quote a reference that is a keyed hash of the case id; the
 * team finds the case by it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PORTAL_TOKEN_HEADER } from '../../src/server/routes/portal.js';
import { client, startApp, userWithToken, type TestApp } from '../support/app.js';
import { storeFactories } from '../support/databases.js';

const report = (n: number) => ({
  title: `Report ${n}`,
  description: 'Found it.',
  reporter: { name: 'Ada', contact: 'ada@example.org' },
});

describe.each(storeFactories())('a reporter reference that reveals no count ($name)', ({ open }) => {
  let t: TestApp;
  let team: ReturnType<typeof client>;
  let outsider: ReturnType<typeof client>;
  const answers: { reference: string; portalUrl: string; message: string }[] = [];

  beforeAll(async () => {
    t = await startApp(open);
    team = client(t.server, (await userWithToken(t.app, 'root', 'admin')).token);
    outsider = client(t.server, (await userWithToken(t.app, 'mallory', 'member')).token);
    const anonymous = client(t.server);
    answers.push((await anonymous.post('/api/v1/reports', report(1))).body);
    // Private cases opened by the team between two reports.
    for (const title of ['Private one', 'Private two', 'Private three']) await team.post('/api/v1/cases', { title });
    answers.push((await anonymous.post('/api/v1/reports', report(2))).body);
  });
  afterAll(() => t.close());

  it('answers the form with a reference and a link, neither of which holds the case id (the finding)', () => {
    for (const a of answers) {
      expect(a.reference).toMatch(/^R-[0-9A-Z]{5}-[0-9A-Z]{5}$/);
      expect(JSON.stringify(a)).not.toMatch(/EMB-\d{4}-\d{4}/);
      expect(a.message).toContain(a.reference);
    }
    expect(answers[0]!.reference).not.toBe(answers[1]!.reference);
  });

  it('lets the team find the case by the reference, in any case of letters; an outsider finds nothing', async () => {
    const found = await team.get(`/api/v1/cases?q=${answers[1]!.reference.toLowerCase()}`);
    expect(found.body.cases.map((c: { title: string }) => c.title)).toEqual(['Report 2']);
    expect((await outsider.get(`/api/v1/cases?q=${answers[1]!.reference}`)).body.cases).toEqual([]);
    expect((await team.get('/api/v1/cases?q=R-00000-00000')).body.cases).toEqual([]);
  });

  it('shows the same reference in the portal and in the mails to the reporter, never the case id', async () => {
    const secret = answers[1]!.portalUrl.split('/portal/')[1]!;
    const view = await client(t.server).call('GET', '/api/v1/portal', undefined, { [PORTAL_TOKEN_HEADER]: secret });
    expect(view.body.case.reference).toBe(answers[1]!.reference);
    const id = (await team.get(`/api/v1/cases?q=${answers[1]!.reference}`)).body.cases[0].id;
    const mail = await team.post(`/api/v1/cases/${id}/messages`, { kind: 'reporter-ack', via: 'copy' });
    expect(mail.status).toBe(201);
    expect(mail.body.message.subject).toContain(answers[1]!.reference);
    expect(`${mail.body.message.subject}\n${mail.body.message.body}`).not.toContain(id);
  });
});
