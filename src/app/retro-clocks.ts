/**
 * The clocks in the retrospective: the outcome of each clock of a case — met, missed (overdue, or
 * met after its deadline), still running — from the clocks' own reader (./clocks.ts). Clocks with
 * no deadline (not started, or stopped) have no outcome to tell.
 */
import type { Kysely } from 'kysely';
import type { Case } from '../domain/case/types.js';
import type { ClockView } from '../domain/clock/index.js';
import type { ClockOutcome } from '../domain/retro/index.js';
import type { Database } from '../store/schema.js';
import type { App } from './app.js';
import { clocksOf } from './clocks.js';

export function clockOutcome(k: ClockView): ClockOutcome | null {
  if (k.dueAt === null || k.status === 'stopped' || k.status === 'not-started') return null;
  const outcome = k.status === 'met' ? (k.late ? 'missed' : 'met') : k.status === 'overdue' ? 'missed' : 'running';
  return { id: k.id, label: k.title, dueAt: k.dueAt, metAt: k.metAt, outcome };
}

export async function clockOutcomesOf(app: App, db: Kysely<Database>, c: Case, now: Date): Promise<ClockOutcome[]> {
  return (await clocksOf(app, db, c, now)).clocks.map(clockOutcome).filter((o): o is ClockOutcome => o !== null);
}
