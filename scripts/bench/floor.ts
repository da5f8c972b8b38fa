/**
 * The benchmark's floor: writes the documents synth wrote, doing only the
 * unavoidable work: for each document (one JSON line of the input file, a plain
 * object), `yaml.stringify` with synth's options, mkdir, `fs.writeFile` (32 in
 * flight). Each is parsed just before it is written, so the live heap stays
 * small (a large heap slows every GC, and so yaml.stringify). Transpiled to
 * plain JavaScript before timing starts.
 *
 *   node floor.mjs <input.ndjson> <out dir> <yaml options as JSON>
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { stringify, type ToStringOptions } from 'yaml';

/** One line of the input: a YAML document with its comment header, or a file kept as text. */
export interface FloorEntry {
  readonly path: string;
  readonly header?: string;
  readonly doc?: unknown;
  readonly text?: string;
}

/** What the floor reports on stdout. */
export interface FloorTimes {
  readonly startMs: number;
  readonly readMs: number;
  readonly parseMs: number;
  readonly stringifyMs: number;
  readonly totalMs: number;
}

const [input, out, optionsJson] = process.argv.slice(2);
const options = JSON.parse(optionsJson) as ToStringOptions;
const t0 = performance.now();
const text = await readFile(input, 'utf8');
const t1 = performance.now();
let pos = 0;
let parseMs = 0;
let stringifyMs = 0;

function next(): { path: string; content: string } | undefined {
  while (pos < text.length) {
    let end = text.indexOf('\n', pos);
    if (end < 0) end = text.length;
    const line = text.slice(pos, end);
    pos = end + 1;
    if (!line) continue;
    const a = performance.now();
    const entry = JSON.parse(line) as FloorEntry;
    const b = performance.now();
    const content = entry.doc === undefined ? (entry.text ?? '') : (entry.header === undefined ? '' : `${entry.header}\n`) + stringify(entry.doc, options);
    parseMs += b - a;
    stringifyMs += performance.now() - b;
    return { path: entry.path, content };
  }
  return undefined;
}

const dirs = new Map<string, Promise<unknown>>();
// At most 32 writes in flight: libuv has 4 threads, and unbounded would run out of file descriptors.
async function writer(): Promise<void> {
  for (let f = next(); f; f = next()) {
    const file = path.join(out, f.path);
    const dir = path.dirname(file);
    if (!dirs.has(dir)) dirs.set(dir, mkdir(dir, { recursive: true }));
    await dirs.get(dir);
    await writeFile(file, f.content);
  }
}
await Promise.all(Array.from({ length: 32 }, writer));
const t2 = performance.now();
const times: FloorTimes = { startMs: t0, readMs: t1 - t0, parseMs, stringifyMs, totalMs: t2 - t0 };
process.stdout.write(JSON.stringify(times));
