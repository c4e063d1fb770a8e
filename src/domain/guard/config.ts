/**
 * The guard's settings: per-rule severity, the revealing words, ids known to be public, the
 * remotes that are private, and which files are changelogs. A repository keeps them in
 * `.embargo-guard.yml`; this module checks the parsed object and fills in the defaults.
 */
import { invalidInput } from '../errors.js';
import { canonicalId } from './ids.js';
import { RULE_IDS, ruleInfo, type RuleId, type RuleSeverity } from './rules.js';

export interface GuardConfig {
  severity: Record<RuleId, RuleSeverity>;
  /** Words, phrases ("security fix") and prefixes ("vulnerab*"), compared word by word, any case. */
  revealingWords: string[];
  /** Canonical CVE/GHSA ids that are already public (e.g. of dependencies). */
  publicIds: string[];
  /** Remote URLs (globs with *) a branch of an embargoed case may be pushed to. */
  privateRemotes: string[];
  /** Git pathspecs of changelog and release-note files, for --diff. */
  changelogPaths: string[];
}

export const DEFAULT_REVEALING_WORDS: readonly string[] = [
  'vulnerab*',
  'exploit*',
  'security fix',
  'security fixes',
  'security issue',
  'security bug',
  'security patch',
  'security advisory',
  'security vulnerability',
  'advisory',
  'advisories',
  'cve',
  'ghsa',
  'rce',
  'remote code execution',
  'arbitrary code',
  'code execution',
  'injection',
  'bypass',
  'bypasses',
  'xss',
  'cross site scripting',
  'csrf',
  'xsrf',
  'ssrf',
  'xxe',
  'denial of service',
  'ddos',
  'privilege escalation',
  'escalate privileges',
  'path traversal',
  'directory traversal',
  'request smuggling',
  'smuggling',
  'use after free',
  'buffer overflow',
  'heap overflow',
  'out of bounds',
  'zero day',
  '0day',
  'sandbox escape',
  'embargo',
  'embargoed',
  'malicious',
  'attacker',
  'attackers',
];

/**
 * Changelog and release-note files, as git pathspecs (case-insensitive globs at any depth).
 * Contour-style `changelogs/unreleased/*.md` fragments are covered by `changelog*`.
 */
export const DEFAULT_CHANGELOG_PATHS: readonly string[] = [
  ':(glob,icase)**/CHANGELOG*',
  ':(glob,icase)**/CHANGELOG*/**',
  ':(glob,icase)**/CHANGES*',
  ':(glob,icase)**/NEWS*',
  ':(glob,icase)**/HISTORY*',
  ':(glob,icase)**/RELEASE*NOTES*',
  ':(glob,icase)**/RELEASE*NOTES*/**',
  ':(glob,icase)**/RELEASE.md',
  ':(glob,icase)**/.changes/**',
  ':(glob,icase)**/.changeset/**',
];

/**
 * Documentation a push may carry besides the changelogs: READMEs, docs directories, prose files.
 * The pre-push hook reads the lines the pushed commits add to these and to the changelogs.
 */
export const DEFAULT_DOC_PATHS: readonly string[] = [
  ':(glob,icase)**/*.md',
  ':(glob,icase)**/*.markdown',
  ':(glob,icase)**/*.rst',
  ':(glob,icase)**/*.adoc',
  ':(glob,icase)**/*.txt',
  ':(glob,icase)**/docs/**',
  ':(glob,icase)**/doc/**',
];

/**
 * The files whose added lines the pre-push hook checks (issue 13, item 11): a "Fixed <codename>"
 * in CHANGELOG.md reached the public remote when only messages and branch names were checked.
 * Changelogs and docs always; with --strict every file (git shows no lines for binary ones).
 */
export function pushedDiffPaths(config: GuardConfig, strict: boolean): string[] {
  return strict ? ['.'] : [...new Set([...config.changelogPaths, ...DEFAULT_DOC_PATHS])];
}

export function defaultGuardConfig(): GuardConfig {
  return {
    severity: Object.fromEntries(RULE_IDS.map((id) => [id, ruleInfo(id).defaultSeverity])) as Record<RuleId, RuleSeverity>,
    revealingWords: [...DEFAULT_REVEALING_WORDS],
    publicIds: [],
    privateRemotes: [],
    changelogPaths: [...DEFAULT_CHANGELOG_PATHS],
  };
}

const SEVERITIES: readonly RuleSeverity[] = ['error', 'warning', 'off'];
const KNOWN_KEYS = ['public-ids', 'unknown-ids', 'severity', 'revealing-words', 'private-remotes', 'changelog-paths'];

function stringList(value: unknown, where: string): string[] {
  if (value === null || value === undefined) return [];
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string' && typeof v !== 'number')) {
    throw invalidInput(`${where} must be a list of strings`);
  }
  return value.map((v) => String(v).trim()).filter((v) => v !== '');
}

function severityOf(value: unknown, where: string): RuleSeverity {
  if (typeof value !== 'string' || !SEVERITIES.includes(value as RuleSeverity)) {
    throw invalidInput(`${where} must be one of ${SEVERITIES.join(', ')}, not ${JSON.stringify(value)}`);
  }
  return value as RuleSeverity;
}

/** Canonical ids from a list; throws naming the entry that is not an id. */
export function publicIdList(values: readonly string[], where: string): string[] {
  return values.map((v) => {
    const id = canonicalId(v);
    if (!id || id.startsWith('EMB-')) throw invalidInput(`${where}: "${v}" is not a CVE or GHSA id`);
    return id;
  });
}

/**
 * Applies a parsed `.embargo-guard.yml` (any YAML value) over `base`. `where` names the file in
 * messages. Unknown keys are refused: a typo must not silently switch a rule off.
 */
export function applyGuardConfig(base: GuardConfig, raw: unknown, where: string): GuardConfig {
  if (raw === null || raw === undefined) return base;
  if (typeof raw !== 'object' || Array.isArray(raw)) throw invalidInput(`${where} must be a mapping of settings`);
  const obj = raw as Record<string, unknown>;
  const unknown = Object.keys(obj).filter((k) => !KNOWN_KEYS.includes(k));
  if (unknown.length > 0)
    throw invalidInput(`${where}: unknown setting ${unknown.map((k) => `"${k}"`).join(', ')}; known: ${KNOWN_KEYS.join(', ')}`);
  const next: GuardConfig = { ...base, severity: { ...base.severity } };

  if ('public-ids' in obj)
    next.publicIds = [...base.publicIds, ...publicIdList(stringList(obj['public-ids'], `${where}: public-ids`), where)];
  if ('unknown-ids' in obj) next.severity['unknown-id'] = severityOf(obj['unknown-ids'], `${where}: unknown-ids`);
  if ('severity' in obj) {
    const sev = obj.severity;
    if (typeof sev !== 'object' || sev === null || Array.isArray(sev))
      throw invalidInput(`${where}: severity must map rule ids to error, warning or off`);
    for (const [rule, level] of Object.entries(sev)) {
      if (!RULE_IDS.includes(rule as RuleId))
        throw invalidInput(`${where}: severity: unknown rule "${rule}"; rules: ${RULE_IDS.join(', ')}`);
      next.severity[rule as RuleId] = severityOf(level, `${where}: severity.${rule}`);
    }
  }
  if ('revealing-words' in obj) {
    const words = obj['revealing-words'];
    if (Array.isArray(words)) next.revealingWords = stringList(words, `${where}: revealing-words`);
    else if (typeof words === 'object' && words !== null) {
      const { add, remove, ...rest } = words as Record<string, unknown>;
      if (Object.keys(rest).length > 0) throw invalidInput(`${where}: revealing-words takes a list, or add: and remove: lists`);
      const removed = new Set(stringList(remove, `${where}: revealing-words.remove`).map((w) => w.toLowerCase()));
      next.revealingWords = [
        ...base.revealingWords.filter((w) => !removed.has(w.toLowerCase())),
        ...stringList(add, `${where}: revealing-words.add`),
      ];
    } else throw invalidInput(`${where}: revealing-words takes a list, or add: and remove: lists`);
  }
  const long = next.revealingWords.find(
    (w) =>
      !w.trim().endsWith('*') &&
      w
        .trim()
        .split(/[\s_-]+/)
        .filter(Boolean).length > 3,
  );
  if (long) throw invalidInput(`${where}: revealing-words: "${long}" has more than 3 words; a phrase has at most 3`);
  if ('private-remotes' in obj)
    next.privateRemotes = [...base.privateRemotes, ...stringList(obj['private-remotes'], `${where}: private-remotes`)];
  if ('changelog-paths' in obj) next.changelogPaths = stringList(obj['changelog-paths'], `${where}: changelog-paths`);
  return next;
}
