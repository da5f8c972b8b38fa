// Public authoring API: what models/*.ts and policies/*.ts import.
export { definePlatform, defineModel, defineRolloutPolicy } from './definitions/index.js';
export type * from './definitions/index.js';
