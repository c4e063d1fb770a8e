/** Projects and their members. A project's settings are stored as JSON text (the keys it overrides). */
import type { Kysely, Selectable } from 'kysely';
import type { Project, ProjectMember, ProjectRole } from '../domain/project/schema.js';
import type { Database, ProjectsTable } from './schema.js';
import { hasNul } from './portable-sql.js';
import { prepared } from './prepared.js';

const present = (r: Selectable<ProjectsTable>): Project => ({
  id: r.id,
  name: r.name,
  repository: r.repository,
  playbook: r.playbook,
  settings: JSON.parse(r.settings) as Project['settings'],
  createdAt: r.created_at,
  createdBy: r.created_by,
  updatedAt: r.updated_at,
  revision: Number(r.revision),
  archivedAt: r.archived_at,
});

const columns = (p: Project) => ({
  name: p.name,
  repository: p.repository,
  playbook: p.playbook,
  settings: JSON.stringify(p.settings),
  updated_at: p.updatedAt,
  revision: p.revision,
  archived_at: p.archivedAt,
});

const projectById = prepared((db, p: { id: string }) => db.selectFrom('projects').selectAll().where('id', '=', p.id));

export async function getProject(db: Kysely<Database>, id: string): Promise<Project | undefined> {
  if (hasNul(id)) return undefined;
  const r = (await projectById(db, { id })).rows[0];
  return r ? present(r) : undefined;
}

/** Every project (archived ones too unless `activeOnly`), by id; only those `memberId` belongs to when given. */
export async function listProjects(db: Kysely<Database>, opts: { activeOnly?: boolean; memberId?: string } = {}): Promise<Project[]> {
  let q = db.selectFrom('projects').selectAll();
  if (opts.activeOnly) q = q.where('archived_at', 'is', null);
  const memberId = opts.memberId;
  if (memberId !== undefined) {
    q = q.where((eb) =>
      eb.exists(
        eb
          .selectFrom('project_members')
          .select('project_members.project_id')
          .whereRef('project_members.project_id', '=', 'projects.id')
          .where('project_members.user_id', '=', memberId),
      ),
    );
  }
  return (await q.orderBy('id').execute()).map(present);
}

export async function insertProject(db: Kysely<Database>, p: Project): Promise<void> {
  await db
    .insertInto('projects')
    .values({ id: p.id, created_at: p.createdAt, created_by: p.createdBy, ...columns(p) })
    .execute();
}

export async function updateProject(db: Kysely<Database>, p: Project): Promise<void> {
  await db.updateTable('projects').set(columns(p)).where('id', '=', p.id).execute();
}

/** The user's role in the project, or null when they are not a member. */
export async function projectRoleOf(db: Kysely<Database>, projectId: string, userId: string): Promise<ProjectRole | null> {
  if (hasNul(projectId, userId)) return null;
  const r = await db
    .selectFrom('project_members')
    .select('role')
    .where('project_id', '=', projectId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return r?.role ?? null;
}

/** Whether the user is an admin of the project the case belongs to (false for an unknown case). */
/** The projects in which the user is an admin. */
export async function projectsAdministeredBy(db: Kysely<Database>, userId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('project_members')
    .select('project_id')
    .where('user_id', '=', userId)
    .where('role', '=', 'admin')
    .execute();
  return rows.map((r) => r.project_id);
}

export async function listMembers(db: Kysely<Database>, projectId: string): Promise<ProjectMember[]> {
  const rows = await db
    .selectFrom('project_members')
    .innerJoin('users', 'users.id', 'project_members.user_id')
    .select(['users.username', 'users.display_name', 'project_members.role', 'project_members.added_by', 'project_members.added_at'])
    .where('project_members.project_id', '=', projectId)
    .orderBy('users.username')
    .execute();
  return rows.map((r) => ({ username: r.username, displayName: r.display_name, role: r.role, addedBy: r.added_by, addedAt: r.added_at }));
}

/** Every user's projects and roles, by user id. */
export async function membershipsByUser(db: Kysely<Database>): Promise<Map<string, { project: string; role: ProjectRole }[]>> {
  const rows = await db.selectFrom('project_members').select(['user_id', 'project_id', 'role']).orderBy('project_id').execute();
  const byUser = new Map<string, { project: string; role: ProjectRole }[]>();
  for (const r of rows) byUser.set(r.user_id, [...(byUser.get(r.user_id) ?? []), { project: r.project_id, role: r.role }]);
  return byUser;
}

/** Adds the member or changes their role. */
export async function putMember(
  db: Kysely<Database>,
  m: { projectId: string; userId: string; role: ProjectRole; addedBy: string; addedAt: Date },
): Promise<void> {
  await db
    .insertInto('project_members')
    .values({ project_id: m.projectId, user_id: m.userId, role: m.role, added_by: m.addedBy, added_at: m.addedAt.toISOString() })
    .onConflict((oc) => oc.columns(['project_id', 'user_id']).doUpdateSet({ role: m.role }))
    .execute();
}

export async function removeMember(db: Kysely<Database>, projectId: string, userId: string): Promise<boolean> {
  const res = await db.deleteFrom('project_members').where('project_id', '=', projectId).where('user_id', '=', userId).executeTakeFirst();
  return Number(res.numDeletedRows) > 0;
}

/** Distributors no project claims yet (an install from before projects with no case): they join `projectId`. */
export async function claimUnassignedDistributors(db: Kysely<Database>, projectId: string): Promise<void> {
  await db.updateTable('distributors').set({ project: projectId }).where('project', 'is', null).execute();
}
