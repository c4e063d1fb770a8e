/**
 * The web app's two budgets, each beside its baseline measured in the same run:
 *
 * 1. Initial JavaScript of the production build, gzip (goal <= 150 KB): what index.html loads
 *    before anything else (its module script and modulepreloads), against a minimal React 19 page
 *    built by the same Vite in the same run. Lazy chunks (the case page) are listed apart.
 * 2. The dashboard's largest contentful paint in Chromium on localhost with 1,000 cases (goal <= 1 s),
 *    against the same dashboard for a user who may see no case. Medians of several loads, each in a
 *    fresh browser context (no cache).
 *
 *   node --import tsx bench/web.ts      (or: npm run bench -- web)
 */
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { Browser } from 'playwright-core';
import { build } from 'vite';
import { buildIfStale } from '../scripts/build-if-stale.mjs';
import { localActor } from '../src/app/actor.js';
import { createCase, editCase } from '../src/app/cases.js';
import { launchChromium } from '../test/support/browser.js';
import { addWebUser, WEB_PASSWORD } from '../test/support/web-flows.js';
import { startWebServer, type WebServer } from '../test/support/web-server.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const JS_GOAL_KB = 150;
const LCP_GOAL_MS = 1000;
const CASES = Number(process.env.BENCH_WEB_CASES ?? 1000);
const LOADS = Number(process.env.BENCH_WEB_LOADS ?? 7);

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** The gzip size of each JavaScript file index.html loads up front, and of the other (lazy) chunks. */
function jsSizes(outDir: string): { initial: number; lazy: [string, number][] } {
  const html = readFileSync(path.join(outDir, 'index.html'), 'utf8');
  const upfront = new Set([...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.js)"/g)].map((m) => m[1]!));
  let initial = 0;
  const lazy: [string, number][] = [];
  for (const file of readdirSync(path.join(outDir, 'assets')).filter((f) => f.endsWith('.js'))) {
    const size = gzipSync(readFileSync(path.join(outDir, 'assets', file))).length;
    if (upfront.has(`assets/${file}`)) initial += size;
    else lazy.push([file, size]);
  }
  return { initial, lazy };
}

/** A minimal React 19 page (one element rendered with createRoot), built by the same Vite. */
async function minimalReactBuild(): Promise<string> {
  const dir = mkdtempSync(path.join(ROOT, 'node_modules/.bench-minimal-react-'));
  mkdirSync(path.join(dir, 'src'));
  writeFileSync(path.join(dir, 'index.html'), '<!doctype html><div id="root"></div><script type="module" src="/src/main.jsx"></script>\n');
  writeFileSync(
    path.join(dir, 'src/main.jsx'),
    "import { createRoot } from 'react-dom/client';\ncreateRoot(document.getElementById('root')).render(<p>Hello</p>);\n",
  );
  const react = (await import('@vitejs/plugin-react')).default;
  await build({
    root: dir,
    configFile: false,
    logLevel: 'warn',
    plugins: [react()],
    build: { outDir: path.join(dir, 'dist'), target: 'es2022' },
  });
  return dir;
}

async function bundleSize(): Promise<void> {
  buildIfStale(['web']);
  const app = jsSizes(path.join(ROOT, 'dist/web'));
  const dir = await minimalReactBuild();
  try {
    const minimal = jsSizes(path.join(dir, 'dist'));
    console.log(
      `initial JavaScript, gzip: ${kb(app.initial)} (goal <= ${JS_GOAL_KB} KB: ${app.initial <= JS_GOAL_KB * 1024 ? 'met' : 'NOT met'})`,
    );
    console.log(`  baseline minimal React 19 page: ${kb(minimal.initial)}`);
    console.log(`  ratio ${(app.initial / minimal.initial).toFixed(2)}x`);
    for (const [file, size] of app.lazy) console.log(`  loaded on demand: ${file} ${kb(size)}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Signs in over the API and returns the session cookie for a browser context. */
async function sessionCookie(web: WebServer, username: string) {
  const res = await fetch(`${web.url}/api/v1/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: WEB_PASSWORD }),
  });
  const value = /embargo_session=([^;]+)/.exec(res.headers.get('set-cookie') ?? '')?.[1];
  if (!value) throw new Error(`sign-in as ${username} failed: HTTP ${res.status}`);
  return { name: 'embargo_session', value, url: web.url };
}

/** Largest contentful paint of the dashboard, once its rows (or its "no case" line) are on screen. */
async function dashboardLcp(browser: Browser, web: WebServer, username: string, rows: number): Promise<number> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  try {
    await context.addCookies([await sessionCookie(web, username)]);
    const page = await context.newPage();
    await page.goto(web.url);
    await page.getByText(`${rows} of ${rows} cases`).waitFor({ timeout: 30_000 });
    return (await page.evaluate(`new Promise((resolve) => {
      new PerformanceObserver((list) => {
        const entries = list.getEntries();
        resolve(entries[entries.length - 1].startTime);
      }).observe({ type: 'largest-contentful-paint', buffered: true });
    })`)) as number;
  } finally {
    await context.close();
  }
}

async function dashboardPaint(): Promise<void> {
  buildIfStale(['web']);
  const web = await startWebServer();
  const browser = await launchChromium();
  try {
    await addWebUser(web.app, 'lead', 'admin');
    await addWebUser(web.app, 'newcomer', 'member');
    const admin = localActor('bench');
    const t0 = performance.now();
    for (let i = 0; i < CASES; i++) {
      const c = await createCase(web.app, admin, {
        title: `Benchmark vulnerability ${i} in the proxy`,
        reporter: { name: 'Rea Porter', contact: 'rea@example.org' },
      });
      if (i % 3 === 0) await editCase(web.app, admin, c.id, { cvss: ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:N'] });
    }
    console.log(`\n(${CASES} cases created in ${((performance.now() - t0) / 1000).toFixed(1)} s, outside the timing)`);
    await dashboardLcp(browser, web, 'lead', CASES); // warm-up
    const full: number[] = [];
    const empty: number[] = [];
    for (let r = 0; r < LOADS; r++) {
      full.push(await dashboardLcp(browser, web, 'lead', CASES));
      empty.push(await dashboardLcp(browser, web, 'newcomer', 0));
    }
    const m = median(full);
    console.log(
      `dashboard LCP with ${CASES} cases: median ${m.toFixed(0)} ms of ${LOADS} loads (goal <= ${LCP_GOAL_MS} ms: ${m <= LCP_GOAL_MS ? 'met' : 'NOT met'})`,
    );
    console.log(`  baseline the same dashboard with no case: median ${median(empty).toFixed(0)} ms`);
    console.log(`  ratio ${(m / median(empty)).toFixed(2)}x`);
  } finally {
    await browser.close();
    await web.close();
  }
}

await bundleSize();
await dashboardPaint();
