/**
 * A case's clocks as the shell reads them: the case's playbook as its project configured it (clocks,
 * time zone, holidays), the two events clocks look at, and the distributors' answers.
 */
import type { Kysely } from 'kysely';
import type { Case } from '../domain/case/types.js';
import { caseClocks, type ClockView, type WorkCalendar } from '../domain/clock/index.js';
import type { PlaybookSettings } from '../domain/playbook/types.js';
import { caseEventsOf } from '../store/case-events.js';
import type { Database } from '../store/schema.js';
import type { Actor } from './actor.js';
import type { App } from './app.js';
import { readCase } from './cases.js';
import { playbookOf } from './projects.js';
import { acksOf } from './who-knows.js';

/** The project's working calendar; UTC and no holidays when it set none. */
export const calendarOf = (s: PlaybookSettings): WorkCalendar => ({ timeZone: s.timeZone ?? 'UTC', holidays: s.holidays ?? [] });

export interface CaseClocks {
  caseId: string;
  timeZone: string;
  clocks: ClockView[];
}

/** Every clock of a case at `now` (inside a read or write the caller holds). */
export async function clocksOf(app: App, db: Kysely<Database>, c: Case, now: Date): Promise<CaseClocks> {
  const pb = await playbookOf(app, db, c);
  const calendar = calendarOf(pb.settings);
  if (pb.clocks.length === 0) return { caseId: c.id, timeZone: calendar.timeZone, clocks: [] };
  const events = await caseEventsOf(db, c.id, ['report.received', 'case.embargo-set']);
  const needsAnswers = pb.clocks.some((d) => 'distributorsAnswered' in d.metBy);
  let facts = {};
  if (needsAnswers) {
    const acks = await acksOf(db, c);
    const answered = acks.members.map((m) => m.recordedAt).filter((t): t is string => t !== null);
    facts = { distributors: { pending: acks.notAnswered.length, lastAnswerAt: answered.sort().at(-1) ?? null } };
  }
  return { caseId: c.id, timeZone: calendar.timeZone, clocks: caseClocks({ case: c, events, clocks: pb.clocks, calendar, now, facts }) };
}

/** `case clocks ID`: an audited read. */
export const caseClocksFor = (app: App, actor: Actor, id: string): Promise<CaseClocks> =>
  readCase(app, actor, id, 'clocks', (c, db) => clocksOf(app, db, c, app.clock()));
