export * from './definitions.js';
export * from './load.js';
export * from './live.js';
export { locateDiagnostics } from '../source/locate.js';
