import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Diagnostic } from '../diagnostics/index.js';
import type { Node, SourceFile } from 'ts-morph';

/** What locating needs of a loaded definition: its file and where its `define*` call is. */
export interface SitedFile {
  readonly file: string;
  readonly site?: { readonly line: number; readonly column: number };
}

/** The loaded definitions (as `Definitions` of src/load holds them), by file. */
export interface SitedDefinitions {
  readonly platform?: SitedFile;
  readonly policies: readonly SitedFile[];
  readonly models: readonly SitedFile[];
}

/**
 * Fills in `line` and `column` of diagnostics from the definition files: the
 * position of the field the diagnostic's path names, or of the nearest enclosing
 * field written literally in the file, or of the `define*` call.
 */
export async function locateDiagnostics(root: string, definitions: SitedDefinitions, diagnostics: readonly Diagnostic[]): Promise<Diagnostic[]> {
  if (!diagnostics.some((d) => d.file && d.line === undefined)) return [...diagnostics];
  // Loaded only when a diagnostic needs a position: most runs have none.
  const { defineArgument, nodeAt, parseSource } = await import('./syntax.js');
  const sites = new Map<string, { line: number; column: number }>();
  for (const loaded of [definitions.platform, ...definitions.policies, ...definitions.models]) {
    if (loaded?.site) sites.set(loaded.file, loaded.site);
  }
  const parsed = new Map<string, { source: SourceFile; root?: Node } | null>();
  const parse = (file: string) => {
    let text: string;
    try {
      text = readFileSync(path.join(root, file), 'utf8');
    } catch {
      return null;
    }
    const source = parseSource(text, path.basename(file));
    return { source, root: defineArgument(source) };
  };
  return diagnostics.map((d) => {
    if (!d.file || d.line !== undefined) return d;
    if (!parsed.has(d.file)) parsed.set(d.file, parse(d.file));
    const file = parsed.get(d.file);
    if (file?.root) {
      const position = file.source.getLineAndColumnAtPos(nodeAt(file.root, d.path ?? []).getStart());
      return { ...d, line: position.line, column: position.column };
    }
    const site = sites.get(d.file);
    return { ...d, line: site?.line ?? 1, column: site?.column ?? 1 };
  });
}
