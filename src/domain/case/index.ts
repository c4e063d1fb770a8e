export * from './types.js';
export * from './case-id.js';
export * from './codename.js';
export * from './create-case.js';
export * from './edit-case.js';
export * from './set-embargo.js';
export * from './release-plan.js';
export * as caseFields from './fields.js';
