/**
 * Every diagnostic code, in one table. Codes are stable: a code is never reused
 * for a different problem. README's table of codes is checked against this one.
 */
export const CODES = {
  // MP1xxx: loading
  MP1001: 'a definition file failed to import (syntax error, throws, bad import)',
  MP1002: 'a definition file has no default export, or exports the wrong kind of definition',
  MP1003: 'policies/platform.ts is missing',
  MP1004: 'two model files declare the same model id',
  MP1005: 'two policy files declare the same policy name',
  MP1006: 'a model file is not named after its model id',
  MP1007: 'a definition contains a value that is not plain data (circular reference, function, NaN or Infinity)',
  // MP2xxx: definition schema
  MP2001: 'unknown field',
  MP2002: 'wrong type',
  MP2003: 'missing required field',
  MP2004: 'value not allowed (enum, pattern, range, length)',
  // MP3xxx: references
  MP3001: 'unknown owner team',
  MP3002: 'unknown tier',
  MP3003: 'unknown node pool',
  MP3004: 'unknown environment',
  MP3005: 'unknown rollout policy',
  MP3006: 'unknown version',
  MP3007: 'no serving runtime serves the version format',
  MP3008: 'unknown serving runtime, or a runtime that does not serve the format',
  MP3009: 'duplicate version in a model',
  MP3010: 'canary step out of range of its policy',
  MP3011: 'a canary or previous version is also the stable version',
  MP3012: 'rollout policy weights do not strictly increase',
  MP3013: 'a quality check name is used twice or clashes with a built-in check',
  MP3014: 'too many tenants or pinned versions for one HTTPRoute',
  // MP4xxx: names
  MP4001: 'a derived Kubernetes name is not a valid DNS-1035 label of at most 63 characters',
  MP4002: 'a version is not a semantic version',
} as const satisfies Record<string, string>;

export type Code = keyof typeof CODES;
