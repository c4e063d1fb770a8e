/**
 * The GitHub part of EmbargoClient (`client.github`): the same calls on the local database (through
 * src/app, as the local admin) or through a server's API. Both return the API's response bodies.
 * Local mode reports a GitHubFailure as a CliError with its sentence, as the API would.
 */
import type { Actor } from '../app/actor.js';
import type { App } from '../app/app.js';
import {
  advisoryStatus,
  createFork,
  pushAdvisory,
  requestCve,
  syncAdvisory,
  type AdvisoryStatus,
  type CveResult,
  type ForkResult,
  type PushResult,
  type SyncResult,
} from '../app/github-advisory.js';
import {
  checkGitHubConnection,
  connectGitHub,
  disconnectGitHub,
  listGitHubConnections,
  type ConnectionView,
} from '../app/github-connection.js';
import { GitHubFailure } from '../app/github-errors.js';
import { importReports, type ImportResult } from '../app/github-import.js';
import { setGitHubLogin } from '../app/github-logins.js';
import { publicationCheck, publishAdvisory, type PublishResult } from '../app/github-publish.js';
import { recordVerifiedReleases } from '../app/github-releases.js';
import type { Case } from '../domain/case/types.js';
import { CliError, EXIT_FAILURE } from './errors.js';

export interface ConnectGitHubInput {
  project: string;
  repository: string;
  token: string;
  apiUrl?: string;
}

export interface ReleaseChecks {
  fixCommit: string;
  checks: { tag: string; contains: boolean }[];
}

export interface GitHubCommands {
  connect(input: ConnectGitHubInput): Promise<ConnectionView>;
  check(project: string): Promise<ConnectionView>;
  disconnect(project: string): Promise<void>;
  connections(): Promise<{ connections: ConnectionView[] }>;
  setLogin(username: string, login: string | null): Promise<{ username: string; githubLogin: string | null }>;
  push(caseId: string, opts: { dryRun?: boolean }): Promise<PushResult>;
  requestCve(caseId: string): Promise<CveResult>;
  fork(caseId: string): Promise<ForkResult>;
  status(caseId: string): Promise<AdvisoryStatus>;
  publication(caseId: string): Promise<{ allowed: boolean; blockers: string[]; step: string | null }>;
  publish(caseId: string, opts: { override?: boolean; reason?: string }): Promise<PublishResult>;
  sync(caseId: string): Promise<SyncResult>;
  importReports(project: string): Promise<ImportResult>;
  recordVerifiedReleases(caseId: string, checks: ReleaseChecks): Promise<Case>;
}

async function local<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof GitHubFailure) throw new CliError(err.message, EXIT_FAILURE);
    throw err;
  }
}

export function localGitHubCommands(app: () => Promise<App>, actor: () => Actor): GitHubCommands {
  const on = <T>(f: (a: App, who: Actor) => Promise<T>) => local(async () => f(await app(), actor()));
  return {
    connect: (input) => on((a, who) => connectGitHub(a, who, input)),
    check: (project) => on((a, who) => checkGitHubConnection(a, who, project)),
    disconnect: (project) => on((a, who) => disconnectGitHub(a, who, project)),
    connections: () => on(async (a, who) => ({ connections: await listGitHubConnections(a, who) })),
    setLogin: (username, login) => on((a, who) => setGitHubLogin(a, who, username, login)),
    push: (id, opts) => on((a, who) => pushAdvisory(a, who, id, opts)),
    requestCve: (id) => on((a, who) => requestCve(a, who, id)),
    fork: (id) => on((a, who) => createFork(a, who, id)),
    status: (id) => on((a, who) => advisoryStatus(a, who, id)),
    publication: (id) =>
      on(async (a, who) => {
        const { blockers, step } = await publicationCheck(a, who, id);
        return { allowed: blockers.length === 0, blockers, step };
      }),
    publish: (id, opts) => on((a, who) => publishAdvisory(a, who, id, opts)),
    sync: (id) => on((a, who) => syncAdvisory(a, who, id)),
    importReports: (project) => on((a, who) => importReports(a, who, project)),
    recordVerifiedReleases: (id, checks) => on((a, who) => recordVerifiedReleases(a, who, id, checks)),
  };
}

type Request = <T>(method: string, path: string, body?: unknown) => Promise<T>;

export function httpGitHubCommands(request: Request): GitHubCommands {
  const caseUrl = (id: string, rest: string) => `/cases/${encodeURIComponent(id)}${rest}`;
  const project = (p: string) => `/github/connections/${encodeURIComponent(p)}`;
  return {
    connect: (input) =>
      request('PUT', project(input.project), {
        repository: input.repository,
        token: input.token,
        ...(input.apiUrl ? { apiUrl: input.apiUrl } : {}),
      }),
    check: (p) => request('POST', `${project(p)}/check`),
    disconnect: async (p) => {
      await request<void>('DELETE', project(p));
    },
    connections: () => request('GET', '/github/connections'),
    setLogin: (username, login) => request('PUT', `/users/${encodeURIComponent(username)}/github-login`, { login }),
    push: (id, opts) => request('POST', caseUrl(id, '/advisory/push'), opts.dryRun ? { dryRun: true } : {}),
    requestCve: (id) => request('POST', caseUrl(id, '/advisory/cve'), {}),
    fork: (id) => request('POST', caseUrl(id, '/advisory/fork'), {}),
    status: (id) => request('GET', caseUrl(id, '/advisory')),
    publication: (id) => request('GET', caseUrl(id, '/advisory/publication')),
    publish: (id, opts) =>
      request('POST', caseUrl(id, '/advisory/publish'), {
        ...(opts.override ? { override: true } : {}),
        ...(opts.reason !== undefined ? { reason: opts.reason } : {}),
      }),
    sync: (id) => request('POST', caseUrl(id, '/advisory/sync'), {}),
    importReports: (p) => request('POST', '/github/imports', { project: p }),
    recordVerifiedReleases: (id, checks) => request('POST', caseUrl(id, '/release-verifications'), checks),
  };
}
