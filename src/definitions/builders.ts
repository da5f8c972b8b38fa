/**
 * Small builders over TypeBox for the definition schemas. Each definition kind
 * is declared once with them: the JSON Schema given to ajv and the TypeScript
 * type (`Static<typeof X>`) come from the same object, so they cannot drift.
 *
 * Conventions, checked by test/definitions/schema-type.test.ts:
 *   - every field has a `description`; an optional field's description ends
 *     with its default (`Default: 30.` or `Default: none (...)`);
 *   - every `pattern` has an `x-expected`: what the pattern accepts, in words,
 *     which diagnostics show instead of the regular expression;
 *   - objects are closed (`additionalProperties: false`): unknown fields are errors.
 */
import type { Static, TBoolean, TInteger, TNumber, TObject, TOptional, TReadonly, TSchema, TString, TUnsafe } from '@sinclair/typebox';

export type { Static, TSchema };

// The schemas are built here, not by TypeBox's `Type.*` at run time: TypeBox's
// ESM build is 266 modules, which cost 0.7 s to load under tsx in every process
// that imports a definition. TypeBox gives the static types (`Static`, `TObject`
// ...); these builders produce the same JSON Schema and mark it with TypeBox's
// own symbols, so TypeBox would read the objects as its own.
const KIND = Symbol.for('TypeBox.Kind');
const OPTIONAL = Symbol.for('TypeBox.Optional');
const READONLY = Symbol.for('TypeBox.Readonly');

/** Schema keywords the builders accept besides `description` (plain JSON Schema). */
export type Keywords = Record<string, unknown>;

function schema<T extends TSchema>(kind: string, keywords: Keywords): T {
  return { ...keywords, [KIND]: kind } as unknown as T;
}

type ReadonlyProperties<P extends Record<string, TSchema>> = { [K in keyof P]: TReadonly<P[K]> };

/** A closed object: every property read-only, unknown properties refused. */
export function closed<P extends Record<string, TSchema>>(description: string, properties: P): TObject<ReadonlyProperties<P>> {
  const entries = Object.entries(properties);
  const required = entries.filter(([, s]) => !(OPTIONAL in s)).map(([key]) => key);
  return schema('Object', {
    additionalProperties: false,
    description,
    type: 'object',
    properties: Object.fromEntries(entries.map(([key, s]) => [key, { ...s, [READONLY]: 'Readonly' }])),
    ...(required.length > 0 ? { required } : {}),
  });
}

/** An optional property (its description must say the default). */
export function optional<S extends TSchema>(property: S): TOptional<S> {
  return { ...property, [OPTIONAL]: 'Optional' } as TOptional<S>;
}

/** A map from keys (DNS labels unless `keys` says otherwise) to values. */
export function map<V extends TSchema>(description: string, values: V, options: { keys?: Keywords; minProperties?: number } = {}): TUnsafe<Readonly<Record<string, Static<V>>>> {
  return schema('Unsafe', {
    type: 'object',
    description,
    propertyNames: options.keys ?? DNS_LABEL_KEYWORDS,
    additionalProperties: values,
    ...(options.minProperties === undefined ? {} : { minProperties: options.minProperties }),
  });
}

/** A read-only array. */
export function list<I extends TSchema>(description: string, items: I, keywords: Keywords = {}): TUnsafe<readonly Static<I>[]> {
  return schema('Unsafe', { ...keywords, type: 'array', items, description });
}

/** One of a few strings (a JSON Schema `enum`: one diagnostic listing them all when none matches). */
export function oneOf<const V extends readonly string[]>(description: string, values: V): TUnsafe<V[number]> {
  return schema('Unsafe', { enum: [...values], description });
}

/**
 * The schema `schema` typed as the named interface `T` (declared as
 * `interface T extends Static<typeof schema> {}`), so that types built from it
 * and editor messages name `T` instead of spelling out its fields.
 */
export function named<T>(object: TSchema): TUnsafe<T> {
  return object as unknown as TUnsafe<T>;
}

/** `schema` with another description (a shared schema documented where it is used). */
export function described<S extends TSchema>(description: string, schema: S): S {
  return { ...schema, description };
}

export const string = (description: string, keywords: Keywords = {}) => schema<TString>('String', { ...keywords, type: 'string', description });
/** Free text of at most 1024 characters unless `keywords` say otherwise. */
export const text = (description: string, keywords: Keywords = {}) => string(description, { maxLength: 1024, ...keywords });
/** A non-empty name of at most 253 characters. */
export const name = (description: string) => string(description, { minLength: 1, maxLength: 253 });
/** A string that must match `pattern`; `expected` says in words what matches. */
export const matching = (description: string, pattern: string, expected: string, keywords: Keywords = {}) =>
  string(description, { pattern, ...keywords, 'x-expected': expected });
export const boolean = (description: string) => schema<TBoolean>('Boolean', { type: 'boolean', description });
export const number = (description: string, keywords: Keywords = {}) => schema<TNumber>('Number', { ...keywords, type: 'number', description });
export const integer = (description: string, keywords: Keywords = {}) => schema<TInteger>('Integer', { ...keywords, type: 'integer', description });
export const positive = (description: string) => number(description, { exclusiveMinimum: 0, maximum: 1e9 });
export const nonNegative = (description: string) => number(description, { minimum: 0, maximum: 1e9 });
export const count = (description: string) => integer(description, { minimum: 0, maximum: 100000 });
export const positiveCount = (description: string) => integer(description, { minimum: 1, maximum: 100000 });

const DNS_LABEL_KEYWORDS: Keywords = {
  type: 'string',
  pattern: '^[a-z]([-a-z0-9]*[a-z0-9])?$',
  maxLength: 63,
  'x-expected': 'a lower-case DNS-1035 label (a-z, 0-9 and "-", starting with a letter, not ending with "-")',
};
export const dnsLabel = (description: string, keywords: Keywords = {}) => string(description, { ...DNS_LABEL_KEYWORDS, ...keywords });
export const duration = (description: string) => matching(description, '^[1-9][0-9]{0,5}(s|m|h|d)$', 'a duration such as "30s", "10m", "2h" or "1d"');
export const sha256 = (description: string) => matching(description, '^[a-f0-9]{64}$', '64 lower-case hex characters');
export const semver = (description: string) =>
  matching(
    description,
    '^(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)(-[0-9A-Za-z-]+(\\.[0-9A-Za-z-]+)*)?$',
    'a semantic version such as "4.2.0" or "4.2.0-rc.1" (no build metadata)',
    { maxLength: 40 },
  );
export const date = (description: string) =>
  matching(
    description,
    '^\\d{4}-\\d{2}-\\d{2}(T\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?(Z|[+-]\\d{2}:\\d{2}))?$',
    'an ISO 8601 date or date-time such as "2026-10-01" or "2026-10-01T12:00:00Z"',
  );
export const condition = (description: string) =>
  matching(description, '^(>=|<=|>|<|==)\\s*-?\\d+(\\.\\d+)?([eE]-?\\d+)?$', 'a comparison such as ">= 0.90" or "<= 40"');
export const githubHandle = (description: string, example: string) =>
  matching(description, '^@[A-Za-z0-9-]+(/[A-Za-z0-9._-]+)?$', `a GitHub handle such as "${example}"`);
export const sinkUrl = (description: string) =>
  matching(description, '^[a-z][a-z0-9+.-]*://\\S+$', 'a URL such as "https://logs.acme.internal/ingest"', { maxLength: 2048 });
