/**
 * The CLI's HTTP transport for --server: the address checks, and a fetch that says in one sentence
 * why a server could not be used (unreachable, slow, a redirect, not an Embargo server).
 */
import { CliError, EXIT_FAILURE, usageError } from './errors.js';

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;

/** Checks a --server value (http or https, no credentials in it). */
export function parseServerUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw usageError(`--server "${raw}" is not a URL; write it like https://embargo.example.org`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw usageError(`--server "${raw}" must be an http:// or https:// URL`);
  }
  if (url.username || url.password) {
    throw usageError('--server must not carry a user name or password; pass an API token with --token or EMBARGO_TOKEN');
  }
  url.search = '';
  url.hash = '';
  return url;
}

/** True when a token would cross the network in clear text. */
export function isInsecureRemote(url: URL): boolean {
  return url.protocol === 'http:' && !LOOPBACK.test(url.hostname);
}

/** A server behind a path prefix keeps it; "http://host:8080/" and "http://host:8080" are the same. */
export function serverBase(server: URL): string {
  return `${server.origin}${server.pathname.replace(/\/+$/, '')}`;
}

export function httpFetch(base: string, options: { timeoutMs?: number } = {}): (request: Request) => Promise<Response> {
  return async (request) => {
    let response: Response;
    try {
      // A redirect could carry the token somewhere else; say where it points instead of following.
      response = await fetch(new Request(request, { redirect: 'manual', signal: AbortSignal.timeout(options.timeoutMs ?? 30_000) }));
    } catch (err) {
      const cause = (err as { cause?: { code?: string; message?: string } }).cause;
      const why =
        (err as Error).name === 'TimeoutError' ? 'it did not answer in time' : (cause?.code ?? cause?.message ?? (err as Error).message);
      throw new CliError(`cannot reach the Embargo server at ${base}: ${why}`, EXIT_FAILURE);
    }
    if (response.status >= 300 && response.status < 400) {
      const location = response.headers.get('location');
      throw new CliError(
        `the server at ${base} answered with a redirect${location ? ` to ${location}` : ''}; use the final address as --server`,
        EXIT_FAILURE,
      );
    }
    // Every error answer of the API is JSON; anything else is not the Embargo API.
    if (!response.ok && !/json/i.test(response.headers.get('content-type') ?? '')) {
      throw new CliError(
        `the server at ${base} did not answer with JSON (HTTP ${response.status}); is it an Embargo server?`,
        EXIT_FAILURE,
      );
    }
    return response;
  };
}
