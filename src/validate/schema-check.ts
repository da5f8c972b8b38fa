import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import type { Diagnostic, FieldPath, KeyRule } from '../diagnostics/index.js';
import { diagnostic, formatPath } from '../diagnostics/index.js';
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

/** What the failing schema accepts, in words: its `x-expected`, else its description. */
function expected(error: ErrorObject): string | undefined {
  const schema = error.parentSchema as Record<string, unknown> | undefined;
  const hint = schema?.['x-expected'];
  if (typeof hint === 'string') return hint;
  const description = schema?.description;
  return typeof description === 'string' ? `${description.replace(/\.$/, '').replace(/^./, (c) => c.toLowerCase())}` : undefined;
}

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
  const value = valueAt(root, base);
  const params = error.params as Record<string, unknown>;
  const at = (path: FieldPath) => ({ file, path });
  const limit = Number(params.limit);
  const bound = /^min/.test(error.keyword) ? 'at least' : 'at most';

  if (error.propertyName !== undefined && error.keyword !== 'propertyNames') {
    // A rule on the keys of a map (`propertyNames`): the key itself is the mistake.
    const key = error.propertyName;
    return diagnostic('MP2004', at([...base, key]), { messageId: 'key', in: base, key, rule: keyRule(error) });
  }

  switch (error.keyword) {
    case 'additionalProperties': {
      const field = String(params.additionalProperty);
      const allowed = Object.keys(((error.parentSchema as Record<string, unknown> | undefined)?.properties ?? {}) as object);
      return diagnostic('MP2001', at([...base, field]), { field, in: base, kind: kind === 'rollout-policy' ? 'rollout policy' : kind, allowed, suggestion: nearest(field, allowed) });
    }
    case 'required':
      return diagnostic('MP2003', at([...base, String(params.missingProperty)]), { path: [...base, String(params.missingProperty)] });
    case 'type':
      return diagnostic('MP2002', at(base), { path: base, value, expected: Array.isArray(params.type) ? params.type.map(String) : [String(params.type)] });
    case 'enum': {
      const values = params.allowedValues as unknown[];
      const suggestion = typeof value === 'string' ? nearest(value, values.filter((v): v is string => typeof v === 'string')) : undefined;
      return diagnostic('MP2004', at(base), { messageId: 'enum', path: base, value, allowed: values, suggestion });
    }
    case 'const':
      return diagnostic('MP2004', at(base), { messageId: 'const', path: base, value, expected: params.allowedValue });
    case 'pattern':
    case 'format':
      return diagnostic('MP2004', at(base), { messageId: 'pattern', path: base, value, pattern: String(params.pattern ?? params.format), hint: expected(error) });
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return diagnostic('MP2004', at(base), { messageId: 'range', path: base, value, comparison: String(params.comparison), limit });
    case 'minLength':
    case 'maxLength':
      return diagnostic('MP2004', at(base), { messageId: 'length', path: base, value, bound, limit, hint: expected(error) });
    case 'minItems':
    case 'maxItems':
      return diagnostic('MP2004', at(base), { messageId: 'entries', path: base, count: Array.isArray(value) ? value.length : undefined, bound, limit });
    case 'minProperties':
    case 'maxProperties':
      return diagnostic('MP2004', at(base), { messageId: 'entries', path: base, count: value && typeof value === 'object' ? Object.keys(value).length : undefined, bound, limit });
    case 'propertyNames':
      return diagnostic('MP2004', at(base), { messageId: 'invalidKey', path: base, ajv: error.message ?? '' });
    default:
      return diagnostic('MP2004', at(base), { path: base, ajv: error.message });
  }
}

/** What a key must be, for a rule on the keys of a map. */
function keyRule(error: ErrorObject): KeyRule {
  const params = error.params as Record<string, unknown>;
  const hint = expected(error);
  switch (error.keyword) {
    case 'const':
      return { kind: 'const', value: params.allowedValue };
    case 'enum':
      return { kind: 'enum', values: params.allowedValues as unknown[] };
    case 'minLength':
      return { kind: 'length', bound: 'at least', limit: Number(params.limit), hint };
    case 'maxLength':
      return { kind: 'length', bound: 'at most', limit: Number(params.limit), hint };
    default:
      return { kind: 'pattern', pattern: String(params.pattern ?? error.message), hint };
  }
}

/** Finds values that JSON cannot carry: cycles, functions, symbols, bigint, NaN, ±Infinity, class instances. */
export function checkPlainData(value: unknown, file: string): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const ancestors = new Set<object>();
  const visit = (current: unknown, path: (string | number)[]): void => {
    if (diagnostics.length >= 20) return;
    const report = (what: string): void => {
      diagnostics.push(diagnostic('MP1007', { file, path: [...path] }, { path: [...path], found: what }));
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
