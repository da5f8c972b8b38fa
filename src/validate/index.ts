export * from './validate.js';
export * from './schema-check.js';
export * from './schemas.js';
export { checkRetirements } from './gates-retire.js';
