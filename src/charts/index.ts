export * from './meta.js';
export * from './inference-service.js';
export * from './serving-runtime.js';
export * from './platform.js';
export * from './argocd.js';
export * from './model.js';
export * from './http-route.js';
export * from './analysis.js';
