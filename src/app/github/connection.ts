/**
 * A project's GitHub connection: the repository its advisories live in and a token that may write
 * them. The token is checked before it is stored (GET /user, then the repository's advisories),
 * stored only encrypted, and never handed back: views say "token set, checked <time>".
 */
import { gitHubChecked, gitHubConnected, gitHubDisconnected } from '../../domain/advisory/events.js';
import type { Kysely } from 'kysely';
import { PROJECT_PATTERN } from '../../domain/case/create-case.js';
import { DomainError, invalidInput } from '../../domain/errors.js';
import { createGitHubClient, type GitHubClient, type GitHubClientOptions, type GitHubRepo } from '../../integrations/github/client.js';
import { appendEvents } from '../../store/events.js';
import { deleteConnection, getConnection, listConnections, saveConnection, type GitHubConnectionRecord } from '../../store/github.js';
import type { Database } from '../../store/schema.js';
import { requireReadWrite, requireScope, type Actor } from '../actor.js';
import { manageableProject, roleIn } from '../projects.js';
import type { App } from '../app.js';
import { githubApiUrl } from '../config.js';
import { onGitHub } from './errors.js';
import { openSecretBox, type SecretBox } from '../secret-box.js';

/** How GitHub calls behave for one app: tests pin the waits; production waits for real. */
export interface GitHubTuning {
  sleep: (ms: number) => Promise<void>;
  /** How often to look for the CVE id or the fork after asking for it, and how long between looks. */
  pollAttempts: number;
  pollIntervalMs: number;
  fetch?: typeof fetch;
  maxRetryAfterSeconds?: number;
}

const DEFAULT_TUNING: GitHubTuning = {
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  pollAttempts: 5,
  pollIntervalMs: 2000,
};

const tunings = new WeakMap<App, GitHubTuning>();
const boxes = new WeakMap<App, SecretBox>();

/** For tests (and embedders): how this app waits and polls. */
export function tuneGitHub(app: App, tuning: Partial<GitHubTuning>): void {
  tunings.set(app, { ...gitHubTuning(app), ...tuning });
}

export function gitHubTuning(app: App): GitHubTuning {
  return tunings.get(app) ?? DEFAULT_TUNING;
}

/**
 * The key is read (or the key file created) on first use, not at start: most commands never need it.
 * A key that cannot be used (a key file others can read, a changed key) is the operator's to fix: a
 * conflict with the sentence, not a server error.
 */
export function secretBox(app: App): SecretBox {
  let box = boxes.get(app);
  if (!box) {
    box = keyProblem(() => openSecretBox(app.config));
    boxes.set(app, box);
  }
  return box;
}

/** After a key rotation: the box sealing with the new key replaces the one read at first use. */
export function adoptSecretBox(app: App, box: SecretBox): void {
  boxes.set(app, box);
}

function keyProblem<T>(use: () => T): T {
  try {
    return use();
  } catch (err) {
    if (err instanceof DomainError) throw err;
    throw new DomainError('conflict', `the GitHub token cannot be used: ${(err as Error).message}`);
  }
}

const REPO_PATTERN = /^([A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38})\/([A-Za-z0-9._-]{1,100})$/;

export function parseRepository(value: unknown): GitHubRepo {
  const text =
    typeof value === 'string'
      ? value
          .trim()
          .replace(/^https:\/\/github\.com\//, '')
          .replace(/\.git$/, '')
      : '';
  const m = REPO_PATTERN.exec(text);
  if (!m || m[2] === '.' || m[2] === '..')
    throw invalidInput(`repository "${String(value).slice(0, 120)}" is not a GitHub repository like projectcontour/contour`, {
      field: 'repository',
    });
  return { owner: m[1]!, name: m[2]! };
}

export function parseProject(value: unknown): string {
  const text = typeof value === 'string' ? value.trim().toLowerCase() : '';
  if (!PROJECT_PATTERN.test(text))
    throw invalidInput('project must be a slug of lower-case letters, digits, dots, dashes or underscores, like contour', {
      field: 'project',
    });
  return text;
}

function parseToken(value: unknown): string {
  const text = typeof value === 'string' ? value.trim() : '';
  if (text === '') throw invalidInput('the GitHub token is empty', { field: 'token' });
  // Never echo the value: a token pasted into the wrong field is still a token.
  if (text.length > 400 || !/^[\x21-\x7e]+$/.test(text))
    throw invalidInput('the GitHub token must be one line of printable characters without spaces (at most 400)', { field: 'token' });
  return text;
}

/** What anyone may see of a connection: never the token, not even part of it. */
export interface ConnectionView {
  project: string;
  repository: string;
  apiUrl: string;
  tokenSet: true;
  login: string | null;
  createdBy: string;
  createdAt: string;
  checkedBy: string | null;
  checkedAt: string | null;
  checkOk: boolean;
  checkResult: string;
  /** "token set, checked 2026-11-25T10:00:00.000Z: ok" */
  status: string;
}

export function presentConnection(c: GitHubConnectionRecord): ConnectionView {
  const checked = c.checkedAt ? `checked ${c.checkedAt}` : 'never checked';
  return {
    project: c.project,
    repository: `${c.owner}/${c.name}`,
    apiUrl: c.apiUrl,
    tokenSet: true,
    login: c.login,
    createdBy: c.createdBy,
    createdAt: c.createdAt,
    checkedBy: c.checkedBy,
    checkedAt: c.checkedAt,
    checkOk: c.checkOk,
    checkResult: c.checkResult,
    status: `token set, ${checked}: ${c.checkOk ? 'ok' : c.checkResult}`,
  };
}

const clients = new WeakMap<App, Map<string, GitHubClient>>();

/**
 * A client for a connection; the token is decrypted only here and lives only inside the client.
 * One client per stored token, kept for the app's life, so what GitHub said about the rate limit
 * (x-ratelimit-remaining: 0) holds back the next request too instead of being forgotten.
 */
export function clientFor(app: App, connection: GitHubConnectionRecord): GitHubClient {
  let cache = clients.get(app);
  if (!cache) clients.set(app, (cache = new Map()));
  const key = `${connection.project}\n${connection.apiUrl}\n${connection.sealedToken.ciphertext}`;
  let client = cache.get(key);
  if (!client) {
    client = newClient(app, connection);
    // A replaced token (or api URL) makes a new key; drop the project's old client with it.
    for (const k of cache.keys()) if (k.startsWith(`${connection.project}\n`)) cache.delete(k);
    cache.set(key, client);
  }
  return client;
}

function newClient(app: App, connection: GitHubConnectionRecord): GitHubClient {
  const box = secretBox(app);
  const token = keyProblem(() => box.open(connection.sealedToken, connection.project));
  const t = gitHubTuning(app);
  const options: GitHubClientOptions = { baseUrl: connection.apiUrl, token, sleep: t.sleep, userAgent: 'embargo' };
  if (t.fetch) options.fetch = t.fetch;
  if (t.maxRetryAfterSeconds !== undefined) options.maxRetryAfterSeconds = t.maxRetryAfterSeconds;
  return createGitHubClient(options);
}

export interface Connected {
  connection: GitHubConnectionRecord;
  repo: GitHubRepo;
  client: GitHubClient;
}

/** The project's connection with a ready client, or null: no connection means manual mode. */
export async function connectionOf(app: App, db: Kysely<Database>, project: string): Promise<Connected | null> {
  const connection = await getConnection(db, project);
  if (!connection) return null;
  return { connection, repo: { owner: connection.owner, name: connection.name }, client: clientFor(app, connection) };
}

/** GET /user, then the repository's advisories: the token works and may see them. Throws GitHubFailure. */
async function check(client: GitHubClient, repo: GitHubRepo): Promise<{ login: string; result: string }> {
  const user = await onGitHub(() => client.authenticatedUser());
  await onGitHub(() => client.checkAdvisoryAccess(repo));
  return { login: user.login, result: `the token of ${user.login} can read the security advisories of ${repo.owner}/${repo.name}` };
}

export interface ConnectInput {
  project: unknown;
  repository: unknown;
  token: unknown;
  apiUrl?: unknown;
}

/**
 * Connects a project to its repository (admins). The token is checked first and stored only when
 * the check passes; a failed check stores nothing and says what GitHub refused.
 */
export async function connectGitHub(app: App, actor: Actor, input: ConnectInput): Promise<ConnectionView> {
  requireScope(actor, 'write');
  // Advisories (embargoed details) go to the repository connected here.
  requireReadWrite(actor, 'this admin work');
  const project = await manageableProject(app, actor, parseProject(input.project));
  const repo = parseRepository(input.repository);
  const token = parseToken(input.token);
  let apiUrl: string;
  try {
    apiUrl =
      input.apiUrl === undefined || input.apiUrl === null || input.apiUrl === ''
        ? (app.config.githubApiUrl ?? githubApiUrl(undefined))
        : githubApiUrl(String(input.apiUrl), 'apiUrl');
  } catch (err) {
    throw invalidInput((err as Error).message, { field: 'apiUrl' });
  }
  const box = secretBox(app);
  const t = gitHubTuning(app);
  const client = createGitHubClient({ baseUrl: apiUrl, token, sleep: t.sleep, ...(t.fetch ? { fetch: t.fetch } : {}) });
  const { login, result } = await check(client, repo);
  const now = app.clock().toISOString();
  const record: GitHubConnectionRecord = {
    project,
    owner: repo.owner,
    name: repo.name,
    sealedToken: box.seal(token, project),
    apiUrl,
    createdBy: actor.name,
    createdAt: now,
    checkedBy: actor.name,
    checkedAt: now,
    checkOk: true,
    checkResult: result,
    login,
  };
  await app.store.write(async (tx) => {
    await saveConnection(tx, record);
    await appendEvents(tx, {
      actor: actor.name,
      at: app.clock(),
      events: [gitHubConnected(project, `${repo.owner}/${repo.name}`, apiUrl, login)],
    });
  });
  return presentConnection(record);
}

/** Checks a stored connection again and records the result (also when it fails). */
export async function checkGitHubConnection(app: App, actor: Actor, projectInput: unknown): Promise<ConnectionView> {
  requireScope(actor, 'write');
  const project = await manageableProject(app, actor, parseProject(projectInput));
  const connected = await app.store.read((db) => connectionOf(app, db, project));
  if (!connected)
    throw new DomainError(
      'not_found',
      `project ${project} has no GitHub connection; connect it with embargo github connect --project ${project} --repo OWNER/NAME --token-file FILE`,
    );
  let outcome: { ok: boolean; result: string; login: string | null };
  let failure: unknown = null;
  try {
    const { login, result } = await check(connected.client, connected.repo);
    outcome = { ok: true, result, login };
  } catch (err) {
    failure = err;
    outcome = { ok: false, result: (err as Error).message, login: connected.connection.login };
  }
  const now = app.clock().toISOString();
  const record = {
    ...connected.connection,
    checkedBy: actor.name,
    checkedAt: now,
    checkOk: outcome.ok,
    checkResult: outcome.result,
    login: outcome.login,
  };
  await app.store.write(async (tx) => {
    await saveConnection(tx, record);
    await appendEvents(tx, {
      actor: actor.name,
      at: app.clock(),
      events: [gitHubChecked(project, outcome.ok, outcome.result)],
    });
  });
  if (failure) throw failure;
  return presentConnection(record);
}

export async function disconnectGitHub(app: App, actor: Actor, projectInput: unknown): Promise<void> {
  requireScope(actor, 'write');
  const project = await manageableProject(app, actor, parseProject(projectInput));
  await app.store.write(async (tx) => {
    if (!(await deleteConnection(tx, project))) throw new DomainError('not_found', `project ${project} has no GitHub connection`);
    await appendEvents(tx, {
      actor: actor.name,
      at: app.clock(),
      events: [gitHubDisconnected(project)],
    });
  });
}

/** Every project's connection (no tokens); any signed-in user may see which repository a project uses. */
/** The connections of the projects the actor belongs to (instance admins: all). */
export async function listGitHubConnections(app: App, actor: Actor): Promise<ConnectionView[]> {
  requireScope(actor, 'read');
  const rows = await app.store.read(async (db) => {
    const all = await listConnections(db);
    const mine = [];
    for (const c of all) if (await roleIn(db, actor, c.project)) mine.push(c);
    return mine;
  });
  return rows.map(presentConnection);
}
