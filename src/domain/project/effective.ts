/**
 * The playbook a case follows, as its project configured it: the playbook gives the process and the
 * defaults, the project's own settings and name win. Templates, the lint, the distributors notice and
 * the release policy all read this one merged playbook, so no caller can take Contour's list address
 * for another project's case.
 */
import type { Playbook } from '../playbook/types.js';
import type { Project } from './schema.js';

export function effectivePlaybook(playbook: Playbook, project: Project | undefined): Playbook {
  if (!project) return playbook;
  return { ...playbook, name: project.name, settings: { ...playbook.settings, ...project.settings } };
}
