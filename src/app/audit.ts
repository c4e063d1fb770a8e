/** The audit log: every change and every read of embargoed data, hash-chained, with signed checkpoints. */
import {
  type AuditCheckpoint,
  auditCheckpointed,
  CHECKPOINT_FORMAT,
  checkpointMessage,
  parseCheckpoint,
} from '../domain/audit-checkpoint.js';
import { conflict } from '../domain/errors.js';
import { appendEvents, eventHash, listEvents, verifyChain } from '../store/events.js';
import { requireAdmin, type Actor } from './actor.js';
import type { App } from './app.js';
import { openAuditKey, signatureHolds } from './audit-key.js';

export async function verifyAudit(app: App, actor: Actor) {
  requireAdmin(actor);
  const result = await app.store.read((db) => verifyChain(db));
  return { ok: result.ok, checked: result.checked, firstBroken: result.firstBroken ?? null };
}

export async function auditLog(app: App, actor: Actor, query: { afterSeq?: number; limit?: number }) {
  requireAdmin(actor);
  return app.store.read((db) => listEvents(db, query));
}

/**
 * Signs the log's head: the chain is verified first (a broken log is not signed), then the last
 * verified event is signed with the audit key, and the checkpoint is recorded in the log.
 */
export async function createAuditCheckpoint(app: App, actor: Actor): Promise<AuditCheckpoint> {
  requireAdmin(actor);
  const key = openAuditKey(app.config);
  const signedAt = app.clock();
  return app.store.write(async (tx) => {
    const chain = await verifyChain(tx);
    if (!chain.ok) {
      throw conflict(
        `the audit log is broken at event ${chain.firstBroken?.seq}: ${chain.firstBroken?.reason}; a checkpoint would sign it`,
      );
    }
    if (chain.checked === 0) throw conflict('the audit log is empty: there is nothing to sign yet');
    const seq = chain.checked;
    const hash = (await eventHash(tx, seq))!;
    const signed = { seq, hash, signedAt: signedAt.toISOString() };
    const checkpoint: AuditCheckpoint = {
      format: CHECKPOINT_FORMAT,
      ...signed,
      publicKey: key.publicKey,
      signature: key.sign(checkpointMessage(signed)),
    };
    await appendEvents(tx, { actor: actor.name, at: signedAt, events: [auditCheckpointed(checkpoint)] });
    return checkpoint;
  });
}

export interface CheckpointVerification {
  ok: boolean;
  /** Events verified as intact in the whole log (as `verifyAudit`). */
  checked: number;
  checkpoint: { seq: number; hash: string; signedAt: string };
  /** Why the log does not hold the checkpoint (or the checkpoint does not hold), in a sentence; null when ok. */
  problem: string | null;
}

/**
 * Proves the log still holds a checkpoint unchanged: the checkpoint is signed by this server's audit
 * key, the chain is intact, and the event it names is there with the hash it signed.
 */
export async function verifyAuditCheckpoint(app: App, actor: Actor, raw: unknown): Promise<CheckpointVerification> {
  requireAdmin(actor);
  const cp = parseCheckpoint(raw);
  const key = openAuditKey(app.config);
  const result = (checked: number, problem: string | null): CheckpointVerification => ({
    ok: problem === null,
    checked,
    checkpoint: { seq: cp.seq, hash: cp.hash, signedAt: cp.signedAt },
    problem,
  });
  if (cp.publicKey !== key.publicKey) {
    return result(0, `the checkpoint was signed with another key than this server's audit key (${key.source})`);
  }
  if (!signatureHolds(cp.publicKey, checkpointMessage(cp), cp.signature)) {
    return result(0, 'the checkpoint signature does not match its content: the checkpoint was edited');
  }
  return app.store.read(async (db) => {
    const chain = await verifyChain(db);
    const stored = await eventHash(db, cp.seq);
    if (stored === null) {
      return result(
        chain.checked,
        `the log has no event ${cp.seq}, which the checkpoint of ${cp.signedAt} signed: events were deleted (the log now ends at event ${chain.checked})`,
      );
    }
    if (stored !== cp.hash) {
      return result(
        chain.checked,
        `event ${cp.seq} no longer has the hash the checkpoint of ${cp.signedAt} signed: the log up to it was rewritten (its hashes recomputed)`,
      );
    }
    if (!chain.ok) return result(chain.checked, `the audit log is broken at event ${chain.firstBroken?.seq}: ${chain.firstBroken?.reason}`);
    return result(chain.checked, null);
  });
}
