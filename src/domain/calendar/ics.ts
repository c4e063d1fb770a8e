/**
 * iCalendar (RFC 5545) text for the calendar feed and the distributors notice's attachment. Pure:
 * events in, text out. Times are written in the zone they were agreed in (TZID with its VTIMEZONE),
 * so "2026-12-01 17:00 Europe/Berlin" reads as 17:00 Berlin in every client.
 */
import { localStamp, offsetMinutes, vtimezone } from './zone.js';

export interface CalendarEvent {
  /** Stable across feeds, so a client updates the event instead of adding another. */
  uid: string;
  summary: string;
  description?: string;
  start: Date;
  /** IANA zone to write the start in; UTC is written as UTC. */
  timeZone: string;
  durationMinutes?: number;
  url?: string;
}

const YEAR = 365 * 86_400_000;

/** TEXT escaping: backslash, semicolon, comma, line breaks. */
const text = (v: string) => v.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r?\n/g, '\\n');

/** Folds a content line at 75 octets (continuation lines start with a space). */
function fold(line: string): string {
  const bytes = Buffer.from(line, 'utf8');
  if (bytes.length <= 75) return line;
  const parts: string[] = [];
  let start = 0;
  let first = true;
  while (start < bytes.length) {
    let end = Math.min(start + (first ? 75 : 74), bytes.length);
    // Never split a UTF-8 sequence: back off continuation bytes (10xxxxxx).
    while (end < bytes.length && ((bytes[end] ?? 0) & 0xc0) === 0x80) end -= 1;
    parts.push((first ? '' : ' ') + bytes.subarray(start, end).toString('utf8'));
    start = end;
    first = false;
  }
  return parts.join('\r\n');
}

const utcStamp = (d: Date) => `${localStamp(d.getTime(), 0)}Z`;

export function icsCalendar(events: readonly CalendarEvent[], opts: { name: string; now: Date; method?: 'PUBLISH' }): string {
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Embargo//Embargo calendar//EN',
    'CALSCALE:GREGORIAN',
    `METHOD:${opts.method ?? 'PUBLISH'}`,
  ];
  lines.push(`X-WR-CALNAME:${text(opts.name)}`);
  const zones = new Map<string, { from: number; to: number }>();
  for (const e of events) {
    if (e.timeZone === 'UTC') continue;
    const r = zones.get(e.timeZone) ?? { from: Number.POSITIVE_INFINITY, to: Number.NEGATIVE_INFINITY };
    zones.set(e.timeZone, { from: Math.min(r.from, e.start.getTime() - YEAR), to: Math.max(r.to, e.start.getTime() + YEAR) });
  }
  for (const [zone, r] of zones) lines.push(...vtimezone(zone, r.from, r.to));
  for (const e of events) {
    const start =
      e.timeZone === 'UTC'
        ? `DTSTART:${utcStamp(e.start)}`
        : `DTSTART;TZID=${e.timeZone}:${localStamp(e.start.getTime(), offsetMinutes(e.start.getTime(), e.timeZone))}`;
    lines.push(
      'BEGIN:VEVENT',
      `UID:${e.uid}`,
      `DTSTAMP:${utcStamp(opts.now)}`,
      start,
      `DURATION:PT${e.durationMinutes ?? 30}M`,
      `SUMMARY:${text(e.summary)}`,
      ...(e.description ? [`DESCRIPTION:${text(e.description)}`] : []),
      ...(e.url ? [`URL:${e.url}`] : []),
      'TRANSP:TRANSPARENT',
      'END:VEVENT',
    );
  }
  lines.push('END:VCALENDAR');
  return `${lines.map(fold).join('\r\n')}\r\n`;
}
