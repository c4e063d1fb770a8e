/**
 * A restore lands only in an empty database: it never merges into, nor overwrites, an install that
 * holds data. "Empty" is what a fresh start leaves: the example project the first start creates
 * (with its one `project.created` event by the system), the chain head, a pending setup link, and
 * the notification fan-out's cursor its migration sets (the backup's own cursor replaces it, so the
 * restored install is not told of its history again).
 */

/** What a restore finds in the database it is asked to fill. */
export interface TargetContents {
  /** Rows per table (every table of the database, the migrator's excepted). */
  rows: Record<string, number>;
  /** Events that are a fresh start's own: `project.created` by the system actor. */
  bootstrapEvents: number;
  /** Keys in the settings table. */
  settingKeys: string[];
}

/** Settings a fresh start may write before anyone signs in. */
export const FRESH_SETTINGS = new Set(['setup.link']);
/** Tables a fresh start fills; their rows are replaced by the backup's. */
export const FRESH_TABLES = new Set(['chain_head', 'events', 'job_cursors', 'projects', 'settings']);

/** Null when the database is empty as a fresh start leaves it; otherwise the sentence that refuses the restore. */
export function notEmptyBecause(target: TargetContents): string | null {
  const held: string[] = [];
  for (const [table, n] of Object.entries(target.rows).sort(([a], [b]) => a.localeCompare(b))) {
    if (n === 0 || FRESH_TABLES.has(table)) continue;
    held.push(`${n} row${n === 1 ? '' : 's'} in ${table}`);
  }
  const events = target.rows.events ?? 0;
  if (events > target.bootstrapEvents) held.push(`${events - target.bootstrapEvents} audit events`);
  if ((target.rows.projects ?? 0) > target.bootstrapEvents) held.push(`${target.rows.projects} projects`);
  const settings = target.settingKeys.filter((k) => !FRESH_SETTINGS.has(k));
  if (settings.length > 0) held.push(`settings (${settings.join(', ')})`);
  if (held.length === 0) return null;
  return (
    `a backup is restored only into an empty database, and this one holds data (${held.join('; ')}); ` +
    'point DATABASE_URL or EMBARGO_DATA_DIR at a new database and restore there'
  );
}
