/** Checks the audit log: walks the chain in seq order and reports the first broken link. */
import type { Kysely, Selectable } from 'kysely';
import { type Database, type EventsTable, GENESIS_HASH } from './schema.js';
import { readHead, rowHash } from './chain-links.js';
import { rowLimit } from './portable-sql.js';

export interface ChainVerification {
  ok: boolean;
  /** Events verified as intact (up to, not including, the first broken one). */
  checked: number;
  firstBroken?: { seq: number; reason: string };
}

/** Rows per query when verifying. */
const VERIFY_PAGE = 5000;

function missing(from: number, to: number): string {
  return from === to ? `event ${from} is missing (deleted)` : `events ${from} to ${to} are missing (deleted)`;
}

/** Why `row` does not link to the event before it (whose hash is `expectedPrev`). */
async function explainBrokenLink(db: Kysely<Database>, row: Selectable<EventsTable>): Promise<string> {
  const seq = Number(row.seq);
  const linked = await db.selectFrom('events').select('seq').where('hash', '=', row.prev_hash).executeTakeFirst();
  const m = linked ? Number(linked.seq) : undefined;
  if (m !== undefined && m > seq) {
    return `event ${seq} is out of order: it was written after the event now stored as ${m}, which comes later in the log (events were reordered)`;
  }
  if (seq === 1) {
    return 'event 1 does not start the chain: it links to an earlier event instead of the start of the log (events before it were deleted, or it was moved)';
  }
  if (m !== undefined && m < seq - 1) {
    return `event ${seq} does not follow event ${seq - 1}: it was written right after event ${m}, so the events between were inserted or reordered`;
  }
  return `event ${seq} does not follow event ${seq - 1}: its link to the previous event does not match (event ${seq - 1} was rewritten, or events were removed or reordered)`;
}

/**
 * Walks the whole log in seq order, a page at a time, and reports the first broken link: an edited
 * event, a deleted one (in the middle or at the end), events out of order, or events added behind
 * Embargo's back. Safe to run while others append (it checks up to the chain head it reads).
 */
export async function verifyChain(db: Kysely<Database>): Promise<ChainVerification> {
  let checked = 0;
  let lastSeq = 0;
  let lastHash = GENESIS_HASH;
  const page = (after: number) =>
    db.selectFrom('events').selectAll().where('seq', '>', after).orderBy('seq').limit(rowLimit(VERIFY_PAGE)).execute();

  for (;;) {
    let rows = await page(lastSeq);
    if (rows.length === 0) {
      // Read the head, then look once more: anything committed before the head was read is now
      // visible, so rows past the head are forgeries and a head past the rows means a deleted tail.
      const head = await readHead(db);
      rows = await page(lastSeq);
      if (rows.length === 0) {
        const broken = checkTail(head, lastSeq, lastHash);
        if (!broken) return { ok: true, checked };
        // `checked` counts the events before the first broken one.
        return { ok: false, checked: Math.min(checked, Math.max(0, broken.seq - 1)), firstBroken: broken };
      }
    }
    for (const row of rows) {
      const seq = Number(row.seq);
      const expected = lastSeq + 1;
      if (seq !== expected) {
        const reason =
          expected === 1
            ? `${missing(1, seq - 1)}: the log starts at event ${seq}`
            : `${missing(expected, seq - 1)}: event ${seq} does not follow event ${lastSeq}`;
        return { ok: false, checked, firstBroken: { seq: expected, reason } };
      }
      if (row.prev_hash !== lastHash) {
        return { ok: false, checked, firstBroken: { seq, reason: await explainBrokenLink(db, row) } };
      }
      const hash = rowHash(row);
      if (hash !== row.hash) {
        return {
          ok: false,
          checked,
          firstBroken: { seq, reason: `event ${seq} was edited: its hash does not match its content` },
        };
      }
      checked += 1;
      lastSeq = seq;
      lastHash = row.hash;
    }
  }
}

function checkTail(
  head: { lastSeq: number; lastHash: string },
  lastSeq: number,
  lastHash: string,
): { seq: number; reason: string } | undefined {
  if (head.lastSeq > lastSeq) {
    const where =
      lastSeq === 0
        ? `the log is empty but the chain head records ${head.lastSeq} event${head.lastSeq === 1 ? '' : 's'}`
        : `the log ends at event ${lastSeq} but the chain head records event ${head.lastSeq}`;
    return { seq: lastSeq + 1, reason: `${missing(lastSeq + 1, head.lastSeq)}: ${where}` };
  }
  if (head.lastSeq < lastSeq) {
    return {
      seq: head.lastSeq + 1,
      reason: `event ${head.lastSeq + 1} was not appended by Embargo: the chain head ends at event ${head.lastSeq} (events were added to the end directly)`,
    };
  }
  if (head.lastHash !== lastHash) {
    return lastSeq === 0
      ? { seq: 0, reason: 'the chain head was changed: the log is empty but the head does not hold the starting value' }
      : {
          seq: lastSeq,
          reason: `event ${lastSeq} does not match the chain head: the last event was replaced or the head was changed`,
        };
  }
  return undefined;
}
