/** The guard's rules: what each one catches, how severe it is unless configured otherwise. */

export type RuleId = 'embargoed-id' | 'unknown-id' | 'case-id' | 'unknown-case-id' | 'case-term' | 'revealing-word';
export type Level = 'error' | 'warning';
export type RuleSeverity = Level | 'off';

export interface RuleInfo {
  id: RuleId;
  name: string;
  defaultSeverity: Level;
  summary: string;
  help: string;
}

export const RULES: readonly RuleInfo[] = [
  {
    id: 'embargoed-id',
    name: 'EmbargoedAdvisoryId',
    defaultSeverity: 'error',
    summary: 'A CVE or GHSA id of a case that is still under embargo.',
    help: 'The id belongs to a case that is not published yet. Remove it from the commit message, branch name, pull request text or changelog until the advisory is public.',
  },
  {
    id: 'unknown-id',
    name: 'UnknownAdvisoryId',
    defaultSeverity: 'error',
    summary: 'A CVE or GHSA id that is not known to be public.',
    help: "Embargo cannot tell whether this id is public. If it is (for example a dependency's CVE), list it under public-ids in .embargo-guard.yml or pass --public-ids FILE; otherwise remove it until the advisory is published.",
  },
  {
    id: 'case-id',
    name: 'EmbargoedCaseId',
    defaultSeverity: 'error',
    summary: 'The Embargo case id of a case that is still under embargo.',
    help: 'Case ids (EMB-YYYY-NNNN) say that a security case exists. Keep them out of public text until the case is published.',
  },
  {
    id: 'unknown-case-id',
    name: 'CaseId',
    defaultSeverity: 'warning',
    summary: 'An Embargo case id of a case that is not embargoed now (or not known to this guard).',
    help: 'The case is not in the embargoed list the guard has: it may be published already, or the terms are out of date (fetch them again).',
  },
  {
    id: 'case-term',
    name: 'EmbargoedCaseTerm',
    defaultSeverity: 'error',
    summary: 'A term of an embargoed case: its codename or a word the team marked as revealing.',
    help: 'The text contains a word or phrase that the security team marked as giving an embargoed case away (a codename, a function name, a config key). The guard only knows it by its salted hash. Reword the text.',
  },
  {
    id: 'revealing-word',
    name: 'RevealingWord',
    defaultSeverity: 'warning',
    summary: 'A word that hints at a security fix ("vulnerability", "exploit", "RCE", …).',
    help: 'Pithy messages give nothing away: describe what the change does, not that it fixes a vulnerability. Configure the list under revealing-words in .embargo-guard.yml.',
  },
];

export const RULE_IDS: readonly RuleId[] = RULES.map((r) => r.id);

export const ruleInfo = (id: RuleId): RuleInfo => RULES.find((r) => r.id === id)!;
