export * from './validate.js';
export * from './schema-check.js';
export * from './schemas.js';
