import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import type { Code, Diagnostic, FieldPath } from '../diagnostics/index.js';
import { diagnostic, formatPath, formatValue } from '../diagnostics/index.js';
import { modelSchema, platformSchema, rolloutPolicySchema } from './schemas.js';

export type SchemaKind = 'platform' | 'model' | 'rollout-policy';

let compiled: Record<SchemaKind, ValidateFunction> | undefined;

function validators(): Record<SchemaKind, ValidateFunction> {
  if (!compiled) {
    // verbose: errors carry their schema (`parentSchema`), which names the allowed fields and the written hints.
    const ajv = new Ajv({ allErrors: true, strict: false, verbose: true });
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
  return dedupe(firstPerKey(errors).map((e) => toDiagnostic(e, value, file, kind)));
}

/** A key that fails several rules (each branch of an `anyOf`) gets one diagnostic: the first rule's, which carries the hint. */
function firstPerKey(errors: readonly ErrorObject[]): ErrorObject[] {
  const seen = new Set<string>();
  return errors.filter((e) => {
    if (e.propertyName === undefined) return true;
    const key = `${e.instancePath}\u0000${e.propertyName}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
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

/** What the failing schema accepts, in words: its `x-expected`, else its description. */
function expected(error: ErrorObject): string | undefined {
  const schema = error.parentSchema as Record<string, unknown> | undefined;
  const hint = schema?.['x-expected'];
  if (typeof hint === 'string') return hint;
  const description = schema?.description;
  return typeof description === 'string' ? `${description.replace(/\.$/, '').replace(/^./, (c) => c.toLowerCase())}` : undefined;
}

/** ` (did you mean 'x'?)` when a candidate is close to `value` (case, a typo or two), else ''. */
function suggestion(value: string, candidates: readonly string[], format: (candidate: string) => string): string {
  const near = nearest(value, candidates);
  return near === undefined ? '' : ` (did you mean ${format(near)}?)`;
}

const quoted = (field: string): string => `'${field}'`;

/**
 * The candidate closest to `value` by edit distance (insertions, deletions,
 * substitutions and swaps of neighbours, ignoring case), if it is close enough
 * to be a typo: at most 1 edit for names up to 4 characters, 2 up to 8, 3 beyond.
 */
export function nearest(value: string, candidates: readonly string[]): string | undefined {
  const limit = value.length <= 4 ? 1 : value.length <= 8 ? 2 : 3;
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const d = editDistance(value.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance && d <= limit && d < candidate.length) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

/** Optimal string alignment distance (Levenshtein plus transpositions of neighbours). */
function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

function toDiagnostic(error: ErrorObject, root: unknown, file: string, kind: SchemaKind): Diagnostic {
  const base = pathOf(error.instancePath);
  const where = formatPath(base);
  const value = valueAt(root, base);
  const params = error.params as Record<string, unknown>;
  const make = (code: Code, path: FieldPath, message: string): Diagnostic => diagnostic(code, { file, path }, message);

  if (error.propertyName !== undefined && error.keyword !== 'propertyNames') {
    // A rule on the keys of a map (`propertyNames`): the key itself is the mistake.
    const key = error.propertyName;
    return make('MP2004', [...base, key], `key ${formatValue(key)} in ${where} is not valid: expected ${keyRule(error)}`);
  }

  switch (error.keyword) {
    case 'additionalProperties': {
      const field = String(params.additionalProperty);
      const allowed = Object.keys(((error.parentSchema as Record<string, unknown> | undefined)?.properties ?? {}) as object);
      const inWhere = base.length ? `in ${where}` : `at the top level of the ${kind === 'rollout-policy' ? 'rollout policy' : kind}`;
      return make('MP2001', [...base, field], `unknown field '${field}' ${inWhere}${suggestion(field, allowed, quoted)}: allowed fields are ${allowed.join(', ')}`);
    }
    case 'required': {
      const field = String(params.missingProperty);
      return make('MP2003', [...base, field], `${formatPath([...base, field])} is required but missing${base.length ? '' : ' from the definition'}`);
    }
    case 'type':
      return make('MP2002', base, `${where} is ${typeName(value)} (${formatValue(value)}): expected ${Array.isArray(params.type) ? params.type.join(' or ') : String(params.type)}`);
    case 'enum': {
      const values = params.allowedValues as unknown[];
      const allowed = values.map((v) => formatValue(v)).join(', ');
      const hint = typeof value === 'string' ? suggestion(value, values.filter((v): v is string => typeof v === 'string'), formatValue) : '';
      return make('MP2004', base, `${where} is ${formatValue(value)}${hint}: allowed values are ${allowed}`);
    }
    case 'const':
      return make('MP2004', base, `${where} is ${formatValue(value)}: expected ${formatValue(params.allowedValue)}`);
    case 'pattern':
    case 'format': {
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

/** What a key must be, for a rule on the keys of a map. */
function keyRule(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>;
  const hint = expected(error);
  switch (error.keyword) {
    case 'const':
      return formatValue(params.allowedValue);
    case 'enum':
      return `one of ${(params.allowedValues as unknown[]).map((v) => formatValue(v)).join(', ')}`;
    case 'minLength':
      return `at least ${String(params.limit)} characters${hint ? ` (${hint})` : ''}`;
    case 'maxLength':
      return `at most ${String(params.limit)} characters${hint ? ` (${hint})` : ''}`;
    default:
      return hint ?? `a name matching ${String(params.pattern ?? error.message)}`;
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
