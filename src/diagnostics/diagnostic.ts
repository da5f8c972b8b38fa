import { CATALOGUE, type Code, type CodeEntry, type Severity } from './codes.js';
import { message, type MessageArgs } from './messages.js';
import type { FieldPath } from './text.js';

export type { Severity } from './codes.js';
export { type FieldPath, formatPath, formatValue } from './text.js';

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

/** Where a diagnostic points: a repository-relative file, a field path in it, or a position (the loader's, before any path exists). */
export interface Location {
  readonly file?: string;
  readonly path?: FieldPath;
  readonly line?: number;
  readonly column?: number;
}

export interface DiagnosticOptions {
  /** Use the code's severity on strict tiers, where it has one. */
  readonly strict?: boolean;
}

/**
 * The one constructor of diagnostics: the severity comes from the catalogue
 * (`strict: true` picks the code's severity on strict tiers, where it has
 * one), the message from the code's template and its typed arguments.
 */
export function diagnostic<C extends Code>(code: C, at: Location, args: MessageArgs<C>, options: DiagnosticOptions = {}): Diagnostic {
  const entry: CodeEntry = CATALOGUE[code];
  const severity = options.strict && entry.strict ? entry.strict : entry.severity;
  return {
    code,
    severity,
    ...(at.file === undefined ? {} : { file: at.file }),
    ...(at.path === undefined ? {} : { path: at.path }),
    ...(at.line === undefined ? {} : { line: at.line }),
    ...(at.column === undefined ? {} : { column: at.column }),
    message: message(code, args),
  };
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
