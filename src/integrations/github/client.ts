/**
 * The GitHub adapter: repository security advisories through GitHub's REST API (@octokit/rest).
 * A tiny interface (GitHubClient) that the app layer codes against; tests run it against the
 * contract-validating fake in test/support/fake-github.ts.
 *
 * - Every failure becomes a GitHubError with a sentence (errors.ts); the token is never in one.
 * - Secondary rate limits with a short retry-after are waited out (at most twice) through the
 *   injectable `sleep`; a longer wait, or the primary limit, is reported instead.
 * - Once GitHub says no requests remain (x-ratelimit-remaining: 0), the client stops before asking
 *   again and says when the limit resets.
 * - Conditional GETs: pass the ETag from last time; a 304 comes back as `notModified`.
 */
import type { Octokit, RestEndpointMethodTypes } from '@octokit/rest';
import type { GhsaAdvisoryBody } from '../../domain/exports/ghsa.js';
import {
  errorFromResponse,
  GitHubError,
  networkError,
  rateLimitWait,
  scrubToken,
  waitWording,
  type Attempt,
  type FailedResponse,
} from './errors.js';

export { GitHubError } from './errors.js';
export type { GitHubErrorKind } from './errors.js';

export interface GitHubRepo {
  owner: string;
  name: string;
}

export interface GitHubClientOptions {
  /** https://api.github.com, or a GitHub Enterprise / fake GitHub base URL. */
  baseUrl: string;
  token: string;
  /** For tests: the fetch to send requests with. */
  fetch?: typeof fetch;
  /** For tests: how to wait before retrying after a secondary rate limit. */
  sleep?: (ms: number) => Promise<void>;
  /** Waits longer than this (seconds) are reported rather than waited out. Default 60. */
  maxRetryAfterSeconds?: number;
  userAgent?: string;
  /** For tests: the clock the rate-limit reset times are compared with (epoch ms). */
  now?: () => number;
  /** How long to wait for each answer before giving up (ms). Default 30 s. */
  timeoutMs?: number;
}

export type AdvisoryState = 'published' | 'closed' | 'withdrawn' | 'draft' | 'triage';

export interface GitHubUser {
  login: string;
  id: number;
  html_url?: string;
  type?: string;
  name?: string | null;
}

export interface AdvisoryVulnerability {
  package: { ecosystem: string; name: string | null } | null;
  vulnerable_version_range: string | null;
  patched_versions: string | null;
  vulnerable_functions?: string[] | null;
}

export interface CvssEntry {
  vector_string: string | null;
  score: number | null;
}

/** The fields of GitHub's repository-advisory schema that Embargo reads. */
export interface Advisory {
  ghsa_id: string;
  cve_id: string | null;
  url?: string;
  html_url: string;
  summary: string;
  description: string | null;
  state: AdvisoryState;
  severity: 'critical' | 'high' | 'medium' | 'low' | null;
  cvss: CvssEntry | null;
  cvss_severities?: { cvss_v3?: CvssEntry | null; cvss_v4?: CvssEntry | null } | null;
  cwe_ids: string[] | null;
  cwes?: { cwe_id: string; name: string }[] | null;
  vulnerabilities: AdvisoryVulnerability[] | null;
  credits: { login?: string; type?: string }[] | null;
  credits_detailed?: { user: GitHubUser; type: string; state: 'accepted' | 'declined' | 'pending' }[] | null;
  collaborating_users: GitHubUser[] | null;
  private_fork: { full_name: string; html_url: string } | null;
  /** Set on private vulnerability reports (state triage, then accepted). */
  submission: { accepted: boolean } | null;
  author: GitHubUser | null;
  publisher: GitHubUser | null;
  identifiers?: { type: 'CVE' | 'GHSA'; value: string }[];
  created_at: string | null;
  updated_at: string | null;
  published_at: string | null;
  closed_at?: string | null;
  withdrawn_at?: string | null;
}

/** A conditional GET's outcome: on 304 `notModified` is true and `value` null. */
export interface Conditional<T> {
  notModified: boolean;
  etag: string | null;
  value: T | null;
}

export type AdvisoryUpdate = Partial<GhsaAdvisoryBody> & { state?: 'published' | 'closed' | 'draft'; collaborating_users?: string[] };

/** What the last answer said about the token's primary rate limit. */
export interface RateLimitStatus {
  limit: number;
  remaining: number;
  /** When the window resets (ISO 8601). */
  resetAt: string;
}

export interface GitHubClient {
  /** GET /user: who the token belongs to; `scopes` for classic tokens (null for fine-grained ones). */
  authenticatedUser(): Promise<{ login: string; scopes: string[] | null }>;
  /** Lists the repository's advisories; throws GitHubError naming the missing permission. */
  checkAdvisoryAccess(repo: GitHubRepo): Promise<void>;
  /** All pages; the ETag (and If-None-Match) belong to the first page, sorted by last update. */
  listAdvisories(repo: GitHubRepo, q?: { state?: AdvisoryState; etag?: string }): Promise<Conditional<Advisory[]>>;
  getAdvisory(repo: GitHubRepo, ghsaId: string, etag?: string): Promise<Conditional<Advisory>>;
  createAdvisory(repo: GitHubRepo, body: GhsaAdvisoryBody): Promise<Advisory>;
  updateAdvisory(repo: GitHubRepo, ghsaId: string, body: AdvisoryUpdate): Promise<Advisory>;
  /** POST …/{ghsa_id}/cve: GitHub answers 202; the CVE id appears on the advisory later. */
  requestCve(repo: GitHubRepo, ghsaId: string): Promise<void>;
  /** POST …/{ghsa_id}/forks: GitHub answers 202 and creates the fork in the background. */
  createPrivateFork(repo: GitHubRepo, ghsaId: string): Promise<{ fullName: string; htmlUrl: string }>;
  /** The primary rate limit as of the last answer; null before the first. */
  rateLimit(): RateLimitStatus | null;
}

// The domain's body uses plain strings where Octokit's types spell out GitHub's enums; GitHub (and
// the fake's schema check in the tests) is the judge of the values.
type CreateParams = RestEndpointMethodTypes['securityAdvisories']['createRepositoryAdvisory']['parameters'];
type UpdateParams = RestEndpointMethodTypes['securityAdvisories']['updateRepositoryAdvisory']['parameters'];

/** Secondary-limit retries per call: GitHub asks clients to back off, not to hammer. */
const MAX_RETRIES = 2;

interface OctokitResponse {
  status: number;
  headers: Record<string, string | number | undefined>;
  data: unknown;
}

interface OctokitFailure {
  status?: number;
  message?: string;
  response?: OctokitResponse;
  cause?: unknown;
}

const stringHeaders = (h: Record<string, string | number | undefined>): Record<string, string | undefined> =>
  Object.fromEntries(Object.entries(h).map(([k, v]) => [k.toLowerCase(), v === undefined ? undefined : String(v)]));

const silent = { debug() {}, info() {}, warn() {}, error() {} };

/** The reason a fetch failed, from the error chain (e.g. "other side closed", "ECONNREFUSED"). */
function networkReason(err: OctokitFailure, timeoutMs: number): string {
  let cause: unknown = err.cause;
  while (cause instanceof Error && cause.cause instanceof Error) cause = cause.cause;
  if ((cause as { name?: unknown } | undefined)?.name === 'TimeoutError') return `timed out after ${Math.round(timeoutMs / 100) / 10} s`;
  const code = (cause as { code?: unknown } | undefined)?.code;
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET') return 'connection reset';
  if (code === 'ECONNREFUSED') return 'connection refused';
  if (typeof code === 'string' && code) return code;
  return cause instanceof Error ? cause.message : (err.message ?? 'no answer');
}

export function createGitHubClient(options: GitHubClientOptions): GitHubClient {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const maxWait = options.maxRetryAfterSeconds ?? 60;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const baseFetch = options.fetch ?? globalThis.fetch;
  // A GitHub that never answers must not hold a CLI command or a request of ours forever.
  const fetchWithTimeout: typeof fetch = (input, init) => baseFetch(input, { ...init, signal: AbortSignal.timeout(timeoutMs) });
  // Octokit is imported on the first request, not with this module: a CLI command that never talks
  // to GitHub should not pay for loading it. Every request goes through call(), which sets it.
  let octokit!: Octokit;
  async function ready(): Promise<void> {
    if (octokit) return;
    const { Octokit } = await import('@octokit/rest');
    octokit = new Octokit({
      auth: options.token,
      baseUrl: options.baseUrl.replace(/\/+$/, ''),
      userAgent: options.userAgent ?? 'embargo',
      // Octokit logs deprecation warnings with request URLs; Embargo's logs stay ours.
      log: silent,
      request: { fetch: fetchWithTimeout, log: silent },
    });
  }
  let limits: { limit: number; remaining: number; reset: number } | null = null;

  function remember(headers: Record<string, string | undefined>) {
    const remaining = Number(headers['x-ratelimit-remaining']);
    const reset = Number(headers['x-ratelimit-reset']);
    const limit = Number(headers['x-ratelimit-limit']);
    if (headers['x-ratelimit-remaining'] !== undefined && Number.isFinite(remaining) && Number.isFinite(reset)) {
      limits = { limit: Number.isFinite(limit) ? limit : 0, remaining, reset };
    }
  }

  /**
   * Sends one request (through `send`), waiting out short secondary rate limits. A 304 comes back as
   * a response, not an error. Everything else that is not 2xx becomes a GitHubError.
   */
  async function call(attempt: Attempt, send: () => Promise<OctokitResponse>): Promise<OctokitResponse> {
    await ready();
    for (let tries = 0; ; tries++) {
      if (limits && limits.remaining <= 0 && limits.reset * 1000 > now()) {
        const seconds = Math.max(1, Math.ceil(limits.reset - now() / 1000));
        throw new GitHubError(
          'rate_limited',
          `GitHub's API rate limit for this token is used up until ${new Date(limits.reset * 1000).toISOString()}: try again in ${waitWording(seconds)}; nothing was sent.`,
          { retryAfterSeconds: seconds },
        );
      }
      let failure: OctokitFailure;
      try {
        const res = await send();
        remember(stringHeaders(res.headers));
        return res;
      } catch (err) {
        failure = err as OctokitFailure;
      }
      if (!failure.response) {
        throw scrubToken(networkError(networkReason(failure, timeoutMs), attempt), options.token);
      }
      const res: FailedResponse = {
        status: failure.response.status,
        headers: stringHeaders(failure.response.headers),
        data: failure.response.data,
      };
      remember(res.headers);
      if (res.status === 304) return { status: 304, headers: res.headers, data: null };
      const wait = rateLimitWait(res, now());
      if (wait?.secondary && wait.seconds <= maxWait && tries < MAX_RETRIES) {
        await sleep(wait.seconds * 1000);
        continue;
      }
      throw scrubToken(errorFromResponse(res, attempt, now()), options.token);
    }
  }

  const where = (repo: GitHubRepo) => `${repo.owner}/${repo.name}`;
  const repoTarget = (repo: GitHubRepo) => `repository ${where(repo)}`;
  const advisoryTarget = (repo: GitHubRepo, ghsaId: string) => `advisory ${ghsaId} in ${where(repo)}`;
  const conditionalHeaders = (etag?: string) => ({ 'x-github-api-version': '2022-11-28', ...(etag ? { 'if-none-match': etag } : {}) });
  const headers = { 'x-github-api-version': '2022-11-28' };

  function nextLink(link: string | undefined): string | null {
    if (!link) return null;
    const m = link
      .split(',')
      .map((part) => /<([^>]+)>\s*;\s*rel="next"/.exec(part))
      .find(Boolean);
    return m ? m[1]! : null;
  }

  async function listAdvisories(repo: GitHubRepo, q: { state?: AdvisoryState; etag?: string } = {}): Promise<Conditional<Advisory[]>> {
    const attempt: Attempt = {
      action: `list the security advisories of ${where(repo)}`,
      where: where(repo),
      target: repoTarget(repo),
      write: false,
    };
    // GitHub's list filter knows no "withdrawn": fetch all and filter here.
    const serverState = q.state && q.state !== 'withdrawn' ? q.state : undefined;
    const first = await call(
      attempt,
      () =>
        octokit.rest.securityAdvisories.listRepositoryAdvisories({
          owner: repo.owner,
          repo: repo.name,
          // Sorted by last update, so a change to any advisory changes the first page and its ETag.
          sort: 'updated',
          direction: 'desc',
          per_page: 100,
          ...(serverState ? { state: serverState } : {}),
          headers: conditionalHeaders(q.etag),
        }) as Promise<OctokitResponse>,
    );
    const etag = (first.headers.etag as string | undefined) ?? null;
    if (first.status === 304) return { notModified: true, etag: etag ?? q.etag ?? null, value: null };
    const all = [...(first.data as Advisory[])];
    let next = nextLink(first.headers.link as string | undefined);
    for (let pages = 1; next && pages < 100; pages++) {
      const url = next;
      const page = await call(attempt, () => octokit.request({ method: 'GET', url, headers }) as Promise<OctokitResponse>);
      all.push(...(page.data as Advisory[]));
      next = nextLink(page.headers.link as string | undefined);
    }
    return { notModified: false, etag, value: q.state === 'withdrawn' ? all.filter((a) => a.state === 'withdrawn') : all };
  }

  return {
    async authenticatedUser() {
      const attempt: Attempt = { action: 'read the signed-in user', where: 'GitHub', target: 'user for this token', write: false };
      const res = await call(attempt, () => octokit.rest.users.getAuthenticated({ headers }) as Promise<OctokitResponse>);
      const scopes = res.headers['x-oauth-scopes'];
      return {
        login: (res.data as { login: string }).login,
        scopes:
          scopes === undefined
            ? null
            : String(scopes)
                .split(',')
                .map((s) => s.trim())
                .filter(Boolean),
      };
    },

    async checkAdvisoryAccess(repo) {
      const attempt: Attempt = {
        action: `read the security advisories of ${where(repo)}`,
        where: where(repo),
        target: repoTarget(repo),
        write: false,
      };
      await call(
        attempt,
        () =>
          octokit.rest.securityAdvisories.listRepositoryAdvisories({
            owner: repo.owner,
            repo: repo.name,
            per_page: 1,
            headers,
          }) as Promise<OctokitResponse>,
      );
    },

    listAdvisories,

    async getAdvisory(repo, ghsaId, etag) {
      const attempt: Attempt = {
        action: `read advisory ${ghsaId}`,
        where: where(repo),
        target: advisoryTarget(repo, ghsaId),
        write: false,
      };
      const res = await call(
        attempt,
        () =>
          octokit.rest.securityAdvisories.getRepositoryAdvisory({
            owner: repo.owner,
            repo: repo.name,
            ghsa_id: ghsaId,
            headers: conditionalHeaders(etag),
          }) as Promise<OctokitResponse>,
      );
      const tag = (res.headers.etag as string | undefined) ?? null;
      if (res.status === 304) return { notModified: true, etag: tag ?? etag ?? null, value: null };
      return { notModified: false, etag: tag, value: res.data as Advisory };
    },

    async createAdvisory(repo, body) {
      const attempt: Attempt = {
        action: `create the advisory draft on ${where(repo)}`,
        where: where(repo),
        target: repoTarget(repo),
        write: true,
      };
      const res = await call(
        attempt,
        () =>
          octokit.rest.securityAdvisories.createRepositoryAdvisory({
            owner: repo.owner,
            repo: repo.name,
            ...body,
            headers,
          } as unknown as CreateParams) as Promise<OctokitResponse>,
      );
      return res.data as Advisory;
    },

    async updateAdvisory(repo, ghsaId, body) {
      const action = body.state === 'published' ? `publish advisory ${ghsaId}` : `update advisory ${ghsaId}`;
      const attempt: Attempt = { action, where: where(repo), target: advisoryTarget(repo, ghsaId), write: true };
      const res = await call(
        attempt,
        () =>
          octokit.rest.securityAdvisories.updateRepositoryAdvisory({
            owner: repo.owner,
            repo: repo.name,
            ghsa_id: ghsaId,
            ...body,
            headers,
          } as unknown as UpdateParams) as Promise<OctokitResponse>,
      );
      return res.data as Advisory;
    },

    async requestCve(repo, ghsaId) {
      const attempt: Attempt = {
        action: `request a CVE id for advisory ${ghsaId}`,
        where: where(repo),
        target: advisoryTarget(repo, ghsaId),
        write: true,
      };
      await call(
        attempt,
        () =>
          octokit.rest.securityAdvisories.createRepositoryAdvisoryCveRequest({
            owner: repo.owner,
            repo: repo.name,
            ghsa_id: ghsaId,
            headers,
          }) as Promise<OctokitResponse>,
      );
    },

    async createPrivateFork(repo, ghsaId) {
      const attempt: Attempt = {
        action: `create the temporary private fork for advisory ${ghsaId}`,
        where: where(repo),
        target: advisoryTarget(repo, ghsaId),
        write: true,
      };
      const res = await call(
        attempt,
        () =>
          octokit.rest.securityAdvisories.createFork({
            owner: repo.owner,
            repo: repo.name,
            ghsa_id: ghsaId,
            headers,
          }) as Promise<OctokitResponse>,
      );
      const fork = res.data as { full_name: string; html_url: string };
      return { fullName: fork.full_name, htmlUrl: fork.html_url };
    },

    rateLimit() {
      if (!limits) return null;
      return { limit: limits.limit, remaining: limits.remaining, resetAt: new Date(limits.reset * 1000).toISOString() };
    },
  };
}
