export * from './events.js';
export * from './metrics.js';
export * from './retrospective.js';
export * from './timeline.js';
