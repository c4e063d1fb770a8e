/**
 * Every free-text field the web app renders, filled with an XSS corpus (through the public report
 * form's API, the case edit, a skip reason, an edited mail and the reason a report was closed), then shown in Chromium on the
 * dashboard and the case page (facts, checklist, composer, outbox, timeline and audit trail): no
 * script runs (no dialog, no marker set), no element from the payloads is in the DOM, and no
 * `javascript:` link exists.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localActor } from '../../src/app/actor.js';
import { listCasePage } from '../../src/app/cases.js';
import { launchChromium, openPage } from '../support/browser.js';
import { addWebUser, signIn } from '../support/web-flows.js';
import { startWebServer, type WebServer } from '../support/web-server.js';

/** Each payload, if it ever ran or became an element, would call alert, set window.__xss or leave a [data-xss] element. */
const XSS_CORPUS = [
  '<script data-xss>window.__xss=1;alert(1)</script>',
  '<img data-xss src=x onerror="window.__xss=1;alert(1)">',
  '"><svg data-xss onload=alert(1)>',
  "'><iframe data-xss src=javascript:alert(1)></iframe>",
  '<a data-xss href="javascript:alert(1)">click</a>',
  '[click me](javascript:window.__xss=1)',
  '[also](JaVaScRiPt:alert(1))',
  '![img](x" onerror="alert(1))',
  '<details data-xss open ontoggle=alert(1)>',
  '<style data-xss>body{display:none}</style>',
  '<math><mtext><table><mglyph><style><img data-xss src=x onerror=alert(1)>',
  '{{constructor.constructor("window.__xss=1")()}}',
  '<object data-xss data="javascript:alert(1)"></object>',
  'javascript:alert(1)',
];

const joined = (max: number) => XSS_CORPUS.join(' ').slice(0, max);

describe('XSS corpus in every free-text field the web app shows', () => {
  let web: WebServer;
  let browser: Browser;
  let caseId: string;

  beforeAll(async () => {
    web = await startWebServer();
    await addWebUser(web.app, 'ada', 'admin');
    // The public report form: title, description, reporter's name, contact and company.
    const report = await fetch(`${web.url}/api/v1/reports`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        title: joined(200),
        description: XSS_CORPUS.join('\n\n'),
        affectedVersions: joined(200),
        reporter: { name: joined(200), contact: 'rea@example.org', company: XSS_CORPUS[2] },
      }),
    });
    expect(report.status).toBe(201);
    const reported = (await report.json()) as { reference: string; portalUrl: string };
    // The form quotes a reference that reveals no count of cases; the team finds the case by it.
    caseId = JSON.parse((await listCasePage(web.app, localActor('test'), { q: reported.reference })).cases[0]!).id;
    // The reporter writes back through the portal.
    const reply = await fetch(`${web.url}/api/v1/portal/replies`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-portal-token': reported.portalUrl.split('/').pop()! },
      body: JSON.stringify({ body: XSS_CORPUS.join('\n') }),
    });
    expect(reply.status).toBeLessThan(300);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await web?.close();
  });

  /** What a payload would have left behind, if any ran or was parsed as markup. */
  const traces = (page: Page) =>
    page.evaluate(`({
      marker: window.__xss ?? null,
      injected: document.querySelectorAll('[data-xss], iframe, object, embed, svg[onload], img[onerror], details[ontoggle]').length,
      scripts: [...document.scripts].map((s) => s.src).filter((src) => !/\\/assets\\/index-[\\w-]+\\.js$/.test(src)),
      jsLinks: [...document.querySelectorAll('a[href]')].filter((a) => /^\\s*javascript:/i.test(a.getAttribute('href'))).length,
      styles: document.querySelectorAll('style').length,
    })`);

  it('runs nothing and injects nothing on the dashboard and the case page', async () => {
    const { page, problems } = await openPage(browser);
    const dialogs: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await signIn(page, web.url, 'ada');

    // The rest goes in through the page itself: workarounds and references, a skip reason, an edited mail.
    await page.getByRole('link', { name: caseId }).click();
    await page.getByRole('heading', { level: 1, name: new RegExp(caseId) }).waitFor();
    await page.getByRole('button', { name: 'Edit the facts' }).click();
    await page.getByLabel('Workarounds (Markdown)').fill(XSS_CORPUS.join('\n\n'));
    await page.getByLabel('Package name').fill(joined(500));
    await page.getByLabel('Package ecosystem').fill('npm');
    await page.getByRole('button', { name: 'Save the facts' }).click();
    await page.getByRole('button', { name: 'Edit the facts' }).waitFor();
    await page.getByRole('button', { name: 'Mark step 1 done' }).click();
    await page.getByRole('button', { name: 'Reopen step 1…' }).click();
    await page.getByLabel('Why reopen step 1?').fill(joined(2000));
    await page.getByRole('button', { name: 'Reopen step 1', exact: true }).click();
    await page.getByRole('button', { name: 'Mark step 1 done' }).waitFor();
    await page.getByLabel('Mail', { exact: true }).selectOption('reporter-ack');
    await page.getByRole('button', { name: 'Write from the template' }).click();
    await page.getByLabel('Body').fill(`${XSS_CORPUS.join('\n')}\n[fill in: <img data-xss src=x onerror=alert(1)>]`);
    await page.getByLabel('Subject').fill(joined(300));
    // The finding quotes the gap, payload and all, as text; then the mail goes without the gap.
    await page.getByRole('list', { name: 'Lint findings' }).getByText('[fill in: <img', { exact: false }).waitFor();
    expect(await traces(page)).toMatchObject({ marker: null, injected: 0 });
    await page.getByLabel('Body').fill(XSS_CORPUS.join('\n'));
    await page.getByRole('button', { name: 'Queue to copy into a web interface' }).click();
    await page.getByRole('status').waitFor();
    await page.getByRole('button', { name: 'Show the text to paste' }).click();
    await page.getByRole('region', { name: 'Text to paste' }).waitFor();
    // Who knows: a disclosure and a leak, every text field of each.
    await page.getByLabel('Told whom').fill(joined(200));
    await page.getByLabel('What they were told').fill(joined(2000));
    await page.getByRole('button', { name: 'Record the disclosure' }).click();
    await page.getByLabel('What leaked').fill(joined(2000));
    await page.getByLabel('Leaked to').fill(joined(500));
    await page.getByLabel('Reported by').fill(joined(200));
    await page.getByLabel('Follow-up').fill(joined(5000));
    await page.getByRole('button', { name: 'Record the leak' }).click();
    await page.getByRole('button', { name: 'Close the leak' }).waitFor();
    // The reporter's contact last: a contact that is no address stops mail to the reporter.
    await page.getByRole('button', { name: 'Edit the facts' }).click();
    await page.getByLabel('Reporter contact').fill(XSS_CORPUS[1]!);
    await page.getByRole('button', { name: 'Save the facts' }).click();
    await page.getByRole('button', { name: 'Edit the facts' }).waitFor();
    // Closed without an advisory, the reason a payload: shown on the case as text.
    await page.getByText('Close this report without an advisory…').click();
    await page.getByLabel('Reason, for the team and the audit log').fill(joined(2000));
    await page.getByLabel('Queue the mail that tells the reporter').uncheck();
    await page.getByRole('button', { name: `Close ${caseId}` }).click();
    await page.getByRole('region', { name: 'Closed without an advisory' }).getByText('<script data-xss>', { exact: false }).waitFor();
    await page.getByText(/^Audit trail \(/).click();

    // The text is there, shown as text (the reporter's reply too).
    expect(await page.getByRole('region', { name: 'Reporter portal' }).getByText('<script data-xss>', { exact: false }).count()).toBe(1);
    expect(await page.getByText('<script data-xss>', { exact: false }).count()).toBeGreaterThan(0);
    expect(await traces(page)).toEqual({ marker: null, injected: 0, scripts: [], jsLinks: 0, styles: 0 });

    await page.getByRole('link', { name: 'Dashboard' }).click();
    await page.getByRole('link', { name: caseId }).waitFor();
    expect(await page.getByText(XSS_CORPUS[0]!, { exact: false }).count()).toBeGreaterThan(0);
    expect(await traces(page)).toEqual({ marker: null, injected: 0, scripts: [], jsLinks: 0, styles: 0 });
    expect(dialogs).toEqual([]);
    expect(problems).toEqual([]);
  }, 60_000);
});
