export * from './edit-deployment.js';
export * from './locate.js';
export * from './merge-deployment.js';
