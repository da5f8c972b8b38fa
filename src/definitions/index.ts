export * from './source.js';
export * from './platform.js';
export * from './model.js';
export * from './rollout-policy.js';
