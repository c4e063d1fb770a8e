/**
 * The whole Contour case in the browser alone, against a real server on SQLite with the outbox
 * delivering to a real SMTP sink: from the public report form, through every checklist step with
 * its gates, the facts, the CVSS calculator, the CWE picker and the composer's live lint, to the
 * retrospective. Screenshots of the dashboard, the case page, the composer showing a lint error and
 * the refused publish go to test-artifacts/; axe-core runs on each page.
 */
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, openPage, screenshot, seriousAxeFindings } from '../support/browser.js';
import { startSmtp, type TestSmtp } from '../support/smtp.js';
import { addWebUser, signIn, stepItem } from '../support/web-flows.js';
import { startWebServer, type WebServer } from '../support/web-server.js';

describe('a Contour case in Chromium, report to retrospective', () => {
  let web: WebServer;
  let smtp: TestSmtp;
  let browser: Browser;
  beforeAll(async () => {
    smtp = await startSmtp();
    web = await startWebServer({ env: { EMBARGO_SMTP_URL: smtp.url } });
    await addWebUser(web.app, 'ada', 'admin', 'Ada Admin');
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await web?.close();
    await smtp?.close();
  });

  /** Ticks every attestation of step N (each an explicit checkbox), then marks it done. */
  const done = async (page: Page, number: number) => {
    const item = stepItem(page, number);
    for (const box of await item.getByRole('checkbox').all()) await box.check();
    await item.getByRole('button', { name: `Mark step ${number} done` }).click();
    await item.getByText('done', { exact: true }).waitFor();
  };

  /** Writes a mail from its template in the composer and sends it (or queues it for copying). */
  const sendMail = async (page: Page, kind: string, via: 'smtp' | 'copy' = 'smtp') => {
    await page.getByLabel('Mail', { exact: true }).selectOption(kind);
    await page.getByRole('button', { name: 'Write from the template' }).click();
    await page.getByLabel('Body').waitFor();
    const findings = page.getByRole('list', { name: 'Lint findings' });
    if (await findings.count()) expect(await findings.textContent()).not.toMatch(/error/);
    if (via === 'smtp') await page.getByRole('button', { name: 'Send', exact: true }).click();
    else await page.getByRole('button', { name: 'Queue to copy into a web interface' }).click();
    await page.getByRole('status').filter({ hasText: 'Queued' }).waitFor();
  };

  const delivered = async (count: number) => {
    await expect.poll(() => smtp.received.length, { timeout: 10_000 }).toBe(count);
    // The worker marks the case's message sent right after the SMTP answer; give it that moment.
    await new Promise((resolve) => setTimeout(resolve, 300));
  };

  it('walks the case through the UI alone', async () => {
    const { page, problems } = await openPage(browser);

    // The reporter uses the public form.
    await page.goto(`${web.url}/report`);
    await page.getByLabel('Short title').fill('Header injection in HTTPProxy');
    await page.getByLabel('What did you find?').fill('A crafted header reaches the upstream unchanged.\n\nSteps: …');
    await page.getByLabel('Your name').fill('Rea Porter');
    await page.getByLabel('Your e-mail address').fill('rea@example.org');
    await page.getByRole('button', { name: 'Send report' }).click();
    await page.getByRole('heading', { name: 'Thank you' }).waitFor();

    // The team sees it on the dashboard and opens it.
    await signIn(page, web.url, 'ada');
    const caseLink = page.getByRole('link', { name: /^EMB-\d{4}-\d{4}$/ });
    await caseLink.waitFor();
    const caseId = (await caseLink.textContent())!;
    expect(await page.getByRole('row').filter({ hasText: caseId }).getByText('new report via the report form').count()).toBe(1);
    await screenshot(page, 'contour-dashboard');
    await caseLink.click();
    await page.getByRole('heading', { level: 1, name: new RegExp(caseId) }).waitFor();
    expect(page.url()).toBe(`${web.url}/cases/${caseId}`);
    expect(await seriousAxeFindings(page)).toEqual([]);

    // 1. The report is recorded (title and reporter came from the form).
    await done(page, 1);

    // 2. Triage: the acknowledgement to the reporter, the affected range and the release plan.
    expect(await stepItem(page, 2).getByText('a reporter-ack message').count()).toBeGreaterThanOrEqual(0);
    // The reporter's words stay in the original report; the advisory's description is the team's.
    await page.getByRole('region', { name: 'Facts' }).getByText('Original report (from the report form)').click();
    await page.getByText('A crafted header reaches the upstream unchanged.', { exact: false }).first().waitFor();
    await page.getByRole('button', { name: 'Edit the facts' }).click();
    await page.getByLabel('Description (Markdown)').fill('An HTTPProxy header is forwarded to the upstream without validation.');
    await page.getByLabel('Affected ranges').fill('1.19.0..1.28.3');
    await page.getByLabel('Package ecosystem').fill('Go');
    await page.getByLabel('Package name').fill('github.com/projectcontour/contour');
    await page.getByLabel('Description (Markdown)').fill('A crafted header reaches the upstream unchanged.');
    await page.getByRole('button', { name: 'Save the facts' }).click();
    await page.getByText('1.19.0 → 1.28.3').waitFor();
    await page.getByLabel('Release lines').fill('1.28=1.28.3');
    await page.getByRole('button', { name: 'Save the release plan' }).click();
    await page.getByRole('button', { name: 'Record 1.28.3 as released' }).waitFor();

    await sendMail(page, 'reporter-ack');
    await delivered(1);
    expect(smtp.received[0]!.envelope.to).toEqual(['rea@example.org']);
    await page.reload();
    await done(page, 2);

    // 3. The advisory draft: CVSS from the calculator's buttons, kept in sync with the vector text.
    for (const [metric, value] of [
      ['Attack Vector', 'N'],
      ['Attack Complexity', 'L'],
      ['Privileges Required', 'N'],
      ['User Interaction', 'N'],
      ['Scope', 'U'],
      ['Confidentiality', 'H'],
      ['Integrity', 'H'],
      ['Availability', 'N'],
    ]) {
      await page.getByRole('radio', { name: `${metric}: ${value}`, exact: true }).check();
    }
    const vector = page.getByLabel('CVSS 3.1 vector');
    expect(await vector.inputValue()).toBe('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:N');
    await page.getByText('Score 9.1 CRITICAL').waitFor();
    await vector.fill('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:L');
    expect(await page.getByRole('radio', { name: 'Availability: L', exact: true }).isChecked()).toBe(true);
    await page.getByText('Score 9.4 CRITICAL').waitFor();
    await vector.fill('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H');
    await page.getByText('is missing base metric A (Availability)', { exact: false }).waitFor();
    expect(await page.getByRole('button', { name: 'Save the CVSS 3.1 vector' }).isDisabled()).toBe(true);
    await vector.fill('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:L');
    await page.getByRole('button', { name: 'Save the CVSS 3.1 vector' }).click();
    await page.getByRole('button', { name: 'Remove the CVSS 3.1 vector' }).waitFor();
    // The CWE picker searches MITRE's catalogue by other names too, and shows MITRE's usage guidance.
    await page.getByLabel('Search CWE').fill('CRLF');
    const hits = page.getByRole('list', { name: 'CWE search results' });
    await hits.getByRole('button', { name: 'Add CWE-113' }).waitFor();
    expect(await hits.textContent()).toMatch(/MITRE: (Allowed|Discouraged|Prohibited)/);
    await hits.getByRole('button', { name: 'Add CWE-113' }).click();
    await page.getByRole('button', { name: 'Remove CWE-113' }).waitFor();
    await page.getByRole('button', { name: 'Edit the facts' }).click();
    await page.getByLabel('GHSA id').fill('GHSA-r9gv-j93p-c6f4');
    await page.getByRole('button', { name: 'Save the facts' }).click();
    await page.getByRole('region', { name: 'Facts' }).getByText('GHSA GHSA-r9gv-j93p-c6f4').waitFor();
    await done(page, 3);

    // 4. No private fork for this one: skipped, with the reason.
    await stepItem(page, 4).getByRole('button', { name: 'Skip step 4…' }).click();
    await page.getByLabel('Why skip step 4?').fill('The fix is a one-liner; no fork needed');
    await page.getByRole('button', { name: 'Skip step 4', exact: true }).click();
    await stepItem(page, 4).getByText('The fix is a one-liner; no fork needed', { exact: false }).waitFor();

    // 5 and 6: keep the draft, tell the reporter.
    await done(page, 5);
    await sendMail(page, 'reporter-draft-created');
    await delivered(2);
    await page.reload();
    await done(page, 6);

    // 7. The embargoed notice to the distributors: the live lint catches a CVE id where it must not be.
    const embargoEnds = new Date(Date.now() + 10 * 86_400_000);
    const local = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Berlin', year: 'numeric', month: '2-digit', day: '2-digit' }).format(
      embargoEnds,
    );
    await page.getByLabel('Embargo ends (local time)').fill(`${local} 17:00`);
    await page.getByLabel('Agreed time zone').fill('Europe/Berlin');
    await page.getByRole('button', { name: 'Set the embargo' }).click();
    await page.getByText(`${local} 17:00 Europe/Berlin`).first().waitFor();
    await page.getByLabel('Mail', { exact: true }).selectOption('distributors-notice');
    await page.getByRole('button', { name: 'Write from the template' }).click();
    const body = page.getByLabel('Body');
    const template = await body.inputValue();
    await body.fill(`This fixes CVE-2026-12345.\n${template}`);
    const findings = page.getByRole('list', { name: 'Lint findings' });
    await findings.getByText(/CVE-2026-12345/).waitFor();
    expect(await findings.textContent()).toContain('body line 1, column 12');
    // The line itself, with the offending text marked.
    expect(await page.getByRole('list', { name: 'Lines with findings' }).locator('mark').first().textContent()).toBe('CVE-2026-12345.');
    expect(await page.getByRole('button', { name: 'Send', exact: true }).isDisabled()).toBe(true);
    await findings.getByRole('button', { name: 'body line 1, column 12' }).click();
    expect(await body.evaluate((el: any) => el.selectionStart)).toBe(11);
    await screenshot(page, 'composer-lint-error');
    await body.fill(template);
    await page.getByRole('button', { name: 'Queue to copy into a web interface' }).click();
    await page.getByRole('status').filter({ hasText: 'Queued for copying' }).waitFor();
    await page.getByRole('button', { name: 'Show the text to paste' }).click();
    const paste = page.getByRole('region', { name: 'Text to paste' });
    expect(await paste.textContent()).toContain('cncf-contour-distributors-announce@lists.cncf.io');
    await page.getByRole('button', { name: /^Mark “.*” as sent$/ }).click();
    await page
      .getByText(/— sent at/)
      .first()
      .waitFor();
    await done(page, 7);

    // 8. The patch is released.
    await page.getByRole('button', { name: 'Record 1.28.3 as released' }).click();
    await page.getByText(/as v1\.28\.3$/).waitFor();
    await done(page, 8);

    // 9. Publishing is refused while the embargo holds (and without a CVE id), each reason listed.
    const publish = stepItem(page, 9);
    expect(await publish.getByRole('button', { name: 'Mark step 9 done' }).isDisabled()).toBe(true);
    expect(await publish.getByRole('list').last().textContent()).toMatch(/embargo ends/);
    await publish.scrollIntoViewIfNeeded();
    await screenshot(page, 'refused-publish');
    web.setNow(new Date(embargoEnds.getTime() + 86_400_000));
    // Sessions follow the server's clock: the jump ended this one.
    await signIn(page, web.url, 'ada');
    await page.goto(`${web.url}/cases/${caseId}`);
    await page.getByRole('button', { name: 'Edit the facts' }).click();
    await page.getByLabel('CVE id').fill('CVE-2026-12345');
    await page.getByRole('button', { name: 'Save the facts' }).click();
    await page.getByRole('region', { name: 'Facts' }).getByText('CVE CVE-2026-12345').waitFor();
    await done(page, 9);

    // 10-12: announce, follow up, retrospective.
    await sendMail(page, 'users-announcement');
    await sendMail(page, 'reporter-published');
    await delivered(4);
    await page.reload();
    await done(page, 10);
    await sendMail(page, 'distributors-followup');
    await delivered(5);
    await page.reload();
    await done(page, 11);
    // The retrospective step waits for the retrospective's notes, written in its panel beside the timeline.
    expect(await stepItem(page, 12).getByRole('button', { name: 'Mark step 12 done' }).isDisabled()).toBe(true);
    const retro = page.getByRole('region', { name: 'Retrospective' });
    await retro.getByText('Timeline, notes and action items').click();
    await retro.getByRole('cell', { name: 'reported', exact: true }).waitFor();
    expect(await retro.getByRole('row').count()).toBeGreaterThan(5);
    await retro.getByLabel('Notes: what went well, what to change').fill('The notice went out on time.');
    await retro.getByRole('button', { name: 'Save the notes' }).click();
    await retro.getByText('Written by ada', { exact: false }).waitFor();
    await retro.getByRole('textbox', { name: 'Action item' }).fill('Script the distributors notice');
    await retro.getByRole('button', { name: 'Add the action item' }).click();
    await retro.getByRole('button', { name: 'Done: Script the distributors notice' }).click();
    await retro.getByText('— done by ada', { exact: false }).waitFor();
    await done(page, 12);
    await page.getByText('closed', { exact: true }).first().waitFor();

    // Who knows: a disclosure by phone and a leak, recorded and closed.
    const whoKnows = page.getByRole('region', { name: 'Who knows' });
    await whoKnows.getByLabel('Told whom').fill('Dana from the packaging team');
    await whoKnows.getByLabel('What they were told').fill('The patch date, to prepare the package');
    await whoKnows.getByLabel('How').selectOption('phone');
    await whoKnows.getByLabel('They accepted the embargo terms').check();
    await whoKnows.getByRole('button', { name: 'Record the disclosure' }).click();
    await whoKnows.getByText('Dana from the packaging team').waitFor();
    await whoKnows.getByLabel('What leaked').fill('The fix commit message named the header');
    await whoKnows.getByLabel('Leaked to').fill('the public pull request');
    await whoKnows.getByLabel('Reported by').fill('Ada');
    await whoKnows.getByRole('button', { name: 'Record the leak' }).click();
    await whoKnows.getByRole('button', { name: 'Close the leak' }).click();
    await whoKnows.getByText(/^closed The fix commit message/).waitFor();

    // A leak-guard term for the case.
    await page.getByLabel('Term to guard').fill('rewriteRequestHeaders');
    await page.getByRole('button', { name: 'Add the term' }).click();
    await page.getByRole('button', { name: 'Remove “rewriteRequestHeaders”' }).waitFor();

    // The access list, the reporter's portal link and the exports.
    await addWebUser(web.app, 'bob', 'member');
    await page.getByLabel('Username to add').fill('bob');
    await page.getByRole('button', { name: 'Add to the case' }).click();
    await page.getByRole('button', { name: 'Remove bob' }).waitFor();
    await page.getByRole('button', { name: 'Issue a new portal link' }).click();
    expect(await page.getByRole('status').filter({ hasText: 'The new link' }).textContent()).toMatch(/\/portal\/rpt_/);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download OSV' }).click()]);
    const osv = JSON.parse(readFileSync((await download.path())!, 'utf8'));
    expect(osv.aliases).toContain('CVE-2026-12345');
    expect(download.suggestedFilename()).toBe(`${caseId}.osv.json`);
    expect(await seriousAxeFindings(page)).toEqual([]);
    await screenshot(page, 'contour-case');
    // Readable on a phone: nothing wider than the screen.
    await page.setViewportSize({ width: 390, height: 800 });
    const widest = `[...document.querySelectorAll('body *')].filter((e) => e.getBoundingClientRect().right > 391).map((e) => e.tagName + ' ' + (e.textContent || '').slice(0, 40))`;
    expect(await page.evaluate(widest)).toEqual([]);
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    await screenshot(page, 'contour-case-390');
    expect(problems).toEqual([]);
  }, 120_000);
});
