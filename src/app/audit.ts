/** The audit log: every change and every read of embargoed data, hash-chained. */
import { listEvents, verifyChain } from '../store/events.js';
import { requireAdmin, type Actor } from './actor.js';
import type { App } from './app.js';

export async function verifyAudit(app: App, actor: Actor) {
  requireAdmin(actor);
  const result = await app.store.read((db) => verifyChain(db));
  return { ok: result.ok, checked: result.checked, firstBroken: result.firstBroken ?? null };
}

export async function auditLog(app: App, actor: Actor, query: { afterSeq?: number; limit?: number }) {
  requireAdmin(actor);
  return app.store.read((db) => listEvents(db, query));
}
