/**
 * The leak guard's rules over text: ids in any spelling, hashed case terms, revealing words; the
 * terms file; the reports. Pure: no I/O, no clock (times are passed in).
 */
export * from './config.js';
export * from './embargoed.js';
export * from './hash.js';
export * from './ids.js';
export * from './message.js';
export * from './remote.js';
export * from './report.js';
export * from './rules.js';
export * from './scanner.js';
export * from './terms.js';
export * from './terms-file.js';
export * from './text.js';
