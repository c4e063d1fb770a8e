/** A project's commands and settings: pure rules, no database. */
import { describe, expect, it } from 'vitest';
import type { Playbook } from '../../../src/domain/playbook/types.js';
import { addProject, archiveProject, editProject, effectivePlaybook, repository } from '../../../src/domain/project/index.js';
import { errorOf } from '../../support/domain-error.js';

function expectDomainError(fn: () => unknown, code: string, message: string | RegExp) {
  const err = errorOf(fn);
  expect(err.code).toBe(code);
  if (typeof message === 'string') expect(err.message).toBe(message);
  else expect(err.message).toMatch(message);
}

const choice = { playbookIds: ['contour', 'kubernetes'], defaultPlaybook: 'contour' };
const ctx = { actor: 'root', now: new Date('2026-12-06T10:00:00Z') };
const later = { actor: 'paula', now: new Date('2026-12-07T10:00:00Z') };

const playbook = {
  id: 'contour',
  name: 'Contour',
  settings: { embargoedMailCarriesCve: false, distributorsList: 'list@contour.example', securityTag: '#security' },
} as unknown as Playbook;

describe('projects', () => {
  it('adds a project with the default playbook, a name from its slug, and its event without timestamps', () => {
    const { project, events } = addProject(
      { id: 'cert-manager', repository: 'https://github.com/cert-manager/cert-manager.git' },
      choice,
      ctx,
    );
    expect(project).toMatchObject({
      id: 'cert-manager',
      name: 'Cert-manager',
      playbook: 'contour',
      repository: 'cert-manager/cert-manager',
      revision: 1,
    });
    expect(events).toEqual([
      {
        action: 'project.created',
        caseId: null,
        details: { id: 'cert-manager', name: 'Cert-manager', repository: 'cert-manager/cert-manager', playbook: 'contour', settings: {} },
      },
    ]);
  });

  it('refuses a bad slug, an unknown playbook and a repository that is not owner/name', () => {
    expectDomainError(() => addProject({ id: 'Cert Manager' }, choice, ctx), 'invalid_input', /must be a slug/);
    expectDomainError(
      () => addProject({ id: 'x', playbook: 'nope' }, choice, ctx),
      'invalid_input',
      'no playbook "nope"; known: contour, kubernetes',
    );
    expectDomainError(() => repository('gitlab.com/a/b'), 'invalid_input', /is not a GitHub repository like projectcontour\/contour/);
  });

  it('sets, replaces and clears settings; an edit that changes nothing has no event', () => {
    const { project } = addProject({ id: 'k', settings: { holidays: ['2026-12-26', '2026-12-25', '2026-12-25'] } }, choice, ctx);
    expect(project.settings.holidays).toEqual(['2026-12-25', '2026-12-26']);
    const edited = editProject(project, { settings: { securityTag: '[K]', holidays: null } }, choice, later);
    expect(edited.project.settings).toEqual({ securityTag: '[K]' });
    expect(edited.project).toMatchObject({ revision: 2, updatedAt: '2026-12-07T10:00:00.000Z' });
    expect(edited.events[0]!.details).toEqual({ project: 'k', changed: { 'settings.securityTag': '[K]', 'settings.holidays': null } });
    const again = editProject(edited.project, { settings: { securityTag: '[K]' } }, choice, later);
    expect(again.events).toEqual([]);
    expect(again.project).toBe(edited.project);
  });

  it('lays the project over its playbook: its own settings and name win, the rest stays', () => {
    const { project } = addProject(
      { id: 'gatekeeper', name: 'Gatekeeper', settings: { distributorsList: 'list@gatekeeper.example' } },
      choice,
      ctx,
    );
    const merged = effectivePlaybook(playbook, project);
    expect(merged.name).toBe('Gatekeeper');
    expect(merged.settings).toEqual({
      embargoedMailCarriesCve: false,
      distributorsList: 'list@gatekeeper.example',
      securityTag: '#security',
    });
    expect(playbook.settings.distributorsList).toBe('list@contour.example');
    expect(effectivePlaybook(playbook, undefined)).toBe(playbook);
  });

  it('archives once, refuses edits while archived, and restores', () => {
    const { project } = addProject({ id: 'old' }, choice, ctx);
    const archived = archiveProject(project, true, later);
    expect(archived.project.archivedAt).toBe('2026-12-07T10:00:00.000Z');
    expect(archiveProject(archived.project, true, later).events).toEqual([]);
    expectDomainError(() => editProject(archived.project, { name: 'Older' }, choice, later), 'conflict', /is archived/);
    expect(archiveProject(archived.project, false, later).project.archivedAt).toBeNull();
  });
});
