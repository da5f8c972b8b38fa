import { readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

export interface Position {
  /** Repository-relative, forward slashes. */
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

/**
 * Maps positions in the sandbox's bundles back to the TypeScript files they
 * came from, with the source maps esbuild wrote beside them. A map is parsed
 * only when a position in its bundle is asked for.
 */
export class BundleMaps {
  private readonly maps = new Map<string, SourceMap | null>();
  private readonly frame: RegExp;

  constructor(
    private readonly realRoot: string,
    private readonly outdir: string,
  ) {
    const prefix = pathToFileURL(outdir).href.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    this.frame = new RegExp(`${prefix}/([^?:\\s)]+\\.mjs)(?:\\?[^:\\s)]*)?:(\\d+):(\\d+)`, 'g');
  }

  /** The original position of 1-based `line`, `column` in the bundle at `bundle` (absolute path). */
  position(bundle: string, line: number, column: number): Position | undefined {
    let map = this.maps.get(bundle);
    if (map === undefined) {
      try {
        map = new SourceMap(JSON.parse(readFileSync(`${bundle}.map`, 'utf8')));
      } catch {
        map = null;
      }
      this.maps.set(bundle, map);
    }
    if (!map) return undefined;
    const entry = map.findEntry(line - 1, column - 1) as { originalSource?: string; originalLine?: number; originalColumn?: number };
    if (!entry || entry.originalSource === undefined || entry.originalLine === undefined) return undefined;
    const source = entry.originalSource.startsWith('file://') ? new URL(entry.originalSource).pathname : path.resolve(path.dirname(bundle), entry.originalSource);
    const file = path.relative(this.realRoot, source).split(path.sep).join('/');
    return { file, line: entry.originalLine + 1, column: (entry.originalColumn ?? 0) + 1 };
  }

  /** Original positions of the bundle frames in a stack trace, innermost first. */
  frames(stack: string): Position[] {
    const out: Position[] = [];
    for (const match of stack.matchAll(this.frame)) {
      const position = this.position(path.join(this.outdir, decodeURIComponent(match[1])), Number(match[2]), Number(match[3]));
      if (position) out.push(position);
    }
    return out;
  }

  /** Replaces bundle URLs in a message by the repository-relative file they came from. */
  clean(text: string): string {
    return text.replace(this.frame, (_all, rel: string, line: string, column: string) => {
      const p = this.position(path.join(this.outdir, decodeURIComponent(rel)), Number(line), Number(column));
      return p ? `${p.file}:${p.line}:${p.column}` : rel.replace(/\.mjs$/, '.ts');
    });
  }
}
