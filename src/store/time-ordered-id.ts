/**
 * UUIDv7 (RFC 9562): 48 bits of Unix milliseconds, then 74 random bits. For rows written at a
 * high rate into a unique index — the audit log's event ids, one per read of a case. A random
 * (v4) id lands on a random page of the index: with a million events, each group commit dirtied a
 * page per event, read back from disk first, and wrote them all to the log; ids that grow with time
 * append to the index's last pages. The random bits keep ids unguessable and unique across
 * instances; the time they carry is the event's own `at`, already stored beside them.
 */
import { randomFillSync } from 'node:crypto';

const POOL_IDS = 256;
const pool = Buffer.alloc(10 * POOL_IDS);
let poolAt = POOL_IDS;

export function timeOrderedId(now = Date.now()): string {
  if (poolAt === POOL_IDS) {
    randomFillSync(pool);
    poolAt = 0;
  }
  const rand = pool.subarray(10 * poolAt, 10 * poolAt + 10);
  poolAt += 1;
  const b = Buffer.allocUnsafe(16);
  b.writeUIntBE(now, 0, 6);
  b[6] = 0x70 | (rand[0]! & 0x0f);
  b[7] = rand[1]!;
  b[8] = 0x80 | (rand[2]! & 0x3f);
  rand.copy(b, 9, 3, 10);
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
