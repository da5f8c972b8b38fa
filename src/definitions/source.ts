/**
 * Where a definition was written. `define*` functions capture the caller's
 * position so diagnostics can point at the definition even when a field-level
 * position cannot be found.
 */
export interface SourceLocation {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

/** Which `define*` function made a definition. */
export type DefinitionKind = 'platform' | 'model' | 'rollout-policy';

const SOURCE = Symbol.for('modelplane.source');
const KIND = Symbol.for('modelplane.kind');

/** Attaches the kind and the call site of the `define*` call to a definition (non-enumerable). */
export function withCallSite<T>(definition: T, kind: DefinitionKind): T {
  if (definition === null || typeof definition !== 'object' || !Object.isExtensible(definition)) return definition;
  Object.defineProperty(definition, KIND, { value: kind, enumerable: false });
  const site = callSite();
  if (site) Object.defineProperty(definition, SOURCE, { value: site, enumerable: false });
  return definition;
}

/** The kind recorded by `withCallSite`, if any. */
export function kindOf(definition: unknown): DefinitionKind | undefined {
  if (definition === null || typeof definition !== 'object') return undefined;
  return (definition as Record<symbol, DefinitionKind | undefined>)[KIND];
}

/** The call site recorded by `withCallSite`, if any. */
export function sourceOf(definition: unknown): SourceLocation | undefined {
  if (definition === null || typeof definition !== 'object') return undefined;
  return (definition as Record<symbol, SourceLocation | undefined>)[SOURCE];
}

function callSite(): SourceLocation | undefined {
  const stack = new Error().stack?.split('\n') ?? [];
  // [0] "Error", [1] callSite, [2] withCallSite, [3] define*, [4] the user's file
  const frame = stack[4] ?? '';
  const match = /\(?((?:file:\/\/)?[^()\s]+):(\d+):(\d+)\)?\s*$/.exec(frame);
  if (!match) return undefined;
  const file = match[1].startsWith('file://') ? new URL(match[1]).pathname : match[1];
  return { file, line: Number(match[2]), column: Number(match[3]) };
}
