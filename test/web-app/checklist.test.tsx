// @vitest-environment happy-dom
/**
 * Component tests of the case page's checklist and Markdown (React in happy-dom, no server): a
 * blocked step's button stays disabled and says why with a link to the panel that fixes it, the
 * attestations are checkboxes that must all be ticked, skipping asks for a reason; Markdown keeps no
 * raw HTML and no javascript: link.
 */
import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Case, StepView } from '../../web/app/src/api.js';
import { Checklist, fixFor } from '../../web/app/src/case/Checklist.js';
import { Markdown, renderMarkdown } from '../../web/app/src/markdown.js';

beforeAll(() => {
  (globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;
});

const step = (over: Partial<StepView>): StepView => ({
  id: 'triage',
  number: 2,
  title: 'Triage with the reporter',
  phase: 'triage',
  status: 'open',
  by: null,
  at: null,
  reason: null,
  guidance: ['Decide the patch releases.'],
  skippable: false,
  confirmations: [],
  confirmed: [],
  unmet: [],
  ...over,
});

let root: Root | null = null;
let host: HTMLElement;
async function render(node: React.ReactNode): Promise<HTMLElement> {
  host = document.createElement('div');
  document.body.append(host);
  root = createRoot(host);
  await act(async () => root!.render(node));
  return host;
}
afterEach(async () => {
  await act(async () => root?.unmount());
  host?.remove();
  root = null;
});

const button = (el: HTMLElement, name: string) =>
  [...el.querySelectorAll('button')].find((b) => b.textContent === name) as HTMLButtonElement;

describe('the checklist', () => {
  it('keeps a blocked step from being done and links each condition to its panel', async () => {
    const steps = [
      step({ id: 'report', number: 1, title: 'Record the report', status: 'done', by: 'ada', at: '2026-11-25T10:00:00.000Z' }),
      step({
        unmet: [
          'the affected versions are not recorded',
          'the release plan is empty',
          'a reporter-ack message is not sent yet (kind reporter-ack)',
        ],
      }),
    ];
    const el = await render(<Checklist data={{ case: { id: 'EMB-2026-0001' } as Case, steps }} reload={async () => {}} />);
    expect(button(el, 'Mark step 2 done').disabled).toBe(true);
    const links = [...el.querySelectorAll('ul.blocked a')].map((a) => [a.textContent, a.getAttribute('href')]);
    expect(links).toEqual([
      ['Edit the facts', '#facts'],
      ['Open the release plan', '#release-plan'],
      ['Open the composer', '#composer'],
    ]);
    expect(el.textContent).toContain('done by ada');
    expect(button(el, 'Reopen step 1…')).toBeDefined();
  });

  it('asks for every attestation as a checkbox before the step can be done', async () => {
    const steps = [
      step({
        confirmations: [
          { id: 'cve', text: 'Requested a CVE ID' },
          { id: 'draft', text: 'The advisory is still a draft' },
        ],
        unmet: ['confirm: Requested a CVE ID', 'confirm: The advisory is still a draft'],
        skippable: true,
      }),
    ];
    const el = await render(<Checklist data={{ case: { id: 'EMB-2026-0001' } as Case, steps }} reload={async () => {}} />);
    const done = button(el, 'Mark step 2 done');
    expect(done.disabled).toBe(true);
    const boxes = [...el.querySelectorAll<HTMLInputElement>('input[type=checkbox]')];
    expect(boxes.map((b) => b.closest('label')!.textContent!.trim())).toEqual(['Requested a CVE ID', 'The advisory is still a draft']);
    await act(async () => boxes[0]!.click());
    expect(done.disabled).toBe(true);
    await act(async () => boxes[1]!.click());
    expect(done.disabled).toBe(false);

    await act(async () => button(el, 'Skip step 2…').click());
    const reason = el.querySelector('textarea')!;
    expect(el.querySelector(`label[for="${reason.id}"]`)!.textContent).toBe('Why skip step 2?');
    expect(button(el, 'Skip step 2').disabled).toBe(true);
  });

  it('maps conditions to panels by their wording', () => {
    expect(fixFor('the CVSS vector is not set')).toEqual({ href: '#severity', label: 'Set the severity' });
    expect(fixFor('embargo ends 2026-12-16 17:00 Europe/Berlin, in 10 days')?.href).toBe('#release-plan');
    expect(fixFor('the GHSA id is not recorded')?.href).toBe('#facts');
  });
});

describe('Markdown', () => {
  it('renders formatting, escapes raw HTML and drops javascript: links', async () => {
    const html = renderMarkdown('**bold** <img src=x onerror=alert(1)> [x](javascript:alert(1)) [ok](https://example.org)');
    expect(html).toContain('<strong>bold</strong>');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).not.toContain('javascript:');
    expect(html).toContain('href="https://example.org"');
    const el = await render(<Markdown text={'# Title\n\n<script>alert(1)</script>'} label="Description" />);
    expect(el.querySelector('script')).toBeNull();
    expect(el.querySelector('h1')!.textContent).toBe('Title');
  });
});
