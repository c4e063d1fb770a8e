/**
 * One interface for everything the CLI does, so each command is written once:
 *  - LocalClient works directly on the local database through src/app, as the local admin
 *    (whoever can open the database file holds the keys anyway);
 *  - HttpClient talks to a running server's REST API with an API token.
 * Both return the API's response bodies, so `--json` prints the same shape in either mode.
 */
import { userInfo } from 'node:os';
import * as access from '../app/access.js';
import * as accounts from '../app/accounts.js';
import type { IssuedToken, PublicUser } from '../app/accounts.js';
import { localActor, type Actor, type Role, type Scope } from '../app/actor.js';
import { openApp, type App } from '../app/app.js';
import * as audit from '../app/audit.js';
import * as cases from '../app/cases.js';
import * as exportsApp from '../app/exports.js';
import * as messagesApp from '../app/messages.js';
import type { Draft, MessageView, Sent } from '../app/messages.js';
import * as outboxApp from '../app/outbox.js';
import type { CopiedMessage } from '../app/outbox.js';
import type { CaseFileImport } from '../app/exports.js';
import type { ExportFormat } from '../domain/exports/index.js';
import * as guard from '../app/guard.js';
import * as intake from '../app/intake.js';
import * as portal from '../app/portal.js';
import type { IssuedPortalLink, ReplyView } from '../app/portal.js';
import type { CaseGuardTerm } from '../app/guard.js';
import * as registerApp from '../app/register.js';
import type { AgreementResult, CaseAcks, CaseRegister } from '../app/register.js';
import type { Disclosure, Distributor, LeakIncident } from '../domain/disclosure/types.js';
import type { AnswerInput, DisclosureInput, DistributorInput, LeakInput } from '../domain/disclosure/validate.js';
import type { Config } from '../app/config.js';
import { loadPlaybooks, type PlaybookRegistry } from '../app/playbooks.js';
import type { Case } from '../domain/case/types.js';
import type { TermsFile } from '../domain/guard/terms-file.js';
import { stepViews, type Playbook, type StepView } from '../domain/playbook/index.js';
import { presentCaseSummary, presentEvent } from '../server/presenters.js';
import { CliError, EXIT_FAILURE, fromCoded, usageError } from './errors.js';
import { httpGitHubCommands, localGitHubCommands, type GitHubCommands } from './github-client.js';

export type CaseSummary = ReturnType<typeof presentCaseSummary>;
export type EventView = ReturnType<typeof presentEvent>;

export interface CaseWithSteps {
  case: Case;
  steps: StepView[];
}

export interface AccessEntry {
  userId: string;
  username: string;
  grantedBy: string;
  grantedAt: string;
}

export interface TokenInfo {
  id: string;
  name: string;
  scopes: string[];
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
  /** Local mode only, when listing every user's tokens: whose token it is. */
  username?: string;
}

export interface AuditVerification {
  ok: boolean;
  checked: number;
  firstBroken: { seq: number; reason: string } | null;
}

export interface NewUserInput {
  username: string;
  password: string;
  displayName?: string;
  role: Role;
}

export interface ReporterInput {
  name: string;
  contact: string;
  company?: string | null;
  credit?: string;
}

export interface NewCaseInput {
  title: string;
  project?: string;
  playbook?: string;
  reporter?: ReporterInput;
}

/** A report that arrived by mail, as `case new --from-eml` read it. */
export interface MailReportInput extends NewCaseInput {
  description: string;
  reportedAt?: string | null;
  messageId?: string | null;
  attachments?: string[];
}

export interface SendMessageInput {
  kind: string;
  subject?: string;
  body?: string;
  to?: string[];
  via?: 'smtp' | 'copy';
}

/** The PATCH body: every key optional, null clears. */
export interface CaseEditInput {
  title?: string;
  reporter?: ReporterInput | null;
  ghsaId?: string | null;
  cveId?: string | null;
  cvss?: string[] | null;
  cwe?: string[] | null;
  affected?: { introduced: string; fixed: string | null }[] | null;
  description?: string | null;
  package?: { ecosystem: string; name: string; repository?: string } | null;
  workarounds?: string | null;
  references?: string[] | null;
  credits?: { name?: string; anonymous?: boolean; login?: string; type: string }[] | null;
  publishedAt?: string | null;
  forkUrl?: string | null;
}

export interface EmbargoClient {
  readonly mode: 'local' | 'remote';
  /** GitHub connection, advisory push/CVE/fork/publish/sync/import, verified releases (src/cli/github-client.ts). */
  readonly github: GitHubCommands;
  /** Where the data is, for messages: the server URL or "the local database". */
  readonly where: string;

  addUser(input: NewUserInput): Promise<PublicUser>;
  listUsers(): Promise<{ users: PublicUser[] }>;

  createToken(input: { name: string; scopes?: Scope[]; username?: string }): Promise<IssuedToken>;
  listTokens(username?: string): Promise<{ tokens: TokenInfo[] }>;
  revokeToken(id: string): Promise<void>;

  createCase(input: NewCaseInput): Promise<Case>;
  listCases(query: { q?: string; status?: string }): Promise<{ cases: CaseSummary[] }>;
  showCase(id: string): Promise<Case>;
  caseSteps(id: string): Promise<CaseWithSteps>;
  completeStep(id: string, step: string, confirm: string[]): Promise<CaseWithSteps>;
  skipStep(id: string, step: string, reason: string): Promise<CaseWithSteps>;
  reopenStep(id: string, step: string, reason: string): Promise<CaseWithSteps>;
  editCase(id: string, edit: CaseEditInput): Promise<Case>;
  setEmbargo(id: string, input: { endsAt: string; timeZone: string }): Promise<Case>;
  planRelease(id: string, lines: { line: string; version: string }[]): Promise<Case>;
  recordRelease(id: string, input: { line: string; tag?: string }): Promise<Case>;
  caseEvents(id: string): Promise<{ events: EventView[] }>;
  caseAccess(id: string): Promise<{ access: AccessEntry[] }>;
  grantAccess(id: string, username: string): Promise<{ access: AccessEntry[] }>;
  revokeAccess(id: string, username: string): Promise<{ access: AccessEntry[] }>;

  verifyAudit(): Promise<AuditVerification>;

  /** The case as an advisory document (OSV, CVE JSON 5, CSAF 2.0, GHSA request body, Markdown); the read is audited. */
  exportCase(id: string, format: ExportFormat): Promise<string>;
  /** Creates or updates a case from a case file's text (YAML or JSON), all changes in one transaction. */
  importCaseFile(text: string): Promise<CaseFileImport>;
  /** The case as a case file (YAML, without the reporter's contact); the read is audited. */
  caseFile(id: string): Promise<string>;

  /** Opens a case from a report that arrived by mail (the CLI parsed it), in one transaction. */
  importReport(input: MailReportInput): Promise<Case>;
  /** Issues the reporter's portal link (the old one stops working); the URL is shown this once. */
  createPortalLink(id: string, input: { expiresInDays?: number }): Promise<IssuedPortalLink>;
  revokePortalLink(id: string): Promise<{ caseId: string; revoked: boolean }>;
  /** What the reporter wrote through the portal; the read is audited. */
  caseReplies(id: string): Promise<{ replies: ReplyView[] }>;

  /** Leak guard: the terms file (salted hashes) for the cases the caller may see; needs the guard scope. */
  guardTerms(): Promise<TermsFile>;
  caseGuardTerms(id: string): Promise<{ terms: CaseGuardTerm[] }>;
  addCaseGuardTerms(id: string, terms: string[]): Promise<{ terms: CaseGuardTerm[]; added: number }>;
  removeCaseGuardTerm(id: string, termId: string): Promise<{ terms: CaseGuardTerm[] }>;

  /** The checklist's mails: the rendered template with its lint result (an audited read). */
  draftMessage(id: string, kind: string): Promise<Draft>;
  /** Lints and queues a mail (the template, or the edited text); refused with the findings on a lint error. */
  sendMessage(id: string, input: SendMessageInput): Promise<Sent>;
  caseMessages(id: string): Promise<{ messages: MessageView[] }>;
  showMessage(messageId: string): Promise<MessageView>;
  retryMessage(messageId: string): Promise<MessageView>;
  /** The exact From/To/Subject/body to paste into a list's web interface; the worker will not send it. */
  copyMessage(messageId: string): Promise<CopiedMessage>;
  markMessageSent(messageId: string, at?: string): Promise<MessageView>;
  /** Failed messages and those that may have been sent (admins). */
  messagesNeedingAttention(): Promise<{ messages: MessageView[] }>;

  /** Who knows (docs/register.md): the distributors list's members (changes: admins), and per case the register, leaks and answers. */
  listDistributors(all?: boolean): Promise<{ distributors: Distributor[] }>;
  addDistributor(input: DistributorInput): Promise<Distributor>;
  editDistributor(distributorId: string, input: DistributorInput): Promise<Distributor>;
  removeDistributor(distributorId: string): Promise<Distributor>;
  caseRegister(id: string): Promise<CaseRegister>;
  recordDisclosure(id: string, input: DisclosureInput): Promise<Disclosure>;
  caseLeaks(id: string): Promise<{ leaks: LeakIncident[] }>;
  reportLeak(id: string, input: LeakInput): Promise<LeakIncident>;
  updateLeak(id: string, leakId: string, input: LeakInput): Promise<LeakIncident>;
  caseAcks(id: string): Promise<CaseAcks>;
  recordAnswer(id: string, distributorId: string, input: AnswerInput): Promise<CaseAcks>;
  clearAnswer(id: string, distributorId: string): Promise<CaseAcks>;
  agreeEmbargo(id: string): Promise<AgreementResult>;

  /** The playbooks, and the one new cases follow when none is named. */
  listPlaybooks(): Promise<{ defaultPlaybook: string; playbooks: Playbook[] }>;
  /** No id: the default playbook. */
  getPlaybook(id?: string): Promise<Playbook>;

  close(): Promise<void>;
}

function presentAccess(list: { userId: string; username: string; grantedBy: string; grantedAt: string }[]): { access: AccessEntry[] } {
  return { access: list.map((a) => ({ userId: a.userId, username: a.username, grantedBy: a.grantedBy, grantedAt: a.grantedAt })) };
}

/** The OS user running the CLI; the audit log records local changes as `local:<name>`. */
function osUsername(): string {
  try {
    return userInfo().username || process.env.USER || 'unknown';
  } catch {
    return process.env.USER || process.env.USERNAME || 'unknown';
  }
}

export class LocalClient implements EmbargoClient {
  readonly mode = 'local' as const;
  readonly github: GitHubCommands = localGitHubCommands(
    () => this.app(),
    () => this.actor,
  );
  readonly where = 'the local database';
  private readonly actor: Actor;
  private opened: Promise<App> | undefined;
  private registry: Promise<PlaybookRegistry> | undefined;

  constructor(
    private readonly config: Config,
    options: { osUser?: string } = {},
  ) {
    this.actor = localActor(options.osUser ?? osUsername());
  }

  /** Opens the database on first use, so `playbook list` never touches it. */
  app(): Promise<App> {
    this.opened ??= openApp(this.config);
    return this.opened;
  }

  private playbooks(): Promise<PlaybookRegistry> {
    if (this.opened) return this.opened.then((a) => a.playbooks);
    this.registry ??= loadPlaybooks(this.config.playbooksDir);
    return this.registry;
  }

  private async withSteps(app: App, c: Case): Promise<CaseWithSteps> {
    return { case: c, steps: stepViews(app.playbooks.get(c.playbook), c, app.clock()) };
  }

  async addUser(input: NewUserInput): Promise<PublicUser> {
    const app = await this.app();
    // The very first user is the bootstrap: nobody exists yet who could have added them.
    const actor = (await accounts.hasUsers(app)) ? this.actor : null;
    return accounts.addUser(app, actor, input);
  }

  async listUsers() {
    return { users: await accounts.listUsers(await this.app(), this.actor) };
  }

  async createToken(input: { name: string; scopes?: Scope[]; username?: string }) {
    if (!input.username) {
      throw usageError('say which user the token is for with --user NAME (without --server there is no signed-in user)');
    }
    return accounts.createApiToken(await this.app(), this.actor, input);
  }

  async listTokens(username?: string) {
    const app = await this.app();
    const owners = username ? [username] : (await accounts.listUsers(app, this.actor)).map((u) => u.username);
    const tokens: TokenInfo[] = [];
    for (const owner of owners) {
      tokens.push(...(await accounts.listApiTokens(app, this.actor, owner)).map((t) => ({ ...t, username: owner })));
    }
    return { tokens };
  }

  async revokeToken(id: string) {
    return accounts.revokeApiToken(await this.app(), this.actor, id);
  }

  async createCase(input: NewCaseInput) {
    return cases.createCase(await this.app(), this.actor, input);
  }

  async listCases(query: { q?: string; status?: string }) {
    return { cases: (await cases.listCases(await this.app(), this.actor, query)).map(presentCaseSummary) };
  }

  async showCase(id: string) {
    return cases.showCase(await this.app(), this.actor, id);
  }

  async caseSteps(id: string) {
    const { case: c, steps } = await cases.caseSteps(await this.app(), this.actor, id);
    return { case: c, steps };
  }

  async completeStep(id: string, step: string, confirm: string[]) {
    const app = await this.app();
    return this.withSteps(app, await cases.completeStep(app, this.actor, id, step, confirm));
  }

  async skipStep(id: string, step: string, reason: string) {
    const app = await this.app();
    return this.withSteps(app, await cases.skipStep(app, this.actor, id, step, reason));
  }

  async reopenStep(id: string, step: string, reason: string) {
    const app = await this.app();
    return this.withSteps(app, await cases.reopenStep(app, this.actor, id, step, reason));
  }

  async editCase(id: string, edit: CaseEditInput) {
    return cases.editCase(await this.app(), this.actor, id, edit);
  }

  async setEmbargo(id: string, input: { endsAt: string; timeZone: string }) {
    return cases.setEmbargo(await this.app(), this.actor, id, input);
  }

  async planRelease(id: string, lines: { line: string; version: string }[]) {
    return cases.planRelease(await this.app(), this.actor, id, lines);
  }

  async recordRelease(id: string, input: { line: string; tag?: string }) {
    return cases.recordRelease(await this.app(), this.actor, id, input);
  }

  async caseEvents(id: string) {
    return { events: (await cases.caseEvents(await this.app(), this.actor, id)).map(presentEvent) };
  }

  async caseAccess(id: string) {
    return presentAccess(await access.caseAccess(await this.app(), this.actor, id));
  }

  async grantAccess(id: string, username: string) {
    return presentAccess(await access.grantCaseAccess(await this.app(), this.actor, id, username));
  }

  async revokeAccess(id: string, username: string) {
    return presentAccess(await access.revokeCaseAccess(await this.app(), this.actor, id, username));
  }

  async verifyAudit() {
    const result = await audit.verifyAudit(await this.app(), this.actor);
    return { ok: result.ok, checked: result.checked, firstBroken: result.firstBroken ?? null };
  }

  async exportCase(id: string, format: ExportFormat) {
    return (await exportsApp.exportCase(await this.app(), this.actor, id, format)).text;
  }

  async importCaseFile(text: string) {
    return exportsApp.importCaseFile(await this.app(), this.actor, text);
  }

  async caseFile(id: string) {
    return exportsApp.caseFile(await this.app(), this.actor, id);
  }

  async listPlaybooks() {
    return { defaultPlaybook: this.config.defaultPlaybook, playbooks: (await this.playbooks()).list() };
  }

  async importReport(input: MailReportInput) {
    return intake.importReport(await this.app(), this.actor, input);
  }

  async createPortalLink(id: string, input: { expiresInDays?: number }) {
    return portal.createPortalLink(await this.app(), this.actor, id, input);
  }

  async revokePortalLink(id: string) {
    return portal.revokePortalLink(await this.app(), this.actor, id);
  }

  async caseReplies(id: string) {
    return { replies: await portal.caseReplies(await this.app(), this.actor, id) };
  }

  async guardTerms() {
    return guard.guardTermsFile(await this.app(), this.actor);
  }

  async caseGuardTerms(id: string) {
    return { terms: await guard.caseGuardTerms(await this.app(), this.actor, id) };
  }

  async addCaseGuardTerms(id: string, terms: string[]) {
    return guard.addCaseGuardTerms(await this.app(), this.actor, id, terms);
  }

  async removeCaseGuardTerm(id: string, termId: string) {
    return { terms: await guard.removeCaseGuardTerm(await this.app(), this.actor, id, termId) };
  }

  async draftMessage(id: string, kind: string) {
    return messagesApp.draftMessage(await this.app(), this.actor, id, kind);
  }

  async sendMessage(id: string, input: SendMessageInput) {
    const { kind, ...rest } = input;
    return messagesApp.sendMessage(await this.app(), this.actor, id, kind, rest);
  }

  async caseMessages(id: string) {
    return { messages: (await outboxApp.caseMessages(await this.app(), this.actor, id)).map(messagesApp.presentMessage) };
  }

  async showMessage(messageId: string) {
    return messagesApp.showMessage(await this.app(), this.actor, messageId);
  }

  async retryMessage(messageId: string) {
    return messagesApp.presentMessage(await outboxApp.retryMessage(await this.app(), this.actor, messageId));
  }

  async copyMessage(messageId: string) {
    return outboxApp.copyMessage(await this.app(), this.actor, messageId);
  }

  async markMessageSent(messageId: string, at?: string) {
    const app = await this.app();
    return messagesApp.presentMessage(await outboxApp.markSent(app, this.actor, messageId, at === undefined ? {} : { at: new Date(at) }));
  }

  async messagesNeedingAttention() {
    return { messages: (await outboxApp.messagesNeedingAttention(await this.app(), this.actor)).map(messagesApp.presentMessage) };
  }

  async listDistributors(all = false) {
    return { distributors: await registerApp.listDistributors(await this.app(), this.actor, { all }) };
  }

  async addDistributor(input: DistributorInput) {
    return registerApp.addDistributor(await this.app(), this.actor, input);
  }

  async editDistributor(distributorId: string, input: DistributorInput) {
    return registerApp.editDistributor(await this.app(), this.actor, distributorId, input);
  }

  async removeDistributor(distributorId: string) {
    return registerApp.removeDistributor(await this.app(), this.actor, distributorId);
  }

  async caseRegister(id: string) {
    return registerApp.caseRegister(await this.app(), this.actor, id);
  }

  async recordDisclosure(id: string, input: DisclosureInput) {
    return registerApp.recordDisclosure(await this.app(), this.actor, id, input);
  }

  async caseLeaks(id: string) {
    return { leaks: await registerApp.caseLeaks(await this.app(), this.actor, id) };
  }

  async reportLeak(id: string, input: LeakInput) {
    return registerApp.reportLeak(await this.app(), this.actor, id, input);
  }

  async updateLeak(id: string, leakId: string, input: LeakInput) {
    return registerApp.updateLeak(await this.app(), this.actor, id, leakId, input);
  }

  async caseAcks(id: string) {
    return registerApp.caseAcks(await this.app(), this.actor, id);
  }

  async recordAnswer(id: string, distributorId: string, input: AnswerInput) {
    return registerApp.recordAnswer(await this.app(), this.actor, id, distributorId, input);
  }

  async clearAnswer(id: string, distributorId: string) {
    return registerApp.clearAnswer(await this.app(), this.actor, id, distributorId);
  }

  async agreeEmbargo(id: string) {
    return registerApp.agreeEmbargo(await this.app(), this.actor, id);
  }

  async getPlaybook(id?: string) {
    return (await this.playbooks()).get(id ?? this.config.defaultPlaybook);
  }

  async close() {
    if (!this.opened) return;
    const app = await this.opened.catch(() => undefined);
    await app?.store.close();
  }
}

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

interface ApiErrorBody {
  error?: { code?: unknown; message?: unknown; details?: unknown };
}

export class HttpClient implements EmbargoClient {
  readonly mode = 'remote' as const;
  readonly github: GitHubCommands = httpGitHubCommands((method, path, body) => this.request(method, path, body));
  readonly where: string;
  private readonly base: string;

  constructor(
    server: URL,
    private readonly token: string,
    private readonly options: { timeoutMs?: number } = {},
  ) {
    // A server behind a path prefix keeps it; "http://host:8080/" and "http://host:8080" are the same.
    this.base = `${server.origin}${server.pathname.replace(/\/+$/, '')}`;
    this.where = this.base;
  }

  private async request<T>(method: string, path: string, body?: unknown, as: 'json' | 'text' = 'json'): Promise<T> {
    const url = `${this.base}/api/v1${path}`;
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers: {
          authorization: `Bearer ${this.token}`,
          accept: as === 'json' ? 'application/json' : '*/*',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        // A redirect could carry the token somewhere else; say where it points instead of following.
        redirect: 'manual',
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 30_000),
      });
    } catch (err) {
      const cause = (err as { cause?: { code?: string; message?: string } }).cause;
      const why =
        (err as Error).name === 'TimeoutError' ? 'it did not answer in time' : (cause?.code ?? cause?.message ?? (err as Error).message);
      throw new CliError(`cannot reach the Embargo server at ${this.base}: ${why}`, EXIT_FAILURE);
    }
    if (response.status >= 300 && response.status < 400) {
      const location = response.headers.get('location');
      throw new CliError(
        `the server at ${this.base} answered with a redirect${location ? ` to ${location}` : ''}; use the final address as --server`,
        EXIT_FAILURE,
      );
    }
    if (response.status === 204) return undefined as T;
    const text = await response.text();
    if (as === 'text' && response.ok) return text as T;
    let parsed: unknown;
    try {
      parsed = text === '' ? undefined : JSON.parse(text);
    } catch {
      throw new CliError(
        `the server at ${this.base} did not answer with JSON (HTTP ${response.status}); is it an Embargo server?`,
        EXIT_FAILURE,
      );
    }
    if (!response.ok) {
      const e = (parsed as ApiErrorBody | undefined)?.error;
      const code = typeof e?.code === 'string' ? e.code : `http_${response.status}`;
      const message = typeof e?.message === 'string' ? e.message : `the server answered HTTP ${response.status}`;
      const details = typeof e?.details === 'object' && e.details !== null ? (e.details as Record<string, unknown>) : {};
      throw fromCoded(code, message, details, response.status);
    }
    return parsed as T;
  }

  private caseUrl(id: string, rest = ''): string {
    return `/cases/${encodeURIComponent(id)}${rest}`;
  }

  private stepUrl(id: string, step: string, action: string): string {
    return this.caseUrl(id, `/steps/${encodeURIComponent(step)}/${action}`);
  }

  addUser(input: NewUserInput) {
    return this.request<PublicUser>('POST', '/users', input);
  }

  listUsers() {
    return this.request<{ users: PublicUser[] }>('GET', '/users');
  }

  createToken(input: { name: string; scopes?: Scope[]; username?: string }) {
    if (input.username) {
      throw usageError('--user works only on the local database; through --server a token is always created for the token you call with');
    }
    return this.request<IssuedToken>('POST', '/tokens', { name: input.name, ...(input.scopes ? { scopes: input.scopes } : {}) });
  }

  listTokens(username?: string) {
    if (username) throw usageError('--user works only on the local database; through --server you see your own tokens');
    return this.request<{ tokens: TokenInfo[] }>('GET', '/tokens');
  }

  async revokeToken(id: string) {
    await this.request<void>('DELETE', `/tokens/${encodeURIComponent(id)}`);
  }

  createCase(input: NewCaseInput) {
    return this.request<Case>('POST', '/cases', input);
  }

  listCases(query: { q?: string; status?: string }) {
    const params = new URLSearchParams();
    if (query.q !== undefined) params.set('q', query.q);
    if (query.status !== undefined) params.set('status', query.status);
    const qs = params.toString();
    return this.request<{ cases: CaseSummary[] }>('GET', `/cases${qs ? `?${qs}` : ''}`);
  }

  showCase(id: string) {
    return this.request<Case>('GET', this.caseUrl(id));
  }

  caseSteps(id: string) {
    return this.request<CaseWithSteps>('GET', this.caseUrl(id, '/steps'));
  }

  completeStep(id: string, step: string, confirm: string[]) {
    return this.request<CaseWithSteps>('POST', this.stepUrl(id, step, 'done'), { confirm });
  }

  skipStep(id: string, step: string, reason: string) {
    return this.request<CaseWithSteps>('POST', this.stepUrl(id, step, 'skip'), { reason });
  }

  reopenStep(id: string, step: string, reason: string) {
    return this.request<CaseWithSteps>('POST', this.stepUrl(id, step, 'reopen'), { reason });
  }

  editCase(id: string, edit: CaseEditInput) {
    return this.request<Case>('PATCH', this.caseUrl(id), edit);
  }

  setEmbargo(id: string, input: { endsAt: string; timeZone: string }) {
    return this.request<Case>('PUT', this.caseUrl(id, '/embargo'), input);
  }

  planRelease(id: string, lines: { line: string; version: string }[]) {
    return this.request<Case>('PUT', this.caseUrl(id, '/release-plan'), { lines });
  }

  recordRelease(id: string, input: { line: string; tag?: string }) {
    return this.request<Case>('POST', this.caseUrl(id, '/releases'), input);
  }

  exportCase(id: string, format: ExportFormat) {
    return this.request<string>('GET', this.caseUrl(id, `/export?format=${encodeURIComponent(format)}`), undefined, 'text');
  }

  importCaseFile(text: string) {
    return this.request<CaseFileImport>('POST', '/case-files', { file: text });
  }

  caseFile(id: string) {
    return this.request<string>('GET', this.caseUrl(id, '/case-file'), undefined, 'text');
  }

  caseEvents(id: string) {
    return this.request<{ events: EventView[] }>('GET', this.caseUrl(id, '/events'));
  }

  caseAccess(id: string) {
    return this.request<{ access: AccessEntry[] }>('GET', this.caseUrl(id, '/access'));
  }

  grantAccess(id: string, username: string) {
    return this.request<{ access: AccessEntry[] }>('PUT', this.caseUrl(id, `/access/${encodeURIComponent(username)}`));
  }

  revokeAccess(id: string, username: string) {
    return this.request<{ access: AccessEntry[] }>('DELETE', this.caseUrl(id, `/access/${encodeURIComponent(username)}`));
  }

  verifyAudit() {
    return this.request<AuditVerification>('GET', '/audit/verify');
  }

  importReport(input: MailReportInput) {
    return this.request<Case>('POST', '/reports/import', input);
  }

  createPortalLink(id: string, input: { expiresInDays?: number }) {
    return this.request<IssuedPortalLink>('POST', this.caseUrl(id, '/portal-link'), input);
  }

  revokePortalLink(id: string) {
    return this.request<{ caseId: string; revoked: boolean }>('DELETE', this.caseUrl(id, '/portal-link'));
  }

  caseReplies(id: string) {
    return this.request<{ replies: ReplyView[] }>('GET', this.caseUrl(id, '/replies'));
  }

  guardTerms() {
    return this.request<TermsFile>('GET', '/guard/terms');
  }

  caseGuardTerms(id: string) {
    return this.request<{ terms: CaseGuardTerm[] }>('GET', this.caseUrl(id, '/guard-terms'));
  }

  addCaseGuardTerms(id: string, terms: string[]) {
    return this.request<{ terms: CaseGuardTerm[]; added: number }>('POST', this.caseUrl(id, '/guard-terms'), { terms });
  }

  removeCaseGuardTerm(id: string, termId: string) {
    return this.request<{ terms: CaseGuardTerm[] }>('DELETE', this.caseUrl(id, `/guard-terms/${encodeURIComponent(termId)}`));
  }

  draftMessage(id: string, kind: string) {
    return this.request<Draft>('GET', this.caseUrl(id, `/messages/draft?kind=${encodeURIComponent(kind)}`));
  }

  sendMessage(id: string, input: SendMessageInput) {
    return this.request<Sent>('POST', this.caseUrl(id, '/messages'), input);
  }

  caseMessages(id: string) {
    return this.request<{ messages: MessageView[] }>('GET', this.caseUrl(id, '/messages'));
  }

  showMessage(messageId: string) {
    return this.request<MessageView>('GET', `/messages/${encodeURIComponent(messageId)}`);
  }

  retryMessage(messageId: string) {
    return this.request<MessageView>('POST', `/messages/${encodeURIComponent(messageId)}/retry`, {});
  }

  copyMessage(messageId: string) {
    return this.request<CopiedMessage>('POST', `/messages/${encodeURIComponent(messageId)}/copy`, {});
  }

  markMessageSent(messageId: string, at?: string) {
    return this.request<MessageView>('POST', `/messages/${encodeURIComponent(messageId)}/mark-sent`, at === undefined ? {} : { at });
  }

  messagesNeedingAttention() {
    return this.request<{ messages: MessageView[] }>('GET', '/messages/attention');
  }

  listPlaybooks() {
    return this.request<{ defaultPlaybook: string; playbooks: Playbook[] }>('GET', '/playbooks');
  }

  listDistributors(all = false) {
    return this.request<{ distributors: Distributor[] }>('GET', `/distributors${all ? '?all=true' : ''}`);
  }

  addDistributor(input: DistributorInput) {
    return this.request<Distributor>('POST', '/distributors', input);
  }

  editDistributor(distributorId: string, input: DistributorInput) {
    return this.request<Distributor>('PATCH', `/distributors/${encodeURIComponent(distributorId)}`, input);
  }

  removeDistributor(distributorId: string) {
    return this.request<Distributor>('DELETE', `/distributors/${encodeURIComponent(distributorId)}`);
  }

  caseRegister(id: string) {
    return this.request<CaseRegister>('GET', this.caseUrl(id, '/register'));
  }

  recordDisclosure(id: string, input: DisclosureInput) {
    return this.request<Disclosure>('POST', this.caseUrl(id, '/disclosures'), input);
  }

  caseLeaks(id: string) {
    return this.request<{ leaks: LeakIncident[] }>('GET', this.caseUrl(id, '/leaks'));
  }

  reportLeak(id: string, input: LeakInput) {
    return this.request<LeakIncident>('POST', this.caseUrl(id, '/leaks'), input);
  }

  updateLeak(id: string, leakId: string, input: LeakInput) {
    return this.request<LeakIncident>('PATCH', this.caseUrl(id, `/leaks/${encodeURIComponent(leakId)}`), input);
  }

  caseAcks(id: string) {
    return this.request<CaseAcks>('GET', this.caseUrl(id, '/acks'));
  }

  recordAnswer(id: string, distributorId: string, input: AnswerInput) {
    return this.request<CaseAcks>('PUT', this.caseUrl(id, `/acks/${encodeURIComponent(distributorId)}`), input);
  }

  clearAnswer(id: string, distributorId: string) {
    return this.request<CaseAcks>('DELETE', this.caseUrl(id, `/acks/${encodeURIComponent(distributorId)}`));
  }

  agreeEmbargo(id: string) {
    return this.request<AgreementResult>('POST', this.caseUrl(id, '/embargo/agree'));
  }

  async getPlaybook(id?: string) {
    const playbookId = id ?? (await this.listPlaybooks()).defaultPlaybook;
    return this.request<Playbook>('GET', `/playbooks/${encodeURIComponent(playbookId)}`);
  }

  async close() {}
}
