/**
 * What the reporter must not be told, found the way the leak guard finds a leak: the case's codename
 * in any spelling (`windy_marten`, `windyMarten`, a zero-width space inside) and its GHSA and CVE
 * ids in any spelling (`GHSA qv9m wx4c 7f2h`, en dashes, in a URL), through the guard's normalising
 * scanner over an in-memory terms list of this one case. The portal blanks them out of the case's
 * texts; the lint refuses a reporter's mail that carries them.
 */
import type { Case } from '../case/types.js';
import { defaultGuardConfig } from '../guard/config.js';
import { advisoryIds } from '../guard/embargoed.js';
import { RULE_IDS } from '../guard/rules.js';
import { createScanner } from '../guard/scanner.js';
import { buildTermsFile } from '../guard/terms-file.js';
import { codenameWords } from '../guard/terms.js';

export type WithheldKind = 'codename' | 'ghsa' | 'cve';
export type AdvisoryIdKind = Exclude<WithheldKind, 'codename'>;

export interface WithheldSpan {
  what: WithheldKind;
  start: number;
  end: number;
}

/** The list is in memory only, never exported: a fixed salt hides nothing and needs no randomness. */
const SALT = '0'.repeat(32);

const kindOfId = (id: string): AdvisoryIdKind => (/^ghsa/i.test(id) ? 'ghsa' : 'cve');

/**
 * Where `text` names the case's codename or one of its ids of the `ids` kinds. Spans are offsets
 * into `text`, in order, not overlapping.
 */
export function findWithheld(text: string, c: Case, ids: readonly AdvisoryIdKind[]): WithheldSpan[] {
  const config = defaultGuardConfig();
  for (const rule of RULE_IDS) config.severity[rule] = rule === 'embargoed-id' || rule === 'case-term' ? 'error' : 'off';
  const withheldIds = advisoryIds(c).filter((id) => ids.includes(kindOfId(id)));
  const terms = buildTermsFile({
    cases: [{ caseId: c.id, terms: [codenameWords(c.codename)], ids: withheldIds }],
    publicIds: [],
    salt: SALT,
    now: new Date(0),
  });
  return createScanner(config, terms)
    .scan(text)
    .map((f) => ({
      what: f.rule === 'case-term' ? ('codename' as const) : kindOfId(text.slice(f.start, f.end).replace(/[^a-z]/gi, '')),
      start: f.start,
      end: f.end,
    }))
    .sort((a, b) => a.start - b.start);
}

/** `text` with every span replaced by `[withheld]`. */
export function withhold(text: string, spans: readonly WithheldSpan[]): string {
  let out = '';
  let at = 0;
  for (const s of spans) {
    if (s.start < at) continue;
    out += `${text.slice(at, s.start)}[withheld]`;
    at = s.end;
  }
  return out + text.slice(at);
}
