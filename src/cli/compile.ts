import type { Diagnostic } from '../diagnostics/index.js';
import { hasErrors, sortDiagnostics } from '../diagnostics/index.js';
import { loadDefinitions, locateDiagnostics, type Definitions } from '../load/index.js';
import type { ResolvedPlatform } from '../resolve/index.js';
import { renderPlatform, type GeneratedFile } from '../synth/index.js';
import { checkDefinitions } from '../validate/index.js';

export interface Compilation {
  readonly definitions: Definitions;
  /** Sorted, with file positions filled in. */
  readonly diagnostics: readonly Diagnostic[];
  /** Present when there are no errors. */
  readonly platform?: ResolvedPlatform;
  readonly files?: readonly GeneratedFile[];
}

export interface CompileOptions {
  /** Render the files. @default true */
  readonly render?: boolean;
  /** The moment approvals are compared with. @default - the current time */
  readonly now?: Date;
}

/**
 * load → structural checks → resolve (once) → gates(resolved, definitions, now) → render,
 * stopping before render when any error is found.
 */
export async function compile(root: string, options: CompileOptions = {}): Promise<Compilation> {
  const loaded = await loadDefinitions(root);
  const checked = checkDefinitions(loaded.definitions, options.now ?? new Date());
  const diagnostics = sortDiagnostics(await locateDiagnostics(root, loaded.definitions, [...loaded.diagnostics, ...checked.diagnostics]));
  if (hasErrors(diagnostics) || !checked.resolved) return { definitions: loaded.definitions, diagnostics };
  const platform = checked.resolved;
  const files = options.render === false ? undefined : renderPlatform(platform);
  return { definitions: loaded.definitions, diagnostics, platform, files };
}
