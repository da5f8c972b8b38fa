import type { Diagnostic } from '../diagnostics/index.js';
import { hasErrors, sortDiagnostics } from '../diagnostics/index.js';
import { loadDefinitions, locateDiagnostics, readLiveRoutes, type Definitions } from '../load/index.js';
import type { ResolvedPlatform } from '../resolve/index.js';
import { renderPlatform, type GeneratedFile } from '../synth/index.js';
import { checkDefinitions, checkRetirements } from '../validate/index.js';

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
 * stopping before render when any error is found. The last synthesized state
 * (generated/) is read too: a production route whose model or environment is
 * gone from the definitions is refused unless retired first (MP9001).
 */
export async function compile(root: string, options: CompileOptions = {}): Promise<Compilation> {
  const [loaded, live] = await Promise.all([loadDefinitions(root), readLiveRoutes(root)]);
  const checked = checkDefinitions(loaded.definitions, options.now ?? new Date());
  const failedFiles = loaded.diagnostics.flatMap((d) => (d.file === undefined ? [] : [d.file]));
  const retirements = checkRetirements(loaded.definitions, live, failedFiles);
  const found = [...loaded.diagnostics, ...checked.diagnostics, ...retirements];
  const diagnostics = sortDiagnostics(await locateDiagnostics(root, loaded.definitions, found));
  if (hasErrors(diagnostics) || !checked.resolved) return { definitions: loaded.definitions, diagnostics };
  const platform = checked.resolved;
  const files = options.render === false ? undefined : renderPlatform(platform);
  return { definitions: loaded.definitions, diagnostics, platform, files };
}
