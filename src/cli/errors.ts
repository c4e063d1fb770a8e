/**
 * How the CLI fails: one sentence on stderr, prefixed `embargo: `, and an exit code a script can
 * act on. 0 ok; 1 a failure or a finding (not found, refused by a gate, forbidden, audit broken);
 * 2 a usage mistake (bad flags, invalid input, no password).
 */
import { ApiError } from '../client/client.js';
import { DomainError } from '../domain/errors.js';

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

export class CliError extends Error {
  readonly exitCode: number;
  /** Printed after the sentence as a bullet list, e.g. every unmet condition of a gate. */
  readonly bullets: string[];

  constructor(message: string, exitCode: number = EXIT_FAILURE, bullets: string[] = []) {
    super(message);
    this.name = 'CliError';
    this.exitCode = exitCode;
    this.bullets = bullets;
  }
}

/** A mistake in how the command was called: exit 2. */
export const usageError = (message: string) => new CliError(message, EXIT_USAGE);

/** The API's error codes are the domain's (plus a few of the HTTP shell's own). */
export function exitCodeForCode(code: string, httpStatus?: number): number {
  if (code === 'invalid_input' || code === 'invalid_json' || code === 'invalid_request') return EXIT_USAGE;
  if (httpStatus === 400) return EXIT_USAGE;
  return EXIT_FAILURE;
}

function unmetOf(details: Record<string, unknown> | undefined): string[] {
  const unmet = details?.unmet;
  return Array.isArray(unmet) ? unmet.filter((u): u is string => typeof u === 'string') : [];
}

/** The API's error answer (or a domain error raised in the CLI itself) as what to print and the exit code. */
export function fromCoded(code: string, message: string, details: Record<string, unknown> | undefined, httpStatus?: number): CliError {
  return new CliError(message, exitCodeForCode(code, httpStatus), code === 'gate_failed' ? unmetOf(details) : []);
}

/** Anything thrown by a command, as what to print and the exit code. Never a stack trace. */
export function toCliError(err: unknown): CliError {
  if (err instanceof CliError) return err;
  if (err instanceof ApiError) return fromCoded(err.code, err.message, err.details, err.status);
  if (err instanceof DomainError) return fromCoded(err.code, err.message, err.details);
  // An answer that should have been JSON and was not (openapi-fetch's JSON.parse).
  if (err instanceof SyntaxError) return new CliError(`the server did not answer with JSON (${err.message}); is it an Embargo server?`);
  if (err instanceof Error) return new CliError(err.message || err.name, EXIT_FAILURE);
  return new CliError(String(err), EXIT_FAILURE);
}

/** `embargo: <sentence>` plus bullets, ready for stderr. */
export function formatError(err: CliError): string {
  const sentence = err.message.replace(/\s+$/, '');
  const lines = [`embargo: ${sentence}`];
  for (const b of err.bullets) lines.push(`  - ${b}`);
  return `${lines.join('\n')}\n`;
}
