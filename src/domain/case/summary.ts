import type { Case } from './types.js';

/**
 * What a list shows of a case, and its place in the list's order: never the embargoed details.
 * Stored beside each case as JSON (store/cases.ts), so a list page is read without the case's state,
 * and sent as it is stored: changing these fields needs a migration that writes every stored summary again.
 */
export interface CaseSummary {
  id: string;
  title: string;
  codename: string;
  project: string;
  playbook: string;
  status: string;
  embargo: Case['embargo'];
  updatedAt: string;
  createdAt: string;
}

/** The summary of a case (or of a summary: a whole case is a summary and more). */
export function caseSummary(c: CaseSummary): CaseSummary {
  return {
    id: c.id,
    title: c.title,
    codename: c.codename,
    project: c.project,
    playbook: c.playbook,
    status: c.status,
    embargo: c.embargo,
    updatedAt: c.updatedAt,
    createdAt: c.createdAt,
  };
}
