/**
 * Projects in the web app, in Chromium: the dashboard filters by project when the viewer sees more
 * than one, and the composer's live lint reads the case's project's addresses, not its playbook's
 * defaults (the server's lint on send agrees).
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localActor } from '../../src/app/actor.js';
import { createCase } from '../../src/app/cases.js';
import { addProject } from '../../src/app/projects.js';
import { launchChromium, openPage } from '../support/browser.js';
import { addWebUser, signIn } from '../support/web-flows.js';
import { startWebServer, type WebServer } from '../support/web-server.js';

describe('projects in Chromium', () => {
  let web: WebServer;
  let browser: Browser;
  let k8sCase: string;
  beforeAll(async () => {
    web = await startWebServer();
    await addWebUser(web.app, 'ada', 'admin');
    const admin = localActor('test');
    await addProject(web.app, admin, {
      id: 'kubernetes',
      name: 'Kubernetes',
      playbook: 'kubernetes',
      settings: { distributorsList: 'distributors-announce@kubernetes.example' },
    });
    await createCase(web.app, admin, { title: 'Contour route leak', project: 'contour' });
    k8sCase = (await createCase(web.app, admin, { title: 'Kubelet path traversal', project: 'kubernetes' })).id;
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await web?.close();
  });

  it("filters the dashboard by project, and lints a case's mail against its project's list", async () => {
    const { page, problems, context } = await openPage(browser);
    await signIn(page, web.url, 'ada');
    await page.getByRole('link', { name: k8sCase }).waitFor();
    expect(await page.getByRole('row').count()).toBe(3); // the header and two cases
    await page.getByLabel('Project').selectOption('kubernetes');
    await expect.poll(async () => page.getByRole('row').count()).toBe(2);
    expect(await page.getByRole('link', { name: k8sCase }).count()).toBe(1);

    await page.getByRole('link', { name: k8sCase }).click();
    await page.getByRole('heading', { level: 1, name: new RegExp(k8sCase) }).waitFor();
    await page.getByLabel('Mail', { exact: true }).selectOption('distributors-notice');
    await page.getByRole('button', { name: 'Write from the template' }).click();
    const to = page.getByLabel('To', { exact: true });
    await to.waitFor();
    expect(await to.inputValue()).toBe('distributors-announce@kubernetes.example');
    // The project's own list is the configured one: no recipient finding (the playbook's default list would raise one).
    const findings = page.getByRole('list', { name: 'Lint findings' });
    const recipientFinding = async () =>
      (await findings.count()) > 0 && /configured address|resembles/.test((await findings.textContent()) ?? '');
    await page.getByLabel('Body').waitFor();
    expect(await recipientFinding()).toBe(false);
    // Contour's list on a Kubernetes mail is not a configured address, live in the composer too.
    await to.fill('cncf-contour-distributors-announce@lists.cncf.io');
    await expect.poll(recipientFinding).toBe(true);
    expect(problems).toEqual([]);
    await context.close();
  });
});
