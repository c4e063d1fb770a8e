/** Cases for the export tests, built from case files the way `embargo export --from FILE` builds them. */
import { readFileSync } from 'node:fs';
import { caseFromFile, parseCaseFile } from '../../../src/domain/case-file/index.js';
import type { Case } from '../../../src/domain/case/types.js';

export const CONTOUR_FILE = readFileSync(new URL('./contour-case.yaml', import.meta.url), 'utf8');

/** When the offline case is built: its `updatedAt`, OSV's `modified`. */
export const NOW = new Date('2026-04-24T10:00:00Z');

/** The reporter of the Contour-like case, who asked to stay anonymous: none of this may be published. */
export const ANONYMOUS_REPORTER = { name: 'Rosalind Quill', company: 'Hushed Labs', contact: 'rosalind@hushed.example' };

export function contourCase(): Case {
  return caseFromFile(parseCaseFile(CONTOUR_FILE), NOW);
}

/** The same advisory, with a reporter who asked for their name and no company (and one for name and company). */
export function contourCaseWithReporter(credit: 'name-without-company' | 'named'): Case {
  const c = contourCase();
  return { ...c, reporter: { name: 'Wendy Whistler', company: 'Blabbermouth Inc', contact: 'wendy@blabbermouth.example', credit } };
}
