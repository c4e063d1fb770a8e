/**
 * Leak-guard use cases: the terms file for hooks and CI (salted hashes only, guard scope), and the
 * terms the team adds to a case (need-to-know: only people on the case see or change them).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { Case } from '../domain/case/types.js';
import { DomainError, invalidInput } from '../domain/errors.js';
import {
  advisoryIds,
  buildTermsFile,
  codenameWords,
  isEmbargoed,
  isPublished,
  MAX_TERMS_PER_CASE,
  normalizeTerm,
  wordsOf,
  type EmbargoedCaseTerms,
  type TermsFile,
} from '../domain/guard/index.js';
import type { Playbook } from '../domain/playbook/types.js';
import { appendEvents } from '../store/events.js';
import { allCases, deleteGuardTerm, guardTermsByCase, insertGuardTerm, listGuardTerms, type GuardTerm } from '../store/guard-terms.js';
import { projectsAdministeredBy } from '../store/projects.js';
import { caseIdsOnAccessList } from '../store/access.js';
import { requireScope, type Actor } from './actor.js';
import { loadProject } from './projects.js';
import type { App } from './app.js';
import { readCase } from './cases.js';
import { type CaseAnswer, workOnCase } from './unit-of-work.js';
import { guardTermRemoved, guardTermsAdded, guardTermsExported } from '../domain/guard/term-events.js';

/** At most this many terms in one request. */
export const MAX_TERMS_PER_REQUEST = 50;

export interface CaseGuardTerm {
  id: string;
  term: string;
  addedBy: string;
  addedAt: string;
}

const present = (t: GuardTerm): CaseGuardTerm => ({ id: t.id, term: t.term, addedBy: t.addedBy, addedAt: t.addedAt });

function playbookOf(app: App, c: Case): Playbook | null {
  try {
    return app.playbooks.get(c.playbook);
  } catch {
    return null;
  }
}

/** A case whose playbook is gone (a custom one removed) counts as embargoed until it is closed. */
const underEmbargo = (app: App, c: Case) => {
  const pb = playbookOf(app, c);
  return pb ? isEmbargoed(pb, c) : c.status !== 'closed' && !c.resolution;
};

const published = (app: App, c: Case) => {
  const pb = playbookOf(app, c);
  return pb ? isPublished(pb, c) : false;
};

/**
 * The terms file for the guard: per embargoed case the actor may see (admins: every case; a
 * project's admins: its cases), salted hashes of its codename and team terms and of its CVE/GHSA ids;
 * plus the ids of every published case, which are public. With a project, only that project's cases
 * (a repository's hooks need its own project's terms, nobody else's). The salt is fresh each time.
 * The export itself is an audited read.
 */
export async function guardTermsFile(app: App, actor: Actor, opts: { project?: string } = {}): Promise<TermsFile> {
  requireScope(actor, 'guard');
  const now = app.clock();
  return app.store.write(async (tx) => {
    const project = opts.project === undefined ? undefined : (await loadProject(tx, actor, opts.project)).id;
    const every = (await allCases(tx)).filter((c) => project === undefined || c.project === project);
    // Ids only: every case was read (and parsed) once above.
    const onList = new Set(actor.userId ? await caseIdsOnAccessList(tx, actor.userId) : []);
    const adminOf = actor.userId ? await projectsAdministeredBy(tx, actor.userId) : [];
    const visible = actor.role === 'admin' ? every : every.filter((c) => onList.has(c.id) || adminOf.includes(c.project));
    const embargoed = visible.filter((c) => underEmbargo(app, c));
    const teamTerms = await guardTermsByCase(
      tx,
      embargoed.map((c) => c.id),
    );
    const cases: EmbargoedCaseTerms[] = embargoed.map((c) => ({
      caseId: c.id,
      terms: [codenameWords(c.codename), ...(teamTerms.get(c.id) ?? []).map((t) => wordsOf(t.term))],
      ids: advisoryIds(c),
    }));
    const publicIds = every.filter((c) => published(app, c)).flatMap(advisoryIds);
    await appendEvents(tx, {
      actor: actor.name,
      at: now,
      events: [guardTermsExported(cases.length, publicIds.length)],
    });
    return buildTermsFile({ cases, publicIds, salt: randomBytes(16).toString('hex'), now });
  });
}

/** The team's terms of a case (the read is audited like any read of embargoed details). */
export const caseGuardTerms = (app: App, actor: Actor, caseId: string): Promise<CaseGuardTerm[]> =>
  readCase(app, actor, caseId, 'guard terms', async (_c, db) => (await listGuardTerms(db, caseId)).map(present));

/**
 * Adds terms to a case. Every term is checked first (one bad term refuses the whole request); a
 * term the case already has, in any spelling, is left as it is. The audit event records how many
 * terms and their ids, never the terms: the log is permanent, the terms are secrets.
 */
export async function addCaseGuardTerms(
  app: App,
  actor: Actor,
  caseId: string,
  terms: unknown,
): Promise<CaseAnswer<{ terms: CaseGuardTerm[]; added: number }>> {
  requireScope(actor, 'write');
  if (!Array.isArray(terms) || terms.length === 0) throw invalidInput('give at least one term', { field: 'terms' });
  if (terms.length > MAX_TERMS_PER_REQUEST) throw invalidInput(`at most ${MAX_TERMS_PER_REQUEST} terms at a time`, { field: 'terms' });
  return workOnCase(app, actor, caseId, 'write', async (_c, { tx, actor: by, now }) => {
    const normalized = terms.map((t) => normalizeTerm(t));
    const existing = await listGuardTerms(tx, caseId);
    const fresh = normalized.filter(
      (t, i) => normalized.findIndex((o) => o.key === t.key) === i && !existing.some((e) => e.termKey === t.key),
    );
    if (existing.length + fresh.length > MAX_TERMS_PER_CASE) {
      throw invalidInput(`a case has at most ${MAX_TERMS_PER_CASE} guard terms; it has ${existing.length}`, { field: 'terms' });
    }
    const ids: string[] = [];
    for (const t of fresh) {
      const id = randomUUID();
      if (await insertGuardTerm(tx, { id, caseId, term: t.term, termKey: t.key, addedBy: by, addedAt: now.toISOString() })) ids.push(id);
    }
    return { events: guardTermsAdded(caseId, ids), value: { terms: (await listGuardTerms(tx, caseId)).map(present), added: ids.length } };
  });
}

export function removeCaseGuardTerm(app: App, actor: Actor, caseId: string, termId: string): Promise<CaseAnswer<CaseGuardTerm[]>> {
  return workOnCase(app, actor, caseId, 'write', async (_c, { tx }) => {
    if (!(await deleteGuardTerm(tx, caseId, termId))) throw new DomainError('not_found', `case ${caseId} has no guard term ${termId}`);
    return { events: [guardTermRemoved(caseId, termId)], value: (await listGuardTerms(tx, caseId)).map(present) };
  });
}
