/**
 * Issue 14, item 5: the reporter portal withheld only exact spellings of the codename and the ids (8 of
 * 14 spellings reached the reporter), and mails to the reporter were not checked at all. Now both
 * use the leak guard's normalising matcher: the portal blanks every spelling out, and the lint refuses
 * a reporter's mail that carries what the playbook keeps from the reporter before publication.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PORTAL_TOKEN_HEADER } from '../../src/server/routes/portal.js';
import { client, startApp, userWithToken, type TestApp } from '../support/app.js';
import { storeFactories } from '../support/databases.js';

const GHSA = 'GHSA-qv9m-wx4c-7f2h';
const CVE = 'CVE-2026-31337';

describe.each(storeFactories())('what the reporter must not get ($name)', ({ open }) => {
  let t: TestApp;
  let team: ReturnType<typeof client>;
  let caseId: string;
  let codename: string;

  beforeAll(async () => {
    t = await startApp(open);
    team = client(t.server, (await userWithToken(t.app, 'root', 'admin')).token);
    // The portal shows the reporter's own report (issue 13, item 4): the id spellings are in it.
    const created = await team.post('/api/v1/reports/import', {
      title: 'Spellings',
      description: reportText(),
      reporter: { name: 'Rea', contact: 'rea@example.org' },
    });
    caseId = created.body.id;
    codename = created.body.codename;
    expect((await team.patch(`/api/v1/cases/${caseId}`, { ghsaId: GHSA, cveId: CVE })).status).toBe(200);
  });
  afterAll(() => t.close());

  /** The ids' spellings (indices 5 to 13 of the finding): a reporter may write any of them. */
  const ID_SPELLINGS = [
    GHSA,
    GHSA.toLowerCase(),
    GHSA.replaceAll('-', ' '),
    `https://github.com/projectcontour/contour/security/advisories/${GHSA}`,
    CVE,
    CVE.replaceAll('-', '\u2013'),
    CVE.replaceAll('-', ' '),
    CVE.toLowerCase(),
    `CVE\u200b-2026-31337`,
  ];
  const reportText = () => ID_SPELLINGS.map((s, i) => `${i}: ${s}.`).join('\n');

  /** The 14 spellings of the finding, the codename's words taken from this case's codename. */
  const spellings = () => {
    const [first, second] = codename.split('-') as [string, string];
    const camel = `${first}${second[0]!.toUpperCase()}${second.slice(1)}`;
    return [codename, `${first}_${second}`, camel, `${first} ${second}`.toUpperCase(), `${first}\u200b-${second}`, ...ID_SPELLINGS];
  };

  it('withholds every spelling of the codename and of the ids from the portal (the finding)', async () => {
    const description = spellings()
      .map((s, i) => `${i}: ${s}.`)
      .join('\n');
    expect((await team.patch(`/api/v1/cases/${caseId}`, { description })).status).toBe(200);
    const link = await team.post(`/api/v1/cases/${caseId}/portal-link`, {});
    const secret = link.body.url.split('/portal/')[1];
    const view = await client(t.server).call('GET', '/api/v1/portal', undefined, { [PORTAL_TOKEN_HEADER]: secret });
    expect(view.status).toBe(200);
    const shown = view.body.case.description as string;
    // The reporter's own report, every id spelling withheld; the team's text (with the codename) never shown.
    expect(shown.split('\n')).toEqual(
      ID_SPELLINGS.map((s, i) => (s.startsWith('https://') ? `${i}: ${s.replace(GHSA, '[withheld]')}.` : `${i}: [withheld].`)),
    );
    const everything = JSON.stringify(view.body).toLowerCase();
    for (const word of [...codename.split('-'), 'qv9m', '31337']) expect(everything).not.toContain(word);
  });

  it('refuses a reporter mail that carries the codename, or an id the playbook keeps from the reporter', async () => {
    const send = (body: string) => team.post(`/api/v1/cases/${caseId}/messages`, { kind: 'reporter-ack', body, via: 'copy' });
    const refused = await send(
      `Hi Rea,\n\nwe call it ${codename.replace('-', '_')} internally; it is ${CVE.replaceAll('-', ' ')}.\n\nThe team`,
    );
    expect(refused.status).toBe(422);
    const rules = refused.body.error.details.findings.filter((f: { rule: string }) => f.rule === 'reporter-withheld');
    expect(rules).toHaveLength(2);
    expect(rules[0].message).toContain(`This names the case's codename ("${codename}", in some spelling)`);
    expect(rules[1].message).toContain("This names the case's CVE id; the Contour playbook does not let");
    // Contour lets the reporter's mails name the draft advisory they collaborate on.
    const allowed = await send(`Hi Rea,\n\nthe draft advisory is ${GHSA}.\n\nThe team`);
    expect(allowed.status).toBe(201);
  });

  it('lets the ids through once the advisory is published, but never the codename', async () => {
    expect((await team.patch(`/api/v1/cases/${caseId}`, { publishedAt: '2026-11-24T10:00:00Z' })).status).toBe(200);
    const send = (body: string) => team.post(`/api/v1/cases/${caseId}/messages`, { kind: 'reporter-ack', body, via: 'copy' });
    expect((await send(`Hi Rea,\n\nit is public as ${CVE}.\n\nThe team`)).status).toBe(201);
    expect((await send(`Hi Rea,\n\nthanks from team ${codename}.\n\nThe team`)).status).toBe(422);
  });
});
