/**
 * The queries sent to PostgreSQL while `f` runs, from every client of this process: how many round
 * trips a piece of the store takes, and the exact statement it sent (to EXPLAIN it). The queries
 * still run; nothing is answered in their place.
 */
import pg from 'pg';

export interface SentQuery {
  text: string;
  values: unknown[];
}

export async function queriesSent<T>(f: () => Promise<T>): Promise<{ value: T; sent: SentQuery[] }> {
  const sent: SentQuery[] = [];
  const query = pg.Client.prototype.query;
  pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
    const q = args[0] as string | { text?: string; values?: unknown[] };
    if (typeof q === 'string') sent.push({ text: q, values: (args[1] as unknown[] | undefined) ?? [] });
    else sent.push({ text: String(q.text), values: q.values ?? [] });
    return (query as (...a: unknown[]) => unknown).apply(this, args);
  } as typeof query;
  try {
    return { value: await f(), sent };
  } finally {
    pg.Client.prototype.query = query;
  }
}
