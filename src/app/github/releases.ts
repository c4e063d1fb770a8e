/**
 * Verified releases: the result of `embargo plan verify --case` (does each release tag contain the
 * fix?) recorded on the case's release lines. Publication needs every planned line verified.
 */
import { recordReleaseVerification, type Case, type TagCheck } from '../../domain/case/index.js';
import type { Actor } from '../actor.js';
import type { App } from '../app.js';
import { type CaseAnswer, changeCase, type ChangeOptions } from '../unit-of-work.js';

export function recordVerifiedReleases(
  app: App,
  actor: Actor,
  caseId: string,
  input: { fixCommit: unknown; checks: TagCheck[] },
  options?: ChangeOptions,
): Promise<CaseAnswer<Case>> {
  return changeCase(app, actor, caseId, 'write', (c, ctx) => recordReleaseVerification(c, input, ctx), options);
}
