/**
 * The events of the team's guard terms: how many and their ids, never the terms (the log is
 * permanent, the terms are secrets).
 */
import { event, type EventOf } from '../events.js';

export const guardTermsExported = (cases: number, publicIds: number): EventOf<'guard.terms.exported'> =>
  event('guard.terms.exported', null, { cases, publicIds });

export const guardTermsAdded = (caseId: string, ids: string[]): EventOf<'guard.terms.added'>[] =>
  ids.length === 0 ? [] : [event('guard.terms.added', caseId, { count: ids.length, ids })];

export const guardTermRemoved = (caseId: string, id: string): EventOf<'guard.terms.removed'> =>
  event('guard.terms.removed', caseId, { ids: [id] });
