export * from './normalise.js';
export * from './render.js';
export * from './write.js';
