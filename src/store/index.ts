/** The store layer: open a database, then use the repository functions with `store.db` or a write transaction. */
export * from './schema.js';
export * from './store.js';
export { migrateToLatest, migrationNames } from './migrate.js';
export * from './users.js';
export * from './sessions.js';
export * from './tokens.js';
export * from './cases.js';
export * from './access.js';
export * from './settings.js';
export * from './events.js';
export * from './guard-terms.js';
export * from './outbox.js';
