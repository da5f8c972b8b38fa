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
import { Type, type Static, type TObject, type TReadonly, type TSchema, type TUnsafe } from '@sinclair/typebox';

export type { Static, TSchema };

/** Schema keywords the builders accept besides `description` (plain JSON Schema). */
export type Keywords = Record<string, unknown>;

type ReadonlyProperties<P extends Record<string, TSchema>> = { [K in keyof P]: TReadonly<P[K]> };

/** A closed object: every property read-only, unknown properties refused. */
export function closed<P extends Record<string, TSchema>>(description: string, properties: P): TObject<ReadonlyProperties<P>> {
  const readonly = Object.fromEntries(Object.entries(properties).map(([key, schema]) => [key, Type.Readonly(schema)]));
  return Type.Object(readonly, { additionalProperties: false, description }) as unknown as TObject<ReadonlyProperties<P>>;
}

/** An optional property (its description must say the default). */
export const optional = Type.Optional;

/** A map from keys (DNS labels unless `keys` says otherwise) to values. */
export function map<V extends TSchema>(description: string, values: V, options: { keys?: Keywords; minProperties?: number } = {}): TUnsafe<Readonly<Record<string, Static<V>>>> {
  return Type.Unsafe<Readonly<Record<string, Static<V>>>>({
    type: 'object',
    description,
    propertyNames: options.keys ?? DNS_LABEL_KEYWORDS,
    additionalProperties: values,
    ...(options.minProperties === undefined ? {} : { minProperties: options.minProperties }),
  });
}

/** A read-only array. */
export function list<I extends TSchema>(description: string, items: I, keywords: Keywords = {}): TUnsafe<readonly Static<I>[]> {
  return Type.Unsafe<readonly Static<I>[]>({ ...Type.Array(items, keywords), description });
}

/** One of a few strings (a JSON Schema `enum`: one diagnostic listing them all when none matches). */
export function oneOf<const V extends readonly string[]>(description: string, values: V): TUnsafe<V[number]> {
  return Type.Unsafe<V[number]>({ enum: [...values], description });
}

/**
 * The schema `schema` typed as the named interface `T` (declared as
 * `interface T extends Static<typeof schema> {}`), so that types built from it
 * and editor messages name `T` instead of spelling out its fields.
 */
export function named<T>(schema: TSchema): TUnsafe<T> {
  return Type.Unsafe<T>(schema);
}

/** `schema` with another description (a shared schema documented where it is used). */
export function described<S extends TSchema>(description: string, schema: S): S {
  return { ...schema, description };
}

export const string = (description: string, keywords: Keywords = {}) => Type.String({ ...keywords, description });
/** Free text of at most 1024 characters unless `keywords` say otherwise. */
export const text = (description: string, keywords: Keywords = {}) => Type.String({ maxLength: 1024, ...keywords, description });
/** A non-empty name of at most 253 characters. */
export const name = (description: string) => Type.String({ minLength: 1, maxLength: 253, description });
/** A string that must match `pattern`; `expected` says in words what matches. */
export const matching = (description: string, pattern: string, expected: string, keywords: Keywords = {}) =>
  Type.String({ pattern, ...keywords, 'x-expected': expected, description });
export const boolean = (description: string) => Type.Boolean({ description });
export const number = (description: string, keywords: Keywords = {}) => Type.Number({ ...keywords, description });
export const integer = (description: string, keywords: Keywords = {}) => Type.Integer({ ...keywords, description });
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
export const dnsLabel = (description: string, keywords: Keywords = {}) => Type.String({ ...DNS_LABEL_KEYWORDS, ...keywords, description });
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
