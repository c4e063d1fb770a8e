/** Instants said the way Embargo says them everywhere (src/domain/time.ts), in the viewer's zone and the agreed one. */
import { formatInZone, relativeTo } from '../../../src/domain/time.js';

export const viewerZone: string = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

export function inZone(iso: string, zone: string): string {
  try {
    return formatInZone(new Date(iso), zone);
  } catch {
    return iso;
  }
}

export const fromNow = (iso: string, now: Date): string => relativeTo(new Date(iso), now);

/** "2026-11-25 10:00" in the viewer's zone, for who/when lines. */
export function shortTime(iso: string | null): string {
  return iso ? inZone(iso, viewerZone).replace(` ${viewerZone}`, '') : '';
}
