/**
 * Codenames let a team say "amber-heron" in a branch name, a chat or a calendar invite without
 * saying anything about the vulnerability. The words are deliberately bland: colours, weather,
 * birds and trees — never anything about software or security.
 */
const FIRST = [
  'amber',
  'azure',
  'bronze',
  'cedar',
  'coral',
  'crimson',
  'dusky',
  'ember',
  'fern',
  'frosty',
  'golden',
  'granite',
  'hazel',
  'indigo',
  'ivory',
  'jade',
  'lilac',
  'lunar',
  'maple',
  'misty',
  'mossy',
  'ochre',
  'olive',
  'pearl',
  'quiet',
  'rainy',
  'russet',
  'sandy',
  'scarlet',
  'silver',
  'snowy',
  'sunny',
  'teal',
  'velvet',
  'windy',
  'woolly',
] as const;

const SECOND = [
  'alder',
  'aspen',
  'badger',
  'birch',
  'bittern',
  'crane',
  'curlew',
  'dunlin',
  'egret',
  'falcon',
  'finch',
  'gannet',
  'heron',
  'juniper',
  'kestrel',
  'larch',
  'linnet',
  'magpie',
  'marten',
  'osprey',
  'otter',
  'owl',
  'plover',
  'puffin',
  'raven',
  'robin',
  'rowan',
  'sparrow',
  'spruce',
  'starling',
  'swift',
  'tern',
  'thrush',
  'wagtail',
  'willow',
  'wren',
] as const;

/** Number of distinct codenames; callers retry on a clash with an existing case. */
export const CODENAME_SPACE = FIRST.length * SECOND.length;

/**
 * Picks a codename from two random integers (the shell supplies them from a CSPRNG; the domain
 * has no randomness of its own so tests can pin the result).
 */
export function codenameFrom(a: number, b: number): string {
  const first = FIRST[Math.abs(Math.trunc(a)) % FIRST.length]!;
  const second = SECOND[Math.abs(Math.trunc(b)) % SECOND.length]!;
  return `${first}-${second}`;
}
