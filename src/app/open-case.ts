/**
 * Opening a case, the steps every way in shares (the team's form, the public report form, a mailed
 * report, a GitHub import, a case file): a new id and codename for the playbook, and the person who
 * opened it on its access list. Runs inside the opening transaction.
 */
import { randomInt } from 'node:crypto';
import type { Kysely } from 'kysely';
import { type AccessReason, accessGranted } from '../domain/case/access-events.js';
import { CODENAME_SPACE, codenameFrom, type CreateCaseFacts } from '../domain/case/index.js';
import { DomainError } from '../domain/errors.js';
import type { DomainEvent } from '../domain/events.js';
import type { Playbook } from '../domain/playbook/index.js';
import { grantAccess } from '../store/access.js';
import { nextCaseId, randomCaseId } from '../store/cases.js';
import type { Database } from '../store/schema.js';
import type { Actor } from './actor.js';
import type { CaseNumbers } from './config.js';

type Db = Kysely<Database>;

/** Picks before giving up: at a million cases, half the space taken, 40 clashes in a row happen once in 10^12 picks. */
const CODENAME_PICKS = 40;

/**
 * A codename no other case has: random picks, each checked against the unique index on
 * cases.codename (one index probe, so the cost does not grow with the number of cases). Runs under
 * the writer lock, so no other case can take the name between the check and the insert.
 */
export async function freshCodename(tx: Db): Promise<string> {
  for (let attempt = 0; attempt < CODENAME_PICKS; attempt++) {
    const name = codenameFrom(randomInt(CODENAME_SPACE));
    const taken = await tx.selectFrom('cases').select('id').where('codename', '=', name).executeTakeFirst();
    if (!taken) return name;
  }
  throw new DomainError(
    'conflict',
    'no free codename was found: the codename space is nearly used up; ask the maintainers for longer codenames',
  );
}

/**
 * What `createCase` needs besides the input: an id (the next of the year, or a random number with
 * EMBARGO_CASE_NUMBERS=random: docs/security.md, "Ids and existence"), a fresh codename, the
 * playbook's first phase.
 */
export async function newCaseFacts(tx: Db, playbook: Playbook, now: Date, numbers: CaseNumbers = 'sequential'): Promise<CreateCaseFacts> {
  const year = now.getUTCFullYear();
  const id = numbers === 'random' ? await randomCaseId(tx, year) : await nextCaseId(tx, year);
  const codename = await freshCodename(tx);
  return { id, codename, playbook: { id: playbook.id, firstPhase: playbook.steps[0]?.phase ?? 'open' } };
}

/** The person who opened the case needs to see it (admins without an account see every case anyway). */
export async function grantOpener(tx: Db, actor: Actor, caseId: string, now: Date, reason: AccessReason): Promise<DomainEvent[]> {
  if (!actor.userId) return [];
  await grantAccess(tx, { caseId, userId: actor.userId, grantedBy: actor.name, grantedAt: now });
  return [accessGranted(caseId, actor.name, reason)];
}
