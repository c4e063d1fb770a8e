/** The playbook module: types, parsing, gate evaluation and step commands. */
export * from './types.js';
export { PLAYBOOK_SCHEMA, KEBAB_CASE } from './schema.js';
export { parsePlaybook } from './parse.js';
export {
  confirmationsOf,
  findStep,
  isFieldSet,
  isSettled,
  nextMessageKind,
  stepLabel,
  unmetConditions,
} from './gates.js';
export {
  MAX_REASON_LENGTH,
  completeStep,
  deriveStatus,
  playbookSummary,
  reopenStep,
  skipStep,
  stepViews,
} from './engine.js';
export { mailWentAt, type PolicyBreach, type PolicyRule, policyBreaches, WEEKDAYS, type Weekday } from './policies.js';
