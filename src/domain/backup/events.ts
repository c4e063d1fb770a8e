/** The audit log's record of backups: who took one or restored one, never the passphrase or key. */
import { event, type EventOf } from '../events.js';

export const backupTaken = (seq: number, rows: number, encryption: 'passphrase' | 'key'): EventOf<'backup.taken'> =>
  event('backup.taken', null, { seq, rows, encryption });

export const backupRestored = (takenAt: string, dialect: string, seq: number, rows: number): EventOf<'backup.restored'> =>
  event('backup.restored', null, { takenAt, dialect, seq, rows });
