export * from './effective.js';
export * from './project.js';
export * from './schema.js';
export * from './settings.js';
