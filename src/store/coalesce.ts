/**
 * Lookups by key that arrive together, answered by one query. On PostgreSQL each query is a round
 * trip whose system calls and wake-ups cost the server more than the lookup itself: the API token
 * of every request was half of a case read's round trips. The lookups asked in one turn of the
 * event loop are sent together on the next (setImmediate), as one query for their distinct keys;
 * a lookup is never answered from an earlier query's result, so it sees what is committed when it
 * was asked, or later. Several batches may be in flight at once, each on its own connection.
 */
import type { Kysely } from 'kysely';
import type { Database } from './schema.js';
import type { Store } from './store.js';

export function coalesced<K, V>(lookup: (keys: K[]) => Promise<Map<K, V>>): (key: K) => Promise<V | undefined> {
  let waiting = new Map<K, { resolve(value: V | undefined): void; reject(err: unknown): void }[]>();
  let scheduled = false;

  const flush = () => {
    scheduled = false;
    const batch = waiting;
    waiting = new Map();
    Promise.resolve([...batch.keys()])
      .then(lookup)
      .then(
        (found) => {
          for (const [key, callers] of batch) for (const c of callers) c.resolve(found.get(key));
        },
        (err) => {
          for (const callers of batch.values()) for (const c of callers) c.reject(err);
        },
      );
  };

  return (key) =>
    new Promise<V | undefined>((resolve, reject) => {
      const callers = waiting.get(key);
      if (callers) callers.push({ resolve, reject });
      else waiting.set(key, [{ resolve, reject }]);
      if (!scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
    });
}

/**
 * A lookup by key for requests: on PostgreSQL the lookups of one turn go in one query (`many`, per
 * store); SQLite has no round trip to save and answers each at once (`one`).
 */
export function requestLookup<V>(
  one: (db: Kysely<Database>, key: string) => Promise<V | undefined>,
  many: (db: Kysely<Database>, keys: string[]) => Promise<Map<string, V>>,
): (store: Store, key: string) => Promise<V | undefined> {
  const perStore = new WeakMap<Store, (key: string) => Promise<V | undefined>>();
  return (store, key) => {
    if (store.dialect !== 'postgres') return store.read((db) => one(db, key));
    let lookUp = perStore.get(store);
    if (!lookUp) {
      lookUp = coalesced((keys: string[]) => store.read((db) => many(db, keys)));
      perStore.set(store, lookUp);
    }
    return lookUp(key);
  };
}
