/**
 * Runs the `embargo` CLI the way a person or a script would and collects its exit code and output:
 * in this process by default (`run()` with a world of its own: arguments, a clean environment,
 * stdin from `input`, stdout and stderr collected), or, with `spawn: true`, as a real child process
 * (node --import tsx src/cli/main.ts …) for what only a process shows.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { run } from '../../src/cli/program.js';
import type { World } from '../../src/cli/world.js';

export const REPO = fileURLToPath(new URL('../../', import.meta.url));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  /** Added to a clean environment (no EMBARGO_* or DATABASE_URL from the caller's shell). */
  env?: Record<string, string | undefined>;
  /** Written to stdin, which is then closed (stdin is never a TTY here). */
  input?: string;
  timeoutMs?: number;
  /** Run a real `node --import tsx src/cli/main.ts` process instead of `run()` in this one. */
  spawn?: boolean;
  /** stderr claims to be a terminal (in process only), as a person's shell is. */
  stderrTTY?: boolean;
}

export function tempDir(prefix = 'embargo-cli-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

function cleanEnv(extra: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^(EMBARGO_|DATABASE_URL$|PORT$|HOST$|NO_COLOR$|FORCE_COLOR$)/.test(k)) continue;
    env[k] = v;
  }
  for (const [k, v] of Object.entries(extra)) if (v !== undefined) env[k] = v;
  return env;
}

export function runCli(args: string[], options: RunOptions = {}): Promise<CliResult> {
  return options.spawn ? spawnCli(args, options) : runInProcess(args, options);
}

/**
 * The CLI in this process, in a world of its own. It cannot be killed: on a timeout the promise
 * rejects (with what was written so far) and the run is left to finish on its own.
 */
async function runInProcess(args: string[], options: RunOptions): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const input = Buffer.from(options.input ?? '', 'utf8');
  const stdin = new PassThrough();
  stdin.end(input);
  const world: World = {
    argv: args,
    env: cleanEnv(options.env ?? {}),
    cwd: REPO,
    stdin,
    readStdin: () => input,
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s), isTTY: options.stderrTTY === true },
    onSignal: () => () => {},
    exit: (code) => {
      throw new Error(`embargo ${args.join(' ')} asked to exit the process with ${code}`);
    },
  };
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`embargo ${args.join(' ')} did not finish in time\nstdout: ${stdout}\nstderr: ${stderr}`)),
      options.timeoutMs ?? 20_000,
    );
  });
  try {
    const code = await Promise.race([run(world), timeout]);
    return { code, stdout, stderr };
  } finally {
    clearTimeout(timer);
  }
}

/** The real CLI as a child process, killed if it does not finish in time. */
function spawnCli(args: string[], options: RunOptions): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
      cwd: REPO,
      env: cleanEnv(options.env ?? {}),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`embargo ${args.join(' ')} did not finish in time\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, options.timeoutMs ?? 20_000);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(options.input ?? '');
  });
}

/** A CLI bound to one data directory (local mode) or one server and token (remote mode); `spawn` as in RunOptions. */
export function cliWith(env: Record<string, string | undefined>, defaults: Omit<RunOptions, 'env' | 'input'> = {}) {
  const run = (args: string[], options: Omit<RunOptions, 'env'> = {}) => runCli(args, { ...defaults, ...options, env });
  /** Runs and insists on exit 0, so a failing setup step says why. */
  const ok = async (args: string[], options: Omit<RunOptions, 'env'> = {}) => {
    const r = await run(args, options);
    if (r.code !== 0) throw new Error(`embargo ${args.join(' ')} exited ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
    return r;
  };
  const json = async <T = any>(args: string[], options: Omit<RunOptions, 'env'> = {}): Promise<T> =>
    JSON.parse((await ok([...args, '--json'], options)).stdout) as T;
  return { run, ok, json };
}
