/**
 * Projects: one Embargo for many open-source projects. Each case belongs to a project, follows the
 * playbook the project chose, and reads its addresses, note and policy from the project's settings
 * laid over the playbook's (`playbookOf`). Instance admins manage projects; a project's admins manage
 * its settings, members, distributors and GitHub connection; its members may be put on its cases.
 * Need-to-know stays per case (visible-case.ts); a project someone does not belong to is answered
 * like one that does not exist.
 */
import type { Kysely } from 'kysely';
import type { Case } from '../domain/case/types.js';
import { DomainError, invalidInput } from '../domain/errors.js';
import {
  addProject as addProjectCommand,
  archiveProject as archiveProjectCommand,
  editProject as editProjectCommand,
  effectivePlaybook,
  memberAdded,
  memberRemoved,
  type PlaybookChoice,
  type Project,
  type ProjectEdit,
  type ProjectInput,
  type ProjectMember,
  type ProjectRole,
  projectRole,
} from '../domain/project/index.js';
import type { DomainEvent } from '../domain/events.js';
import type { Playbook } from '../domain/playbook/index.js';
import { appendEvents } from '../store/events.js';
import {
  claimUnassignedDistributors,
  getProject,
  insertProject,
  listMembers,
  listProjects as listProjectRows,
  projectRoleOf,
  putMember,
  removeMember,
  updateProject,
} from '../store/projects.js';
import type { Database } from '../store/schema.js';
import { findUserByUsername } from '../store/users.js';
import { requireAdmin, requireScope, type Actor } from './actor.js';
import type { App } from './app.js';

type Db = Kysely<Database>;

const SYSTEM = 'embargo';

function choice(app: App): PlaybookChoice {
  return { playbookIds: app.playbooks.list().map((p) => p.id), defaultPlaybook: app.config.defaultPlaybook };
}

/** How a user is told to create a project that does not exist. */
const addCommand = (id: string) => `an admin adds it with: embargo project add ${id} --name NAME --playbook PLAYBOOK`;

/**
 * A fresh install gets one example project, from the default playbook (Contour): a case can be opened
 * at once, and the project is there to be renamed, reconfigured or archived.
 */
export async function ensureExampleProject(app: App): Promise<void> {
  const any = await app.store.read((db) => db.selectFrom('projects').select('id').limit(1).executeTakeFirst());
  if (any) return;
  const pb = app.playbooks.get(app.config.defaultPlaybook);
  const now = app.clock();
  await app.store.write(async (tx) => {
    if (await tx.selectFrom('projects').select('id').limit(1).executeTakeFirst()) return;
    const { project, events } = addProjectCommand({ id: pb.id, name: pb.name }, choice(app), { actor: SYSTEM, now });
    await insertProject(tx, project);
    await claimUnassignedDistributors(tx, project.id);
    await appendEvents(tx, { actor: SYSTEM, at: now, events });
  });
}

/** The user's role in the project; instance admins count as its admins. */
export async function roleIn(db: Db, actor: Actor, projectId: string): Promise<ProjectRole | null> {
  if (actor.role === 'admin') return 'admin';
  return actor.userId ? projectRoleOf(db, projectId, actor.userId) : null;
}

/** The project, if the actor belongs to it (or is an instance admin); otherwise not found, like an unknown one. */
export async function loadProject(db: Db, actor: Actor, id: string): Promise<Project> {
  const p = await getProject(db, id);
  if (!p || !(await roleIn(db, actor, id))) throw new DomainError('not_found', `no project "${id}"; ${addCommand(id)}`);
  return p;
}

/** The project an admin of it may change: instance admins, or its own admins. */
export async function loadProjectToManage(db: Db, actor: Actor, id: string): Promise<Project> {
  const p = await loadProject(db, actor, id);
  if ((await roleIn(db, actor, id)) !== 'admin') throw new DomainError('forbidden', `only an admin of project ${id} can do this`);
  return p;
}

/**
 * The project a new case (or list entry) goes to: the one named, or the only active project the
 * actor belongs to. Several, and none named: the actor is asked to choose. An archived project is
 * refused unless the caller only reads (`archived: true`).
 */
export async function resolveProject(db: Db, actor: Actor, value: unknown, opts: { archived?: boolean } = {}): Promise<Project> {
  if (value !== undefined && value !== null && value !== '') {
    if (typeof value !== 'string') throw invalidInput('project must be a project id', { field: 'project' });
    const p = await loadProject(db, actor, value.trim().toLowerCase());
    if (p.archivedAt && !opts.archived)
      throw new DomainError('conflict', `project ${p.id} is archived (since ${p.archivedAt}); restore it first`);
    return p;
  }
  const mine = await listProjectRows(db, { activeOnly: true, ...(actor.role === 'admin' ? {} : { memberId: actor.userId ?? '' }) });
  if (mine.length === 1) return mine[0]!;
  if (mine.length === 0) {
    throw new DomainError(
      'forbidden',
      'you are a member of no active project; an admin adds you with: embargo project member add PROJECT USER',
    );
  }
  throw invalidInput(`name the project (--project): one of ${mine.map((p) => p.id).join(', ')}`, { field: 'project' });
}

/**
 * The project a public report goes to: the one named, or the only active one. The form is anonymous,
 * so the answer names the projects that take reports (they are public projects), never a command.
 */
export async function intakeProject(db: Db, value: unknown): Promise<Project> {
  const active = await listProjectRows(db, { activeOnly: true });
  const named = typeof value === 'string' && value.trim() !== '' ? value.trim().toLowerCase() : undefined;
  const found = named === undefined ? (active.length === 1 ? active[0] : undefined) : active.find((p) => p.id === named);
  if (found) return found;
  const which = active.map((p) => p.id).join(', ');
  throw invalidInput(
    named === undefined
      ? `name the project the report is about: one of ${which}`
      : `this server takes reports for ${which}, not "${named}"`,
    { field: 'project' },
  );
}

/** The playbook a case follows, as its project configured it. */
export async function playbookOf(app: App, db: Db, c: Pick<Case, 'playbook' | 'project'>): Promise<Playbook> {
  return effectivePlaybook(app.playbooks.get(c.playbook), await getProject(db, c.project));
}

/** The playbook of a project's new case; a playbook asked for must be the one the project follows. */
export function projectPlaybook(app: App, project: Project, asked: unknown): Playbook {
  if (asked !== undefined && asked !== null && asked !== project.playbook) {
    throw invalidInput(
      `project ${project.id} follows the ${project.playbook} playbook, not ${String(asked)}; open the case in a project that follows it`,
      { field: 'playbook' },
    );
  }
  return effectivePlaybook(app.playbooks.get(project.playbook), project);
}

/** The id of a project the actor administers (its GitHub connection, its lists): checked in a read. */
export async function manageableProject(app: App, actor: Actor, id: string): Promise<string> {
  return app.store.read(async (db) => (await loadProjectToManage(db, actor, id)).id);
}

/** Someone who may be put on the project's cases: a member of it, or an instance admin. */
export async function requireProjectMember(db: Db, projectId: string, user: { id: string; username: string; role: string }): Promise<void> {
  if (user.role === 'admin' || (await projectRoleOf(db, projectId, user.id))) return;
  throw new DomainError(
    'conflict',
    `${user.username} is not a member of project ${projectId}; add them first with: embargo project member add ${projectId} ${user.username}`,
  );
}

export interface Membership {
  project: string;
  role: ProjectRole;
}

/**
 * A new user's projects: as asked ("contour", "contour:admin"), or the only active project when the
 * install has one, so a single-project install needs no extra step. Runs in the user's transaction.
 */
export async function joinProjects(
  tx: Db,
  actor: Actor,
  user: { id: string; username: string },
  asked: unknown,
  now: Date,
): Promise<{ projects: Membership[]; events: DomainEvent[] }> {
  if (asked !== undefined && asked !== null && !Array.isArray(asked))
    throw invalidInput('projects must be a list like ["contour:admin"]', { field: 'projects' });
  const wanted: Membership[] = [];
  if (asked === undefined || asked === null) {
    const active = await listProjectRows(tx, { activeOnly: true });
    if (active.length === 1) wanted.push({ project: active[0]!.id, role: 'member' });
  } else {
    for (const item of asked as unknown[]) {
      const [project = '', role] = String(item).split(':');
      wanted.push({ project, role: projectRole(role) });
    }
  }
  const events: DomainEvent[] = [];
  for (const m of wanted) {
    const p = await loadProjectToManage(tx, actor, m.project);
    if (p.archivedAt) throw new DomainError('conflict', `project ${p.id} is archived; restore it before adding members`);
    await putMember(tx, { projectId: p.id, userId: user.id, role: m.role, addedBy: actor.name, addedAt: now });
    events.push(memberAdded(p.id, user.username, m.role, null));
  }
  return { projects: wanted, events };
}

// ---- use cases ----

export interface ProjectView extends Project {
  /** The viewer's role in it (instance admins: admin). */
  role: ProjectRole;
  /** The settings in force: the playbook's, with the project's own laid over them. */
  effectiveSettings: Playbook['settings'];
}

async function view(app: App, db: Db, actor: Actor, p: Project): Promise<ProjectView> {
  return {
    ...p,
    role: (await roleIn(db, actor, p.id)) ?? 'member',
    effectiveSettings: effectivePlaybook(app.playbooks.get(p.playbook), p).settings,
  };
}

export async function listProjects(app: App, actor: Actor, opts: { all?: boolean } = {}): Promise<ProjectView[]> {
  requireScope(actor, 'read');
  return app.store.read(async (db) => {
    const rows = await listProjectRows(db, {
      activeOnly: !opts.all,
      ...(actor.role === 'admin' ? {} : { memberId: actor.userId ?? '' }),
    });
    return Promise.all(rows.map((p) => view(app, db, actor, p)));
  });
}

export async function showProject(app: App, actor: Actor, id: string): Promise<ProjectView> {
  requireScope(actor, 'read');
  return app.store.read(async (db) => view(app, db, actor, await loadProject(db, actor, id)));
}

export async function addProject(app: App, actor: Actor, input: ProjectInput): Promise<ProjectView> {
  requireScope(actor, 'write');
  requireAdmin(actor);
  const now = app.clock();
  return app.store.write(async (tx) => {
    const { project, events } = addProjectCommand(input, choice(app), { actor: actor.name, now });
    if (await getProject(tx, project.id)) throw new DomainError('conflict', `project ${project.id} already exists`);
    await insertProject(tx, project);
    await appendEvents(tx, { actor: actor.name, at: now, events });
    return view(app, tx, actor, project);
  });
}

export async function editProject(app: App, actor: Actor, id: string, edit: ProjectEdit, expectedRevision?: number): Promise<ProjectView> {
  requireScope(actor, 'write');
  const now = app.clock();
  return app.store.write(async (tx) => {
    const current = await loadProjectToManage(tx, actor, id);
    if (expectedRevision !== undefined && expectedRevision !== current.revision) {
      throw new DomainError(
        'revision_conflict',
        `project ${id} changed since revision ${expectedRevision} (now ${current.revision}); reload it`,
        {
          expectedRevision,
          currentRevision: current.revision,
        },
      );
    }
    // Changing which playbook the project follows is an instance admin's decision: it changes the process.
    if (edit.playbook !== undefined && edit.playbook !== current.playbook) requireAdmin(actor);
    const { project, events } = editProjectCommand(current, edit, choice(app), { actor: actor.name, now });
    if (events.length > 0) {
      await updateProject(tx, project);
      await appendEvents(tx, { actor: actor.name, at: now, events });
    }
    return view(app, tx, actor, project);
  });
}

export async function archiveProject(app: App, actor: Actor, id: string, archived = true): Promise<ProjectView> {
  requireScope(actor, 'write');
  requireAdmin(actor);
  const now = app.clock();
  return app.store.write(async (tx) => {
    const { project, events } = archiveProjectCommand(await loadProject(tx, actor, id), archived, { actor: actor.name, now });
    if (events.length > 0) {
      await updateProject(tx, project);
      await appendEvents(tx, { actor: actor.name, at: now, events });
    }
    return view(app, tx, actor, project);
  });
}

export async function projectMembers(app: App, actor: Actor, id: string): Promise<ProjectMember[]> {
  requireScope(actor, 'read');
  return app.store.read(async (db) => {
    await loadProject(db, actor, id);
    return listMembers(db, id);
  });
}

/** Adds a member or changes their role (project admins). */
export async function putProjectMember(app: App, actor: Actor, id: string, username: string, role: unknown): Promise<ProjectMember[]> {
  requireScope(actor, 'write');
  const r = projectRole(role);
  const now = app.clock();
  return app.store.write(async (tx) => {
    const p = await loadProjectToManage(tx, actor, id);
    if (p.archivedAt) throw new DomainError('conflict', `project ${id} is archived; restore it before changing its members`);
    const user = await findUserByUsername(tx, username);
    if (!user) throw new DomainError('not_found', `user ${username} not found`);
    const previous = await projectRoleOf(tx, id, user.id);
    if (previous !== r) {
      await putMember(tx, { projectId: id, userId: user.id, role: r, addedBy: actor.name, addedAt: now });
      await appendEvents(tx, { actor: actor.name, at: now, events: [memberAdded(id, user.username, r, previous)] });
    }
    return listMembers(tx, id);
  });
}

/** Takes someone out of the project; their case access lists are left to the case's admins. */
export async function removeProjectMember(app: App, actor: Actor, id: string, username: string): Promise<ProjectMember[]> {
  requireScope(actor, 'write');
  const now = app.clock();
  return app.store.write(async (tx) => {
    await loadProjectToManage(tx, actor, id);
    const user = await findUserByUsername(tx, username);
    if (!user) throw new DomainError('not_found', `user ${username} not found`);
    if (await removeMember(tx, id, user.id)) {
      await appendEvents(tx, { actor: actor.name, at: now, events: [memberRemoved(id, user.username)] });
    }
    return listMembers(tx, id);
  });
}
