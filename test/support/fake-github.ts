/**
 * A local fake GitHub (a real node:http server on 127.0.0.1) for the repository-advisory endpoints
 * Embargo uses, checked against GitHub's own OpenAPI description: every request it receives and
 * every response it sends is validated, and whatever does not match is recorded in `violations`
 * (the fake still answers as GitHub would, e.g. 422 for an invalid body). Tests end with
 * `expectNoViolations()`, so a request that drifts from GitHub's contract fails the test.
 *
 * Behaviour follows GitHub: Bearer tokens with fine-grained permissions (or classic scopes), 403
 * with X-Accepted-GitHub-Permissions when one is missing, 404 for repositories the token cannot
 * see, rate-limit headers on every answer, ETags and 304s, cursor pagination with Link headers,
 * CVE requests and private forks that complete after a few reads. Faults on demand: failNext().
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { githubContract, type OperationMatch } from './github-openapi.js';
import {
  cvssFields,
  cweEntries,
  etagOf,
  fullRepository,
  newGhsaId,
  privateUser,
  simpleRepository,
  simpleUser,
  vulnerabilityOut,
  type FakeUser,
  type Json,
} from './fake-github-records.js';

export type Permission = 'read' | 'write';

export interface FakeToken {
  login: string;
  /** Fine-grained permissions, e.g. { repository_advisories: 'write' }. */
  permissions?: { repository_advisories?: Permission };
  /** A classic token's scopes instead (e.g. ['repo']); sent back in X-OAuth-Scopes. */
  scopes?: string[];
  /** "owner/name" the token may see; all repositories when absent. */
  repos?: string[];
}

export interface FakeRepo {
  owner: string;
  name: string;
  id: number;
  /** ghsa_id → the advisory exactly as GitHub would return it. */
  advisories: Map<string, Json>;
}

export type Failure =
  | 'unauthorized' // 401 Bad credentials
  | 'missing-permission' // 403 with X-Accepted-GitHub-Permissions: repository_advisories=write
  | 'not-found' // 404
  | 'validation' // 422 with GitHub's validation error shape
  | 'secondary-rate-limit' // 403 with retry-after and the "secondary rate limit" message
  | 'too-many-requests' // 429 with retry-after
  | 'primary-rate-limit' // 403 with x-ratelimit-remaining: 0 and a reset time
  | 'server-error' // 502
  | 'drop' // the socket is destroyed before any answer
  | 'hang'; // no answer at all (until the client gives up or the fake closes)

export interface FailureOptions {
  /** Seconds in retry-after (rate limits). Default 60. */
  retryAfter?: number;
  /** How many matching requests fail. Default 1. */
  times?: number;
  /** Only requests with this method (GET, POST, PATCH). */
  method?: string;
  /** Only requests whose path matches. */
  path?: RegExp;
}

export interface LoggedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
  /** null when the connection was dropped. */
  status: number | null;
  response: unknown;
  operation: string | null;
}

export interface FakeGitHubOptions {
  /** token → owner and permissions. Default: "ghp_test_writer" with repository_advisories: write, owned by "maintainer". */
  tokens?: Record<string, FakeToken>;
  /** "owner/name" repositories. Default: projectcontour/contour. */
  repos?: string[];
  /** Largest page the list endpoint returns (GitHub: 100); small values force pagination. */
  maxPerPage?: number;
  /** The fake's clock (advisory timestamps, rate-limit reset). Default: the real one. */
  now?: () => Date;
  /** Primary rate limit per token and window. Default 5000. */
  rateLimit?: number;
}

export interface FakeGitHub {
  url: string;
  state: { repos: Map<string, FakeRepo>; users: Map<string, FakeUser>; tokens: Map<string, FakeToken> };
  violations: string[];
  requests: LoggedRequest[];
  failNext(failure: Failure, options?: FailureOptions): void;
  /** The CVE id appears on the advisory after this many reads of it (0: at once). */
  setCveDelay(reads: number): void;
  /** The private fork appears on the advisory after this many reads of it (0: at once). */
  setForkDelay(reads: number): void;
  /** Sets the remaining requests of a token's rate-limit window (the next answers carry it). */
  setRateLimitRemaining(token: string, remaining: number): void;
  /** Adds a token (and its user); returns the token. */
  addToken(token: string, t: FakeToken): string;
  addRepo(fullName: string): FakeRepo;
  /** A reporter files a private vulnerability report through the API (state triage). */
  submitReport(fullName: string, reporterToken: string, report: { summary: string; description: string } & Json): Promise<Json>;
  /** Someone changes the advisory on GitHub itself (web UI): merges fields, bumps updated_at. */
  changeOnGitHub(fullName: string, ghsaId: string, changes: Json): Json;
  advisory(fullName: string, ghsaId: string): Json | undefined;
  /** Throws listing every request or response that broke GitHub's contract. */
  expectNoViolations(): void;
  close(): Promise<void>;
}

const DOCS = 'https://docs.github.com/rest/security-advisories/repository-advisories';

export async function startFakeGitHub(opts: FakeGitHubOptions = {}): Promise<FakeGitHub> {
  const contract = githubContract();
  const now = opts.now ?? (() => new Date());
  const iso = () =>
    now()
      .toISOString()
      .replace(/\.\d{3}Z$/, 'Z');
  const limit = opts.rateLimit ?? 5000;
  const users = new Map<string, FakeUser>();
  const tokens = new Map<string, FakeToken>();
  const repos = new Map<string, FakeRepo>();
  const violations: string[] = [];
  const requests: LoggedRequest[] = [];
  const failures: { failure: Failure; options: FailureOptions; left: number }[] = [];
  const usage = new Map<string, { used: number; reset: number }>();
  const pendingCve = new Map<string, number>();
  const pendingFork = new Map<string, { reads: number; fork: Json }>();
  let cveDelay = 0;
  let forkDelay = 0;
  let nextId = 1000;
  let cveCounter = 40000;
  let api = '';

  const user = (login: string, type: FakeUser['type'] = 'User'): FakeUser => {
    const key = login.toLowerCase();
    let u = users.get(key);
    if (!u) {
      u = { login, id: nextId++, type };
      users.set(key, u);
    }
    return u;
  };
  const addToken = (token: string, t: FakeToken) => {
    user(t.login);
    tokens.set(token, t);
    return token;
  };
  const addRepo = (fullName: string): FakeRepo => {
    const [owner, name] = fullName.split('/') as [string, string];
    user(owner, 'Organization');
    const repo: FakeRepo = { owner, name, id: nextId++, advisories: new Map() };
    repos.set(fullName.toLowerCase(), repo);
    return repo;
  };
  for (const [token, t] of Object.entries(
    opts.tokens ?? { ghp_test_writer: { login: 'maintainer', permissions: { repository_advisories: 'write' } } },
  ))
    addToken(token, t);
  for (const r of opts.repos ?? ['projectcontour/contour']) addRepo(r);

  // ---------------------------------------------------------------------------------------------
  // Advisories

  /** Pending CVE ids and forks complete after the configured number of reads. */
  function settle(repo: FakeRepo, a: Json) {
    const key = `${repo.owner}/${repo.name}/${a.ghsa_id}`.toLowerCase();
    const cve = pendingCve.get(key);
    if (cve !== undefined) {
      if (cve <= 0) {
        pendingCve.delete(key);
        a.cve_id = `CVE-${now().getUTCFullYear()}-${cveCounter++}`;
        a.identifiers = [
          { type: 'GHSA', value: a.ghsa_id },
          { type: 'CVE', value: a.cve_id },
        ];
        a.updated_at = iso();
      } else pendingCve.set(key, cve - 1);
    }
    const fork = pendingFork.get(key);
    if (fork) {
      if (fork.reads <= 0) {
        pendingFork.delete(key);
        a.private_fork = fork.fork;
        a.updated_at = iso();
      } else fork.reads--;
    }
  }

  function newAdvisory(repo: FakeRepo, body: Json, author: FakeUser, report: boolean): Json {
    const ghsa = newGhsaId();
    const at = iso();
    const scored = cvssFields(body.cvss_vector_string);
    const cwe = (body.cwe_ids as string[] | null | undefined) ?? [];
    const credits = report ? [{ login: author.login, type: 'reporter' }] : ((body.credits as Json[] | null | undefined) ?? []);
    return {
      ghsa_id: ghsa,
      cve_id: report ? null : (body.cve_id ?? null),
      url: `${api}/repos/${repo.owner}/${repo.name}/security-advisories/${ghsa}`,
      html_url: `https://github.com/${repo.owner}/${repo.name}/security/advisories/${ghsa}`,
      summary: body.summary,
      description: body.description,
      severity: scored.severity ?? body.severity ?? null,
      author: simpleUser(author, api),
      publisher: null,
      identifiers: [{ type: 'GHSA', value: ghsa }, ...(body.cve_id && !report ? [{ type: 'CVE', value: body.cve_id }] : [])],
      state: report ? 'triage' : 'draft',
      created_at: at,
      updated_at: at,
      published_at: null,
      closed_at: null,
      withdrawn_at: null,
      submission: report ? { accepted: false } : null,
      vulnerabilities: ((body.vulnerabilities as Json[] | null | undefined) ?? []).map(vulnerabilityOut),
      cvss: scored.cvss,
      cvss_severities: scored.severities,
      cwes: cweEntries(cwe),
      cwe_ids: cwe,
      credits: credits.map((c) => ({ login: c.login, type: c.type })),
      credits_detailed: credits.map((c) => ({
        user: simpleUser(user(c.login), api),
        type: c.type,
        state: report ? 'accepted' : 'pending',
      })),
      collaborating_users: [],
      collaborating_teams: [],
      private_fork: null,
    };
  }

  const TRANSITIONS: Record<string, string[]> = {
    triage: ['draft', 'closed'],
    draft: ['published', 'closed'],
    closed: ['draft'],
    published: [],
    withdrawn: [],
  };

  /** PATCH: GitHub's rules, or a 422 sentence. */
  function applyUpdate(a: Json, body: Json, actor: FakeUser): string | null {
    if (body.state !== undefined && body.state !== a.state) {
      if (!TRANSITIONS[a.state]?.includes(body.state)) return `Invalid state transition from \`${a.state}\` to \`${body.state}\`.`;
    }
    if (body.severity !== undefined && body.cvss_vector_string === undefined && a.cvss_severities?.cvss_v3?.vector_string) {
      return 'Cannot update severity value when CVSS is set.';
    }
    for (const k of ['summary', 'description'] as const) if (body[k] !== undefined) a[k] = body[k];
    if (body.cve_id !== undefined) {
      a.cve_id = body.cve_id;
      a.identifiers = [{ type: 'GHSA', value: a.ghsa_id }, ...(body.cve_id ? [{ type: 'CVE', value: body.cve_id }] : [])];
    }
    if (body.vulnerabilities !== undefined) a.vulnerabilities = (body.vulnerabilities as Json[]).map(vulnerabilityOut);
    if (body.cwe_ids !== undefined) {
      a.cwe_ids = body.cwe_ids ?? [];
      a.cwes = cweEntries(a.cwe_ids);
    }
    if (body.credits !== undefined) {
      const credits = (body.credits ?? []) as Json[];
      a.credits = credits.map((c) => ({ login: c.login, type: c.type }));
      a.credits_detailed = credits.map((c) => ({ user: simpleUser(user(c.login), api), type: c.type, state: 'pending' }));
    }
    if (body.cvss_vector_string !== undefined) {
      const scored = cvssFields(body.cvss_vector_string);
      a.cvss = scored.cvss;
      a.cvss_severities = scored.severities;
      a.severity = scored.severity ?? a.severity;
    } else if (body.severity !== undefined) a.severity = body.severity;
    if (body.collaborating_users !== undefined) {
      a.collaborating_users = ((body.collaborating_users ?? []) as string[]).map((login) => simpleUser(user(login), api));
    }
    if (body.state !== undefined && body.state !== a.state) {
      if (a.state === 'triage' && a.submission) a.submission = { accepted: true };
      a.state = body.state;
      if (body.state === 'published') {
        a.published_at = iso();
        a.publisher = simpleUser(actor, api);
      }
      if (body.state === 'closed') a.closed_at = iso();
      if (body.state === 'draft') a.closed_at = null;
    }
    a.updated_at = iso();
    return null;
  }

  // ---------------------------------------------------------------------------------------------
  // HTTP

  interface Ctx {
    req: IncomingMessage;
    res: ServerResponse;
    token: string | null;
    tokenInfo: FakeToken | null;
    op: OperationMatch | null;
    log: LoggedRequest;
  }

  function rateHeaders(token: string | null): Record<string, string> {
    const key = token ?? '(anonymous)';
    let u = usage.get(key);
    const nowS = Math.floor(now().getTime() / 1000);
    if (!u || u.reset <= nowS) {
      u = { used: 0, reset: nowS + 3600 };
      usage.set(key, u);
    }
    const max = token ? limit : 60;
    return {
      'x-ratelimit-limit': String(max),
      'x-ratelimit-remaining': String(Math.max(0, max - u.used)),
      'x-ratelimit-reset': String(u.reset),
      'x-ratelimit-used': String(u.used),
      'x-ratelimit-resource': 'core',
    };
  }

  function send(ctx: Ctx, status: number, body: unknown, headers: Record<string, string> = {}) {
    const payload = body === undefined ? '' : JSON.stringify(body);
    if (ctx.op) {
      for (const p of contract.checkResponse(ctx.op, status, body)) violations.push(`response: ${p}`);
    }
    ctx.log.status = status;
    ctx.log.response = body;
    const base: Record<string, string> = {
      'x-github-api-version-selected': '2022-11-28',
      'x-github-request-id': `FAKE:${requests.length}`,
      ...rateHeaders(ctx.token),
      ...(ctx.tokenInfo?.scopes ? { 'x-oauth-scopes': ctx.tokenInfo.scopes.join(', ') } : {}),
      ...headers,
    };
    if (payload) base['content-type'] = 'application/json; charset=utf-8';
    ctx.res.writeHead(status, base);
    ctx.res.end(payload);
  }

  const error = (ctx: Ctx, status: number, message: string, headers: Record<string, string> = {}, extra: Json = {}) =>
    send(ctx, status, { message, documentation_url: DOCS, status: String(status), ...extra }, headers);

  /** A successful JSON answer to a GET, with its ETag, or 304 when the client already has it. */
  function sendConditional(ctx: Ctx, body: unknown, headers: Record<string, string> = {}) {
    const etag = etagOf(JSON.stringify(body) + (headers.link ?? ''));
    const ifNoneMatch = ctx.req.headers['if-none-match'];
    if (
      ifNoneMatch
        ?.split(',')
        .map((s) => s.trim())
        .includes(etag)
    ) {
      // GitHub does not count a 304 against the rate limit.
      const u = usage.get(ctx.token ?? '(anonymous)');
      if (u) u.used = Math.max(0, u.used - 1);
      return send(ctx, 304, undefined, { etag });
    }
    send(ctx, 200, body, { etag, ...headers });
  }

  function injected(ctx: Ctx): boolean {
    const i = failures.findIndex(
      (f) =>
        (!f.options.method || f.options.method.toUpperCase() === ctx.log.method) && (!f.options.path || f.options.path.test(ctx.log.path)),
    );
    if (i < 0) return false;
    const f = failures[i]!;
    if (--f.left <= 0) failures.splice(i, 1);
    const retryAfter = String(f.options.retryAfter ?? 60);
    switch (f.failure) {
      case 'unauthorized':
        error(ctx, 401, 'Bad credentials');
        break;
      case 'missing-permission':
        error(ctx, 403, 'Resource not accessible by personal access token', {
          'x-accepted-github-permissions': 'repository_advisories=write',
        });
        break;
      case 'not-found':
        error(ctx, 404, 'Not Found');
        break;
      case 'validation':
        send(ctx, 422, {
          message: 'Validation Failed',
          documentation_url: DOCS,
          errors: [
            {
              resource: 'RepositoryAdvisory',
              field: 'vulnerabilities',
              code: 'invalid',
              message: 'Package name is required for a published advisory',
            },
          ],
        });
        break;
      case 'secondary-rate-limit':
        error(ctx, 403, 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.', {
          'retry-after': retryAfter,
        });
        break;
      case 'too-many-requests':
        error(ctx, 429, 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.', {
          'retry-after': retryAfter,
        });
        break;
      case 'primary-rate-limit': {
        const u = usage.get(ctx.token ?? '(anonymous)');
        if (u) u.used = limit;
        error(ctx, 403, `API rate limit exceeded for user ID ${ctx.tokenInfo ? user(ctx.tokenInfo.login).id : 0}.`);
        break;
      }
      case 'server-error':
        error(ctx, 502, 'Server Error');
        break;
      case 'drop':
        ctx.log.status = null;
        ctx.req.socket.destroy();
        break;
      case 'hang':
        ctx.log.status = null;
        break;
    }
    return true;
  }

  /** The repository the token may see, or a 404 answer. */
  function repoFor(ctx: Ctx): FakeRepo | null {
    const full = `${ctx.op!.pathParams.owner}/${ctx.op!.pathParams.repo}`.toLowerCase();
    const repo = repos.get(full);
    const visible = !ctx.tokenInfo?.repos || ctx.tokenInfo.repos.some((r) => r.toLowerCase() === full);
    if (!repo || !visible) {
      error(ctx, 404, 'Not Found');
      return null;
    }
    return repo;
  }

  /** Checks the advisory permission; answers 403 the way GitHub does when it is missing. */
  function allowed(ctx: Ctx, need: Permission): boolean {
    const t = ctx.tokenInfo!;
    if (t.scopes) {
      if (t.scopes.includes('repo') || t.scopes.includes('repository_advisories')) return true;
      error(ctx, 403, 'Resource not accessible by integration', { 'x-accepted-oauth-scopes': 'repo, repository_advisories' });
      return false;
    }
    const has = t.permissions?.repository_advisories;
    if (has === 'write' || (has === 'read' && need === 'read')) return true;
    error(ctx, 403, 'Resource not accessible by personal access token', {
      'x-accepted-github-permissions': `repository_advisories=${need}`,
    });
    return false;
  }

  function advisoryFor(ctx: Ctx, repo: FakeRepo): Json | null {
    const a = repo.advisories.get(ctx.op!.pathParams.ghsa_id!);
    if (!a) {
      error(ctx, 404, 'Not Found');
      return null;
    }
    return a;
  }

  function list(ctx: Ctx, repo: FakeRepo, query: Record<string, string>) {
    const sort = query.sort ?? 'created';
    const desc = (query.direction ?? 'desc') === 'desc';
    const key = sort === 'updated' ? 'updated_at' : sort === 'published' ? 'published_at' : 'created_at';
    for (const a of repo.advisories.values()) settle(repo, a);
    const all = [...repo.advisories.values()]
      .filter((a) => !query.state || a.state === query.state)
      .sort((x, y) => {
        const c = String(x[key] ?? '').localeCompare(String(y[key] ?? '')) || x.ghsa_id.localeCompare(y.ghsa_id);
        return desc ? -c : c;
      });
    const perPage = Math.min(Number(query.per_page ?? 30) || 30, opts.maxPerPage ?? 100);
    let start = 0;
    if (query.after) {
      const idx = all.findIndex((a) => a.ghsa_id === Buffer.from(query.after!, 'base64url').toString());
      start = idx < 0 ? all.length : idx + 1;
    }
    const page = all.slice(start, start + perPage);
    const headers: Record<string, string> = {};
    if (start + perPage < all.length) {
      const next = new URL(`${api}/repos/${repo.owner}/${repo.name}/security-advisories`);
      for (const [k, v] of Object.entries(query)) if (k !== 'after' && k !== 'before') next.searchParams.set(k, v);
      next.searchParams.set('after', Buffer.from(page[page.length - 1]!.ghsa_id).toString('base64url'));
      headers.link = `<${next.toString()}>; rel="next"`;
    }
    sendConditional(ctx, page, headers);
  }

  function route(ctx: Ctx, query: Record<string, string>, body: Json | undefined, bodyValid: boolean, bodyProblems: string[]) {
    const op = ctx.op!;
    const invalid = () =>
      send(ctx, 422, {
        message: `Invalid request.\n\n${bodyProblems.join('\n')}`,
        documentation_url: DOCS,
        errors: bodyProblems.slice(0, 10).map((p) => ({ resource: 'RepositoryAdvisory', code: 'invalid', message: p })),
      });
    const actor = user(ctx.tokenInfo!.login);
    switch (op.id) {
      case 'GET /user':
        return sendConditional(ctx, privateUser(actor, api, '2020-01-01T00:00:00Z'));
      case 'GET /repos/{owner}/{repo}/security-advisories': {
        const repo = repoFor(ctx);
        if (repo && allowed(ctx, 'read')) list(ctx, repo, query);
        return;
      }
      case 'POST /repos/{owner}/{repo}/security-advisories': {
        const repo = repoFor(ctx);
        if (!repo || !allowed(ctx, 'write')) return;
        if (!bodyValid) return invalid();
        const a = newAdvisory(repo, body!, actor, false);
        repo.advisories.set(a.ghsa_id, a);
        return send(ctx, 201, a);
      }
      case 'POST /repos/{owner}/{repo}/security-advisories/reports': {
        const repo = repoFor(ctx);
        if (!repo) return;
        if (!bodyValid) return invalid();
        const a = newAdvisory(repo, body!, actor, true);
        repo.advisories.set(a.ghsa_id, a);
        return send(ctx, 201, a);
      }
      case 'GET /repos/{owner}/{repo}/security-advisories/{ghsa_id}': {
        const repo = repoFor(ctx);
        if (!repo || !allowed(ctx, 'read')) return;
        const a = advisoryFor(ctx, repo);
        if (!a) return;
        settle(repo, a);
        return sendConditional(ctx, a);
      }
      case 'PATCH /repos/{owner}/{repo}/security-advisories/{ghsa_id}': {
        const repo = repoFor(ctx);
        if (!repo || !allowed(ctx, 'write')) return;
        const a = advisoryFor(ctx, repo);
        if (!a) return;
        if (!bodyValid) return invalid();
        const refused = applyUpdate(a, body!, actor);
        if (refused) return send(ctx, 422, { message: refused, documentation_url: DOCS });
        return send(ctx, 200, a);
      }
      case 'POST /repos/{owner}/{repo}/security-advisories/{ghsa_id}/cve': {
        const repo = repoFor(ctx);
        if (!repo || !allowed(ctx, 'write')) return;
        const a = advisoryFor(ctx, repo);
        if (!a) return;
        if (a.cve_id) return send(ctx, 422, { message: 'This advisory already has a CVE ID.', documentation_url: DOCS });
        if (a.state === 'published' || a.state === 'withdrawn') {
          return send(ctx, 422, { message: `A CVE cannot be requested for a ${a.state} advisory.`, documentation_url: DOCS });
        }
        const key = `${repo.owner}/${repo.name}/${a.ghsa_id}`.toLowerCase();
        if (!pendingCve.has(key)) pendingCve.set(key, cveDelay);
        if (cveDelay === 0) settle(repo, a);
        return send(ctx, 202, {});
      }
      case 'POST /repos/{owner}/{repo}/security-advisories/{ghsa_id}/forks': {
        const repo = repoFor(ctx);
        if (!repo || !allowed(ctx, 'write')) return;
        const a = advisoryFor(ctx, repo);
        if (!a) return;
        const key = `${repo.owner}/${repo.name}/${a.ghsa_id}`.toLowerCase();
        const name = `${repo.name}-${a.ghsa_id.toLowerCase()}`;
        const existing = a.private_fork ?? pendingFork.get(key)?.fork;
        const id = existing?.id ?? nextId++;
        const at = iso();
        const owner = user(repo.owner, 'Organization');
        if (!existing) {
          pendingFork.set(key, { reads: forkDelay, fork: simpleRepository(owner, name, id, true, api) });
          if (forkDelay === 0) settle(repo, a);
        }
        return send(ctx, 202, fullRepository(owner, name, id, true, api, at));
      }
      default:
        return error(ctx, 404, 'Not Found');
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://fake');
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const query = Object.fromEntries(url.searchParams);
    const log: LoggedRequest = {
      method: (req.method ?? 'GET').toUpperCase(),
      path: url.pathname,
      query,
      headers: { ...req.headers },
      body: undefined,
      status: null,
      response: undefined,
      operation: null,
    };
    requests.push(log);
    const auth = req.headers.authorization;
    const token = auth?.match(/^(?:Bearer|token) (.+)$/i)?.[1] ?? null;
    const ctx: Ctx = { req, res, token, tokenInfo: token ? (tokens.get(token) ?? null) : null, op: null, log };

    let body: Json | undefined;
    let bodyProblems: string[] = [];
    if (raw) {
      try {
        body = JSON.parse(raw) as Json;
        log.body = body;
      } catch {
        log.body = raw;
        bodyProblems = ['the request body is not JSON'];
      }
    }
    const checked = contract.checkRequest({
      method: log.method,
      path: log.path,
      query,
      body: raw && !bodyProblems.length ? body : raw ? raw : undefined,
    });
    ctx.op = checked.operation;
    log.operation = checked.operation?.id ?? null;
    for (const p of [...bodyProblems, ...checked.problems]) violations.push(`request: ${p}`);
    if (req.headers['content-type'] && raw && !String(req.headers['content-type']).startsWith('application/json')) {
      violations.push(`request: ${log.method} ${log.path} sent a body as ${req.headers['content-type']}, not application/json`);
    }
    const bodyInvalid = bodyProblems.length > 0 || checked.problems.some((p) => p.includes('request body') || p.includes('needs a JSON'));

    if (!ctx.op) return error(ctx, 404, 'Not Found');
    rateHeaders(token); // opens the token's window if needed
    usage.get(token ?? '(anonymous)')!.used++;
    if (injected(ctx)) return;
    if (!token || !ctx.tokenInfo) {
      return error(ctx, 401, token ? 'Bad credentials' : 'Requires authentication');
    }
    const rl = usage.get(token)!;
    if (rl.used > limit) {
      return error(ctx, 403, `API rate limit exceeded for user ID ${user(ctx.tokenInfo.login).id}.`);
    }
    route(ctx, query, body, !bodyInvalid, [
      ...bodyProblems,
      ...checked.problems.filter((p) => p.includes('request body') || p.includes('needs a JSON')),
    ]);
  }

  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      violations.push(`fake GitHub crashed: ${err instanceof Error ? err.stack : String(err)}`);
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  api = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const fake: FakeGitHub = {
    url: api,
    state: { repos, users, tokens },
    violations,
    requests,
    failNext(failure, options = {}) {
      failures.push({ failure, options, left: options.times ?? 1 });
    },
    setCveDelay(reads) {
      cveDelay = reads;
    },
    setForkDelay(reads) {
      forkDelay = reads;
    },
    setRateLimitRemaining(token, remaining) {
      rateHeaders(token);
      // The request that carries the header has already counted; leave `remaining` after it.
      usage.get(token)!.used = limit - remaining - 1;
    },
    addToken,
    addRepo,
    async submitReport(fullName, reporterToken, report) {
      const res = await fetch(`${api}/repos/${fullName}/security-advisories/reports`, {
        method: 'POST',
        headers: { authorization: `Bearer ${reporterToken}`, 'content-type': 'application/json', accept: 'application/vnd.github+json' },
        body: JSON.stringify(report),
      });
      const json = (await res.json()) as Json;
      if (res.status !== 201) throw new Error(`the fake refused the report: ${res.status} ${JSON.stringify(json)}`);
      return json;
    },
    changeOnGitHub(fullName, ghsaId, changes) {
      const repo = repos.get(fullName.toLowerCase());
      const a = repo?.advisories.get(ghsaId);
      if (!repo || !a) throw new Error(`the fake has no advisory ${ghsaId} in ${fullName}`);
      Object.assign(a, changes, { updated_at: iso() });
      if (changes.cve_id)
        a.identifiers = [
          { type: 'GHSA', value: a.ghsa_id },
          { type: 'CVE', value: changes.cve_id },
        ];
      return a;
    },
    advisory(fullName, ghsaId) {
      return repos.get(fullName.toLowerCase())?.advisories.get(ghsaId);
    },
    expectNoViolations() {
      if (violations.length) throw new Error(`GitHub's contract was broken:\n${violations.join('\n')}`);
    },
    close() {
      for (const s of sockets) s.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
  return fake;
}
