/**
 * A VTIMEZONE for an IANA zone, built from the runtime's own tz data (Intl), so a calendar says
 * "17:00 Europe/Berlin" and every client — whatever its tz database — puts it at the same instant.
 * The zone's transitions between two instants are listed one by one (no RRULE): exact for the years
 * the calendar's events fall in.
 */
const DAY = 86_400_000;
const offsetFormatters = new Map<string, Intl.DateTimeFormat>();

/** The zone's offset from UTC at an instant, in minutes (Berlin in winter: 60). */
export function offsetMinutes(ms: number, timeZone: string): number {
  let f = offsetFormatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' });
    offsetFormatters.set(timeZone, f);
  }
  const name = f.formatToParts(new Date(ms)).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  const m = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
  return m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** "+0100" for 60. */
function offsetText(minutes: number): string {
  const a = Math.abs(minutes);
  return `${minutes < 0 ? '-' : '+'}${pad(Math.floor(a / 60))}${pad(a % 60)}`;
}

/** The wall time of a UTC instant at an offset, as iCalendar's local DATE-TIME: 20261201T170000. */
export function localStamp(ms: number, offset: number): string {
  const d = new Date(ms + offset * 60_000);
  return `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}T${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}`;
}

/** The instants where the offset changes in [from, to), to the second. */
function transitions(from: number, to: number, timeZone: string): { at: number; before: number; after: number }[] {
  const out: { at: number; before: number; after: number }[] = [];
  let t = from;
  let off = offsetMinutes(t, timeZone);
  while (t < to) {
    const next = Math.min(t + DAY, to);
    const nextOff = offsetMinutes(next, timeZone);
    if (nextOff !== off) {
      let lo = t;
      let hi = next;
      while (hi - lo > 1000) {
        const mid = lo + Math.floor((hi - lo) / 2000) * 1000;
        if (offsetMinutes(mid, timeZone) === off) lo = mid;
        else hi = mid;
      }
      out.push({ at: hi, before: off, after: nextOff });
    }
    t = next;
    off = nextOff;
  }
  return out;
}

/** VTIMEZONE lines for the zone, valid from `from` to `to` (instants, ms). */
export function vtimezone(timeZone: string, from: number, to: number): string[] {
  const start = offsetMinutes(from, timeZone);
  const lines = ['BEGIN:VTIMEZONE', `TZID:${timeZone}`];
  const part = (kind: 'STANDARD' | 'DAYLIGHT', at: number, before: number, after: number) => [
    `BEGIN:${kind}`,
    `DTSTART:${localStamp(at, before)}`,
    `TZOFFSETFROM:${offsetText(before)}`,
    `TZOFFSETTO:${offsetText(after)}`,
    `END:${kind}`,
  ];
  // The offset in force at the start of the range, then each change.
  lines.push(...part('STANDARD', from, start, start));
  for (const t of transitions(from, to, timeZone))
    lines.push(...part(t.after > t.before ? 'DAYLIGHT' : 'STANDARD', t.at, t.before, t.after));
  lines.push('END:VTIMEZONE');
  return lines;
}
