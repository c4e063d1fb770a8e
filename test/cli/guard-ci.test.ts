/**
 * docs/guard-ci.yml is a recipe people copy, so it is run here: its own steps, in bash as GitHub
 * runs them, with the event's values in the environment, against a real repository — once for a
 * pull request that leaks and once for one that does not.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { GIT_ENV, GuardRepo } from './guard-support.js';
import { REPO, tempDir } from './run-cli.js';

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  env?: Record<string, string>;
}

const workflow = parse(readFileSync(join(REPO, 'docs/guard-ci.yml'), 'utf8')) as {
  on: Record<string, unknown>;
  permissions: Record<string, string>;
  jobs: { guard: { steps: Step[] } };
};
const steps = workflow.jobs.guard.steps;
const step = (name: string) => steps.find((s) => s.name === name)!;

const home = tempDir('embargo-guard-ci-');
afterAll(() => rmSync(home, { recursive: true, force: true }));

/** An `embargo` on PATH that runs this checkout's CLI, as the installed package would. */
function embargoOnPath(): string {
  const bin = join(home, 'bin');
  mkdirSync(bin, { recursive: true });
  const tsx = pathToFileURL(join(REPO, 'node_modules/tsx/dist/loader.mjs')).href;
  writeFileSync(join(bin, 'embargo'), `#!/bin/sh\nexec '${process.execPath}' --import '${tsx}' '${join(REPO, 'src/cli/main.ts')}' "$@"\n`);
  chmodSync(join(bin, 'embargo'), 0o755);
  return bin;
}

/** Runs one `run:` step the way GitHub does (bash -e), with its env filled from the event. */
function runStep(s: Step, event: Record<string, string>, cwd: string) {
  const env: NodeJS.ProcessEnv = {
    ...GIT_ENV,
    PATH: `${embargoOnPath()}:${process.env.PATH}`,
    RUNNER_TEMP: home,
    EMBARGO_DATA_DIR: join(home, 'no-db'),
  };
  for (const [k, v] of Object.entries(s.env ?? {})) {
    env[k] = v.replace(/\$\{\{\s*([^}]+?)\s*\}\}/g, (_m, expr: string) => {
      if (!(expr in event)) throw new Error(`the test gives no value for ${expr}`);
      return event[expr]!;
    });
  }
  return spawnSync('bash', ['-e', '-c', s.run!], { cwd, env, encoding: 'utf8' });
}

describe('docs/guard-ci.yml', () => {
  it('runs on pull requests with read-only permissions and passes event values only through env', () => {
    expect(Object.keys(workflow.on)).toEqual(['pull_request']);
    expect(workflow.permissions).toEqual({ contents: 'read' });
    for (const s of steps) if (s.run) expect(s.run, s.name).not.toContain('${{');
    expect(step('Leak guard').env).toMatchObject({ EMBARGO_TOKEN: '${{ secrets.EMBARGO_GUARD_TOKEN }}' });
    expect(steps.find((s) => s.uses?.startsWith('actions/checkout'))).toMatchObject({ with: { 'fetch-depth': 0 } });
  });

  const repo = GuardRepo.init(join(home, 'repo'));
  const base = repo.commit('Initial import', { 'CHANGELOG.md': '# Changelog\n' });
  repo.git(['checkout', '--quiet', '-b', 'feature']);
  const neutral = repo.commit('Escape lua strings for cookie rewrite policies', { 'lua.go': 'package main\n' });

  const event = (head: string, title: string, body: string, branch = 'feature') => ({
    'github.event.pull_request.title': title,
    'github.event.pull_request.body': body,
    'github.event.pull_request.base.sha': base,
    'github.event.pull_request.head.sha': head,
    'github.head_ref': branch,
    'secrets.EMBARGO_SERVER': '',
    'secrets.EMBARGO_GUARD_TOKEN': '',
  });

  const runGuard = (e: Record<string, string>) => {
    const write = runStep(step("Write the pull request's title and body to a file"), e, repo.dir);
    expect(write.status, write.stderr).toBe(0);
    return runStep(step('Leak guard'), e, repo.dir);
  };

  it('passes a neutral pull request', () => {
    const r = runGuard(event(neutral, 'Escape lua strings', 'Pithy, as the checklist asks.'));
    expect(r.status, r.stderr + r.stdout).toBe(0);
    expect(r.stdout).toContain('embargo guard: no leaks in 1 commit, 1 text, 1 branch name');
  });

  it('fails a pull request that names an advisory, and does not run a title as shell code', () => {
    const leak = repo.commit('Update changelog', { 'CHANGELOG.md': '# Changelog\n\n- Fixed GHSA-x4mj-7f9g-29h4\n' });
    const r = runGuard(event(leak, 'Fix for CVE-2026-41246 $(touch pwned)', '`touch pwned2`'));
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('CHANGELOG.md:3:9');
    expect(r.stdout).toMatch(/CVE-2026-41246 is not known to be public/);
    expect(spawnSync('ls', [repo.dir], { encoding: 'utf8' }).stdout).not.toMatch(/pwned/);
  });
});
