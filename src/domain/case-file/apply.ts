/**
 * Turning a case file into case commands: the edit (every advisory field the file gives), the
 * embargo and the release plan, each an ordinary command with its own checks and events. Applied to
 * a stored case by the import use case (one transaction), or to a case built in memory for offline
 * exports (`embargo export --from FILE`).
 */
import { codenameFrom } from '../case/codename.js';
import { createCase } from '../case/create-case.js';
import { editCase, type CaseEdit } from '../case/edit-case.js';
import { planRelease } from '../case/release-plan.js';
import { setEmbargo } from '../case/set-embargo.js';
import type { Case, CommandContext, CommandResult, DomainEvent } from '../case/types.js';
import { invalidInput } from '../errors.js';
import type { CaseFileData } from './types.js';

export interface ApplyOptions {
  /**
   * Files never carry the reporter's contact back out; a file that names a reporter the case does
   * not have yet must give one, unless this stands in (offline exports, where nothing is stored).
   */
  contactFallback?: string;
}

/** The case edit a file asks for: every key present in the file; the contact kept from the case. */
export function caseFileEdit(data: CaseFileData, current: Case, options: ApplyOptions = {}): CaseEdit {
  const edit: CaseEdit = { title: data.title };
  if (data.ghsa !== undefined) edit.ghsaId = data.ghsa;
  if (data.cve !== undefined) edit.cveId = data.cve;
  if (data.description !== undefined) edit.description = data.description;
  if (data.package !== undefined) edit.package = data.package;
  if (data.cvss !== undefined) edit.cvss = data.cvss;
  if (data.cwe !== undefined) edit.cwe = data.cwe;
  if (data.affected !== undefined) edit.affected = data.affected;
  if (data.credits !== undefined) edit.credits = data.credits;
  if (data.published !== undefined) edit.publishedAt = data.published;
  if (data.references !== undefined) edit.references = data.references;
  if (data.workarounds !== undefined) edit.workarounds = data.workarounds;
  if (data.reporter !== undefined) {
    if (data.reporter === null) edit.reporter = null;
    else {
      const contact = data.reporter.contact ?? current.reporter?.contact ?? options.contactFallback;
      if (contact === undefined) {
        throw invalidInput(
          'reporter.contact: the case has no reporter yet, so the file must give their private contact (it is never written back to files)',
          {
            field: 'reporter.contact',
          },
        );
      }
      edit.reporter = { name: data.reporter.name, company: data.reporter.company, credit: data.reporter.credit, contact };
    }
  }
  return edit;
}

const samePlan = (c: Case, lines: { line: string; version: string }[]) =>
  c.releasePlan.length === lines.length && lines.every((l) => c.releasePlan.some((p) => p.line === l.line && p.version === l.version));

/**
 * Applies a file to a case: editCase, then setEmbargo, then planRelease, each only when the file
 * changes something. Returns the final state and every command's events. Throws like the commands
 * do (invalid_input, conflict), so a caller in a transaction rolls all of it back.
 */
export function applyCaseFile(
  c: Case,
  data: CaseFileData,
  ctx: CommandContext,
  options: ApplyOptions = {},
): CommandResult & { changed: string[] } {
  if (data.project !== undefined && data.project !== c.project) {
    throw invalidInput(`project: ${c.id} belongs to project ${c.project}; a case file cannot move it to ${data.project}`, {
      field: 'project',
    });
  }
  if (data.playbook !== undefined && data.playbook !== c.playbook) {
    throw invalidInput(`playbook: ${c.id} follows playbook ${c.playbook}; a case file cannot change it to ${data.playbook}`, {
      field: 'playbook',
    });
  }
  let state = c;
  const events: DomainEvent[] = [];
  const changed: string[] = [];
  const run = (result: CommandResult) => {
    state = result.state;
    events.push(...result.events);
  };

  const edited = editCase(state, caseFileEdit(data, state, options), ctx);
  for (const e of edited.events) if (e.action === 'case.edited') changed.push(...Object.keys(e.details.changed));
  run(edited);

  if (data.embargo === null && state.embargo !== null) {
    throw invalidInput('embargo: a case file cannot clear an agreed embargo; leave the key out to keep it', { field: 'embargo' });
  }
  if (data.embargo) {
    // A case file is a record, often of a case long disclosed: its date may be past.
    const result = setEmbargo(state, { ...data.embargo, allowPast: 'recorded in a case file' }, ctx);
    if (result.events.length > 0) changed.push('embargo');
    run(result);
  }

  if (data.releasePlan !== undefined) {
    const lines = data.releasePlan.map(({ line, version }) => ({ line, version }));
    if (lines.length === 0 && state.releasePlan.length > 0) {
      throw invalidInput('releasePlan: a case file cannot empty a release plan; leave the key out to keep it', { field: 'releasePlan' });
    }
    if (lines.length > 0 && !samePlan(state, lines)) {
      run(planRelease(state, lines, ctx));
      changed.push('releasePlan');
    }
  }
  return { state, events, changed };
}

/** A slug for a project named after a package: "github.com/projectcontour/contour" → "contour". */
function projectSlug(data: CaseFileData): string {
  const last = (data.package?.name ?? '').split(/[/:@]/).filter(Boolean).pop() ?? '';
  const slug = last
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[^a-z0-9]+/, '')
    .slice(0, 64);
  return slug || 'project';
}

/**
 * A case built in memory from a file, for offline exports: no database, no id allocation (the
 * file's id, else EMB-<year>-0000), the time passed in. The same commands check it as on import.
 */
export function caseFromFile(data: CaseFileData, now: Date): Case {
  const ctx: CommandContext = { actor: 'case-file', now };
  const created = createCase(
    { title: data.title, project: data.project ?? projectSlug(data) },
    {
      id: data.id ?? `EMB-${now.getUTCFullYear()}-0000`,
      codename: codenameFrom(0),
      playbook: { id: data.playbook ?? 'offline', firstPhase: 'offline' },
    },
    ctx,
  );
  return applyCaseFile(created.state, data, ctx, { contactFallback: '(not in the case file)' }).state;
}
