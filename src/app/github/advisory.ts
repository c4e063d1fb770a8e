/**
 * The case's GitHub advisory (checklist steps 3-4): push the draft (create, or update showing the
 * difference first), request the CVE id, create the temporary private fork with the case's people
 * as collaborators, and sync what changed on GitHub.
 *
 * Every GitHub call happens OUTSIDE the store transaction; one transaction afterwards records the
 * result and its event. A failed call therefore changes nothing on the case, and says so.
 */
import { createHash } from 'node:crypto';
import { advisoryDiff, advisoryStateNote, advisorySyncChanges, withReporterCredit, type FieldChange } from '../../domain/advisory/index.js';
import { recordAdvisoryFacts, type AdvisoryEvent, type AdvisoryFacts, type Case } from '../../domain/case/index.js';
import { DomainError, conflict } from '../../domain/errors.js';
import { ghsaAdvisory, ghsaCvss, type GhsaAdvisoryBody, type GhsaCvssChoice, type GhsaOptions } from '../../domain/exports/index.js';
import type { Advisory } from '../../integrations/github/client.js';
import { accessListLogins, getAdvisoryLink, getConnection, saveAdvisoryLink, type AdvisoryLinkRecord } from '../../store/github.js';
import { requireScope, type Actor } from '../actor.js';
import type { App } from '../app.js';
import { readCase } from '../cases.js';
import { playbookOf } from '../projects.js';
import { readableAnswer, withStatus, workOnCase } from '../unit-of-work.js';
import { connectionOf, gitHubTuning, type Connected } from './connection.js';
import { onGitHub } from './errors.js';
import { manualCveRequest, manualFork, manualPush, type ManualInstructions } from './manual.js';

export type { FieldChange } from '../../domain/advisory/index.js';

interface Loaded {
  c: Case;
  connected: Connected | null;
  link: AdvisoryLinkRecord | undefined;
  people: { username: string; displayName: string; login: string | null }[];
  /** What the GitHub body takes from the playbook: the CVSS version it prefers. */
  ghsa: GhsaOptions;
}

/** The case (an audited read: what follows shows or sends its embargoed details), its connection and link. */
function load(app: App, actor: Actor, caseId: string, what: string): Promise<Loaded> {
  return readCase(app, actor, caseId, what, async (c, db) => ({
    c,
    connected: await connectionOf(app, db, c.project),
    link: await getAdvisoryLink(db, c.id),
    people: await accessListLogins(db, c.id),
    ghsa: ghsaOptionsOf((await playbookOf(app, db, c)).settings.githubCvss),
  }));
}

const ghsaOptionsOf = (cvss: '3.1' | '4.0' | undefined): GhsaOptions => (cvss ? { cvss } : {});

/**
 * The advisory's collaborators: the case's access list (need-to-know applies to the draft and fork
 * too) and the reporter, by the GitHub login recorded on the case (issue 13, item 6).
 */
function collaboratorsOf(c: Case, people: Loaded['people']): string[] {
  const reporter = c.reporter?.githubLogin ? [c.reporter.githubLogin] : [];
  return [...new Set([...people.flatMap((p) => (p.login ? [p.login] : [])), ...reporter])].sort();
}

/** After a push: make the reporter a collaborator once their login is recorded and GitHub does not have it yet. */
async function addReporterCollaborator(connected: Connected, c: Case, ghsaId: string, people: Loaded['people']): Promise<string | null> {
  const login = c.reporter?.githubLogin ?? null;
  if (!login || c.reporterCollaborator === login) return null;
  await onGitHub(() => connected.client.updateAdvisory(connected.repo, ghsaId, { collaborating_users: collaboratorsOf(c, people) }));
  return login;
}

/**
 * Records what GitHub did, in one transaction: the case's new facts (if any) with the action's event,
 * and the link's sync state. If it fails after GitHub acted, the message says what GitHub did so the
 * person can record it by hand.
 */
async function record(
  app: App,
  actor: Actor,
  caseId: string,
  facts: AdvisoryFacts,
  event: AdvisoryEvent,
  link: (Partial<Omit<AdvisoryLinkRecord, 'caseId'>> & { ghsaId: string }) | null,
  githubDid: string,
): Promise<Case> {
  try {
    const answer = await workOnCase(app, actor, caseId, 'write', async (current, ctx) => {
      const { state, events } = recordAdvisoryFacts(current, facts, event, ctx);
      if (link) await saveAdvisoryLink(ctx.tx, caseId, link);
      if (state === current) return { events, value: current };
      const next = withStatus(state, ctx);
      return { state: next, events, value: next };
    });
    return readableAnswer(answer, actor);
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    throw new DomainError(
      'conflict',
      `${githubDid} on GitHub, but Embargo could not record it on ${caseId} (${why}); record it with embargo case edit ${caseId} or run embargo advisory sync ${caseId}`,
    );
  }
}

/**
 * The fingerprint of the advisory the case asks for (ghsaAdvisory of the case, before the push
 * adapts it to what GitHub holds): stored at each push, so `advisoryStatus` can tell whether the
 * case changed since.
 */
const bodyHash = (body: GhsaAdvisoryBody) => createHash('sha256').update(JSON.stringify(body)).digest('hex');

/** Every field of a new advisory, as a difference from nothing. */
const creationDiff = (body: GhsaAdvisoryBody): FieldChange[] => advisoryDiff(null, body);

/**
 * The body sent to update an advisory: the case's cve_id only when the case has one and GitHub has
 * none. A CVE id GitHub assigned is never cleared or replaced by a push (`advisory sync` brings it
 * to the case instead).
 */
function updateBody(body: GhsaAdvisoryBody, remoteCveId: string | null): Partial<GhsaAdvisoryBody> {
  const { cve_id, ...rest } = body;
  return cve_id && !remoteCveId ? body : rest;
}

export interface PushResult {
  mode: 'github' | 'manual';
  dryRun: boolean;
  /** What a push does (or did): create the draft, update it, or nothing when GitHub already matches. */
  action: 'create' | 'update' | 'none';
  ghsaId: string | null;
  /** The request body (as sent, or as it would be sent). */
  body: Partial<GhsaAdvisoryBody>;
  /** Field by field: what GitHub has now, and what the push makes it. */
  diff: FieldChange[];
  case: Case;
  manual?: ManualInstructions;
  /** The CVSS vector sent as cvss_vector_string, its version and why it was chosen; null without one. */
  cvss: GhsaCvssChoice | null;
}

export async function pushAdvisory(app: App, actor: Actor, caseId: string, opts: { dryRun?: boolean } = {}): Promise<PushResult> {
  requireScope(actor, opts.dryRun ? 'read' : 'write');
  const { c, connected, ghsa, people } = await load(app, actor, caseId, opts.dryRun ? 'advisory preview' : 'advisory push');
  const body = ghsaAdvisory(c, ghsa);
  const cvss = ghsaCvss(c, ghsa.cvss);
  if (!connected) {
    const manual = manualPush(c, ghsa);
    return {
      mode: 'manual',
      dryRun: Boolean(opts.dryRun),
      action: c.ghsaId ? 'update' : 'create',
      ghsaId: c.ghsaId,
      body,
      diff: creationDiff(body),
      case: c,
      manual,
      cvss,
    };
  }
  const { client, repo } = connected;
  if (!c.ghsaId) {
    const diff = creationDiff(body);
    if (opts.dryRun) return { mode: 'github', dryRun: true, action: 'create', ghsaId: null, body, diff, case: c, cvss };
    const created = await onGitHub(() => client.createAdvisory(repo, body));
    const collaborator = await addReporterCollaborator(connected, c, created.ghsa_id, people);
    const updated = await record(
      app,
      actor,
      caseId,
      { ghsaId: created.ghsa_id, ...(collaborator ? { reporterCollaborator: collaborator } : {}) },
      {
        action: 'advisory.pushed',
        details: { ghsaId: created.ghsa_id, created: true, repository: `${repo.owner}/${repo.name}`, fields: diff.map((d) => d.field) },
      },
      { ghsaId: created.ghsa_id, lastPushedHash: bodyHash(body), lastPushedAt: app.clock().toISOString(), remoteState: created.state },
      `The draft ${created.ghsa_id} was created`,
    );
    return { mode: 'github', dryRun: false, action: 'create', ghsaId: created.ghsa_id, body, diff, case: updated, cvss };
  }

  const ghsaId = c.ghsaId;
  const current = await onGitHub(() => client.getAdvisory(repo, ghsaId));
  // An imported report's reporter is credited on GitHub by login, which the case does not hold: keep it.
  const sent = withReporterCredit(updateBody(body, current.value?.cve_id ?? null), c, current.value);
  const diff = advisoryDiff(current.value, sent);
  if (diff.length === 0) {
    // GitHub already matches (say, the CVE id arrived there first): remember that the case is in step.
    if (!opts.dryRun)
      await app.store.write((tx) =>
        saveAdvisoryLink(tx, caseId, { ghsaId, lastPushedHash: bodyHash(body), remoteState: current.value?.state ?? null }),
      );
    return { mode: 'github', dryRun: Boolean(opts.dryRun), action: 'none', ghsaId, body: sent, diff, case: c, cvss };
  }
  if (opts.dryRun) return { mode: 'github', dryRun: true, action: 'update', ghsaId, body: sent, diff, case: c, cvss };
  const pushed = await onGitHub(() => client.updateAdvisory(repo, ghsaId, sent));
  const collaborator = await addReporterCollaborator(connected, c, ghsaId, people);
  const updated = await record(
    app,
    actor,
    caseId,
    collaborator ? { reporterCollaborator: collaborator } : {},
    {
      action: 'advisory.pushed',
      details: { ghsaId, created: false, repository: `${repo.owner}/${repo.name}`, fields: diff.map((d) => d.field) },
    },
    { ghsaId, lastPushedHash: bodyHash(body), lastPushedAt: app.clock().toISOString(), remoteState: pushed.state },
    `The update of ${ghsaId} was sent`,
  );
  return { mode: 'github', dryRun: false, action: 'update', ghsaId, body: sent, diff, case: updated, cvss };
}

function requireGhsa(c: Case): string {
  if (!c.ghsaId) throw conflict(`${c.id} has no GitHub advisory yet: push it first (embargo advisory push ${c.id})`);
  return c.ghsaId;
}

/** Looks at the advisory until `done` says so or the attempts run out; returns the last advisory seen. */
async function poll(app: App, connected: Connected, ghsaId: string, done: (a: Advisory) => boolean): Promise<Advisory | null> {
  const t = gitHubTuning(app);
  let last: Advisory | null = null;
  for (let i = 0; i < t.pollAttempts; i++) {
    if (i > 0) await t.sleep(t.pollIntervalMs);
    const got = await onGitHub(() => connected.client.getAdvisory(connected.repo, ghsaId));
    last = got.value;
    if (last && done(last)) return last;
  }
  return last;
}

export interface CveResult {
  mode: 'github' | 'manual';
  /** assigned: GitHub gave the id; requested: asked, not assigned yet (sync picks it up later). */
  status: 'assigned' | 'requested';
  cveId: string | null;
  case: Case;
  manual?: ManualInstructions;
}

export async function requestCve(app: App, actor: Actor, caseId: string): Promise<CveResult> {
  requireScope(actor, 'write');
  const { c, connected } = await load(app, actor, caseId, 'advisory CVE request');
  if (c.cveId) throw conflict(`${c.id} already has ${c.cveId}`);
  if (!connected) return { mode: 'manual', status: 'requested', cveId: null, case: c, manual: manualCveRequest(c) };
  const ghsaId = requireGhsa(c);
  // GitHub may have assigned one already (requested on its web page): record it instead of asking twice.
  const current = (await onGitHub(() => connected.client.getAdvisory(connected.repo, ghsaId))).value;
  if (current?.cve_id) {
    const updated = await record(
      app,
      actor,
      caseId,
      { cveId: current.cve_id },
      { action: 'advisory.cve_assigned', details: { ghsaId, cveId: current.cve_id } },
      null,
      `GitHub assigned ${current.cve_id}`,
    );
    return { mode: 'github', status: 'assigned', cveId: current.cve_id, case: updated };
  }
  await onGitHub(() => connected.client.requestCve(connected.repo, ghsaId));
  const requestedAt = app.clock().toISOString();
  // The request is on record before we wait for the id: a failure while polling must not lose it.
  let updated = await record(
    app,
    actor,
    caseId,
    { cveRequestedAt: requestedAt },
    { action: 'advisory.cve_requested', details: { ghsaId } },
    null,
    `A CVE id was requested for ${ghsaId}`,
  );
  const advisory = await poll(app, connected, ghsaId, (a) => a.cve_id !== null);
  if (advisory?.cve_id) {
    updated = await record(
      app,
      actor,
      caseId,
      { cveId: advisory.cve_id },
      { action: 'advisory.cve_assigned', details: { ghsaId, cveId: advisory.cve_id } },
      null,
      `GitHub assigned ${advisory.cve_id}`,
    );
    return { mode: 'github', status: 'assigned', cveId: advisory.cve_id, case: updated };
  }
  return { mode: 'github', status: 'requested', cveId: null, case: updated };
}

export interface ForkResult {
  mode: 'github' | 'manual';
  fork: { fullName: string | null; url: string | null; ready: boolean } | null;
  /** GitHub logins set as the advisory's collaborating users. */
  collaborators: string[];
  /** People on the access list without a GitHub login on record (by username). */
  withoutLogin: string[];
  case: Case;
  manual?: ManualInstructions;
}

/**
 * Creates the temporary private fork (unless the case has one) and makes the case's access list the
 * advisory's collaborating users, so exactly the people who need to know can see the draft and fork.
 */
export async function createFork(app: App, actor: Actor, caseId: string): Promise<ForkResult> {
  requireScope(actor, 'write');
  const { c, connected, people } = await load(app, actor, caseId, 'advisory fork');
  const collaborators = collaboratorsOf(c, people);
  const withoutLogin = people.filter((p) => !p.login).map((p) => p.username);
  if (!connected)
    return { mode: 'manual', fork: null, collaborators, withoutLogin, case: c, manual: manualFork(c, collaborators, withoutLogin) };
  const ghsaId = requireGhsa(c);
  const { client, repo } = connected;

  let fork: { fullName: string | null; url: string | null; ready: boolean };
  const existing = Boolean(c.forkUrl);
  if (c.forkUrl) {
    fork = { fullName: c.forkUrl.replace(/^https:\/\/[^/]+\//, ''), url: c.forkUrl, ready: true };
  } else {
    const requested = await onGitHub(() => client.createPrivateFork(repo, ghsaId));
    const seen = await poll(app, connected, ghsaId, (a) => a.private_fork !== null);
    fork = { fullName: requested.fullName, url: requested.htmlUrl, ready: Boolean(seen?.private_fork) };
  }
  // Exactly the access list and the reporter, also when it shrank: need-to-know applies to the draft and fork too.
  await onGitHub(() => client.updateAdvisory(repo, ghsaId, { collaborating_users: collaborators }));
  const updated = await record(
    app,
    actor,
    caseId,
    { forkUrl: fork.url, ...(c.reporter?.githubLogin ? { reporterCollaborator: c.reporter.githubLogin } : {}) },
    {
      action: existing ? 'advisory.collaborators_set' : 'advisory.fork_created',
      details: { ghsaId, fork: fork.fullName, ready: fork.ready, collaborators, withoutLogin },
    },
    null,
    `The private fork ${fork.fullName ?? ''} was requested`,
  );
  return { mode: 'github', fork, collaborators, withoutLogin, case: updated };
}

export interface SyncResult {
  mode: 'github' | 'manual';
  /** GitHub answered 304: nothing changed since the last sync. */
  notModified: boolean;
  /** Case fields GitHub changed, as recorded. */
  changed: string[];
  remoteState: string | null;
  /** When GitHub's state needs a person's attention (withdrawn, closed): what to do. */
  note: string | null;
  case: Case;
}

/** Reads the advisory with the stored ETag; a 304 changes nothing, otherwise GitHub's changes are recorded. */
export async function syncAdvisory(app: App, actor: Actor, caseId: string): Promise<SyncResult> {
  requireScope(actor, 'write');
  const { c, connected, link } = await load(app, actor, caseId, 'advisory sync');
  if (!connected)
    throw conflict(
      `project ${c.project} has no GitHub connection, so there is nothing to sync; record GitHub's ids with embargo case edit ${c.id}`,
    );
  const ghsaId = requireGhsa(c);
  const etag = link?.ghsaId === ghsaId ? (link.etag ?? undefined) : undefined;
  const got = await onGitHub(() => connected.client.getAdvisory(connected.repo, ghsaId, etag));
  const now = app.clock().toISOString();
  if (got.notModified || !got.value) {
    return { mode: 'github', notModified: true, changed: [], remoteState: link?.remoteState ?? null, note: null, case: c };
  }
  const advisory = got.value;
  const facts = advisorySyncChanges(c, advisory);
  const changed = Object.keys(facts);
  const updated = await record(
    app,
    actor,
    caseId,
    facts,
    { action: 'advisory.synced', details: { ghsaId, state: advisory.state } },
    { ghsaId, etag: got.etag, lastSyncedAt: now, remoteState: advisory.state },
    `The advisory ${ghsaId} was read`,
  );
  return {
    mode: 'github',
    notModified: false,
    changed,
    remoteState: advisory.state,
    note: advisoryStateNote(updated, advisory),
    case: updated,
  };
}

export interface AdvisoryStatus {
  mode: 'github' | 'manual';
  /** owner/name of the connected repository; null in manual mode. */
  repository: string | null;
  ghsaId: string | null;
  /** The advisory's state on GitHub as last seen (push, sync); null when never seen. */
  remoteState: string | null;
  lastPushedAt: string | null;
  lastSyncedAt: string | null;
  /**
   * true: GitHub has what the case says as of the last push; false: the case changed since (push
   * again, --dry-run shows the difference); null: never pushed from Embargo, or not yet pushable.
   */
  upToDate: boolean | null;
  /** Why `upToDate` is null or false, in words. */
  note: string | null;
  cveId: string | null;
  cveRequestedAt: string | null;
  forkUrl: string | null;
  publishedAt: string | null;
}

/** Where the case's advisory stands, without asking GitHub (an audited read; `sync` asks). */
export function advisoryStatus(app: App, actor: Actor, caseId: string): Promise<AdvisoryStatus> {
  return readCase(app, actor, caseId, 'advisory status', async (c, db) => {
    const connection = await getConnection(db, c.project);
    const link = await getAdvisoryLink(db, c.id);
    let desired: GhsaAdvisoryBody | null = null;
    let missing: string | null = null;
    try {
      // The body a push would send, with the playbook's CVSS preference, so the hashes compare.
      desired = ghsaAdvisory(c, ghsaOptionsOf((await playbookOf(app, db, c)).settings.githubCvss));
    } catch (err) {
      missing = err instanceof Error ? err.message : String(err);
    }
    const pushed = link?.lastPushedHash ?? null;
    const upToDate = pushed === null || desired === null ? null : bodyHash(desired) === pushed;
    const note =
      missing !== null
        ? `the advisory cannot be built from the case yet: ${missing}`
        : pushed === null
          ? c.ghsaId
            ? `${c.ghsaId} was not pushed from Embargo; embargo advisory push ${c.id} --dry-run shows how it differs`
            : `no draft yet; embargo advisory push ${c.id} creates it`
          : upToDate
            ? null
            : `the case changed since the last push; embargo advisory push ${c.id} --dry-run shows the difference`;
    return {
      mode: connection ? 'github' : 'manual',
      repository: connection ? `${connection.owner}/${connection.name}` : null,
      ghsaId: c.ghsaId,
      remoteState: link?.remoteState ?? null,
      lastPushedAt: link?.lastPushedAt ?? null,
      lastSyncedAt: link?.lastSyncedAt ?? null,
      upToDate,
      note,
      cveId: c.cveId,
      cveRequestedAt: c.cveRequestedAt ?? null,
      forkUrl: c.forkUrl ?? null,
      publishedAt: c.publishedAt,
    };
  });
}
