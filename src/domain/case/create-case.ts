import { invalidInput } from '../errors.js';
import { isCaseId } from './case-id.js';
import { advisoryDefaults } from './defaults.js';
import { optionalText, reporter, requiredText } from './fields.js';
import type { Case, CommandContext, CommandResult, OriginalReport } from './types.js';
import { SLUG_MAX, TITLE_MAX } from './limits.js';

export interface CreateCaseInput {
  /** Short internal title; it stays private until publication. */
  title: unknown;
  /** Project slug, e.g. "contour". */
  project?: unknown;
  reporter?: unknown;
  /** The report as it arrived (form or mail); kept apart from the advisory description, which starts empty. */
  report?: OriginalReport | null;
}

export interface CreateCaseFacts {
  /** Allocated by the store (EMB-<year>-<n>). */
  id: string;
  codename: string;
  /** Playbook the case follows, and the phase of its first step (the case's first status). */
  playbook: { id: string; firstPhase: string };
}

export const PROJECT_PATTERN = /^[a-z0-9][a-z0-9._-]{0,63}$/;

/** Opens a case for a newly reported vulnerability (checklist step 1). */
export function createCase(input: CreateCaseInput, facts: CreateCaseFacts, ctx: CommandContext): CommandResult {
  if (!isCaseId(facts.id)) throw invalidInput(`"${facts.id}" is not a case id like EMB-2026-0001`);
  const title = requiredText('title', input.title, TITLE_MAX);
  const project = (optionalText('project', input.project, SLUG_MAX) ?? facts.playbook.id).toLowerCase();
  if (!PROJECT_PATTERN.test(project)) {
    throw invalidInput('project must be a slug of lower-case letters, digits, dots, dashes or underscores', { field: 'project' });
  }
  const now = ctx.now.toISOString();
  const created: Case = {
    id: facts.id,
    title,
    codename: facts.codename,
    project,
    playbook: facts.playbook.id,
    status: facts.playbook.firstPhase,
    reporter: input.reporter === undefined || input.reporter === null ? null : reporter(input.reporter),
    severity: { cvss: [], cwe: [] },
    embargo: null,
    releasePlan: [],
    affected: [],
    ghsaId: null,
    cveId: null,
    ...advisoryDefaults(),
    ...(input.report ? { report: input.report } : {}),
    steps: {},
    createdAt: now,
    updatedAt: now,
    revision: 1,
  };
  return {
    state: created,
    events: [
      {
        action: 'case.created',
        caseId: created.id,
        details: { title, project, codename: created.codename, playbook: created.playbook },
      },
    ],
  };
}
