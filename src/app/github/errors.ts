/**
 * GitHub's failures as the API and the CLI report them. A GitHubError from the adapter is a sentence
 * already ("GitHub refused: the token lacks …"); here it gets an HTTP status for our own answer:
 * GitHub's 401/403/404 must not look like Embargo's own (a 401 would tell the caller their Embargo
 * token is wrong), so they are 502 "bad gateway" with GitHub's reason; a rejected body is 422; a
 * rate limit is 429 with the wait.
 */
import { GitHubError } from '../../integrations/github/errors.js';

export class GitHubFailure extends Error {
  /** Stable machine id, e.g. github_forbidden. */
  readonly code: string;
  readonly httpStatus: number;
  readonly retryAfterSeconds: number | null;
  readonly details: Record<string, unknown>;

  constructor(
    code: string,
    message: string,
    httpStatus: number,
    details: Record<string, unknown> = {},
    retryAfterSeconds: number | null = null,
  ) {
    super(message);
    this.name = 'GitHubFailure';
    this.code = code;
    this.httpStatus = httpStatus;
    this.details = details;
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

const STATUS: Record<GitHubError['kind'], number> = {
  unauthorized: 502,
  forbidden: 502,
  not_found: 502,
  validation: 422,
  rate_limited: 429,
  network: 502,
  unavailable: 502,
};

export function toGitHubFailure(err: GitHubError): GitHubFailure {
  const details: Record<string, unknown> = { githubStatus: err.status };
  if (err.missingPermission) details.missingPermission = err.missingPermission;
  if (err.retryAfterSeconds !== null) details.retryAfterSeconds = err.retryAfterSeconds;
  return new GitHubFailure(`github_${err.kind}`, err.message, STATUS[err.kind], details, err.retryAfterSeconds);
}

/** Runs one GitHub call; its GitHubError becomes a GitHubFailure, anything else passes through. */
export async function onGitHub<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (err instanceof GitHubError) throw toGitHubFailure(err);
    throw err;
  }
}
