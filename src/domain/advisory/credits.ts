/**
 * GitHub credits the reporter of a private vulnerability report by login. The case keeps that
 * reporter as its `reporter` (name = login, see caseInputFromReport), which has no login field, so
 * ghsaAdvisory(case) alone would drop GitHub's reporter credit on the next push. This puts it back —
 * unless the reporter has since asked to stay anonymous, in which case the push removes it.
 */
import type { Case } from '../case/types.js';
import type { GhsaAdvisoryBody } from '../exports/ghsa.js';
import type { AdvisoryView } from './types.js';

export function withReporterCredit<B extends Partial<Pick<GhsaAdvisoryBody, 'credits'>>>(
  body: B,
  c: Case,
  current: AdvisoryView | null,
): B {
  const r = c.reporter;
  if (!current || !r || r.credit === 'anonymous') return body;
  const held = (current.credits ?? []).find((k) => k.type === 'reporter' && k.login && k.login.toLowerCase() === r.name.toLowerCase());
  const credits = body.credits ?? [];
  if (!held?.login || credits.some((k) => k.login.toLowerCase() === held.login!.toLowerCase() && k.type === 'reporter')) return body;
  return { ...body, credits: [...credits, { login: held.login, type: 'reporter' }] };
}
