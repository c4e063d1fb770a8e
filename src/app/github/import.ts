/**
 * Intake from GitHub (checklist step 1): private vulnerability reports arrive as repository
 * advisories in state `triage`. Each becomes a new case with the reporter and the report's text, its
 * GHSA id linked; a report imported before is skipped, so importing again is harmless.
 */
import { advisoryImported } from '../../domain/advisory/events.js';
import { caseInputFromReport } from '../../domain/advisory/index.js';
import {
  createCase as createCaseCommand,
  editCase as editCaseCommand,
  type CaseEdit,
  type CommandContext,
  type DomainEvent,
} from '../../domain/case/index.js';
import { DomainError } from '../../domain/errors.js';
import { deriveStatus } from '../../domain/playbook/index.js';
import { insertCase } from '../../store/cases.js';
import { appendEvents } from '../../store/events.js';
import { linkedGhsaIds, saveAdvisoryLink } from '../../store/github.js';
import { getSetting, setSetting } from '../../store/settings.js';
import { requireScope, type Actor } from '../actor.js';
import type { App } from '../app.js';
import { grantOpener, newCaseFacts } from '../open-case.js';
import { loadProjectToManage, projectPlaybook, resolveProject } from '../projects.js';
import { connectionOf, parseProject } from './connection.js';
import { onGitHub } from './errors.js';

export interface ImportResult {
  imported: { ghsaId: string; caseId: string; title: string }[];
  skipped: { ghsaId: string; caseId: string }[];
  /** GitHub answered 304: the list of reports has not changed since the last import. */
  notModified: boolean;
}

/** The ETag of the last list of reports, per project: the next import asks "changed since?". */
const etagKey = (project: string) => `github.import-etag.${project}`;

/** Imports the project's reports in triage (admins: a new case is visible to whoever imports it). */
export async function importReports(app: App, actor: Actor, projectInput: unknown): Promise<ImportResult> {
  requireScope(actor, 'write');
  const { id: project, playbookOfCases: playbook } = await app.store.read(async (db) => {
    const p = await resolveProject(db, actor, projectInput === undefined || projectInput === null ? undefined : parseProject(projectInput));
    await loadProjectToManage(db, actor, p.id);
    return { id: p.id, playbookOfCases: projectPlaybook(app, p, undefined) };
  });
  const connected = await app.store.read((db) => connectionOf(app, db, project));
  if (!connected) {
    throw new DomainError(
      'conflict',
      `project ${project} has no GitHub connection, so its private reports cannot be fetched; open a case per report with embargo case new and record its GHSA id with embargo case edit --ghsa`,
    );
  }
  const etag = await app.store.read((db) => getSetting(db, etagKey(project)));
  const listed = await onGitHub(() => connected.client.listAdvisories(connected.repo, { state: 'triage', ...(etag ? { etag } : {}) }));
  const result: ImportResult = { imported: [], skipped: [], notModified: listed.notModified };
  if (listed.notModified) return result;
  const reports = (listed.value ?? []).filter((a) => a.state === 'triage');
  for (const report of reports) {
    // One transaction per report: a report that cannot be imported does not hold back the others.
    type Outcome = { skipped: ImportResult['skipped'][number] } | { imported: ImportResult['imported'][number] };
    const outcome = await app.store.write(async (tx): Promise<Outcome> => {
      const linked = (await linkedGhsaIds(tx, [report.ghsa_id])).get(report.ghsa_id);
      if (linked) return { skipped: { ghsaId: report.ghsa_id, caseId: linked } };
      const ctx: CommandContext = { actor: actor.name, now: app.clock() };
      const input = caseInputFromReport(report);
      const create = { title: input.title, reporter: input.reporter, project };
      // Only what the report says: empty lists stay unset rather than recorded as "none".
      const edit: CaseEdit = { ghsaId: input.ghsaId, description: input.description };
      if (input.affected.length > 0) edit.affected = input.affected;
      if (input.package) edit.package = input.package;
      if (input.cvss.length > 0) edit.cvss = input.cvss;
      if (input.cwe.length > 0) edit.cwe = input.cwe;
      if (input.credits.length > 0) edit.credits = input.credits;
      const created = createCaseCommand(create, await newCaseFacts(tx, playbook, ctx.now, app.config.caseNumbers), ctx);
      const id = created.state.id;
      const edited = editCaseCommand(created.state, edit, ctx);
      const events: DomainEvent[] = [...created.events, ...edited.events];
      // The import is one act: the case is born with what the report says, at revision 1.
      const state = { ...edited.state, revision: created.state.revision, status: deriveStatus(playbook, edited.state) };
      await insertCase(tx, state);
      await saveAdvisoryLink(tx, id, { ghsaId: report.ghsa_id, remoteState: report.state, lastSyncedAt: ctx.now.toISOString() });
      events.push(advisoryImported(id, report.ghsa_id, `${connected.repo.owner}/${connected.repo.name}`));
      events.push(...(await grantOpener(tx, actor, id, ctx.now, 'imported the report')));
      await appendEvents(tx, { actor: actor.name, at: ctx.now, events });
      return { imported: { ghsaId: report.ghsa_id, caseId: id, title: state.title } };
    });
    if ('skipped' in outcome) result.skipped.push(outcome.skipped);
    else result.imported.push(outcome.imported);
  }
  // Only after every report is in: a failed import is retried in full next time.
  if (listed.etag) {
    const next = listed.etag;
    await app.store.write((tx) => setSetting(tx, etagKey(project), next));
  }
  return result;
}
