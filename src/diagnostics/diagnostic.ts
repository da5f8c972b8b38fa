import { CATALOGUE, type Code, type CodeEntry, type Severity } from './codes.js';

export type { Severity } from './codes.js';

/** A path into a definition, e.g. ['deploy', 'prod', 'canary', 'step']. */
export type FieldPath = readonly (string | number)[];

/**
 * A problem found in the definitions. Diagnostics are data: validation returns
 * them, one formatter prints them. `line`/`column` are filled in by the loader
 * from the source file (see `locateDiagnostics`).
 */
export interface Diagnostic {
  readonly code: Code;
  readonly severity: Severity;
  readonly message: string;
  /** Repository-relative file the problem is in. */
  readonly file?: string;
  readonly path?: FieldPath;
  readonly line?: number;
  readonly column?: number;
}

/** Where a diagnostic points: a repository-relative file and a field path in it. */
export interface Location {
  readonly file?: string;
  readonly path?: FieldPath;
}

/**
 * The one constructor of diagnostics: the severity comes from the catalogue
 * (`strict: true` picks the code's severity on strict tiers, where it has one).
 */
export function diagnostic(code: Code, at: Location, message: string, options: { readonly strict?: boolean } = {}): Diagnostic {
  const entry: CodeEntry = CATALOGUE[code];
  const severity = options.strict && entry.strict ? entry.strict : entry.severity;
  return { code, severity, ...(at.file === undefined ? {} : { file: at.file }), ...(at.path === undefined ? {} : { path: at.path }), message };
}

/** Renders a field path the way users write it: `deploy.prod.canary.step`, `versions[1].artifact`. */
export function formatPath(path: FieldPath | undefined): string {
  if (!path || path.length === 0) return '(definition)';
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(part)) out += out ? `.${part}` : part;
    else out += `[${JSON.stringify(part)}]`;
  }
  return out;
}

/** Renders a value in a message: strings quoted, long values shortened, never throws. */
export function formatValue(value: unknown): string {
  let text: string;
  if (typeof value === 'string') text = JSON.stringify(value);
  else if (typeof value === 'number' || typeof value === 'boolean' || value === null || value === undefined) text = String(value);
  else if (Array.isArray(value)) text = `[array of ${value.length}]`;
  else text = 'an object';
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

/** Sorts diagnostics by file, line, column, code: the order they are printed in. */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  const cmp = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);
  return [...diagnostics].sort(
    (a, b) =>
      cmp(a.file ?? '', b.file ?? '') ||
      (a.line ?? 0) - (b.line ?? 0) ||
      (a.column ?? 0) - (b.column ?? 0) ||
      cmp(a.code, b.code) ||
      cmp(a.message, b.message),
  );
}
