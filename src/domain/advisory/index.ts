export * from './types.js';
export * from './diff.js';
export * from './report.js';
export * from './sync.js';
export * from './credits.js';
