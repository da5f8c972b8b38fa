export * from './cost.js';
export * from './plan.js';
export * from './markdown.js';
