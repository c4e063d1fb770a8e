import { describe, expect, it } from 'vitest';
import { DomainError } from '../../src/domain/errors.js';
import { formatInZone, isValidTimeZone, relativeTo, zonedToInstant } from '../../src/domain/time.js';

const iso = (local: string, tz: string) => zonedToInstant(local, tz).toISOString();

function invalid(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(DomainError);
    expect((e as DomainError).code).toBe('invalid_input');
    return e as DomainError;
  }
  throw new Error('expected an invalid_input DomainError');
}

describe('isValidTimeZone', () => {
  it('accepts IANA zones and UTC', () => {
    expect(isValidTimeZone('Europe/Berlin')).toBe(true);
    expect(isValidTimeZone('America/New_York')).toBe(true);
    expect(isValidTimeZone('UTC')).toBe(true);
  });

  it('rejects empty, garbage and bare offsets', () => {
    for (const tz of ['', '   ', 'Mars/Olympus_Mons', 'Berlin', '+01:00', ' Europe/Berlin']) {
      expect(isValidTimeZone(tz), tz).toBe(false);
    }
  });
});

describe('zonedToInstant', () => {
  it('reads wall-clock time in winter and summer in Europe/Berlin', () => {
    expect(iso('2026-12-01 17:00', 'Europe/Berlin')).toBe('2026-12-01T16:00:00.000Z');
    expect(iso('2026-07-01T17:00', 'Europe/Berlin')).toBe('2026-07-01T15:00:00.000Z');
    expect(iso('2026-07-01T17:00:30', 'Europe/Berlin')).toBe('2026-07-01T15:00:30.000Z');
  });

  it('follows the spring-forward change in Europe/Berlin (2026-03-29 02:00 -> 03:00)', () => {
    expect(iso('2026-03-29 01:30', 'Europe/Berlin')).toBe('2026-03-29T00:30:00.000Z');
    expect(iso('2026-03-29 03:30', 'Europe/Berlin')).toBe('2026-03-29T01:30:00.000Z');
    const e = invalid(() => zonedToInstant('2026-03-29 02:30', 'Europe/Berlin'));
    expect(e.message).toBe(
      '2026-03-29 02:30 does not exist in Europe/Berlin: the clocks jump forward over it; pick a time after the change',
    );
  });

  it('follows the fall-back change in Europe/Berlin (2026-10-25 03:00 -> 02:00), taking the earlier of a repeated time', () => {
    expect(iso('2026-10-25 01:30', 'Europe/Berlin')).toBe('2026-10-24T23:30:00.000Z');
    expect(iso('2026-10-25 02:30', 'Europe/Berlin')).toBe('2026-10-25T00:30:00.000Z');
    expect(iso('2026-10-25 03:30', 'Europe/Berlin')).toBe('2026-10-25T02:30:00.000Z');
  });

  it('follows both changes in America/New_York', () => {
    expect(iso('2026-03-08 01:30', 'America/New_York')).toBe('2026-03-08T06:30:00.000Z');
    expect(iso('2026-03-08 03:30', 'America/New_York')).toBe('2026-03-08T07:30:00.000Z');
    invalid(() => zonedToInstant('2026-03-08 02:30', 'America/New_York'));
    expect(iso('2026-11-01 01:30', 'America/New_York')).toBe('2026-11-01T05:30:00.000Z');
    expect(iso('2026-11-01 02:30', 'America/New_York')).toBe('2026-11-01T07:30:00.000Z');
    expect(iso('2026-12-01 11:00', 'America/New_York')).toBe('2026-12-01T16:00:00.000Z');
  });

  it('takes a time with Z or an offset as an instant, whatever the zone', () => {
    expect(iso('2026-12-01T16:00:00Z', 'America/New_York')).toBe('2026-12-01T16:00:00.000Z');
    expect(iso('2026-12-01T17:00:00+01:00', 'America/New_York')).toBe('2026-12-01T16:00:00.000Z');
    expect(iso('2026-12-01T11:00-05:00', 'Europe/Berlin')).toBe('2026-12-01T16:00:00.000Z');
    expect(iso('2026-12-01T16:00:00.250Z', 'UTC')).toBe('2026-12-01T16:00:00.250Z');
  });

  it('refuses a bad zone with a sentence naming it', () => {
    const e = invalid(() => zonedToInstant('2026-12-01 17:00', 'Mars/Olympus_Mons'));
    expect(e.message).toBe('"Mars/Olympus_Mons" is not a known time zone; use an IANA zone name such as Europe/Berlin or America/New_York');
    invalid(() => zonedToInstant('2026-12-01 17:00', ''));
  });

  it('refuses text that is not a date, and dates that do not exist', () => {
    expect(invalid(() => zonedToInstant('next tuesday', 'Europe/Berlin')).message).toBe(
      '"next tuesday" is not a date and time; write it as YYYY-MM-DD HH:mm (e.g. 2026-12-01 17:00)',
    );
    expect(invalid(() => zonedToInstant('2026-02-30 10:00', 'Europe/Berlin')).message).toBe(
      '"2026-02-30 10:00" is not a real date and time (check the month, day, hour and minute)',
    );
    for (const bad of ['2026-13-01 10:00', '2026-12-01 24:00', '2026-12-01 10:60', '2026-12-01', '2026-12-01T10:00+25:00']) {
      invalid(() => zonedToInstant(bad, 'Europe/Berlin'));
    }
  });
});

describe('formatInZone', () => {
  it('says an instant as wall-clock time with the zone', () => {
    expect(formatInZone(new Date('2026-12-01T16:00:00Z'), 'Europe/Berlin')).toBe('2026-12-01 17:00 Europe/Berlin');
    expect(formatInZone(new Date('2026-07-01T15:00:00Z'), 'Europe/Berlin')).toBe('2026-07-01 17:00 Europe/Berlin');
    expect(formatInZone(new Date('2026-12-01T16:00:00Z'), 'America/New_York')).toBe('2026-12-01 11:00 America/New_York');
    // The second 02:30 of the autumn overlap, and midnight as 00 rather than 24.
    expect(formatInZone(new Date('2026-10-25T01:30:00Z'), 'Europe/Berlin')).toBe('2026-10-25 02:30 Europe/Berlin');
    expect(formatInZone(new Date('2026-12-01T23:00:00Z'), 'Europe/Berlin')).toBe('2026-12-02 00:00 Europe/Berlin');
  });

  it('round-trips with zonedToInstant', () => {
    const at = zonedToInstant('2026-03-29 03:15', 'Europe/Berlin');
    expect(formatInZone(at, 'Europe/Berlin')).toBe('2026-03-29 03:15 Europe/Berlin');
  });

  it('refuses a bad zone', () => {
    invalid(() => formatInZone(new Date('2026-12-01T16:00:00Z'), 'Nowhere/Land'));
  });
});

describe('relativeTo', () => {
  const now = new Date('2026-11-28T16:00:00Z');
  const after = (ms: number) => new Date(now.getTime() + ms);
  const MIN = 60_000;
  const HOUR = 60 * MIN;

  it('counts days from two days on, hours from two hours on, minutes below', () => {
    expect(relativeTo(after(3 * 24 * HOUR), now)).toBe('in 3 days');
    expect(relativeTo(after(48 * HOUR), now)).toBe('in 2 days');
    expect(relativeTo(after(47 * HOUR), now)).toBe('in 47 hours');
    expect(relativeTo(after(5 * HOUR), now)).toBe('in 5 hours');
    expect(relativeTo(after(2 * HOUR), now)).toBe('in 2 hours');
    expect(relativeTo(after(119 * MIN), now)).toBe('in 119 minutes');
    expect(relativeTo(after(12 * MIN), now)).toBe('in 12 minutes');
    expect(relativeTo(after(MIN), now)).toBe('in 1 minute');
  });

  it('rounds to the nearest unit', () => {
    expect(relativeTo(after(3 * 24 * HOUR + 5 * HOUR), now)).toBe('in 3 days');
    expect(relativeTo(after(3 * 24 * HOUR + 13 * HOUR), now)).toBe('in 4 days');
    expect(relativeTo(after(5 * HOUR + 29 * MIN), now)).toBe('in 5 hours');
    expect(relativeTo(after(119 * MIN + 50_000), now)).toBe('in 2 hours');
  });

  it('says the past with "ago" and the present as "now"', () => {
    expect(relativeTo(after(-3 * 24 * HOUR), now)).toBe('3 days ago');
    expect(relativeTo(after(-5 * HOUR), now)).toBe('5 hours ago');
    expect(relativeTo(after(-1 * MIN), now)).toBe('1 minute ago');
    expect(relativeTo(now, now)).toBe('now');
    expect(relativeTo(after(20_000), now)).toBe('now');
  });
});
