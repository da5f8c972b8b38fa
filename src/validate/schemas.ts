/**
 * JSON Schemas of the three definition kinds. They are declared once, with
 * their TypeScript types, in src/definitions/ (TypeBox); this module only
 * names them for the validator. `x-expected` says, in words, what a pattern
 * accepts; it is shown in diagnostics.
 */
import { condition, dnsLabel, duration } from '../definitions/builders.js';
import { ModelSchema, PlatformSchema, RolloutPolicySchema } from '../definitions/index.js';

type Schema = Record<string, unknown>;

export const platformSchema: Schema = PlatformSchema;
export const modelSchema: Schema = ModelSchema;
export const rolloutPolicySchema: Schema = RolloutPolicySchema;

export const DNS_LABEL: Schema = dnsLabel('A lower-case DNS-1035 label.');
export const DURATION: Schema = duration('A duration.');
export const CONDITION: Schema = condition('A comparison with a number.');
