/**
 * Recipient checks: an address is either exactly a configured one, or it is wrong — and when it is
 * close to a configured one (a typo, another domain or TLD, a homoglyph, "rn" for "m", a dropped
 * hyphen, an autocorrected list host) the finding names the address it resembles and how it differs.
 */

/** Look-alike characters folded to the Latin letter they imitate, with a name for the message. */
const CONFUSABLES: Record<string, [string, string]> = {
  '\u0430': ['a', 'Cyrillic'],
  '\u0435': ['e', 'Cyrillic'],
  '\u043e': ['o', 'Cyrillic'],
  '\u0440': ['p', 'Cyrillic'],
  '\u0441': ['c', 'Cyrillic'],
  '\u0443': ['y', 'Cyrillic'],
  '\u0445': ['x', 'Cyrillic'],
  '\u0456': ['i', 'Cyrillic'],
  '\u0458': ['j', 'Cyrillic'],
  '\u0455': ['s', 'Cyrillic'],
  '\u0501': ['d', 'Cyrillic'],
  '\u04bb': ['h', 'Cyrillic'],
  '\u043a': ['k', 'Cyrillic'],
  '\u043c': ['m', 'Cyrillic'],
  '\u0442': ['t', 'Cyrillic'],
  '\u043d': ['h', 'Cyrillic'],
  '\u03bf': ['o', 'Greek'],
  '\u03b1': ['a', 'Greek'],
  '\u03bd': ['v', 'Greek'],
  '\u03b9': ['i', 'Greek'],
  '\u03ba': ['k', 'Greek'],
  '\u03c1': ['p', 'Greek'],
  '\u03c4': ['t', 'Greek'],
  '\u0261': ['g', 'Latin script'],
  '\u0131': ['i', 'dotless'],
};

/** The address as it reads to a human eye: NFKC, confusables and digit look-alikes folded, lower case, rn → m. */
export function skeleton(address: string): string {
  let out = '';
  for (const ch of address.normalize('NFKC')) out += CONFUSABLES[ch.toLowerCase()]?.[0] ?? ch;
  return out.toLowerCase().replace(/rn/g, 'm').replace(/vv/g, 'w').replace(/0/g, 'o').replace(/[1|]/g, 'l');
}

/** Optimal string alignment distance (Levenshtein plus adjacent transpositions). */
export function editDistance(a: string, b: string): number {
  const A = [...a];
  const B = [...b];
  const d: number[][] = Array.from({ length: A.length + 1 }, (_, i) => [i, ...Array<number>(B.length).fill(0)]);
  for (let j = 0; j <= B.length; j++) d[0]![j] = j;
  for (let i = 1; i <= A.length; i++) {
    for (let j = 1; j <= B.length; j++) {
      const cost = A[i - 1] === B[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && A[i - 1] === B[j - 2] && A[i - 2] === B[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[A.length]![B.length]!;
}

const split = (address: string) => {
  const at = address.lastIndexOf('@');
  return at < 0 ? { local: address, domain: '' } : { local: address.slice(0, at), domain: address.slice(at + 1) };
};
const tld = (domain: string) => domain.slice(domain.lastIndexOf('.') + 1);
const withoutTld = (domain: string) => domain.slice(0, Math.max(0, domain.lastIndexOf('.')));
const unpunctuated = (s: string) => s.replace(/[-_.]/g, '');

function hex(ch: string): string {
  return `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** How `address` differs from `known`, or null when it is not close enough to be a look-alike. */
export function resemblance(address: string, known: string): string | null {
  if (address === known) return null;
  const a = split(address);
  const k = split(known);
  if (address.toLowerCase() === known.toLowerCase()) return 'differs only in upper/lower case; use the configured spelling exactly';
  const odd = [...address].filter((ch) => CONFUSABLES[ch.toLowerCase()] || ch.codePointAt(0)! > 0x7f);
  if (skeleton(address) === skeleton(known)) {
    if (odd.length > 0) {
      const ch = odd[0]!;
      const c = CONFUSABLES[ch.toLowerCase()];
      return `contains ${c ? `the ${c[1]} letter` : 'the character'} '${ch}' (${hex(ch)})${c ? ` that looks like the Latin '${c[0]}'` : ''}`;
    }
    if (/rn/i.test(address) && !/rn/i.test(known)) return `has "rn" where the configured address has "m"`;
    if (/m/i.test(address) && /rn/i.test(known)) return `has "m" where the configured address has "rn"`;
    return 'swaps look-alike characters (0/o, 1/l, vv/w)';
  }
  if (unpunctuated(a.local.toLowerCase()) === unpunctuated(k.local.toLowerCase()) && a.domain.toLowerCase() === k.domain.toLowerCase()) {
    return `differs in punctuation: "${a.local}" where the configured address has "${k.local}" (a dropped or added hyphen or dot)`;
  }
  if (a.local.toLowerCase() === k.local.toLowerCase() && a.domain.toLowerCase() !== k.domain.toLowerCase()) {
    if (withoutTld(a.domain).toLowerCase() === withoutTld(k.domain).toLowerCase()) {
      return `ends in .${tld(a.domain)} where the configured address ends in .${tld(k.domain)}`;
    }
    return `has the same name at a different domain (@${a.domain} instead of @${k.domain}), as an autocorrecting mail client or list web interface may write it`;
  }
  const distance = editDistance(skeleton(address), skeleton(known));
  const limit = Math.max(2, Math.floor(known.length * 0.2));
  if (distance <= limit) return `is ${distance} typing edit${distance === 1 ? '' : 's'} away from it (a typo?)`;
  // An autocorrected list host: same local part family, a different list domain.
  if (a.domain.toLowerCase() !== k.domain.toLowerCase() && editDistance(a.local.toLowerCase(), k.local.toLowerCase()) <= 2) {
    return `has nearly the same name at a different domain (@${a.domain} instead of @${k.domain})`;
  }
  return null;
}

export interface KnownAddress {
  address: string;
  /** What it is, e.g. "the distributors list". */
  label: string;
}

/** The closest known address that `address` resembles, with how it differs. */
export function closestLookalike(address: string, known: readonly KnownAddress[]): { known: KnownAddress; how: string } | null {
  let best: { known: KnownAddress; how: string; distance: number } | null = null;
  for (const k of known) {
    const how = resemblance(address, k.address);
    if (!how) continue;
    const distance = editDistance(skeleton(address), skeleton(k.address));
    if (!best || distance < best.distance) best = { known: k, how, distance };
  }
  return best ? { known: best.known, how: best.how } : null;
}
