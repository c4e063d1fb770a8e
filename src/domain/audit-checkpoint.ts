/**
 * A signed audit checkpoint: the event log's head (the sequence number and hash of one event) signed
 * with a key kept outside the database. Kept elsewhere (a file, a git repository, a mail to the
 * admins), it proves later that the log still holds that event unchanged, and so, through the hash
 * chain, every event before it: a rewrite that recomputes the hashes, a truncated tail with the head
 * moved back, or an emptied log all lose the event the checkpoint names.
 */
import { invalidInput } from './errors.js';
import { event, type EventOf } from './events.js';

export const CHECKPOINT_FORMAT = 'embargo-audit-checkpoint/1';

export interface AuditCheckpoint {
  format: typeof CHECKPOINT_FORMAT;
  /** The event signed: its sequence number and its chain hash. */
  seq: number;
  hash: string;
  /** When it was signed (ISO 8601). */
  signedAt: string;
  /** The Ed25519 public key, base64 of its 32 bytes. */
  publicKey: string;
  /** Ed25519 signature (base64) of `checkpointMessage`. */
  signature: string;
}

/** The exact text signed: the format, the event's number and hash, and the time. */
export const checkpointMessage = (c: Pick<AuditCheckpoint, 'seq' | 'hash' | 'signedAt'>): string =>
  `${CHECKPOINT_FORMAT}\n${c.seq}\n${c.hash}\n${c.signedAt}\n`;

/** A checkpoint read from a file or a request; throws invalid_input naming what is wrong. */
export function parseCheckpoint(raw: unknown): AuditCheckpoint {
  const c = raw as Partial<Record<keyof AuditCheckpoint, unknown>> | null;
  const bad = (what: string) => invalidInput(`this is not an audit checkpoint: ${what}`, { field: 'checkpoint' });
  if (typeof c !== 'object' || c === null) throw bad('it is not a JSON object');
  if (c.format !== CHECKPOINT_FORMAT) throw bad(`its format is not "${CHECKPOINT_FORMAT}"`);
  if (!Number.isSafeInteger(c.seq) || (c.seq as number) < 1) throw bad('seq is not an event number');
  if (typeof c.hash !== 'string' || !/^[0-9a-f]{64}$/.test(c.hash)) throw bad('hash is not a SHA-256 in hex');
  if (typeof c.signedAt !== 'string' || Number.isNaN(Date.parse(c.signedAt))) throw bad('signedAt is not a time');
  if (typeof c.publicKey !== 'string' || !/^[A-Za-z0-9+/]{43}=$/.test(c.publicKey)) throw bad('publicKey is not an Ed25519 key');
  if (typeof c.signature !== 'string' || !/^[A-Za-z0-9+/]{86}==$/.test(c.signature)) throw bad('signature is not an Ed25519 signature');
  return {
    format: CHECKPOINT_FORMAT,
    seq: c.seq as number,
    hash: c.hash,
    signedAt: c.signedAt,
    publicKey: c.publicKey,
    signature: c.signature,
  };
}

/** The log records each checkpoint it signed (which event, with which key). */
export const auditCheckpointed = (c: Pick<AuditCheckpoint, 'seq' | 'hash' | 'publicKey'>): EventOf<'audit.checkpointed'> =>
  event('audit.checkpointed', null, { seq: c.seq, hash: c.hash, publicKey: c.publicKey });
