/**
 * Runs the system git without a shell: arguments go to git as they are, so nothing in a ref name,
 * a path or a message can be interpreted by a shell.
 */
import { execFile, spawn } from 'node:child_process';

export class GitError extends Error {
  constructor(
    message: string,
    readonly exitCode: number | null,
    readonly stderr: string,
  ) {
    super(message);
    this.name = 'GitError';
  }
}

export interface GitOptions {
  /** Repository (or work tree) to run in. */
  cwd: string;
  /** Bytes of stdout to accept; git log over a big history needs streaming instead (gitLines). */
  maxBuffer?: number;
  env?: NodeJS.ProcessEnv;
}

/** Runs `git args…` and returns stdout; a non-zero exit is a GitError carrying git's own words. */
export function git(args: string[], options: GitOptions): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      'git',
      args,
      {
        cwd: options.cwd,
        maxBuffer: options.maxBuffer ?? 64 * 1024 * 1024,
        env: { ...process.env, ...options.env, GIT_TERMINAL_PROMPT: '0' },
        encoding: 'utf8',
      },
      (err, stdout, stderr) => {
        if (err) {
          const code = typeof err.code === 'number' ? err.code : null;
          const why = stderr.trim().split('\n').pop() || err.message;
          reject(new GitError(`git ${args[0]} failed: ${why}`, code, stderr));
        } else resolve(stdout);
      },
    );
  });
}

/**
 * Streams git's stdout split on `separator` (a record separator such as \x1e for big logs), so a
 * history of millions of commits never sits in memory at once.
 */
export async function* gitRecords(args: string[], options: GitOptions & { separator: string }): AsyncGenerator<string> {
  const child = spawn('git', args, {
    cwd: options.cwd,
    env: { ...process.env, ...options.env, GIT_TERMINAL_PROMPT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d.slice(0, 10_000)));
  const exited = new Promise<number | null>((resolve) => child.once('close', resolve));
  let rest = '';
  try {
    for await (const chunk of child.stdout.setEncoding('utf8') as AsyncIterable<string>) {
      const parts = (rest + chunk).split(options.separator);
      rest = parts.pop() ?? '';
      for (const p of parts) yield p;
    }
    if (rest !== '') yield rest;
  } finally {
    if (child.exitCode === null) child.kill();
  }
  const code = await exited;
  if (code !== 0 && code !== null) throw new GitError(`git ${args[0]} failed: ${stderr.trim().split('\n').pop() ?? ''}`, code, stderr);
}
