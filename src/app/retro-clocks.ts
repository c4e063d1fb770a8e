/**
 * Where the clocks plug into the retrospective (issue 15, item 1 is built apart): the outcome of each
 * clock of a case — met, missed, still running. Until the clocks exist this answers null ("not
 * known"), which the retrospective shows as such and the metrics leave out of "clocks missed".
 * Replace the body with the clocks' own reader; the callers need no change.
 */
import type { Kysely } from 'kysely';
import type { Case } from '../domain/case/types.js';
import type { ClockOutcome } from '../domain/retro/index.js';
import type { Database } from '../store/schema.js';

export async function clockOutcomesOf(_db: Kysely<Database>, _c: Case, _now: Date): Promise<ClockOutcome[] | null> {
  return null;
}
