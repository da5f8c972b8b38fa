export * from './diagnostic.js';
export * from './format.js';
export * from './codes.js';
export * from './messages.js';
export { describeGated, describePlace, type GatedPlace, listFiles, num, type Place, quoted } from './text.js';
export type { Exported } from './catalogue/loading.js';
export type { KeyRule, PromqlText } from './catalogue/schema.js';
export type { UnknownName } from './catalogue/references.js';
export type { Resource, WarmPoolReason } from './catalogue/serving.js';
