import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { deriveTypes, typeOf } from '../../scripts/derive-types.js';

const read = (rel: string) => readFileSync(new URL(`../../${rel}`, import.meta.url), 'utf8');

describe('CRD-derived manifest types', () => {
  it('are up to date with the derived CRD schemas (run `node --import tsx scripts/derive-types.ts`)', () => {
    expect(deriveTypes((file) => JSON.parse(read(`schemas/crds/${file}`)))).toBe(read('src/charts/crd-types.ts'));
  });

  it('translate required and optional fields, enums, int-or-string, maps and references', () => {
    const ref = (r: string) => `Ref<${r}>`;
    expect(typeOf({ type: 'object', required: ['a'], properties: { a: { type: 'string' }, b: { type: 'integer' } }, additionalProperties: false }, ref)).toBe(
      '{\n  readonly a: string;\n  readonly b?: number;\n}',
    );
    expect(typeOf({ enum: ['TCP', 'UDP'] }, ref)).toBe('"TCP" | "UDP"');
    expect(typeOf({ 'x-kubernetes-int-or-string': true, anyOf: [{ type: 'integer' }, { type: 'string' }] }, ref)).toBe('number | string');
    expect(typeOf({ type: 'object', additionalProperties: { type: 'string' } }, ref)).toBe('{\n  readonly [key: string]: string;\n}');
    expect(typeOf({ type: 'array', items: { $ref: '#/$defs/x' } }, ref)).toBe('Array<Ref<#/$defs/x>>');
  });
});
