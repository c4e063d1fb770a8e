/** Who knows about a case: distributors list members, the who-knows register, leaks, answers on the date. Pure. */
export * from './types.js';
export * from './validate.js';
export * from './membership.js';
export * from './register.js';
export * from './acks.js';
export * from './leaks.js';
export * from './events.js';
