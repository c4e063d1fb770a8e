/**
 * The web app's one way to the server: the generated API client (src/client), over the browser's
 * fetch with the session cookie, and the CSRF token from GET /api/v1/session on every state change.
 */
import { type ApiClient, ApiError, answer, createApiClient, type components, detailed } from '../../../src/client/client.js';

// `detailed` for changes: a signed-in session reads, so a change never answers it with a bare receipt.
export { ApiError, answer, detailed };
export type Schemas = components['schemas'];
export type Case = Schemas['Case'];
export type StepView = Schemas['StepView'];

let csrfToken = '';

/** Remembered from the session answer; sent as x-csrf-token on anything but GET. */
export function setCsrfToken(token: string | undefined): void {
  csrfToken = token ?? '';
}

export const api: ApiClient = createApiClient({
  baseUrl: window.location.origin,
  fetch: (request) => {
    if (request.method !== 'GET' && csrfToken) request.headers.set('x-csrf-token', csrfToken);
    return fetch(request, { credentials: 'same-origin' });
  },
});

/** A sentence for a person from anything a call threw. */
export function messageOf(err: unknown): string {
  if (err instanceof ApiError) return err.message;
  if (err instanceof Error) return `the request failed: ${err.message}`;
  return 'the request failed';
}
