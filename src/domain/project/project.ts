/**
 * The commands on a project: add, edit, archive, and who belongs to it. Each returns the new record
 * and the events to append; the app persists both in one transaction.
 */
import { PROJECT_PATTERN } from '../case/create-case.js';
import { optionalText, requiredText } from '../case/fields.js';
import * as limits from '../case/limits.js';
import type { CommandContext } from '../case/types.js';
import { conflict, invalidInput } from '../errors.js';
import { event, type EventOf } from '../events.js';
import type { Project, ProjectRole } from './schema.js';
import { editedSettings, projectSettings } from './settings.js';

/** What the app knows that the command checks against: the playbooks there are, and the default one. */
export interface PlaybookChoice {
  playbookIds: readonly string[];
  defaultPlaybook: string;
}

const REPOSITORY = /^(?:https:\/\/github\.com\/)?([A-Za-z0-9-]{1,39})\/([A-Za-z0-9._-]{1,100}?)(?:\.git)?\/?$/;

export function projectSlug(value: unknown): string {
  const slug = requiredText('id', value, limits.SLUG_MAX);
  if (!PROJECT_PATTERN.test(slug)) {
    throw invalidInput(`project id "${slug}" must be a slug of lower-case letters, digits, dots, dashes or underscores, e.g. contour`, {
      field: 'id',
    });
  }
  return slug;
}

/** owner/name; a github.com URL is accepted and written as owner/name. */
export function repository(value: unknown): string | null {
  const text = optionalText('repository', value, limits.REPOSITORY_MAX);
  if (text === null) return null;
  const m = REPOSITORY.exec(text);
  if (!m) throw invalidInput(`repository "${text}" is not a GitHub repository like projectcontour/contour`, { field: 'repository' });
  return `${m[1]}/${m[2]}`;
}

function playbookId(value: unknown, choice: PlaybookChoice): string {
  const id = value === undefined || value === null ? choice.defaultPlaybook : requiredText('playbook', value, limits.SLUG_MAX);
  if (!choice.playbookIds.includes(id)) {
    throw invalidInput(`no playbook "${id}"; known: ${choice.playbookIds.join(', ')}`, { field: 'playbook' });
  }
  return id;
}

/** A name for a slug nobody named: "cert-manager" -> "Cert-manager". */
const nameOf = (slug: string) => slug.charAt(0).toUpperCase() + slug.slice(1);

export function addProject(
  input: { id?: unknown; name?: unknown; repository?: unknown; playbook?: unknown; settings?: unknown },
  choice: PlaybookChoice,
  ctx: CommandContext,
): { project: Project; events: EventOf<'project.created'>[] } {
  const id = projectSlug(input.id);
  const at = ctx.now.toISOString();
  const project: Project = {
    id,
    name: optionalText('name', input.name, limits.NAME_MAX) ?? nameOf(id),
    repository: repository(input.repository),
    playbook: playbookId(input.playbook, choice),
    settings: projectSettings(input.settings),
    createdAt: at,
    createdBy: ctx.actor,
    updatedAt: at,
    revision: 1,
    archivedAt: null,
  };
  const { createdAt: _c, createdBy: _b, updatedAt: _u, revision: _r, archivedAt: _a, ...details } = project;
  return { project, events: [event('project.created', null, details)] };
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Applies an edit; no events when nothing changes. An archived project is read-only until restored. */
export function editProject(
  p: Project,
  edit: { name?: unknown; repository?: unknown; playbook?: unknown; settings?: unknown },
  choice: PlaybookChoice,
  ctx: CommandContext,
): { project: Project; events: EventOf<'project.edited'>[] } {
  if (p.archivedAt) throw conflict(`project ${p.id} is archived; restore it before changing it`);
  const next: Project = {
    ...p,
    ...(edit.name !== undefined ? { name: requiredText('name', edit.name, limits.NAME_MAX) } : {}),
    ...(edit.repository !== undefined ? { repository: repository(edit.repository) } : {}),
    ...(edit.playbook !== undefined ? { playbook: playbookId(edit.playbook, choice) } : {}),
    ...(edit.settings !== undefined ? { settings: editedSettings(p.settings, edit.settings) } : {}),
  };
  const changed: Record<string, unknown> = {};
  for (const key of ['name', 'repository', 'playbook'] as const) if (!same(p[key], next[key])) changed[key] = next[key];
  for (const key of new Set([...Object.keys(p.settings), ...Object.keys(next.settings)]) as Set<keyof Project['settings']>) {
    if (!same(p.settings[key], next.settings[key])) changed[`settings.${key}`] = next.settings[key] ?? null;
  }
  if (Object.keys(changed).length === 0) return { project: p, events: [] };
  return {
    project: { ...next, updatedAt: ctx.now.toISOString(), revision: p.revision + 1 },
    events: [event('project.edited', null, { project: p.id, changed })],
  };
}

/** Archived: no new cases or members; its cases, settings and registers stay. Restoring reverses it. */
export function archiveProject(
  p: Project,
  archived: boolean,
  ctx: CommandContext,
): { project: Project; events: EventOf<'project.archived' | 'project.restored'>[] } {
  if (Boolean(p.archivedAt) === archived) return { project: p, events: [] };
  const at = ctx.now.toISOString();
  return {
    project: { ...p, archivedAt: archived ? at : null, updatedAt: at, revision: p.revision + 1 },
    events: [event(archived ? 'project.archived' : 'project.restored', null, { project: p.id })],
  };
}

export function projectRole(value: unknown): ProjectRole {
  if (value === undefined || value === null) return 'member';
  if (value !== 'admin' && value !== 'member') throw invalidInput('role must be admin or member', { field: 'role' });
  return value;
}

export const memberAdded = (
  project: string,
  user: string,
  role: ProjectRole,
  previousRole: ProjectRole | null,
): EventOf<'project.member_added'> =>
  event('project.member_added', null, previousRole ? { project, user, role, previousRole } : { project, user, role });

export const memberRemoved = (project: string, user: string): EventOf<'project.member_removed'> =>
  event('project.member_removed', null, { project, user });
