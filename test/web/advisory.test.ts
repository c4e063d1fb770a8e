/**
 * The Advisory panel in Chromium against the suite's fake GitHub (real HTTP, checked against
 * GitHub's OpenAPI description): the difference a push would make, the push, the CVE request, and
 * publication refused with the gate's reasons; and, for a project without a connection, the fields
 * to paste by hand.
 */
import { randomBytes } from 'node:crypto';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localActor } from '../../src/app/actor.js';
import { createCase, editCase, planRelease, setEmbargo } from '../../src/app/cases.js';
import { addProject, listProjects } from '../../src/app/projects.js';
import { connectGitHub, tuneGitHub } from '../../src/app/github/connection.js';
import { launchChromium, openPage, screenshot, seriousAxeFindings } from '../support/browser.js';
import { startFakeGitHub, type FakeGitHub } from '../support/fake-github.js';
import { addWebUser, signIn } from '../support/web-flows.js';
import { startWebServer, type WebServer } from '../support/web-server.js';

describe('the Advisory panel in Chromium', () => {
  let web: WebServer;
  let fake: FakeGitHub;
  let browser: Browser;
  const admin = localActor('ada');

  async function advisoryCase(project: string): Promise<string> {
    // Projects other than the example one are added on first use.
    if (!(await listProjects(web.app, admin, { all: true })).some((p) => p.id === project))
      await addProject(web.app, admin, { id: project });
    const c = await createCase(web.app, admin, {
      title: 'HTTPProxy include lets a tenant route to another namespace',
      project,
      reporter: { name: 'Ada Reporter', contact: 'ada@example.org' },
    });
    await editCase(web.app, admin, c.id, {
      description: 'A tenant can include an HTTPProxy from another namespace.',
      package: { ecosystem: 'Go', name: 'github.com/projectcontour/contour' },
      affected: [{ introduced: '1.28.0', fixed: '1.28.2' }],
      cvss: ['CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:H/I:H/A:N'],
      cwe: ['CWE-284'],
    });
    await planRelease(web.app, admin, c.id, [{ line: '1.28', version: '1.28.2' }]);
    await setEmbargo(web.app, admin, c.id, { endsAt: new Date(Date.now() + 5 * 86_400_000).toISOString(), timeZone: 'Europe/Berlin' });
    return c.id;
  }

  beforeAll(async () => {
    fake = await startFakeGitHub();
    web = await startWebServer({ env: { EMBARGO_SECRET_KEY: randomBytes(32).toString('base64') } });
    tuneGitHub(web.app, { sleep: async () => {}, pollAttempts: 4, pollIntervalMs: 0 });
    await addWebUser(web.app, 'ada', 'admin');
    await connectGitHub(web.app, admin, {
      project: 'contour',
      repository: 'projectcontour/contour',
      token: 'ghp_test_writer',
      apiUrl: fake.url,
    });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await web?.close();
    await fake?.close();
  });

  it('shows the difference, pushes the draft, requests the CVE and refuses to publish with the reasons', async () => {
    const caseId = await advisoryCase('contour');
    const { page, problems } = await openPage(browser);
    await signIn(page, web.url, 'ada');
    await page.goto(`${web.url}/cases/${caseId}`);
    const panel = page.getByRole('region', { name: 'Advisory' });
    await panel.getByText('GitHub projectcontour/contour').waitFor();

    await panel.getByRole('button', { name: 'Show what a push would change' }).click();
    await panel.getByRole('heading', { name: 'A push would create the draft' }).waitFor();
    expect(await panel.getByRole('table').textContent()).toContain('A tenant can include an HTTPProxy from another namespace.');
    expect(fake.state.repos.get('projectcontour/contour')!.advisories.size).toBe(0);

    await panel.getByRole('button', { name: 'Push the advisory draft' }).click();
    await panel.getByRole('status').filter({ hasText: 'Push: done.' }).waitFor();
    await panel.getByText(/GHSA GHSA-\w{4}-\w{4}-\w{4} \(draft on GitHub\)/).waitFor();
    expect(fake.state.repos.get('projectcontour/contour')!.advisories.size).toBe(1);

    await panel.getByRole('button', { name: 'Request a CVE id' }).click();
    await panel.getByRole('status').filter({ hasText: 'CVE request: done.' }).waitFor();

    const blockers = panel.getByRole('list', { name: 'What blocks publication' });
    expect(await blockers.textContent()).toMatch(/embargo ends/);
    expect(await panel.getByRole('button', { name: 'Publish the advisory' }).isDisabled()).toBe(true);
    await panel.scrollIntoViewIfNeeded();
    await screenshot(page, 'refused-publish-advisory');
    expect(await seriousAxeFindings(page)).toEqual([]);
    expect(problems).toEqual([]);
    fake.expectNoViolations();
  }, 60_000);

  it('without a connection, gives the fields to paste and what to record afterwards', async () => {
    const caseId = await advisoryCase('unconnected');
    const { page, problems } = await openPage(browser);
    await signIn(page, web.url, 'ada');
    await page.goto(`${web.url}/cases/${caseId}`);
    const panel = page.getByRole('region', { name: 'Advisory' });
    await panel.getByText('manual mode').waitFor();
    await panel.getByRole('button', { name: 'Push the advisory draft' }).click();
    const fields = panel.getByRole('region', { name: 'Fields to paste into GitHub' });
    await fields.waitFor();
    expect(await fields.getByRole('button', { name: /^Copy / }).count()).toBeGreaterThan(2);
    expect(await fields.textContent()).toContain('A tenant can include an HTTPProxy from another namespace.');
    expect(problems).toEqual([]);
  }, 60_000);
});
