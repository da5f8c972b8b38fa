export * from './client.js';
export * from './pull-request.js';
export * from './comment.js';
