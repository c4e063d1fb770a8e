/** A leak incident's lifecycle: open until the follow-up is done, closed with a time, reopenable. */
import type { LeakEdit } from './validate.js';
import type { LeakIncident } from './types.js';

export interface LeakChange {
  leak: LeakIncident;
  /** Field -> [before, after], for the case event; empty when nothing changed. */
  changes: Record<string, [unknown, unknown]>;
  /** The event that says what happened. */
  action: 'leak.updated' | 'leak.closed' | 'leak.reopened';
}

export function applyLeakEdit(leak: LeakIncident, edit: LeakEdit, now: Date): LeakChange {
  const next: LeakIncident = { ...leak };
  const changes: Record<string, [unknown, unknown]> = {};
  for (const key of ['what', 'leakedTo', 'followUp'] as const) {
    const value = edit[key];
    if (value !== undefined && value !== leak[key]) {
      changes[key] = [leak[key], value];
      next[key] = value;
    }
  }
  let action: LeakChange['action'] = 'leak.updated';
  if (edit.status !== undefined && edit.status !== leak.status) {
    changes.status = [leak.status, edit.status];
    next.status = edit.status;
    next.closedAt = edit.status === 'closed' ? now.toISOString() : null;
    action = edit.status === 'closed' ? 'leak.closed' : 'leak.reopened';
  }
  if (Object.keys(changes).length > 0) next.updatedAt = now.toISOString();
  return { leak: next, changes, action };
}
