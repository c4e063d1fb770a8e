/**
 * Business days in a project's zone: Monday to Friday, minus the project's holidays. A promise such
 * as "acknowledged within 3 business days" ends at the END of the third business day after the day
 * it started (in the project's zone), so a report on Friday afternoon is due by Wednesday midnight,
 * and one on Saturday by the same Wednesday midnight.
 */
import { zonedToInstant } from '../time.js';

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** One formatter per zone: building them is the expensive part of Intl. */
const dayFormatters = new Map<string, Intl.DateTimeFormat>();

/** The calendar day (YYYY-MM-DD) an instant falls on in a zone. */
export function dayIn(instant: Date, timeZone: string): string {
  let f = dayFormatters.get(timeZone);
  if (!f) {
    // en-CA writes dates as YYYY-MM-DD.
    f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    dayFormatters.set(timeZone, f);
  }
  return f.format(instant);
}

/** The day after (or `n` days after) a YYYY-MM-DD day, as a calendar day (no zone involved). */
export function nextDay(day: string, n = 1): string {
  const m = DAY.exec(day);
  if (!m) throw new Error(`not a day: ${day}`);
  return new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + n)).toISOString().slice(0, 10);
}

export interface WorkCalendar {
  timeZone: string;
  /** YYYY-MM-DD days off, in the zone's calendar. */
  holidays: readonly string[];
}

export function isBusinessDay(day: string, cal: WorkCalendar): boolean {
  const weekday = new Date(`${day}T12:00:00Z`).getUTCDay();
  return weekday !== 0 && weekday !== 6 && !cal.holidays.includes(day);
}

/** The instant a day starts (00:00) in the zone. */
export function startOfDay(day: string, timeZone: string): Date {
  return zonedToInstant(`${day} 00:00`, timeZone);
}

/** The Nth business day after the day `from` falls on (n ≥ 1). */
export function nthBusinessDayAfter(from: Date, n: number, cal: WorkCalendar): string {
  let day = dayIn(from, cal.timeZone);
  let counted = 0;
  // A holiday list is at most a few hundred days, so this ends within n + 400 iterations.
  while (counted < n) {
    day = nextDay(day);
    if (isBusinessDay(day, cal)) counted += 1;
  }
  return day;
}

/** The end (midnight after) of the Nth business day after `from`'s day. */
export function businessDeadline(from: Date, n: number, cal: WorkCalendar): Date {
  return startOfDay(nextDay(nthBusinessDayAfter(from, n, cal)), cal.timeZone);
}

/**
 * The start of the business day that is `n` business days before the deadline's last one: with n = 1,
 * the start of the last business day before a deadline (when the clock turns "at risk").
 */
export function businessDaysBefore(deadline: Date, n: number, cal: WorkCalendar): Date {
  // The deadline is a midnight; its last business day is the business day before it.
  let day = dayIn(new Date(deadline.getTime() - 1), cal.timeZone);
  let counted = 0;
  for (;;) {
    if (isBusinessDay(day, cal)) {
      counted += 1;
      if (counted === n) return startOfDay(day, cal.timeZone);
    }
    day = nextDay(day, -1);
  }
}
