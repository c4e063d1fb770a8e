/** Steps the browser tests share: signing in through the page, waiting for a case page. */
import type { Page } from 'playwright-core';
import { addUser } from '../../src/app/accounts.js';
import { localActor } from '../../src/app/actor.js';
import type { App } from '../../src/app/app.js';

export const WEB_PASSWORD = 'a long enough password';

export async function addWebUser(app: App, username: string, role: 'admin' | 'member' = 'admin', displayName?: string): Promise<void> {
  await addUser(app, localActor('test'), { username, password: WEB_PASSWORD, role, ...(displayName ? { displayName } : {}) });
}

export async function signIn(page: Page, url: string, username: string): Promise<void> {
  await page.goto(url);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(WEB_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Cases' }).waitFor();
}

/** The list item of step N of the checklist. */
export const stepItem = (page: Page, number: number) =>
  page.getByRole('listitem').filter({ has: page.getByRole('heading', { level: 3, name: new RegExp(`^${number}\\. `) }) });
