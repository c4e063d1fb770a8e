/**
 * The settings page in Chromium: API tokens (shown once, revoked), users (role, disable, GitHub
 * logins), projects (settings, distributors list, members), playbooks; a member sees their tokens
 * and their projects, read-only.
 */
import type { Browser, BrowserContext } from 'playwright-core';
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

  it('lets an admin manage tokens, users, projects and their distributors lists', async () => {
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

    // An admin changes a user's role and disables them; the server holds it at once.
    const account = page.getByRole('form', { name: 'Account of bea' });
    await account.getByLabel('Role of bea').selectOption('admin');
    await account.getByRole('button', { name: 'Save bea' }).click();
    const bea = async () =>
      (await web.app.store.read((db) =>
        db.selectFrom('users').select(['role', 'disabled_at']).where('username', '=', 'bea').executeTakeFirst(),
      ))!;
    await expect.poll(async () => (await bea()).role).toBe('admin');
    await account.getByRole('button', { name: 'Disable bea' }).click();
    await expect.poll(async () => (await bea()).disabled_at).not.toBeNull();
    await page.getByRole('button', { name: 'Enable bea' }).click();
    await expect.poll(async () => (await bea()).disabled_at).toBeNull();
    await page.getByRole('form', { name: 'Account of bea' }).getByLabel('Role of bea').selectOption('member');
    await page.getByRole('form', { name: 'Account of bea' }).getByRole('button', { name: 'Save bea' }).click();
    await expect.poll(async () => (await bea()).role).toBe('member');

    // Projects: Contour's settings, its distributors list; a new project with a member.
    await page.getByText('Contour (contour) · playbook contour').click();
    const contour = page.getByRole('form', { name: 'Settings of Contour' });
    await contour.getByLabel('Subject tag of the distributors mail').fill('#sec-contour');
    await contour.getByLabel('Holidays').fill('2026-12-25, 2026-12-24');
    await contour.getByRole('button', { name: 'Save Contour' }).click();
    await expect
      .poll(async () => (await fetch(`${web.url}/api/v1/projects/contour`, { headers: { cookie: await cookieOf(context) } })).json())
      .toMatchObject({ settings: { securityTag: '#sec-contour', holidays: ['2026-12-24', '2026-12-25'] } });
    const list = page.getByRole('region', { name: 'Distributors list of Contour' });
    await list.getByLabel('Organisation').fill('Example Linux');
    await list.getByLabel('Contact address').fill('security@example-linux.org');
    await list.getByRole('button', { name: 'Add the member' }).click();
    await list.getByRole('button', { name: 'Remove Example Linux' }).waitFor();

    const adding = page.getByRole('form', { name: 'Add a project' });
    await adding.getByLabel('Project id').fill('gatekeeper');
    await adding.getByLabel('Project name').fill('Gatekeeper');
    await adding.getByRole('button', { name: 'Add the project' }).click();
    await page.getByText('Gatekeeper (gatekeeper) · playbook contour').click();
    const members = page.getByRole('region', { name: 'Members of Gatekeeper' });
    await members.getByLabel('Username to add to Gatekeeper').fill('bea');
    await members.getByRole('button', { name: 'Add to Gatekeeper' }).click();
    await members.getByRole('button', { name: 'Make bea an admin of Gatekeeper' }).click();
    await members.getByRole('button', { name: 'Make bea a member of Gatekeeper' }).waitFor();
    await page.getByText('Contour (contour), the default').click();
    await page.getByText('Publish the security advisory').waitFor();
    expect(await seriousAxeFindings(page)).toEqual([]);
    expect(problems).toEqual([]);
    await context.close();

    // A member sees their own tokens and their projects, and changes nothing they do not administer.
    const member = await openPage(browser);
    await signIn(member.page, web.url, 'bea');
    await member.page.goto(`${web.url}/settings`);
    await member.page.getByRole('heading', { name: 'Your API tokens' }).waitFor();
    expect(await member.page.getByRole('heading', { name: 'Users' }).count()).toBe(0);
    await member.page.getByText('Contour (contour) · playbook contour · you: member').click();
    expect(await member.page.getByRole('form', { name: 'Settings of Contour' }).count()).toBe(0);
    // As Gatekeeper's admin (not an instance admin) she changes its settings, not its playbook.
    await member.page.getByText('Gatekeeper (gatekeeper) · playbook contour · you: admin').click();
    const gatekeeper = member.page.getByRole('form', { name: 'Settings of Gatekeeper' });
    await gatekeeper.getByLabel('Security contact').fill('security@gatekeeper.example');
    await gatekeeper.getByRole('button', { name: 'Save Gatekeeper' }).click();
    await expect
      .poll(
        async () =>
          (
            (await (
              await fetch(`${web.url}/api/v1/projects/gatekeeper`, { headers: { cookie: await cookieOf(member.context) } })
            ).json()) as {
              settings: unknown;
            }
          ).settings,
      )
      .toMatchObject({ securityContact: 'security@gatekeeper.example' });
    expect(await gatekeeper.getByLabel('Playbook of Gatekeeper').count()).toBe(0);
    expect(await seriousAxeFindings(member.page)).toEqual([]);
    expect(member.problems).toEqual([]);
    await member.context.close();
  }, 60_000);
});

/** The session cookie of a signed-in browser context, for reading the API as that person. */
async function cookieOf(context: BrowserContext): Promise<string> {
  return (await context.cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
}
