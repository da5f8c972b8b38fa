import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

export interface Position {
  /** Repository-relative, forward slashes. */
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

/** A source map's fields that a lookup needs (version 3, as esbuild writes it). */
interface RawMap {
  readonly sources: readonly string[];
  readonly mappings: string;
}

/**
 * Maps positions in the sandbox's bundles back to the TypeScript files they
 * came from, with the source maps esbuild wrote beside them. Every loaded
 * definition asks for one position (its `define*` call), so a lookup decodes
 * the `mappings` string as a stream and stops at the position asked for,
 * allocating nothing per segment; only the last map read is kept. (Node's
 * `SourceMap` builds an array per segment: for thousands of bundles that was
 * hundreds of MiB in the CLI process, and a second of its time.)
 */
export class BundleMaps {
  private last: { bundle: string; map: RawMap | null } | undefined;
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
    const map = this.read(bundle);
    if (!map) return undefined;
    const entry = findEntry(map.mappings, line - 1, column - 1);
    if (!entry) return undefined;
    const original = map.sources[entry.source];
    if (typeof original !== 'string') return undefined;
    const source = original.startsWith('file://') ? new URL(original).pathname : path.resolve(path.dirname(bundle), original);
    const file = path.relative(this.realRoot, source).split(path.sep).join('/');
    return { file, line: entry.line + 1, column: entry.column + 1 };
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

  private read(bundle: string): RawMap | null {
    if (this.last?.bundle === bundle) return this.last.map;
    let map: RawMap | null = null;
    try {
      const parsed = JSON.parse(readFileSync(`${bundle}.map`, 'utf8')) as Partial<RawMap>;
      if (Array.isArray(parsed.sources) && typeof parsed.mappings === 'string') map = { sources: parsed.sources, mappings: parsed.mappings };
    } catch {
      map = null;
    }
    this.last = { bundle, map };
    return map;
  }
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const DIGIT = new Int8Array(128).fill(-1);
for (let i = 0; i < BASE64.length; i++) DIGIT[BASE64.charCodeAt(i)] = i;
const COMMA = 44;
const SEMICOLON = 59;

/**
 * The segment of a source map's `mappings` (0-based) in effect at `line`,
 * `column` of the generated file: the last segment at or before it, as
 * `SourceMap.findEntry` of node:module answers. Undefined when there is none,
 * when that segment maps to no source, or when `mappings` is malformed.
 */
export function findEntry(mappings: string, line: number, column: number): { source: number; line: number; column: number } | undefined {
  let generatedLine = 0;
  let generatedColumn = 0;
  let source = 0;
  let sourceLine = 0;
  let sourceColumn = 0;
  let foundSource = -1;
  let foundLine = 0;
  let foundColumn = 0;
  let i = 0;
  const n = mappings.length;
  // One VLQ field at i; NaN when malformed.
  const field = (): number => {
    let value = 0;
    let shift = 0;
    for (;;) {
      if (i >= n) return NaN;
      const c = mappings.charCodeAt(i++);
      const digit = c < 128 ? DIGIT[c] : -1;
      if (digit < 0) return NaN;
      value += (digit & 31) * 2 ** shift;
      shift += 5;
      if ((digit & 32) === 0) break;
      if (shift > 35) return NaN;
    }
    return value % 2 === 1 ? -(value - 1) / 2 : value / 2;
  };
  const separator = (c: number) => c === COMMA || c === SEMICOLON;
  while (i < n) {
    const c = mappings.charCodeAt(i);
    if (c === SEMICOLON) {
      generatedLine++;
      generatedColumn = 0;
      i++;
      if (generatedLine > line) break;
      continue;
    }
    if (c === COMMA) {
      i++;
      continue;
    }
    generatedColumn += field();
    if (Number.isNaN(generatedColumn)) return undefined;
    const after = generatedLine === line ? generatedColumn > column : generatedLine > line;
    let mapped = false;
    if (i < n && !separator(mappings.charCodeAt(i))) {
      source += field();
      sourceLine += field();
      sourceColumn += field();
      if (Number.isNaN(source + sourceLine + sourceColumn)) return undefined;
      if (i < n && !separator(mappings.charCodeAt(i))) field(); // the name index: not needed
      mapped = true;
    }
    if (after) break;
    foundSource = mapped ? source : -1;
    foundLine = sourceLine;
    foundColumn = sourceColumn;
  }
  return foundSource >= 0 ? { source: foundSource, line: foundLine, column: foundColumn } : undefined;
}
