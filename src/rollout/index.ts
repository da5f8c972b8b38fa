export * from './change.js';
export * from './decide.js';
export * from './plans.js';
export * from './transaction.js';
export * from './clock.js';
