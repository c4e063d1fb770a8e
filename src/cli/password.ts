/**
 * Where a new user's password comes from, in this order: the first line of stdin (--password-stdin),
 * the EMBARGO_PASSWORD environment variable, or a hidden prompt on a terminal. Never a flag: flags
 * end up in shell history and in `ps`.
 */
import { CliError, EXIT_USAGE, usageError } from './errors.js';
import type { Stdin, Writer } from './world.js';

export async function readFirstLine(stream: NodeJS.ReadableStream): Promise<string> {
  let text = '';
  for await (const chunk of stream) {
    text += typeof chunk === 'string' ? chunk : (chunk as Buffer).toString('utf8');
    const nl = text.indexOf('\n');
    if (nl >= 0) return text.slice(0, nl).replace(/\r$/, '');
  }
  return text.replace(/\r$/, '');
}

/** Reads a line from a TTY without echoing it. Ctrl-C aborts, Ctrl-D on an empty line ends it. */
export function promptHidden(question: string, input: Stdin, output: Writer): Promise<string> {
  return new Promise((resolve, reject) => {
    output.write(question);
    const wasRaw = input.isRaw;
    input.setRawMode?.(true);
    input.resume();
    input.setEncoding('utf8');
    let value = '';
    const finish = (err?: Error) => {
      input.off('data', onData);
      input.setRawMode?.(Boolean(wasRaw));
      input.pause();
      output.write('\n');
      if (err) reject(err);
      else resolve(value);
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n' || ch === '\u0004') return finish();
        if (ch === '\u0003') return finish(new CliError('cancelled', 130));
        if (ch === '\u007f' || ch === '\b') value = [...value].slice(0, -1).join('');
        else if (ch >= ' ') value += ch;
      }
    };
    input.on('data', onData);
  });
}

export interface PasswordSources {
  passwordStdin: boolean;
  env: NodeJS.ProcessEnv;
  stdin: Stdin;
  /** Where the prompt is shown: stderr, so stdout stays the result. */
  prompt: Writer;
}

export async function obtainPassword(sources: PasswordSources): Promise<string> {
  if (sources.passwordStdin) {
    if (sources.stdin.isTTY) throw usageError('--password-stdin reads the password from a pipe, e.g. printf %s "$PW" | embargo user add …');
    const line = await readFirstLine(sources.stdin);
    if (line === '') throw usageError('--password-stdin was given but stdin held no password');
    return line;
  }
  const fromEnv = sources.env.EMBARGO_PASSWORD;
  if (fromEnv) return fromEnv;
  if (sources.stdin.isTTY && typeof sources.stdin.setRawMode === 'function') {
    const first = await promptHidden('Password (at least 12 characters): ', sources.stdin, sources.prompt);
    const again = await promptHidden('Repeat the password: ', sources.stdin, sources.prompt);
    if (first !== again) throw new CliError('the two passwords differ; nothing was changed', EXIT_USAGE);
    return first;
  }
  throw usageError(
    'no password given: pipe it in with --password-stdin, set EMBARGO_PASSWORD, or run this in a terminal to be asked for it',
  );
}
