/** The mails of the checklist: kinds, templates, and the lint that blocks a bad one. Pure. */
export * from './types.js';
export * from './templates.js';
export * from './lint.js';
export { closestLookalike, editDistance, resemblance, skeleton, type KnownAddress } from './addresses.js';
export { sayInstant } from './wording.js';
export * from './record.js';
export { PLACEHOLDERS, PLACEHOLDER_NAMES, fillPlaceholders, isPlaceholderName, unknownPlaceholders } from './placeholders.js';
export * from './threading.js';
