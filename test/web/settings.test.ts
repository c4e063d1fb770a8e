/** The settings page in Chromium: API tokens (shown once, revoked), users and GitHub logins, the distributors list, playbooks; a member sees only their tokens. */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, openPage, seriousAxeFindings } from '../support/browser.js';
import { addWebUser, signIn, WEB_PASSWORD } from '../support/web-flows.js';
import { startWebServer, type WebServer } from '../support/web-server.js';

describe('settings in Chromium', () => {
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

  it('lets an admin manage tokens, users and the distributors list', async () => {
    const { page, problems, context } = await openPage(browser);
    await signIn(page, web.url, 'ada');
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('heading', { level: 1, name: 'Settings' }).waitFor();

    await page.getByLabel('Token name').fill('laptop');
    await page.getByRole('button', { name: 'Create the token' }).click();
    const shown = await page.getByRole('status').filter({ hasText: 'shown only now' }).locator('code').textContent();
    expect(shown).toMatch(/^emb_/);
    const whoAmI = await fetch(`${web.url}/api/v1/session`, { headers: { authorization: `Bearer ${shown}` } });
    expect(whoAmI.status).toBe(200);
    await page.getByRole('button', { name: 'Revoke laptop' }).click();
    await page.getByText(/laptop .*revoked/).waitFor();
    expect((await fetch(`${web.url}/api/v1/session`, { headers: { authorization: `Bearer ${shown}` } })).status).toBe(401);

    await page.getByLabel('New username').fill('bea');
    await page.getByLabel('Their password').fill(WEB_PASSWORD);
    await page.getByRole('button', { name: 'Add the user' }).click();
    const login = page.getByRole('form', { name: 'GitHub login of bea' });
    await login.getByRole('textbox', { name: 'GitHub login of bea' }).fill('bea-gh');
    await login.getByRole('button', { name: 'Save the login' }).click();
    await expect
      .poll(
        async () =>
          (await web.app.store.read((db) => db.selectFrom('users').select(['username', 'github_login']).execute())).find(
            (u) => u.username === 'bea',
          )?.github_login,
      )
      .toBe('bea-gh');

    await page.getByLabel('Organisation').fill('Example Linux');
    await page.getByLabel('Contact address').fill('security@example-linux.org');
    await page.getByRole('button', { name: 'Add the member' }).click();
    await page.getByRole('button', { name: 'Remove Example Linux' }).waitFor();
    await page.getByText('Contour (contour), the default').click();
    await page.getByText('Publish the security advisory').waitFor();
    expect(await seriousAxeFindings(page)).toEqual([]);
    expect(problems).toEqual([]);
    await context.close();

    // A member sees their own tokens only.
    const member = await openPage(browser);
    await signIn(member.page, web.url, 'bea');
    await member.page.goto(`${web.url}/settings`);
    await member.page.getByRole('heading', { name: 'Your API tokens' }).waitFor();
    expect(await member.page.getByRole('heading', { name: 'Users' }).count()).toBe(0);
    await member.context.close();
  }, 60_000);
});
