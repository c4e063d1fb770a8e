/**
 * GitHubError: what went wrong talking to GitHub, as a sentence a person can act on, plus a stable
 * `kind` the app layer maps to its own errors. Messages never carry the token (it is scrubbed even
 * if GitHub were to echo it) and never the request body (which holds embargoed case data).
 */

export type GitHubErrorKind = 'unauthorized' | 'forbidden' | 'not_found' | 'validation' | 'rate_limited' | 'network' | 'unavailable';

export class GitHubError extends Error {
  readonly kind: GitHubErrorKind;
  /** GitHub's HTTP status; null when no answer arrived (network) or we stopped before asking. */
  readonly status: number | null;
  /** For rate limits: seconds to wait before trying again. */
  readonly retryAfterSeconds: number | null;
  /** For 403s: the permission GitHub says the token lacks, e.g. "repository_advisories: write". */
  readonly missingPermission: string | null;

  constructor(
    kind: GitHubErrorKind,
    message: string,
    extra: { status?: number | null; retryAfterSeconds?: number | null; missingPermission?: string | null } = {},
  ) {
    super(message);
    this.name = 'GitHubError';
    this.kind = kind;
    this.status = extra.status ?? null;
    this.retryAfterSeconds = extra.retryAfterSeconds ?? null;
    this.missingPermission = extra.missingPermission ?? null;
  }
}

/** What a failed call was doing, for the sentence: "creating the advisory on owner/repo". */
export interface Attempt {
  /** e.g. "create the advisory" */
  action: string;
  /** e.g. "projectcontour/contour" */
  where: string;
  /** e.g. "the advisory GHSA-xxxx-xxxx-xxxx"; used in 404 sentences. */
  target: string;
  /** A write: after a network drop the request may have reached GitHub. */
  write: boolean;
}

export interface FailedResponse {
  status: number;
  headers: Record<string, string | undefined>;
  data: unknown;
}

const SECONDARY = /secondary rate limit|abuse detection/i;

/** GitHub's "repository_advisories=write,contents=read; …" → "repository_advisories: write" (first alternative). */
export function acceptedPermission(header: string | undefined): string | null {
  if (!header?.trim()) return null;
  const first = header.split(';')[0]!.trim();
  const perms = first
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => p.replace(/\s*=\s*/, ': '));
  return perms.length ? perms.join(', ') : null;
}

/** Scopes a classic token would need (X-Accepted-OAuth-Scopes) that it does not have (X-OAuth-Scopes). */
function missingScope(headers: Record<string, string | undefined>): string | null {
  const accepted = headers['x-accepted-oauth-scopes'];
  const has = headers['x-oauth-scopes'];
  if (!accepted || has === undefined) return null;
  const held = new Set(
    has
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  );
  const wanted = accepted
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (wanted.length === 0 || wanted.some((s) => held.has(s))) return null;
  return `${wanted.join("' or '")}' scope`;
}

function githubMessage(data: unknown): string {
  if (data && typeof data === 'object' && typeof (data as { message?: unknown }).message === 'string') {
    return (data as { message: string }).message;
  }
  return typeof data === 'string' && data.length < 300 ? data : '';
}

/** GitHub's validation error details as "field: message" phrases. */
function validationDetails(data: unknown): string {
  const errors = (data as { errors?: unknown } | null)?.errors;
  if (!Array.isArray(errors)) return '';
  return errors
    .map((e: { field?: string; message?: string; code?: string; resource?: string }) =>
      [e.field, e.message ?? e.code].filter(Boolean).join(': '),
    )
    .filter(Boolean)
    .join('; ');
}

const secondsUntil = (epochSeconds: number, nowMs: number) => Math.max(1, Math.ceil(epochSeconds - nowMs / 1000));

/** "in 60 s", "in 12 min" */
export function waitWording(seconds: number): string {
  return seconds < 120 ? `${seconds} s` : `${Math.ceil(seconds / 60)} min`;
}

/**
 * Is this answer a rate limit, and for how long? Secondary limits come as 403 or 429 with
 * retry-after (or without it: GitHub asks for at least a minute); the primary limit as 403/429 with
 * x-ratelimit-remaining: 0 and a reset time.
 */
export function rateLimitWait(res: FailedResponse, nowMs: number): { secondary: boolean; seconds: number } | null {
  if (res.status !== 403 && res.status !== 429) return null;
  const retryAfter = Number(res.headers['retry-after']);
  const message = githubMessage(res.data);
  if (res.headers['retry-after'] !== undefined && Number.isFinite(retryAfter)) {
    return {
      secondary: SECONDARY.test(message) || res.headers['x-ratelimit-remaining'] !== '0',
      seconds: Math.max(1, Math.ceil(retryAfter)),
    };
  }
  if (res.headers['x-ratelimit-remaining'] === '0' && res.headers['x-ratelimit-reset']) {
    return { secondary: false, seconds: secondsUntil(Number(res.headers['x-ratelimit-reset']), nowMs) };
  }
  if (SECONDARY.test(message) || res.status === 429) return { secondary: true, seconds: 60 };
  return null;
}

/** Turns GitHub's answer into the sentence and kind for people and the app layer. */
export function errorFromResponse(res: FailedResponse, attempt: Attempt, nowMs: number): GitHubError {
  const status = res.status;
  const said = githubMessage(res.data);
  const quoted = said ? ` (GitHub said: "${said}")` : '';
  const limit = rateLimitWait(res, nowMs);
  if (limit) {
    const what = limit.secondary ? "GitHub's secondary rate limit" : "GitHub's API rate limit for this token is used up";
    return new GitHubError('rate_limited', `${what}: try again in ${waitWording(limit.seconds)}; nothing was changed on the case.`, {
      status,
      retryAfterSeconds: limit.seconds,
    });
  }
  if (status === 401) {
    return new GitHubError(
      'unauthorized',
      `GitHub did not accept the token while trying to ${attempt.action}${quoted}: it may be mistyped, expired or revoked — save a new token in the project's GitHub connection.`,
      { status },
    );
  }
  if (status === 403) {
    const permission = acceptedPermission(res.headers['x-accepted-github-permissions']);
    if (permission) {
      return new GitHubError(
        'forbidden',
        `GitHub refused: the token lacks the '${permission}' permission on ${attempt.where}, needed to ${attempt.action}.`,
        {
          status,
          missingPermission: permission,
        },
      );
    }
    const scope = missingScope(res.headers);
    if (scope) {
      return new GitHubError(
        'forbidden',
        `GitHub refused: the token lacks the '${scope} on ${attempt.where}, needed to ${attempt.action}.`,
        {
          status,
          missingPermission: scope.replace(/' scope$/, ''),
        },
      );
    }
    return new GitHubError('forbidden', `GitHub refused to ${attempt.action} on ${attempt.where}${quoted}.`, { status });
  }
  if (status === 404) {
    return new GitHubError(
      'not_found',
      `GitHub found no ${attempt.target} (or the token may not see it): check the repository name and that the token has access to ${attempt.where}.`,
      { status },
    );
  }
  if (status === 422 || status === 400) {
    const details = validationDetails(res.data);
    return new GitHubError(
      'validation',
      `GitHub rejected the request to ${attempt.action}: ${said.replace(/[.\s]+$/, '') || 'validation failed'}${details ? ` — ${details}` : ''}.`,
      { status },
    );
  }
  if (status >= 500) {
    return new GitHubError(
      'unavailable',
      `GitHub answered ${status} (a server error) while trying to ${attempt.action}; nothing was changed on the case — try again later.`,
      {
        status,
      },
    );
  }
  return new GitHubError(
    'unavailable',
    `GitHub answered ${status} while trying to ${attempt.action}${quoted}; nothing was changed on the case.`,
    { status },
  );
}

/** No answer at all: the connection failed or was dropped. */
export function networkError(reason: string, attempt: Attempt): GitHubError {
  const why = reason.trim() ? reason.trim().replace(/\.$/, '') : 'no answer';
  const tail = attempt.write
    ? `; nothing was changed on the case — the request may still have reached GitHub, so check ${attempt.where}'s advisories before trying again.`
    : '; nothing was changed on the case.';
  return new GitHubError('network', `GitHub did not answer (${why}) while trying to ${attempt.action}${tail}`);
}

/** Replaces every occurrence of the token in a message, whatever produced it. */
export function scrubToken(error: GitHubError, token: string): GitHubError {
  if (!token || !error.message.includes(token)) return error;
  return new GitHubError(error.kind, error.message.split(token).join('***'), error);
}
