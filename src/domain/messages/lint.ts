/**
 * The lint of a mail, with every rule (lint-rules.ts), the reporter's withheld ids and codename
 * included: what the server and the CLI run. The web app's live lint uses lint-rules.ts directly.
 */
import { findWithheld } from '../portal/withhold.js';
import { type LintInput, lintWith } from './lint-rules.js';
import type { Finding } from './types.js';

export * from './lint-rules.js';

export function lintMessage(input: LintInput): Finding[] {
  return lintWith(input, findWithheld);
}
