import { createCase as createCaseCommand, type Case, type CommandContext, type DomainEvent } from '../domain/case/index.js';
import { applyCaseFile, caseToFile, parseCaseFile } from '../domain/case-file/index.js';
import { DomainError } from '../domain/errors.js';
import { type ExportFormat, type ExportOptions, type RenderedExport, renderExport } from '../domain/exports/index.js';
import type { Project } from '../domain/project/schema.js';
import { getProject } from '../store/projects.js';
import { deriveStatus } from '../domain/playbook/index.js';
import { insertCase, updateCase } from '../store/cases.js';
import { appendEvents } from '../store/events.js';
import { requireScope, type Actor } from './actor.js';
import { answerChange, type CaseAnswer } from './unit-of-work.js';
import type { App } from './app.js';
import { loadVisibleCase, readCase } from './cases.js';
import { grantOpener, newCaseFacts } from './open-case.js';
import { playbookOf, projectPlaybook, resolveProject } from './projects.js';

/** The case as one advisory format; the read is audited as `export:<format>`. */
export function exportCase(app: App, actor: Actor, id: string, format: ExportFormat): Promise<RenderedExport> {
  return readCase(app, actor, id, `export:${format}`, async (c, db) => {
    const cvss = (await playbookOf(app, db, c)).settings.githubCvss;
    return renderExport(c, format, { ...exportOptionsOf(await getProject(db, c.project)), ...(cvss ? { ghsa: { cvss } } : {}) });
  });
}

/** The case as a case file (YAML); the read is audited as `case-file`. */
export function caseFile(app: App, actor: Actor, id: string): Promise<string> {
  return readCase(app, actor, id, 'case-file', (c) => caseToFile(c));
}

export interface CaseFileImport {
  case: Case;
  /** True when the import opened a new case. */
  created: boolean;
  /** The fields the import changed (empty when the file matched the case). */
  changed: string[];
}

/**
 * Creates or updates a case from a case file. The file's `id` names the case to update when it
 * exists and the actor may see it; otherwise (no id, an unknown id, or a case outside the actor's
 * access list, which must not be revealed) a new case is opened with a new id.
 */
/** What an export takes from the case's project: the CSAF publisher is the project, at its GitHub owner. */
function exportOptionsOf(project: Project | undefined): ExportOptions {
  if (!project) return {};
  const owner = project.repository?.split('/')[0];
  return { csaf: { publisher: { name: project.name, ...(owner ? { namespace: `https://github.com/${owner}` } : {}) } } };
}

export async function importCaseFile(app: App, actor: Actor, text: string): Promise<{ created: boolean } & CaseAnswer<CaseFileImport>> {
  requireScope(actor, 'write');
  const data = parseCaseFile(text);
  const ctx: CommandContext = { actor: actor.name, now: app.clock() };
  return app.store.write(async (tx) => {
    let current: Case | null = null;
    if (data.id) {
      try {
        current = await loadVisibleCase(tx, actor, data.id);
      } catch (err) {
        if (!(err instanceof DomainError && err.code === 'not_found')) throw err;
      }
    }
    const events: DomainEvent[] = [];
    let base: Case;
    if (current) {
      base = current;
    } else {
      const project = await resolveProject(tx, actor, data.project);
      const playbook = projectPlaybook(app, project, data.playbook);
      const opened = createCaseCommand(
        { title: data.title, project: project.id },
        await newCaseFacts(tx, playbook, ctx.now, app.config.caseNumbers),
        ctx,
      );
      base = opened.state;
      events.push(...opened.events);
    }
    const applied = applyCaseFile(base, data, ctx);
    events.push(...applied.events);
    const playbook = app.playbooks.get(applied.state.playbook);
    const next: Case = { ...applied.state, status: deriveStatus(playbook, applied.state) };
    if (!current) {
      await insertCase(tx, next);
      events.push(...(await grantOpener(tx, actor, next.id, ctx.now, 'imported the case file')));
    } else if (applied.events.length > 0) {
      await updateCase(tx, next, current.revision);
    }
    const answered = current && applied.events.length === 0 ? current : next;
    const answer = answerChange(actor, answered, { case: answered, created: !current, changed: applied.changed }, events);
    await appendEvents(tx, { actor: actor.name, at: ctx.now, events: answer.events });
    return { ...answer.value, created: !current };
  });
}
