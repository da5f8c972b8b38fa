export * from './edit-deployment.js';
export * from './locate.js';
