/**
 * Everything the CLI takes from the process it runs in: arguments, environment, working directory,
 * the three standard streams, signals and exit. main.ts passes the real process; the tests pass
 * their own world and run the CLI in process. No other CLI module touches `process` directly.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

/** Where output goes: process.stdout/stderr, or a collector in tests. */
export interface Writer {
  write(text: string): unknown;
  readonly isTTY?: boolean;
  readonly columns?: number;
  hasColors?(): boolean;
}

/** Standard input as a stream; a TTY only when a person types into it. */
export type Stdin = NodeJS.ReadableStream & {
  readonly isTTY?: boolean;
  readonly isRaw?: boolean;
  setRawMode?(raw: boolean): unknown;
};

export interface World {
  /** The arguments after `embargo` (process.argv without node and the script). */
  readonly argv: readonly string[];
  readonly env: NodeJS.ProcessEnv;
  /** Relative paths on the command line resolve against this directory. */
  readonly cwd: string;
  readonly stdin: Stdin;
  /** All of stdin at once, for a file argument spelled "-". */
  readStdin(): Buffer;
  readonly stdout: Writer;
  readonly stderr: Writer;
  /** Calls `listener` on SIGINT and SIGTERM until the returned function is called. */
  onSignal(listener: (signal: NodeJS.Signals) => void): () => void;
  /** Ends the process now, without waiting for the command (a second Ctrl-C). */
  exit(code: number): void;
}

/** The world of the running process: what `embargo` sees when a person or a script runs it. */
export function processWorld(): World {
  return {
    argv: process.argv.slice(2),
    env: process.env,
    cwd: process.cwd(),
    stdin: process.stdin,
    readStdin: () => readFileSync(0),
    stdout: process.stdout,
    stderr: process.stderr,
    onSignal(listener) {
      process.on('SIGINT', listener);
      process.on('SIGTERM', listener);
      return () => {
        process.off('SIGINT', listener);
        process.off('SIGTERM', listener);
      };
    },
    exit: (code) => process.exit(code),
  };
}

/** A path given on the command line, absolute against the world's working directory. */
export function resolvePath(world: Pick<World, 'cwd'>, file: string): string {
  return path.resolve(world.cwd, file);
}

/** Whether commander colours its help and errors: its own rules (NO_COLOR, FORCE_COLOR, CLICOLOR_FORCE, a colour terminal). */
export function helpHasColors(stream: Writer, env: NodeJS.ProcessEnv): boolean {
  if (env.NO_COLOR || env.FORCE_COLOR === '0' || env.FORCE_COLOR === 'false') return false;
  if (env.FORCE_COLOR || env.CLICOLOR_FORCE !== undefined) return true;
  return Boolean(stream.isTTY && stream.hasColors?.());
}
