export * from './bind.js';
export * from './checks.js';
export * from './condition.js';
export * from './detection.js';
export * from './budgets.js';
export * from './duration.js';
export * from './format.js';
export * from './rules.js';
