/**
 * Validate objects against the strict JSON Schemas derived from upstream CRDs
 * (schemas/crds/, written by `npm run derive-schemas`).
 *
 * Schemas are compiled lazily, once per process, and cached: the InferenceService
 * schema is large and takes seconds to compile.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { fullFormats } from 'ajv-formats/dist/formats.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const CRD_SCHEMA_DIR = join(repoRoot, 'schemas/crds');

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;
const INT64_MIN = -(2 ** 63);
const INT64_MAX = 2 ** 63 - 1; // not exactly representable; close enough for doubles

let index: Record<string, string> | undefined;
let ajv: Ajv | undefined;
const compiled = new Map<string, ValidateFunction>();

function loadIndex(): Record<string, string> {
  if (!index) {
    const raw = JSON.parse(readFileSync(join(CRD_SCHEMA_DIR, 'index.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    index = {};
    for (const [key, value] of Object.entries(raw)) {
      if (key !== 'source' && typeof value === 'string') index[key] = value;
    }
  }
  return index;
}

function getAjv(): Ajv {
  if (!ajv) {
    ajv = new Ajv({ strict: false, allErrors: true, inlineRefs: false });
    ajv.addVocabulary([
      'x-kubernetes-preserve-unknown-fields',
      'x-kubernetes-int-or-string',
      'x-kubernetes-list-type',
      'x-kubernetes-list-map-keys',
      'x-kubernetes-map-type',
      'x-kubernetes-embedded-resource',
      'x-kubernetes-validations',
    ]);
    ajv.addFormat('int32', {
      type: 'number',
      validate: (n: number) => Number.isInteger(n) && n >= INT32_MIN && n <= INT32_MAX,
    });
    ajv.addFormat('int64', {
      type: 'number',
      validate: (n: number) => Number.isInteger(n) && n >= INT64_MIN && n <= INT64_MAX,
    });
    ajv.addFormat('float', { type: 'number', validate: (n: number) => Number.isFinite(n) });
    ajv.addFormat('double', { type: 'number', validate: (n: number) => Number.isFinite(n) });
    ajv.addFormat('byte', fullFormats.byte);
    ajv.addFormat('date-time', fullFormats['date-time']);
  }
  return ajv;
}

function keyOf(apiVersion: unknown, kind: unknown): string {
  return `${String(apiVersion)}/${String(kind)}`;
}

export function hasCrdSchema(apiVersion: string, kind: string): boolean {
  return Object.hasOwn(loadIndex(), keyOf(apiVersion, kind));
}

/** The compiled validator for apiVersion/kind (compiled on first use, then cached). */
export function getCrdValidator(apiVersion: string, kind: string): ValidateFunction | undefined {
  const key = keyOf(apiVersion, kind);
  const cached = compiled.get(key);
  if (cached) return cached;
  const file = loadIndex()[key];
  if (!file) return undefined;
  const schema = JSON.parse(readFileSync(join(CRD_SCHEMA_DIR, file), 'utf8')) as object;
  const validate = getAjv().compile(schema);
  compiled.set(key, validate);
  return validate;
}

/** Human-readable errors: `<instancePath>: <message>`, with int-or-string anyOf collapsed. */
export function formatAjvErrors(errors: readonly ErrorObject[]): string[] {
  // Branch errors of a failed anyOf are reported once, on the anyOf itself.
  const anyOfs = errors.filter((e) => e.keyword === 'anyOf');
  const isBranchError = (e: ErrorObject): boolean =>
    anyOfs.some(
      (a) => a !== e && a.instancePath === e.instancePath && e.schemaPath.startsWith(`${a.schemaPath}/`),
    );
  const out: string[] = [];
  for (const e of errors) {
    if (isBranchError(e)) continue;
    let path = e.instancePath || '/';
    let message = e.message ?? e.keyword;
    if (e.keyword === 'anyOf') {
      const types = errors
        .filter((b) => b.keyword === 'type' && b.instancePath === e.instancePath && b.schemaPath.startsWith(`${e.schemaPath}/`))
        .map((b) => String((b.params as { type?: string }).type));
      if (types.length > 0) message = `must be ${types.join(' or ')}`;
    } else if (e.keyword === 'additionalProperties') {
      const name = String((e.params as { additionalProperty?: string }).additionalProperty);
      path = `${e.instancePath}/${name.replace(/~/g, '~0').replace(/\//g, '~1')}`;
      message += ` (${name})`;
    } else if (e.keyword === 'enum') {
      message += ` (${JSON.stringify((e.params as { allowedValues?: unknown }).allowedValues)})`;
    }
    const line = `${path}: ${message}`;
    if (!out.includes(line)) out.push(line);
  }
  return out;
}

/** Validate a CRD-backed object; returns human-readable errors (empty when valid). */
export function validateCrdObject(obj: unknown): string[] {
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) return ['/: must be object'];
  const { apiVersion, kind } = obj as { apiVersion?: unknown; kind?: unknown };
  if (typeof apiVersion !== 'string' || typeof kind !== 'string') {
    return ['/: apiVersion and kind must be strings'];
  }
  const validate = getCrdValidator(apiVersion, kind);
  if (!validate) return [`no CRD schema for ${apiVersion}/${kind}`];
  if (validate(obj)) return [];
  return formatAjvErrors(validate.errors ?? []);
}
