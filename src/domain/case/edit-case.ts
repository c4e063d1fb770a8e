import type { Static } from 'typebox';
import { invalidInput } from '../errors.js';
import * as advisory from './advisory-fields.js';
import * as fields from './fields.js';
import { revise } from './revise.js';
import type { CaseEditSchema } from './schema.js';
import type { AffectedRange, Case, CommandContext, CommandResult } from './types.js';
import { AFFECTED_MAX, SEVERITY_LIST_MAX, TITLE_MAX } from './limits.js';

/** The case details a person edits during triage; every key is optional, null clears a value (schema.ts). */
export type CaseEditInput = Static<typeof CaseEditSchema>;

/**
 * What editCase accepts: the keys of CaseEditInput with values not yet checked. Case files, imports
 * and the reporter's portal reach the command without the API's schema, so it checks every value
 * itself; the keys still come from the one schema.
 */
export type CaseEdit = { [K in keyof CaseEditInput]?: unknown };

const EDITABLE = [
  'title',
  'reporter',
  'ghsaId',
  'cveId',
  'cvss',
  'cwe',
  'affected',
  'description',
  'package',
  'workarounds',
  'references',
  'credits',
  'publishedAt',
  'forkUrl',
] as const;

/** Long texts are logged by size only: the event says that they changed, not all of what they say. */
const LOGGED_BY_SIZE = new Set(['description', 'workarounds']);

function affectedRange(value: unknown, i: number): AffectedRange {
  const r = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  const introduced = fields.version(`affected[${i}].introduced`, r.introduced);
  const fixed = r.fixed === null || r.fixed === undefined ? null : fields.version(`affected[${i}].fixed`, r.fixed);
  return { introduced, fixed };
}

function list<T>(field: string, value: unknown, each: (v: unknown) => T, max = SEVERITY_LIST_MAX): T[] {
  if (value === null) return [];
  if (!Array.isArray(value)) throw invalidInput(`${field} must be a list`, { field });
  if (value.length > max) throw invalidInput(`${field} has more than ${max} entries`, { field });
  return [...new Set(value.map(each))];
}

/** Triage edits (checklist steps 2-3): title, reporter and credit, ids, CVSS vectors, CWE ids. */
export function editCase(c: Case, edit: CaseEdit, ctx: CommandContext): CommandResult {
  const unknown = Object.keys(edit).filter((k) => !(EDITABLE as readonly string[]).includes(k));
  if (unknown.length > 0) throw invalidInput(`cannot edit ${unknown.join(', ')}; editable: ${EDITABLE.join(', ')}`);
  const changes: Partial<Case> = {};
  if (edit.title !== undefined) changes.title = fields.requiredText('title', edit.title, TITLE_MAX);
  if (edit.reporter !== undefined) changes.reporter = edit.reporter === null ? null : fields.reporter(edit.reporter);
  if (edit.ghsaId !== undefined) changes.ghsaId = fields.ghsaId(edit.ghsaId);
  if (edit.cveId !== undefined) changes.cveId = fields.cveId(edit.cveId);
  if (edit.description !== undefined) changes.description = advisory.description(edit.description);
  if (edit.package !== undefined) changes.package = advisory.casePackage(edit.package);
  if (edit.workarounds !== undefined) changes.workarounds = advisory.workarounds(edit.workarounds);
  if (edit.references !== undefined) changes.references = advisory.references(edit.references);
  if (edit.credits !== undefined) changes.credits = advisory.credits(edit.credits);
  if (edit.publishedAt !== undefined) changes.publishedAt = advisory.publishedAt(edit.publishedAt);
  if (edit.forkUrl !== undefined)
    changes.forkUrl = edit.forkUrl === null || edit.forkUrl === '' ? null : advisory.url('forkUrl', edit.forkUrl);
  if (edit.affected !== undefined)
    changes.affected = edit.affected === null ? [] : list('affected', edit.affected, (v) => v, AFFECTED_MAX).map(affectedRange);
  if (edit.cvss !== undefined || edit.cwe !== undefined) {
    changes.severity = {
      cvss: edit.cvss === undefined ? c.severity.cvss : list('cvss', edit.cvss, fields.cvssVector),
      cwe: edit.cwe === undefined ? c.severity.cwe : list('cwe', edit.cwe, fields.cweId),
    };
  }
  const changed = Object.keys(changes).filter(
    // `?? null`: an optional field that is absent is the same as null.
    (k) => JSON.stringify(changes[k as keyof Case] ?? null) !== JSON.stringify(c[k as keyof Case] ?? null),
  );
  if (changed.length === 0) return { state: c, events: [] };
  const logged = Object.fromEntries(
    changed.map((k) => {
      if (k === 'reporter') return [k, { credit: changes.reporter?.credit ?? null }];
      if (LOGGED_BY_SIZE.has(k)) return [k, { characters: String(changes[k as keyof Case]).length }];
      return [k, changes[k as keyof Case]];
    }),
  );
  return {
    state: revise(c, ctx, changes),
    // The reporter's name and contact stay out of the log: only their credit preference is recorded.
    events: [{ action: 'case.edited', caseId: c.id, details: { changed: logged } }],
  };
}
