export * from './diagnostic.js';
export * from './format.js';
export * from './codes.js';
export * from './messages.js';
