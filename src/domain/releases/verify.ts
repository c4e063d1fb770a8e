/**
 * Whether release tags carry a fix (checklist step 8: "release patches for all supported minors"):
 * the words and the verdict; finding the commits is the git adapter's job.
 */

/**
 * How a tag carries the fix:
 *  - direct: the fix commit itself is in the tag's history;
 *  - cherry-pick: a commit with the same patch (git patch-id) is;
 *  - cherry-pick-noted: a commit says "(cherry picked from commit <fix>)" but its patch differs
 *    (conflicts were resolved while back-porting): worth a look.
 */
export type FixPresence = 'direct' | 'cherry-pick' | 'cherry-pick-noted';

export interface FixCheck {
  tag: string;
  exists: boolean;
  /** The commit the tag points to. */
  commit: string | null;
  contains: boolean;
  how: FixPresence | null;
  /** The commit in the tag that carries the fix (the fix itself, or its cherry-pick). */
  via: string | null;
  /** One sentence about this tag. */
  note: string;
}

export interface FixVerdict {
  ok: boolean;
  /** The tags that do not carry the fix (including tags that do not exist), in the order asked. */
  lacking: string[];
  sentence: string;
}

export const shortCommit = (id: string) => id.slice(0, 12);

/** Describes a check in words, from the facts. */
export function fixNote(check: Omit<FixCheck, 'note'>, fix: string): string {
  const f = shortCommit(fix);
  if (!check.exists) return `${check.tag} does not exist`;
  if (!check.contains) return `${check.tag} contains neither ${f} nor a cherry-pick of it`;
  if (check.how === 'direct') return `${check.tag} contains ${f}`;
  if (check.how === 'cherry-pick') return `${check.tag} contains ${shortCommit(check.via ?? '')}, a cherry-pick of ${f} (same patch)`;
  return `${check.tag} contains ${shortCommit(check.via ?? '')}, which says it was cherry-picked from ${f} but changes something else: review it`;
}

export function fixVerdict(fix: string, checks: readonly FixCheck[]): FixVerdict {
  const f = shortCommit(fix);
  const lacking = checks.filter((c) => !c.contains);
  if (lacking.length === 0) {
    return {
      ok: true,
      lacking: [],
      sentence: `${checks.length === 1 ? 'the tag contains' : `all ${checks.length} tags contain`} the fix ${f}`,
    };
  }
  const why = lacking.map((c) => `${c.tag} (${c.exists ? 'no fix, no cherry-pick of it' : 'no such tag'})`).join(', ');
  return {
    ok: false,
    lacking: lacking.map((c) => c.tag),
    sentence: `${lacking.length} of ${checks.length} tag${checks.length === 1 ? '' : 's'} ${lacking.length === 1 ? 'lacks' : 'lack'} the fix ${f}: ${why}`,
  };
}
