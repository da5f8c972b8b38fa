/** A path into a definition, e.g. ['deploy', 'prod', 'canary', 'step']. */
export type FieldPath = readonly (string | number)[];

export type Severity = 'error' | 'warning';

/**
 * A problem found in the definitions. Diagnostics are data: validation returns
 * them, one formatter prints them. `line`/`column` are filled in by the loader
 * from the source file (see `locateDiagnostics`).
 */
export interface Diagnostic {
  readonly code: string;
  readonly severity: Severity;
  readonly message: string;
  /** Repository-relative file the problem is in. */
  readonly file?: string;
  readonly path?: FieldPath;
  readonly line?: number;
  readonly column?: number;
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
