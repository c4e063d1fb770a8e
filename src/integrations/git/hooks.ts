/**
 * Installs and removes the guard's git hooks (commit-msg and pre-push). Our hooks carry a marker
 * line; a hook that is not ours is never overwritten: it is moved aside to `<hook>.embargo-chained`
 * and run first by ours (or, with chaining off, the install stops and says what to do).
 * Uninstalling removes only hooks with the marker and puts a chained hook back.
 */
import { chmod, lstat, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { repoPaths } from './history.js';

export const HOOK_NAMES = ['commit-msg', 'pre-push'] as const;
export type HookName = (typeof HOOK_NAMES)[number];

/** First line after the shebang of every hook we write. */
export const HOOK_MARKER = '# embargo-guard-hook v1';
export const CHAINED_SUFFIX = '.embargo-chained';

export class HookError extends Error {
  constructor(
    message: string,
    readonly instructions: string[] = [],
  ) {
    super(message);
    this.name = 'HookError';
  }
}

export interface InstallOptions {
  repo: string;
  /** The command that runs the hook entry, e.g. [node, /…/dist/cli/guard-hook.js]. */
  command: string[];
  /** Terms file the hooks read; default `<git dir>/embargo-guard-terms.json`. */
  termsFile?: string;
  /** Remotes (globs) a branch of an embargoed case may be pushed to, besides GitHub's advisory forks. */
  privateRemotes?: string[];
  /** Move an existing hook aside and run it first (default), or refuse. */
  chain?: boolean;
  /** Warnings fail too, and the pre-push hook reads the lines pushed commits add to every file. */
  strict?: boolean;
}

export type HookAction = 'installed' | 'updated' | 'chained' | 'removed' | 'restored' | 'absent' | 'not-ours';

export interface HookOutcome {
  hook: HookName;
  path: string;
  action: HookAction;
  /** The hook ours runs first (install) or that was put back (uninstall). */
  chained?: string;
}

export interface InstallResult {
  hooks: HookOutcome[];
  termsFile: string;
  gitDir: string;
}

/** Quotes a word for a POSIX shell script. */
export function shellQuote(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** The text of one hook script. */
export function hookScript(hook: HookName, command: string[], args: string[]): string {
  const run = [...command, hook, ...args].map(shellQuote).join(' ');
  const chained = `"$hook_dir/${hook}${CHAINED_SUFFIX}"`;
  const header = [
    '#!/bin/sh',
    HOOK_MARKER,
    `# The Embargo leak guard's ${hook} hook, written by \`embargo guard install\`.`,
    `# \`embargo guard uninstall\` removes it (and puts back ${hook}${CHAINED_SUFFIX}, the hook that was`,
    '# here before, if any). Skip it once with --no-verify.',
    'hook_dir=$(dirname -- "$0")',
  ];
  if (hook === 'pre-push') {
    // git writes the refs being pushed on stdin: both hooks need them.
    return [
      ...header,
      'input=$(cat)',
      `if [ -x ${chained} ]; then`,
      `  printf '%s\\n' "$input" | ${chained} "$@" || exit $?`,
      'fi',
      `printf '%s\\n' "$input" | exec ${run} -- "$@"`,
      '',
    ].join('\n');
  }
  return [...header, `if [ -x ${chained} ]; then`, `  ${chained} "$@" || exit $?`, 'fi', `exec ${run} -- "$@"`, ''].join('\n');
}

async function readIfExists(file: string): Promise<string | null> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await lstat(file);
    return true;
  } catch {
    return false;
  }
}

const isOurs = (text: string | null) => text?.split('\n', 3).includes(HOOK_MARKER);

function insideWorkTree(top: string | null, dir: string): boolean {
  if (!top) return false;
  const rel = path.relative(top, dir);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel) && rel.split(path.sep)[0] !== '.git');
}

export async function installHooks(options: InstallOptions): Promise<InstallResult> {
  const { top, gitDir, hooksDir } = await repoPaths(options.repo);
  const termsFile = path.resolve(options.termsFile ?? path.join(gitDir, 'embargo-guard-terms.json'));
  if (insideWorkTree(top, hooksDir)) {
    // core.hooksPath points into the work tree (husky and friends): those hooks are the project's
    // files, not ours to write.
    throw new HookError(`core.hooksPath points to ${hooksDir}, inside the work tree; Embargo does not write files the project tracks`, [
      `add these lines to ${path.join(hooksDir, 'commit-msg')}:`,
      `  ${[...options.command, 'commit-msg', '--git-dir', gitDir, '--terms', termsFile, '--', '"$1"'].map((w) => (w === '"$1"' ? w : shellQuote(w))).join(' ')}`,
      `and to ${path.join(hooksDir, 'pre-push')} (it reads the pushed refs on stdin):`,
      `  ${[...options.command, 'pre-push', '--git-dir', gitDir, '--terms', termsFile, '--', '"$@"'].map((w) => (w === '"$@"' ? w : shellQuote(w))).join(' ')}`,
    ]);
  }
  const args = [
    '--git-dir',
    gitDir,
    '--terms',
    termsFile,
    ...(options.privateRemotes ?? []).flatMap((r) => ['--private-remote', r]),
    ...(options.strict ? ['--strict'] : []),
  ];

  // Decide for both hooks before touching either, so a refusal leaves nothing half-installed.
  const plans: { hook: HookName; file: string; action: HookAction; chainTo?: string }[] = [];
  for (const hook of HOOK_NAMES) {
    const file = path.join(hooksDir, hook);
    const current = await readIfExists(file);
    const chainTo = `${file}${CHAINED_SUFFIX}`;
    if (current === null && !(await exists(file))) plans.push({ hook, file, action: 'installed' });
    else if (isOurs(current)) plans.push({ hook, file, action: 'updated' });
    else if (options.chain === false) {
      throw new HookError(`${file} exists and is not Embargo's; not touching it`, [
        `run embargo guard install again without --no-chain to keep it and run it before the guard, or`,
        `call the guard from it yourself: ${[...options.command, hook, ...args].map(shellQuote).join(' ')} -- "$@"`,
      ]);
    } else if (await exists(chainTo)) {
      throw new HookError(`${file} exists and ${chainTo} too; not moving one over the other`, [
        `look at both, keep the one you want as ${path.basename(chainTo)}, remove ${hook}, and install again`,
      ]);
    } else plans.push({ hook, file, action: 'chained', chainTo });
  }

  const hooks: HookOutcome[] = [];
  for (const p of plans) {
    if (p.chainTo) await rename(p.file, p.chainTo);
    await writeFile(p.file, hookScript(p.hook, options.command, args), { mode: 0o755 });
    await chmod(p.file, 0o755);
    hooks.push({ hook: p.hook, path: p.file, action: p.action, ...(p.chainTo ? { chained: p.chainTo } : {}) });
  }
  return { hooks, termsFile, gitDir };
}

export async function uninstallHooks(repo: string): Promise<HookOutcome[]> {
  const { hooksDir } = await repoPaths(repo);
  const outcomes: HookOutcome[] = [];
  for (const hook of HOOK_NAMES) {
    const file = path.join(hooksDir, hook);
    const chainTo = `${file}${CHAINED_SUFFIX}`;
    const current = await readIfExists(file);
    if (current === null) {
      outcomes.push({ hook, path: file, action: 'absent' });
      continue;
    }
    if (!isOurs(current)) {
      outcomes.push({ hook, path: file, action: 'not-ours' });
      continue;
    }
    await rm(file);
    if (await exists(chainTo)) {
      await rename(chainTo, file);
      outcomes.push({ hook, path: file, action: 'restored', chained: chainTo });
    } else outcomes.push({ hook, path: file, action: 'removed' });
  }
  return outcomes;
}
