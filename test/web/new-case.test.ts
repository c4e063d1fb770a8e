/**
 * Opening cases from the team's side in Chromium: a report taken by phone (title, reporter), a report
 * mail (.eml) previewed then imported, a case file picked from disk, a case file that names an existing case (it updates that one), and the
 * GitHub import refused with a sentence while the project has no connection.
 */
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, openPage, seriousAxeFindings } from '../support/browser.js';
import { addWebUser, signIn } from '../support/web-flows.js';
import { startWebServer, type WebServer } from '../support/web-server.js';

const FIXTURES = path.join(import.meta.dirname, '../fixtures/eml');
const CASE_FILE = `title: Lua code injection via Cookie Path Rewrite Policy
package: {ecosystem: Go, name: github.com/projectcontour/contour}
cwe: [CWE-94]
affected:
  - {introduced: 1.33.0, fixed: 1.33.4}
reporter: {name: Rosalind Quill, credit: anonymous, contact: rosalind@example.org}
`;

describe('opening a case in Chromium', () => {
  let web: WebServer;
  let browser: Browser;
  beforeAll(async () => {
    web = await startWebServer();
    await addWebUser(web.app, 'ada', 'admin');
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await web?.close();
  });

  it('opens a case from a phone call and from a report mail, imports a case file from disk and updates a case from one', async () => {
    const { page, context, problems } = await openPage(browser);
    await signIn(page, web.url, 'ada');
    await page.getByRole('link', { name: 'New case' }).click();
    await page.getByRole('heading', { level: 1, name: 'New case' }).waitFor();
    expect(await seriousAxeFindings(page)).toEqual([]);

    const open = page.getByRole('form', { name: 'Open a case' });
    await open.getByLabel('Title').fill('Reported by phone: header smuggling');
    await open.getByLabel("Reporter's name").fill('Pat Caller');
    await open.getByLabel("Reporter's private contact").fill('pat@example.org');
    await open.getByRole('button', { name: 'Open the case' }).click();
    const first = page.getByRole('heading', { level: 1, name: /^EMB-\d{4}-\d{4}/ });
    await first.waitFor();
    const phoned = /EMB-\d{4}-\d{4}/.exec((await first.textContent())!)![0];
    await page.getByText('Reported by phone: header smuggling').first().waitFor();
    const stored = await web.app.store.read((db) =>
      db.selectFrom('cases').select(['id', 'state']).where('id', '=', phoned).executeTakeFirst(),
    );
    expect(JSON.parse(String(stored!.state)).reporter).toMatchObject({ name: 'Pat Caller', contact: 'pat@example.org' });

    // A report mail: read by the server and shown first, stored only when the case is opened.
    await page.goto(`${web.url}/cases/new`);
    await page.getByLabel('Report mail (.eml)').setInputFiles(path.join(FIXTURES, 'report-multipart.eml'));
    const fromMail = page.getByRole('form', { name: 'Open a case from the mail' });
    await fromMail.getByText('Ada Loveláce <ada.lovelace@example.org>', { exact: false }).waitFor();
    expect(await fromMail.getByText('poc.py, poc.yaml', { exact: false }).count()).toBe(1);
    expect(await fromMail.getByLabel('Case title').inputValue()).toBe('Header smuggling in the HTTPProxy – tenant escape');
    const before = await web.app.store.read((db) => db.selectFrom('cases').select('id').execute());
    await fromMail.getByRole('button', { name: 'Open the case from this mail' }).click();
    await page.getByText('Original report (by mail)').click();
    const mailed = /EMB-\d{4}-\d{4}/.exec((await page.getByRole('heading', { level: 1 }).textContent())!)![0];
    expect(before.map((c) => c.id)).not.toContain(mailed);
    await page.getByText('<CAF3x9q+report-1@mail.example.org>').waitFor();
    expect(
      await page.getByRole('region', { name: 'Facts' }).getByText('ada.lovelace@example.org; credit: named', { exact: false }).count(),
    ).toBe(1);
    // A file that is no mail is refused with a sentence.
    await page.goto(`${web.url}/cases/new`);
    await page.getByLabel('Report mail (.eml)').setInputFiles(path.join(FIXTURES, 'not-a-mail.eml'));
    await expect
      .poll(() => page.getByRole('region', { name: 'Import a report mail' }).getByRole('alert').textContent())
      .toMatch(/^not a mail/);

    await page.goto(`${web.url}/cases/new`);
    const importing = page.getByRole('form', { name: 'Import a case file' });
    await importing
      .getByLabel('Case file (YAML or JSON)')
      .setInputFiles({ name: 'case.yaml', mimeType: 'text/yaml', buffer: Buffer.from(CASE_FILE) });
    await expect.poll(() => importing.getByLabel('Case file text').inputValue()).toBe(CASE_FILE);
    await importing.getByRole('button', { name: 'Import the case file' }).click();
    await page.getByText('Lua code injection via Cookie Path Rewrite Policy').first().waitFor();
    const imported = /EMB-\d{4}-\d{4}/.exec((await page.getByRole('heading', { level: 1 }).textContent())!)![0];
    expect(imported).not.toBe(phoned);

    // A file naming a case the viewer may see updates it instead of opening another.
    await page.goto(`${web.url}/cases/new`);
    await page.getByLabel('Case file text').fill(`id: ${phoned}\ntitle: Header smuggling in HTTPProxy\n`);
    await page.getByRole('button', { name: 'Import the case file' }).click();
    // Waits for the case page itself: the title alone could match before the page has moved on.
    await page.waitForURL(`${web.url}/cases/${phoned}`);
    await page.getByText('Header smuggling in HTTPProxy', { exact: true }).first().waitFor();

    // A broken file is refused with the parser's sentence; nothing opens.
    await page.goto(`${web.url}/cases/new`);
    await page.getByLabel('Case file text').fill('title: [unclosed\n');
    await page.getByRole('button', { name: 'Import the case file' }).click();
    const refusal = page.getByRole('region', { name: 'Import a case file' }).getByRole('alert');
    await expect.poll(() => refusal.textContent()).toMatch(/^line 2: the case file is not valid YAML or JSON/);
    expect(page.url()).toBe(`${web.url}/cases/new`);

    // No GitHub connection yet: the import says so.
    await page.getByRole('button', { name: 'Import new private reports' }).click();
    const github = page.getByRole('region', { name: 'Private reports on GitHub' }).getByRole('alert');
    await expect.poll(() => github.textContent()).toMatch(/^project contour has no GitHub connection/);
    // The browser logs each refused request; nothing else went wrong.
    expect(problems).toEqual([
      'console: Failed to load resource: the server responded with a status of 400 (Bad Request)',
      'console: Failed to load resource: the server responded with a status of 400 (Bad Request)',
      'console: Failed to load resource: the server responded with a status of 409 (Conflict)',
    ]);
    await context.close();
  }, 60_000);
});
