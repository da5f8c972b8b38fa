export * from './types.js';
export * from './resolve.js';
export * as names from './names.js';
export * from './sizing.js';
export * from './duration.js';
export * from './simulate.js';
export * from './serving.js';
