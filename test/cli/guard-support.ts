/**
 * Real git repositories for the leak-guard tests, built with the system git and none of the
 * user's configuration (no global hooks, signing or default-branch surprises).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { GIT_ENV } from '../support/git-env.js';

export { GIT_ENV };

export class GuardRepo {
  constructor(readonly dir: string) {}

  static init(dir: string, options: { bare?: boolean } = {}): GuardRepo {
    mkdirSync(dir, { recursive: true });
    execFileSync('git', ['init', '--quiet', '--initial-branch=main', ...(options.bare ? ['--bare'] : []), dir], { env: GIT_ENV });
    return new GuardRepo(dir);
  }

  git(args: string[], env: NodeJS.ProcessEnv = {}): string {
    return execFileSync('git', ['-c', 'commit.gpgSign=false', ...args], {
      cwd: this.dir,
      env: { ...GIT_ENV, ...env },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    }).trim();
  }

  /** Runs git and returns its exit code and output instead of throwing (for hooks that refuse). */
  tryGit(args: string[], env: NodeJS.ProcessEnv = {}): { code: number | null; stdout: string; stderr: string } {
    const r = spawnSync('git', ['-c', 'commit.gpgSign=false', ...args], { cwd: this.dir, env: { ...GIT_ENV, ...env }, encoding: 'utf8' });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  }

  write(files: Record<string, string>): void {
    for (const [path, text] of Object.entries(files)) {
      const full = join(this.dir, path);
      mkdirSync(dirname(full), { recursive: true });
      writeFileSync(full, text);
    }
  }

  /** Commits (the files, if any, or an empty commit) and returns the commit id. */
  commit(message: string, files: Record<string, string> = {}): string {
    this.write(files);
    this.git(['add', '--all']);
    this.git(['commit', '--quiet', '--allow-empty', '--no-verify', '-m', message]);
    return this.head();
  }

  head(): string {
    return this.git(['rev-parse', 'HEAD']);
  }
}
