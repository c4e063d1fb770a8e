/** Release lines from a project's tags: versions, supported lines, the patch plan and the ranges it implies. */
export * from './version.js';
export * from './plan.js';
export * from './verify.js';
