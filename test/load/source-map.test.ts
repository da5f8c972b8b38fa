import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { SourceMap } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import * as esbuild from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BundleMaps, findEntry } from '../../src/load/sandbox/source-map.js';

// The sandbox maps every definition's `define*` call site through the bundle's
// source map with a streaming lookup; it must answer what node:module's
// SourceMap answers, at every position of a real esbuild bundle.
describe('bundle source maps', () => {
  let dir: string;
  let bundle: string;
  let map: { sources: string[]; mappings: string };
  let code: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'modelplane-map-'));
    await writeFile(path.join(dir, '_helper.ts'), 'export const scale = (n: number): number => {\n  const twice = n * 2;\n  return twice + 1;\n};\n');
    await writeFile(
      path.join(dir, 'entry.ts'),
      [
        "import { scale } from './_helper.js';",
        'interface Shape { readonly name: string; readonly size: number }',
        'const shapes: Shape[] = [1, 2, 3].map((k) => ({ name: `s${k}`, size: scale(k) }));',
        '',
        'export default { shapes, total: shapes.reduce((a, s) => a + s.size, 0), long: "x".repeat(40) + \'y\'.padEnd(3) };',
        '',
      ].join('\n'),
    );
    await esbuild.build({ absWorkingDir: dir, entryPoints: ['entry.ts'], bundle: true, format: 'esm', platform: 'node', outdir: path.join(dir, 'out'), outExtension: { '.js': '.mjs' }, sourcemap: 'external', sourcesContent: false, logLevel: 'silent' });
    bundle = path.join(dir, 'out', 'entry.mjs');
    code = await readFile(bundle, 'utf8');
    map = JSON.parse(await readFile(`${bundle}.map`, 'utf8')) as typeof map;
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it('finds the same segment as node:module SourceMap at every position', () => {
    const reference = new SourceMap(map as unknown as ConstructorParameters<typeof SourceMap>[0]);
    const lines = code.split('\n');
    let compared = 0;
    let mapped = 0;
    for (let line = 0; line <= lines.length; line++) {
      for (let column = 0; column <= (lines[line]?.length ?? 0) + 1; column++) {
        const expected = reference.findEntry(line, column) as { originalSource?: string; originalLine?: number; originalColumn?: number };
        const actual = findEntry(map.mappings, line, column);
        const want = expected.originalSource === undefined ? undefined : { source: map.sources.indexOf(expected.originalSource), line: expected.originalLine, column: expected.originalColumn };
        expect(actual, `${line}:${column}`).toEqual(want);
        compared++;
        if (want) mapped++;
      }
    }
    expect(compared).toBeGreaterThan(200);
    expect(mapped).toBeGreaterThan(100);
  });

  it('maps a bundle position to the repository file, line and column', () => {
    const maps = new BundleMaps(dir, path.join(dir, 'out'));
    const lines = code.split('\n');
    const at = lines.findIndex((l) => l.includes('twice + 1'));
    expect(maps.position(bundle, at + 1, lines[at].indexOf('twice + 1') + 1)).toEqual({ file: '_helper.ts', line: 3, column: 10 });
    const def = lines.findIndex((l) => l.includes('shapes.reduce'));
    expect(maps.position(bundle, def + 1, lines[def].indexOf('shapes.reduce') + 1)).toEqual({ file: 'entry.ts', line: 5, column: 33 });
  });

  it('answers nothing for malformed mappings instead of throwing', () => {
    expect(findEntry('AAAA,!!', 0, 10)).toBeUndefined();
    expect(findEntry('gggggggggggggg', 0, 0)).toBeUndefined();
    expect(findEntry('', 0, 0)).toBeUndefined();
    expect(findEntry(';;AAAA', 0, 5)).toBeUndefined();
    expect(findEntry(';;AAAA', 2, 5)).toEqual({ source: 0, line: 0, column: 0 });
  });
});
