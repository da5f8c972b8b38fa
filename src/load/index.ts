export * from './definitions.js';
export * from './load.js';
export * from './locate.js';
