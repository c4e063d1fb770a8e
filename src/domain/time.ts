/**
 * Wall-clock time in named zones, without a clock. Embargo dates are agreed as "Dec 1, 17:00 Berlin
 * time", stored as an instant, and said back to people in the zone they were agreed in. Only Intl is
 * used (no tz database of our own), so results follow the runtime's ICU data.
 */
import { invalidInput } from './errors.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** One formatter per zone: building them is the expensive part of Intl. */
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/**
 * True for IANA zone names the runtime knows ("Europe/Berlin", "UTC"). Offsets such as "+01:00" are
 * refused even where Intl accepts them: an embargo agreed "in Berlin" must follow Berlin's DST.
 */
export function isValidTimeZone(tz: string): boolean {
  if (typeof tz !== 'string' || tz.trim() === '' || tz !== tz.trim() || /^[+-]/.test(tz)) return false;
  try {
    formatterFor(tz);
    return true;
  } catch {
    return false;
  }
}

function requireTimeZone(timeZone: string): void {
  if (!isValidTimeZone(timeZone)) {
    throw invalidInput(`"${timeZone}" is not a known time zone; use an IANA zone name such as Europe/Berlin or America/New_York`);
  }
}

interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

function wallClockAt(ms: number, timeZone: string): WallClock {
  const parts: Record<string, number> = {};
  for (const p of formatterFor(timeZone).formatToParts(new Date(ms))) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  return {
    year: parts.year ?? NaN,
    month: parts.month ?? NaN,
    day: parts.day ?? NaN,
    hour: parts.hour ?? NaN,
    minute: parts.minute ?? NaN,
    second: parts.second ?? NaN,
  };
}

function wallClockAsUtc(w: WallClock): number {
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
}

/** The zone's offset from UTC at an instant, in ms (Berlin in winter: +3_600_000). */
function offsetAt(ms: number, timeZone: string): number {
  const whole = Math.floor(ms / 1000) * 1000;
  return wallClockAsUtc(wallClockAt(whole, timeZone)) - whole;
}

const LOCAL_PATTERN = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;

/**
 * The instant of a wall-clock time in a zone: "2026-12-01 17:00" in Europe/Berlin is
 * 2026-12-01T16:00:00Z. A time with an explicit offset or Z is already an instant and is taken as is.
 * In the autumn overlap (a wall time that happens twice) the earlier instant wins; a wall time that
 * does not exist (skipped by the spring jump) is refused rather than silently moved.
 */
export function zonedToInstant(local: string, timeZone: string): Date {
  requireTimeZone(timeZone);
  const text = typeof local === 'string' ? local.trim() : '';
  const m = LOCAL_PATTERN.exec(text);
  if (!m) {
    throw invalidInput(`"${String(local)}" is not a date and time; write it as YYYY-MM-DD HH:mm (e.g. 2026-12-01 17:00)`);
  }
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map((v) => Number(v ?? 0)) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const millis = Number((m[7] ?? '0').padEnd(3, '0'));
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth || hour > 23 || minute > 59 || second > 59) {
    throw invalidInput(`"${text}" is not a real date and time (check the month, day, hour and minute)`);
  }
  const wallAsUtc = Date.UTC(year, month - 1, day, hour, minute, second, millis);

  const offsetText = m[8];
  if (offsetText) {
    if (offsetText.toUpperCase() === 'Z') return new Date(wallAsUtc);
    const sign = offsetText.startsWith('-') ? -1 : 1;
    const digits = offsetText.slice(1).replace(':', '');
    const oh = Number(digits.slice(0, 2));
    const om = Number(digits.slice(2));
    if (oh > 23 || om > 59) throw invalidInput(`"${text}" has an impossible UTC offset ${offsetText}`);
    return new Date(wallAsUtc - sign * (oh * HOUR + om * MINUTE));
  }

  // A wall time maps to the instant wall - offset, but the offset depends on the instant. Offsets a
  // day either side bound every real transition, so the answer is one of those two candidates; each
  // is checked by formatting it back. Two matches: the overlap. None: the spring gap.
  const candidates = [offsetAt(wallAsUtc - DAY, timeZone), offsetAt(wallAsUtc + DAY, timeZone)]
    .map((offset) => wallAsUtc - offset)
    .filter((t) => offsetAt(t, timeZone) === wallAsUtc - t)
    .sort((a, b) => a - b);
  const first = candidates[0];
  if (first === undefined) {
    throw invalidInput(`${text} does not exist in ${timeZone}: the clocks jump forward over it; pick a time after the change`);
  }
  return new Date(first);
}

const pad = (n: number) => String(n).padStart(2, '0');

/** "2026-12-01 17:00 Europe/Berlin": the form every message and gate uses to say an instant. */
export function formatInZone(instant: Date, timeZone: string): string {
  requireTimeZone(timeZone);
  if (Number.isNaN(instant.getTime())) throw invalidInput('cannot format an invalid date');
  const w = wallClockAt(instant.getTime(), timeZone);
  return `${w.year}-${pad(w.month)}-${pad(w.day)} ${pad(w.hour)}:${pad(w.minute)} ${timeZone}`;
}

/**
 * "in 3 days", "5 hours ago", "now". Coarse on purpose: it sits next to the exact time, and says
 * how far away that is. Two days and more count in days, two hours and more in hours.
 */
export function relativeTo(instant: Date, now: Date): string {
  const diff = instant.getTime() - now.getTime();
  // Round to whole minutes first so the unit thresholds see the same number the reader will.
  const minutes = Math.round(Math.abs(diff) / MINUTE);
  if (minutes === 0) return 'now';
  let amount: number;
  let unit: string;
  if (minutes >= 48 * 60) {
    amount = Math.round(minutes / (24 * 60));
    unit = 'day';
  } else if (minutes >= 2 * 60) {
    amount = Math.round(minutes / 60);
    unit = 'hour';
  } else {
    amount = minutes;
    unit = 'minute';
  }
  const phrase = `${amount} ${unit}${amount === 1 ? '' : 's'}`;
  return diff > 0 ? `in ${phrase}` : `${phrase} ago`;
}
