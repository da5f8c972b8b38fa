import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import type { Code, Diagnostic, FieldPath } from '../diagnostics/index.js';
import { diagnostic, formatPath, formatValue } from '../diagnostics/index.js';
import { modelSchema, platformSchema, rolloutPolicySchema } from './schemas.js';

export type SchemaKind = 'platform' | 'model' | 'rollout-policy';

let compiled: Record<SchemaKind, ValidateFunction> | undefined;

function validators(): Record<SchemaKind, ValidateFunction> {
  if (!compiled) {
    const ajv = new Ajv({ allErrors: true, strict: false });
    compiled = {
      platform: ajv.compile(platformSchema),
      model: ajv.compile(modelSchema),
      'rollout-policy': ajv.compile(rolloutPolicySchema),
    };
  }
  return compiled;
}

/**
 * Checks one definition against its schema. Values that are not plain data
 * (cycles, functions, NaN, Infinity) are reported first and stop the check,
 * since the schema cannot describe them.
 */
export function checkSchema(kind: SchemaKind, value: unknown, file: string): Diagnostic[] {
  const impure = checkPlainData(value, file);
  if (impure.length > 0) return impure;
  const validate = validators()[kind];
  if (validate(value)) return [];
  const errors = (validate.errors ?? []).filter((e) => !isNoise(e, validate.errors ?? []));
  return dedupe(errors.map((e) => toDiagnostic(e, value, file)));
}

/** ajv reports `anyOf`/`if` wrappers alongside the real errors; keep the real ones. */
function isNoise(error: ErrorObject, all: readonly ErrorObject[]): boolean {
  if (error.keyword === 'anyOf' || error.keyword === 'oneOf' || error.keyword === 'if') return true;
  // "property name is invalid" duplicates the pattern error on the name itself.
  return error.keyword === 'propertyNames' && all.some((e) => e.propertyName !== undefined);
}

function dedupe(diagnostics: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return diagnostics.filter((d) => {
    const key = `${d.code}|${formatPath(d.path)}|${d.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function pathOf(instancePath: string): (string | number)[] {
  if (!instancePath) return [];
  return instancePath
    .slice(1)
    .split('/')
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((p) => (/^\d+$/.test(p) ? Number(p) : p));
}

function valueAt(root: unknown, path: FieldPath): unknown {
  let current = root;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string | number, unknown>)[key];
  }
  return current;
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'number') return Number.isInteger(value) ? 'an integer' : 'a number';
  return `a ${typeof value}`;
}

function expected(error: ErrorObject): string | undefined {
  const hint = (error.parentSchema as Record<string, unknown> | undefined)?.['x-expected'];
  return typeof hint === 'string' ? hint : undefined;
}

function toDiagnostic(error: ErrorObject, root: unknown, file: string): Diagnostic {
  const base = pathOf(error.instancePath);
  const where = formatPath(base);
  const value = valueAt(root, base);
  const params = error.params as Record<string, unknown>;
  const make = (code: Code, path: FieldPath, message: string): Diagnostic => diagnostic(code, { file, path }, message);

  switch (error.keyword) {
    case 'additionalProperties': {
      const field = String(params.additionalProperty);
      const allowed = Object.keys(((error.parentSchema as Record<string, unknown>)?.properties ?? {}) as object);
      return make('MP2001', [...base, field], `unknown field '${field}' in ${where}: allowed fields are ${allowed.join(', ')}`);
    }
    case 'required': {
      const field = String(params.missingProperty);
      return make('MP2003', [...base, field], `${formatPath([...base, field])} is required but missing${base.length ? '' : ' from the definition'}`);
    }
    case 'type':
      return make('MP2002', base, `${where} is ${typeName(value)} (${formatValue(value)}): expected ${String(params.type)}`);
    case 'enum': {
      const allowed = (params.allowedValues as unknown[]).map((v) => formatValue(v)).join(', ');
      return make('MP2004', base, `${where} is ${formatValue(value)}: allowed values are ${allowed}`);
    }
    case 'const':
      return make('MP2004', base, `${where} is ${formatValue(value)}: expected ${formatValue(params.allowedValue)}`);
    case 'pattern':
    case 'format': {
      if (error.propertyName !== undefined) {
        const key = error.propertyName;
        return make('MP2004', [...base, key], `key ${formatValue(key)} in ${where} is not valid: expected ${expected(error) ?? `a name matching ${String(params.pattern)}`}`);
      }
      return make('MP2004', base, `${where} is ${formatValue(value)}: expected ${expected(error) ?? `a value matching ${String(params.pattern ?? params.format)}`}`);
    }
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return make('MP2004', base, `${where} is ${formatValue(value)}: must be ${String(params.comparison)} ${String(params.limit)}`);
    case 'minLength':
    case 'maxLength':
      return make('MP2004', base, `${where} is ${formatValue(value)} (${typeof value === 'string' ? value.length : '?'} characters): must have ${error.keyword === 'minLength' ? 'at least' : 'at most'} ${String(params.limit)} characters${expected(error) ? ` (${expected(error)})` : ''}`);
    case 'minItems':
    case 'maxItems':
      return make('MP2004', base, `${where} has ${Array.isArray(value) ? value.length : '?'} entries: must have ${error.keyword === 'minItems' ? 'at least' : 'at most'} ${String(params.limit)}`);
    case 'minProperties':
    case 'maxProperties':
      return make('MP2004', base, `${where} has ${value && typeof value === 'object' ? Object.keys(value).length : '?'} entries: must have ${error.keyword === 'minProperties' ? 'at least' : 'at most'} ${String(params.limit)}`);
    case 'propertyNames':
      return make('MP2004', base, `${where} has an invalid key: ${error.message ?? ''}`);
    default:
      return make('MP2004', base, `${where} ${error.message ?? 'is not valid'}`);
  }
}

/** Finds values that JSON cannot carry: cycles, functions, symbols, bigint, NaN, ±Infinity, class instances. */
export function checkPlainData(value: unknown, file: string): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const ancestors = new Set<object>();
  const visit = (current: unknown, path: (string | number)[]): void => {
    if (diagnostics.length >= 20) return;
    const report = (what: string): void => {
      diagnostics.push(diagnostic('MP1007', { file, path: [...path] }, `${formatPath(path)} is ${what}: definitions must be plain data (strings, finite numbers, booleans, arrays and objects)`));
    };
    if (typeof current === 'number') {
      if (!Number.isFinite(current)) report(String(current));
      return;
    }
    if (typeof current === 'function') return report('a function');
    if (typeof current === 'symbol' || typeof current === 'bigint') return report(`a ${typeof current}`);
    if (current === null || typeof current !== 'object') return;
    if (ancestors.has(current)) return report('a circular reference');
    const proto = Object.getPrototypeOf(current);
    if (!Array.isArray(current) && proto !== Object.prototype && proto !== null) return report(`an instance of ${proto?.constructor?.name ?? 'a class'}`);
    ancestors.add(current);
    if (Array.isArray(current)) current.forEach((item, i) => visit(item, [...path, i]));
    else for (const key of Object.keys(current)) visit((current as Record<string, unknown>)[key], [...path, key]);
    ancestors.delete(current);
  };
  visit(value, []);
  return diagnostics;
}
