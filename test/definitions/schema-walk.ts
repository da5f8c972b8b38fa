/**
 * Walks the definition schemas (plain JSON Schema, as ajv sees them) and
 * lists every closed object and every field, with an instance path that
 * reaches it (a map's key is `a`, an array's index is 0).
 */
import { modelSchema, platformSchema, rolloutPolicySchema } from '../../src/validate/schemas.js';
import type { SchemaKind } from '../../src/validate/schema-check.js';

export type Schema = Record<string, unknown>;
export type Path = (string | number)[];

export const SCHEMAS: Record<SchemaKind, Schema> = { platform: platformSchema, model: modelSchema, 'rollout-policy': rolloutPolicySchema };

/** A key every map accepts (DNS label, feature name, tenant id, metric name). */
export const MAP_KEY = 'a';

export interface Found {
  readonly path: Path;
  readonly schema: Schema;
}

/** Every closed object of `schema`, outermost first. */
export function closedObjects(schema: Schema, path: Path = []): Found[] {
  const found: Found[] = [];
  if (isClosed(schema)) {
    found.push({ path, schema });
    for (const [key, child] of Object.entries(schema.properties as Record<string, Schema>)) found.push(...closedObjects(child, [...path, key]));
  } else if (schema.type === 'object' && typeof schema.additionalProperties === 'object') {
    found.push(...closedObjects(schema.additionalProperties as Schema, [...path, MAP_KEY]));
  } else if (schema.type === 'array' && typeof schema.items === 'object') {
    found.push(...closedObjects(schema.items as Schema, [...path, 0]));
  }
  return found;
}

/** Every subschema of `schema` (properties, map values, map keys, items, anyOf branches), with its path. */
export function allSchemas(schema: Schema, path: Path = []): Found[] {
  const found: Found[] = [{ path, schema }];
  const child = (s: unknown, p: Path) => {
    if (s && typeof s === 'object') found.push(...allSchemas(s as Schema, p));
  };
  for (const [key, s] of Object.entries((schema.properties ?? {}) as Record<string, Schema>)) child(s, [...path, key]);
  child(schema.additionalProperties, [...path, MAP_KEY]);
  child(schema.propertyNames, [...path, '(key)']);
  child(schema.items, [...path, 0]);
  for (const s of (schema.anyOf ?? []) as Schema[]) child(s, path);
  return found;
}

export function isClosed(schema: Schema): boolean {
  return schema.type === 'object' && schema.additionalProperties === false && typeof schema.properties === 'object';
}
