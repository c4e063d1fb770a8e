/**
 * Where a write is running: the transactions handed out by `Store.write`, and whether the running
 * code is inside a write's callback (a developer check).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

/** Transactions handed out by `Store.write`; `appendEvents` insists on one of these. */
const writeTransactions = new WeakSet<object>();

/** `tx` is a running write's transaction until `leaveWrite`. */
export function enterWrite(tx: Kysely<Database>): void {
  writeTransactions.add(tx);
}

export function leaveWrite(tx: Kysely<Database>): void {
  writeTransactions.delete(tx);
}

/** True when `db` is the transaction of a running `Store.write`. */
export function isWriteTransaction(db: Kysely<Database>): boolean {
  return writeTransactions.has(db);
}

/** Whether the running code is inside a `store.write` callback, where it must use the write's own handle. */
interface WriteScope {
  inside(): boolean;
  run<T>(fn: () => T): T;
}

/**
 * Makes a `store.write` / `store.read` called inside a write fail at once, instead of waiting forever
 * for the lock the outer write holds. A development check, on in the test suite (vitest.config.ts)
 * and wherever EMBARGO_STORE_CHECKS=1: on Node 20 an AsyncLocalStorage turns on V8's promise hooks
 * for every promise in the process once used, and those cost a quarter to a third of an audited case
 * read's throughput (docs/architecture.md, "Scale").
 */
function writeScope(checked: boolean): WriteScope {
  if (!checked) return { inside: () => false, run: (fn) => fn() };
  const storage = new AsyncLocalStorage<true>();
  return { inside: () => storage.getStore() === true, run: (fn) => storage.run(true, fn) };
}

export const insideWrite = writeScope(process.env.EMBARGO_STORE_CHECKS === '1');
