/**
 * In Chromium, against a real server: the first admin comes in through the printed setup link, signs
 * out and in again, and sees the dashboard; every page passes axe-core and raises no CSP violation.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localActor } from '../../src/app/actor.js';
import { createCase, editCase } from '../../src/app/cases.js';
import { issueSetupLink } from '../../src/app/setup.js';
import { setupUrl } from '../../src/boot/serve.js';
import { launchChromium, openPage, screenshot, seriousAxeFindings } from '../support/browser.js';
import { startWebServer, type WebServer } from '../support/web-server.js';

describe('first run and sign-in in Chromium', () => {
  let web: WebServer;
  let browser: Browser;
  beforeAll(async () => {
    web = await startWebServer();
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await web?.close();
  });

  it('sets up the first admin from the one-time link, then signs out and in', async () => {
    const { page, problems, context } = await openPage(browser);
    await page.goto(web.url);
    await expect.poll(() => page.getByRole('heading', { name: 'Sign in' }).count()).toBe(1);
    expect(await page.getByText('Nobody is set up yet').count()).toBe(1);
    expect(await seriousAxeFindings(page)).toEqual([]);

    const link = (await issueSetupLink(web.app))!;
    await page.goto(setupUrl(web.url, link.secret));
    await page.getByLabel('Username').fill('ada');
    await page.getByLabel('Display name').fill('Ada Admin');
    await page.getByLabel('Password', { exact: true }).fill('a long enough password');
    await page.getByLabel('Repeat the password').fill('a long enough password');
    expect(await seriousAxeFindings(page)).toEqual([]);
    await screenshot(page, 'setup');
    await page.getByRole('button', { name: 'Create the admin and sign in' }).click();
    await page.getByRole('heading', { name: 'Cases' }).waitFor();
    // The secret left the address bar with the page it opened.
    expect(page.url()).toBe(`${web.url}/`);
    expect(await page.getByText('Ada Admin (admin)').count()).toBe(1);

    // The link is spent: opening it again says so.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await page.goto(setupUrl(web.url, link.secret));
    await page.getByRole('heading', { name: 'Embargo is already set up' }).waitFor();

    await page.goto(web.url);
    await page.getByLabel('Username').fill('ada');
    await page.getByLabel('Password').fill('wrong password here');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toBe('wrong username or password');
    await page.getByLabel('Password').fill('a long enough password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Cases' }).waitFor();
    expect(problems).toEqual([]);
    await context.close();
  }, 60_000);

  it('works with the keyboard alone: sign in, open a case, mark a step done', async () => {
    const admin = localActor('ada');
    const c = await createCase(web.app, admin, { title: 'Keyboard case', reporter: { name: 'Rea', contact: 'rea@example.org' } });
    const { page, problems, context } = await openPage(browser);
    await page.goto(web.url);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await page.keyboard.press('Tab');
    await page.keyboard.type('ada');
    await page.keyboard.press('Tab');
    await page.keyboard.type('a long enough password');
    await page.keyboard.press('Enter');
    await page.getByRole('link', { name: c.id }).waitFor();
    const focusOn = async (text: string) => {
      for (let i = 0; i < 40; i++) {
        await page.keyboard.press('Tab');
        if ((await page.evaluate('document.activeElement?.textContent')) === text) return;
      }
      throw new Error(`Tab never reached "${text}"`);
    };
    await focusOn(c.id);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: new RegExp(c.id) }).waitFor();
    await focusOn('Mark step 1 done');
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: 'Reopen step 1…' }).waitFor();
    expect(problems).toEqual([]);
    await context.close();
  }, 60_000);

  it('shows the dashboard: severity, next step and what blocks it, the embargo in both zones; filters and search', async () => {
    const admin = localActor('ada');
    const a = await createCase(web.app, admin, { title: 'Header injection in HTTPProxy' });
    await editCase(web.app, admin, a.id, { cvss: ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H'] });
    const b = await createCase(web.app, admin, { title: 'Slow loris on the admin port' });
    const { page, problems, context } = await openPage(browser);
    await page.goto(web.url);
    await page.getByLabel('Username').fill('ada');
    await page.getByLabel('Password').fill('a long enough password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('link', { name: a.id }).waitFor();
    const row = page.getByRole('row').filter({ hasText: a.id });
    expect(await row.getByText('9.8 CRITICAL').count()).toBe(1);
    expect(await row.getByText('Record the vulnerability report').count()).toBe(1);
    expect(await page.getByRole('row').filter({ hasText: b.id }).getByText('not scored').count()).toBe(1);
    expect(await seriousAxeFindings(page)).toEqual([]);
    await screenshot(page, 'dashboard');

    await page.getByLabel('Search').fill('loris');
    await expect.poll(() => page.getByRole('link', { name: a.id }).count()).toBe(0);
    expect(await page.getByRole('link', { name: b.id }).count()).toBe(1);
    await page.getByLabel('Search').fill('');
    await page.getByLabel('Severity').selectOption('CRITICAL');
    await expect.poll(() => page.getByRole('link', { name: b.id }).count()).toBe(0);
    expect(await page.getByRole('link', { name: a.id }).count()).toBe(1);

    // A phone-sized screen shows the same cases, readable without sideways scrolling.
    await page.setViewportSize({ width: 390, height: 800 });
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    await screenshot(page, 'dashboard-390');
    expect(problems).toEqual([]);
    await context.close();
  }, 60_000);
});
