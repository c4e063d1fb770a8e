/** Clocks: declared by the playbook, read off a case at an instant (pure). */
export * from './types.js';
export { caseClocks, clockAt, type ClockInput } from './evaluate.js';
export { businessDeadline, businessDaysBefore, dayIn, isBusinessDay, nthBusinessDayAfter, type WorkCalendar } from './business-days.js';
