/**
 * The unhappy paths in Chromium, in the UI alone once the case exists: a report rejected (the
 * reporter told from the template, the case closed) and reopened by an admin; a release recorded
 * under the wrong tag, warned about, corrected and undone; a distributor's objection recorded and
 * the date agreed over it with the objection said as a warning. axe-core runs on each state.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../../src/app/accounts.js';
import { localActor } from '../../src/app/actor.js';
import { launchChromium, openPage, seriousAxeFindings } from '../support/browser.js';
import { addWebUser, signIn } from '../support/web-flows.js';
import { startWebServer, type WebServer } from '../support/web-server.js';

describe('unhappy paths in Chromium', () => {
  let web: WebServer;
  let browser: Browser;
  let token: string;
  beforeAll(async () => {
    web = await startWebServer();
    await addWebUser(web.app, 'ada', 'admin', 'Ada Admin');
    token = (await createApiToken(web.app, localActor('test'), { name: 'setup', username: 'ada' })).token;
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await web?.close();
  });

  /** The API as ada, to set up what the UI then works on. */
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${web.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const answer = (await res.json()) as Record<string, any>;
    expect(res.status, JSON.stringify(answer)).toBeLessThan(300);
    return answer;
  };

  const openCase = async (page: Page, caseId: string) => {
    await page.goto(`${web.url}/cases/${caseId}`);
    await page.getByRole('heading', { level: 1, name: new RegExp(caseId) }).waitFor();
  };

  it('rejects a report as out of scope, tells the reporter, and an admin reopens it', async () => {
    const c = await call('POST', '/api/v1/cases', {
      title: 'Dashboard shows the version',
      reporter: { name: 'Rae Porter', contact: 'rae@example.org' },
    });
    const { page, context, problems } = await openPage(browser);
    await signIn(page, web.url, 'ada');
    await openCase(page, c.id);

    const outcome = page.getByRole('region', { name: 'Outcome' });
    await outcome.getByText('Close this report without an advisory…').click();
    const form = outcome.getByRole('form', { name: 'Close the report' });
    await form.getByLabel('Rejected: no advisory').check();
    await form.getByLabel('Why it is rejected').selectOption('out-of-scope');
    await form.getByLabel('Reason, for the team and the audit log').fill('The version banner is documented and public.');
    expect(await form.getByLabel('Queue the mail that tells the reporter').isChecked()).toBe(true);
    await form.getByRole('button', { name: `Close ${c.id}` }).click();

    const closed = page.getByRole('region', { name: 'Closed without an advisory' });
    await closed.getByText('Rejected: no advisory (out of scope)').waitFor();
    expect(await closed.getByRole('status').textContent()).toContain('rae@example.org');
    const after = await call('GET', `/api/v1/cases/${c.id}`);
    expect(after.resolution).toMatchObject({ outcome: 'rejected', category: 'out-of-scope', by: 'ada' });
    const messages = await call('GET', `/api/v1/cases/${c.id}/messages`);
    expect(messages.messages.map((m: { kind: string }) => m.kind)).toContain('reporter-closed');
    expect(await seriousAxeFindings(page)).toEqual([]);

    await closed.getByLabel('Why reopen it?').fill('The reporter sent a second, real issue in the same report.');
    await closed.getByRole('button', { name: `Reopen ${c.id}` }).click();
    await page.getByRole('region', { name: 'Outcome' }).getByText('Close this report without an advisory…').waitFor();
    expect((await call('GET', `/api/v1/cases/${c.id}`)).resolution ?? null).toBeNull();
    expect(problems).toEqual([]);
    await context.close();
  }, 60_000);

  it('warns about a wrong tag, corrects it, undoes a release, and shows how to verify', async () => {
    const c = await call('POST', '/api/v1/cases', { title: 'Tag mix-up' });
    await call('PUT', `/api/v1/cases/${c.id}/release-plan`, {
      lines: [{ line: '1.28', version: '1.28.3', latest: 'v1.28.2', plannedAt: '2026-12-10T09:00:00Z' }],
    });
    const { page, context, problems } = await openPage(browser);
    await signIn(page, web.url, 'ada');
    await openCase(page, c.id);

    const plan = page.getByRole('region', { name: 'Release plan' });
    const row = await plan.getByRole('row').filter({ hasText: '1.28.3' }).textContent();
    expect(row).toContain('v1.28.2');
    expect(row).toContain('2026-12-10 09:00');
    const release = plan.getByRole('form', { name: 'Release of 1.28' });
    await release.getByLabel('Tag of 1.28.3').fill('v1.28.9');
    await release.getByRole('button', { name: 'Record 1.28.3 as released' }).click();
    await plan.getByText('Check: the tag v1.28.9 does not name the planned version 1.28.3 of line 1.28').waitFor();
    expect(await plan.getByText(`npx embargo plan verify --case ${c.id} --repo PATH --fix FIX_COMMIT --tag v1.28.9`).count()).toBe(1);

    await plan.getByText('Correct or undo a recorded release…').click();
    const correct = plan.getByRole('form', { name: 'Correct a release' });
    await correct.getByLabel('Right tag').fill('v1.28.3');
    await correct.getByLabel('Why, for the audit log').fill('Typed the wrong patch number.');
    await correct.getByRole('button', { name: 'Save the correction' }).click();
    await plan.getByText(/as v1\.28\.3$/).waitFor();
    expect(await plan.getByText(/does not name the planned version/).count()).toBe(0);
    const events = await call('GET', `/api/v1/cases/${c.id}/events`);
    expect(events.events.find((e: { action: string }) => e.action === 'release.corrected')?.details).toMatchObject({
      tag: 'v1.28.3',
      previous: { tag: 'v1.28.9' },
      reason: 'Typed the wrong patch number.',
    });

    // The form stays open after a correction.
    const undo = plan.getByRole('form', { name: 'Correct a release' });
    await undo.getByLabel('It is not released yet').check();
    await undo.getByLabel('Why, for the audit log').fill('The release job failed; nothing shipped.');
    await undo.getByRole('button', { name: 'Save the correction' }).click();
    await plan.getByRole('button', { name: 'Record 1.28.3 as released' }).waitFor();
    expect(await seriousAxeFindings(page)).toEqual([]);
    expect(problems).toEqual([]);
    await context.close();
  }, 60_000);

  it('records an objection and an agreement, and agrees the date over the objection with a warning', async () => {
    const c = await call('POST', '/api/v1/cases', { title: 'Date under discussion' });
    await call('PUT', `/api/v1/cases/${c.id}/embargo`, { endsAt: '2027-01-20 17:00', timeZone: 'Europe/Berlin' });
    await call('POST', '/api/v1/distributors', { project: 'contour', organisation: 'Example Linux', contact: 'sec@example-linux.org' });
    await call('POST', '/api/v1/distributors', { project: 'contour', organisation: 'Other BSD', contact: 'sec@other-bsd.org' });
    const { page, context, problems } = await openPage(browser);
    await signIn(page, web.url, 'ada');
    await openCase(page, c.id);

    const whoKnows = page.getByRole('region', { name: 'Who knows' });
    await whoKnows.getByText('Other BSD objects…').click();
    await whoKnows.getByLabel('Why Other BSD objects').fill('Our release freeze ends on the 22nd.');
    await whoKnows.getByRole('button', { name: 'Record the objection' }).click();
    await whoKnows.getByText('“Our release freeze ends on the 22nd.”', { exact: false }).waitFor();
    await whoKnows.getByRole('button', { name: 'Example Linux agrees' }).click();
    await expect
      .poll(async () => (await call('GET', `/api/v1/cases/${c.id}/acks`)).members.map((m: { state: string }) => m.state).sort())
      .toEqual(['ack', 'objection']);

    await whoKnows.getByRole('button', { name: 'Mark the embargo date as agreed' }).click();
    const warnings = whoKnows.getByRole('list', { name: 'Agreement warnings' });
    await warnings.getByText('Other BSD objected to this date: Our release freeze ends on the 22nd.').waitFor();
    await whoKnows.getByText('Agreed by ada', { exact: false }).waitFor();
    expect(await seriousAxeFindings(page)).toEqual([]);
    expect(problems).toEqual([]);
    await context.close();
  }, 60_000);
});
