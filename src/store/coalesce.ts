/**
 * Lookups by key that arrive together, answered by one query. On PostgreSQL each query is a round
 * trip whose system calls and wake-ups cost the server more than the lookup itself: the API token
 * of every request was half of a case read's round trips. The lookups asked in one turn of the
 * event loop are sent together on the next (setImmediate), as one query for their distinct keys;
 * a lookup is never answered from an earlier query's result, so it sees what is committed when it
 * was asked, or later. Several batches may be in flight at once, each on its own connection.
 */
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
