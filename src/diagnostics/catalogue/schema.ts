/** MP2xxx: definitions against their schema (src/validate/schema-check.ts, promql-syntax.ts). */
import type { Entries } from '../entry.js';
import { type FieldPath, formatPath, formatValue } from '../text.js';

/** What the key of a map must be (a schema rule on `propertyNames`). */
export type KeyRule =
  | { readonly kind: 'const'; readonly value: unknown }
  | { readonly kind: 'enum'; readonly values: readonly unknown[] }
  | { readonly kind: 'length'; readonly bound: 'at least' | 'at most'; readonly limit: number; readonly hint?: string }
  /** `hint`: the schema's words for the rule (`x-expected`, else its description). */
  | { readonly kind: 'pattern'; readonly pattern: string; readonly hint?: string };

const keyRule = (rule: KeyRule): string => {
  switch (rule.kind) {
    case 'const':
      return formatValue(rule.value);
    case 'enum':
      return `one of ${rule.values.map((v) => formatValue(v)).join(', ')}`;
    case 'length':
      return `${rule.bound} ${rule.limit} characters${rule.hint ? ` (${rule.hint})` : ''}`;
    case 'pattern':
      return rule.hint ?? `a name matching ${rule.pattern}`;
  }
};

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'number') return Number.isInteger(value) ? 'an integer' : 'a number';
  return `a ${typeof value}`;
}

/** The field and the value written there. */
interface Written {
  readonly path: FieldPath;
  readonly value: unknown;
}

/** What a PromQL text is: a check's query, or a fragment of the platform's metric sources. */
export type PromqlText = { readonly check: string } | { readonly fragment: 'a metric name' | 'label matchers' };

export const SCHEMA = {
  MP2001: {
    severity: 'error',
    meaning: 'unknown field',
    messages: {
      /** `in`: the object the field is in (empty: the top level of the `kind` definition); `suggestion`: an allowed field close to it. */
      default: (a: { readonly field: string; readonly in: FieldPath; readonly kind: 'platform' | 'model' | 'rollout policy'; readonly allowed: readonly string[]; readonly suggestion?: string }) =>
        `unknown field '${a.field}' ${a.in.length ? `in ${formatPath(a.in)}` : `at the top level of the ${a.kind}`}${a.suggestion === undefined ? '' : ` (did you mean '${a.suggestion}'?)`}: allowed fields are ${a.allowed.join(', ')}`,
    },
  },
  MP2002: {
    severity: 'error',
    meaning: 'wrong type',
    messages: {
      default: ({ path, value, expected }: Written & { readonly expected: readonly string[] }) =>
        `${formatPath(path)} is ${typeName(value)} (${formatValue(value)}): expected ${expected.join(' or ')}`,
    },
  },
  MP2003: {
    severity: 'error',
    meaning: 'missing required field',
    messages: {
      default: ({ path }: { readonly path: FieldPath }) => `${formatPath(path)} is required but missing${path.length === 1 ? ' from the definition' : ''}`,
      gpuPool: ({ pool }: { readonly pool: string }) => `nodePools.${pool}.gpu is required for a pool of kind 'gpu': give { model, memoryGiB, perNode }`,
    },
  },
  MP2004: {
    severity: 'error',
    meaning: 'value not allowed (enum, pattern, range, length)',
    messages: {
      /** A rule the other messages do not cover, in ajv's words (`must be multiple of 2`). */
      default: ({ path, ajv }: { readonly path: FieldPath; readonly ajv?: string }) => `${formatPath(path)} ${ajv ?? 'is not valid'}`,
      key: ({ in: where, key, rule }: { readonly in: FieldPath; readonly key: string; readonly rule: KeyRule }) =>
        `key ${formatValue(key)} in ${formatPath(where)} is not valid: expected ${keyRule(rule)}`,
      /** A key rule ajv reports without the key, in ajv's words. */
      invalidKey: ({ path, ajv }: { readonly path: FieldPath; readonly ajv: string }) => `${formatPath(path)} has an invalid key: ${ajv}`,
      enum: ({ path, value, allowed, suggestion }: Written & { readonly allowed: readonly unknown[]; readonly suggestion?: string }) =>
        `${formatPath(path)} is ${formatValue(value)}${suggestion === undefined ? '' : ` (did you mean ${formatValue(suggestion)}?)`}: allowed values are ${allowed.map((v) => formatValue(v)).join(', ')}`,
      const: ({ path, value, expected }: Written & { readonly expected: unknown }) => `${formatPath(path)} is ${formatValue(value)}: expected ${formatValue(expected)}`,
      /** `hint`: the schema's words for the pattern or format (`x-expected`, else its description). */
      pattern: ({ path, value, pattern, hint }: Written & { readonly pattern: string; readonly hint?: string }) =>
        `${formatPath(path)} is ${formatValue(value)}: expected ${hint ?? `a value matching ${pattern}`}`,
      range: ({ path, value, comparison, limit }: Written & { readonly comparison: string; readonly limit: number }) =>
        `${formatPath(path)} is ${formatValue(value)}: must be ${comparison} ${limit}`,
      length: ({ path, value, bound, limit, hint }: Written & { readonly bound: 'at least' | 'at most'; readonly limit: number; readonly hint?: string }) =>
        `${formatPath(path)} is ${formatValue(value)} (${typeof value === 'string' ? value.length : '?'} characters): must have ${bound} ${limit} characters${hint ? ` (${hint})` : ''}`,
      /** Items of an array or entries of an object; `count` undefined when the value is neither. */
      entries: ({ path, count, bound, limit }: { readonly path: FieldPath; readonly count?: number; readonly bound: 'at least' | 'at most'; readonly limit: number }) =>
        `${formatPath(path)} has ${count === undefined ? '?' : count} entries: must have ${bound} ${limit}`,
      cpuPoolGpu: ({ pool }: { readonly pool: string }) => `nodePools.${pool} is of kind 'cpu' but declares gpu: set kind 'gpu' or remove gpu`,
    },
  },
  MP2005: {
    severity: 'error',
    meaning: 'a quality query or metric source is not valid PromQL',
    messages: {
      /** `offset`: where the parser failed (0-based); `found`: the text there, empty when the text ends too early. */
      default: ({ path, of, text, offset, found }: { readonly path: FieldPath; readonly of: PromqlText; readonly text: string; readonly offset: number; readonly found: string }) =>
        `${formatPath(path)} ${'check' in of ? `of check '${of.check}'` : `(${of.fragment})`} is not valid PromQL (${found === '' ? 'it ends too early' : `unexpected ${JSON.stringify(found)} at character ${offset + 1}`}): ${JSON.stringify(text)}; check brackets, quotes and operators (Prometheus would reject it when the analysis runs)`,
    },
  },
} as const satisfies Entries;
