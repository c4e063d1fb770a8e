/** The retrospective's events: the notes by their length only (they may hold embargoed details), action items by id. */
import { event, type EventOf } from '../events.js';

export const retrospectiveWritten = (caseId: string, characters: number, previous: boolean): EventOf<'retro.written'> =>
  event('retro.written', caseId, { characters, rewritten: previous });

export const actionAdded = (caseId: string, actionId: string, characters: number, owner: string | null): EventOf<'retro.action-added'> =>
  event('retro.action-added', caseId, { actionId, characters, owner });

export const actionDone = (caseId: string, actionId: string): EventOf<'retro.action-done'> =>
  event('retro.action-done', caseId, { actionId });
