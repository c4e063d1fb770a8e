/**
 * The typed Embargo API client: openapi-fetch over the types generated from the server's OpenAPI
 * document (src/client/api.ts). The CLI uses it over HTTP and in process; the web app will too.
 * It imports nothing else from src/: whatever `fetch` it is given decides where requests go.
 */
import createClient, { type Client } from 'openapi-fetch';
import type { components, paths } from './api.js';

export type { components, paths } from './api.js';
export type ApiClient = Client<paths>;

export interface ApiClientOptions {
  /** The server's origin and any path prefix, without /api/v1 (the paths carry it). */
  baseUrl: string;
  /** Where requests go: the global fetch for HTTP, or a function that answers in process. */
  fetch?: (request: Request) => Promise<Response>;
  /** Sent with every request, e.g. `authorization: Bearer …`. */
  headers?: Record<string, string>;
}

export function createApiClient(options: ApiClientOptions): ApiClient {
  return createClient<paths>({
    baseUrl: options.baseUrl,
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.headers ? { headers: options.headers } : {}),
  });
}

/** An answer the server refused, as its one error shape says: `{error: {code, message, details}}`. */
export class ApiError extends Error {
  override readonly name = 'ApiError';

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown>,
  ) {
    super(message);
  }
}

type ErrorShape = components['schemas']['Error'];

/** Any error answer as an ApiError; a body that is not the error shape gets `http_<status>`. */
export function apiError(status: number, body: unknown): ApiError {
  const e = (body as Partial<ErrorShape> | undefined)?.error as Partial<ErrorShape['error']> | undefined;
  const code = typeof e?.code === 'string' ? e.code : `http_${status}`;
  const message = typeof e?.message === 'string' ? e.message : `the server answered HTTP ${status}`;
  const details = typeof e?.details === 'object' && e.details !== null ? (e.details as Record<string, unknown>) : {};
  return new ApiError(status, code, message, details);
}

/** What an openapi-fetch call resolves to, in the shape `answer` needs. */
interface Outcome<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/** The answer's body, or the error answer thrown as an ApiError. */
export async function answer<T>(call: Promise<Outcome<T>>): Promise<T> {
  const { data, error, response } = await call;
  if (!response.ok) throw apiError(response.status, error);
  return data as T;
}

/** What a change answers to a token that may change a case but not read it. */
export type Receipt = components['schemas']['CaseReceipt'];

/** A change answered with a receipt: it was made, and the token may not read the case's details. */
export class ReceiptAnswer extends Error {
  constructor(readonly receipt: Receipt) {
    super(`${receipt.id} changed (revision ${receipt.revision}); this token may not read the case, so its details are not shown`);
    this.name = 'ReceiptAnswer';
  }
}

/** A change's answer with the case's details; a receipt (a token without the read scope) is thrown as ReceiptAnswer. */
export async function detailed<T>(call: Promise<Outcome<T>>): Promise<Exclude<T, Receipt>> {
  const data = await answer(call);
  if (typeof data === 'object' && data !== null && (data as { receipt?: unknown }).receipt === true)
    throw new ReceiptAnswer(data as unknown as Receipt);
  return data as Exclude<T, Receipt>;
}

type Ok<R> = R extends { 200: { content: { 'application/json': infer J } } }
  ? J
  : R extends { 201: { content: { 'application/json': infer J } } }
    ? J
    : never;

/** The JSON a route answers with when it succeeds, e.g. `Answer<'/api/v1/cases/{caseId}', 'get'>`. */
export type Answer<P extends keyof paths, M extends keyof paths[P]> = paths[P][M] extends { responses: infer R } ? Ok<R> : never;
