import type { Diagnostic } from '../diagnostics/index.js';
import { hasErrors, sortDiagnostics } from '../diagnostics/index.js';
import { loadDefinitions, locateDiagnostics, type Definitions } from '../load/index.js';
import { resolvePlatform, type ResolvedPlatform } from '../resolve/index.js';
import { renderPlatform, type GeneratedFile } from '../synth/index.js';
import { validateDefinitions } from '../validate/index.js';

export interface Compilation {
  readonly definitions: Definitions;
  /** Sorted, with file positions filled in. */
  readonly diagnostics: readonly Diagnostic[];
  /** Present when there are no errors. */
  readonly platform?: ResolvedPlatform;
  readonly files?: readonly GeneratedFile[];
}

/** load → validate → resolve → render, stopping before resolve when any error is found. */
export async function compile(root: string, options: { render?: boolean } = {}): Promise<Compilation> {
  const loaded = await loadDefinitions(root);
  const found = [...loaded.diagnostics, ...validateDefinitions(loaded.definitions)];
  const diagnostics = sortDiagnostics(await locateDiagnostics(root, loaded.definitions, found));
  if (hasErrors(diagnostics)) return { definitions: loaded.definitions, diagnostics };
  const platform = resolvePlatform(loaded.definitions);
  const files = options.render === false ? undefined : renderPlatform(platform);
  return { definitions: loaded.definitions, diagnostics, platform, files };
}
