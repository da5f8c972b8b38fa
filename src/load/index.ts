export * from './definitions.js';
export * from './load.js';
export { locateDiagnostics } from '../source/locate.js';
