import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { GeneratedFile } from './render.js';

export const GENERATED_DIR = 'generated';

/** Files that `synth` owns outside generated/. */
const OWNED_FILES = ['.github/CODEOWNERS'];

/**
 * Replaces generated/ with exactly `files`: the new tree is written beside it
 * and swapped in with renames, so generated/ is never half-written. Files of
 * objects that no longer have a source disappear with the old tree.
 */
export async function writeGenerated(root: string, files: Iterable<GeneratedFile>): Promise<number> {
  const staging = path.join(root, `.modelplane-tmp-${process.pid}`);
  await rm(staging, { recursive: true, force: true });
  await mkdir(path.join(staging, GENERATED_DIR), { recursive: true });
  const dirs = new Map<string, Promise<unknown>>();
  let count = 0;
  try {
    await inBatches(files, async (f) => {
      const dir = path.dirname(path.join(staging, f.path));
      if (!dirs.has(dir)) dirs.set(dir, mkdir(dir, { recursive: true }));
      await dirs.get(dir);
      await writeFile(path.join(staging, f.path), f.content);
      count++;
    });
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  }

  const target = path.join(root, GENERATED_DIR);
  const old = path.join(root, `.modelplane-old-${process.pid}`);
  try {
    if (existsSync(target)) await rename(target, old);
    await rename(path.join(staging, GENERATED_DIR), target);
    for (const owned of OWNED_FILES) {
      const from = path.join(staging, owned);
      if (!existsSync(from)) continue;
      await mkdir(path.dirname(path.join(root, owned)), { recursive: true });
      await rename(from, path.join(root, owned));
    }
  } catch (error) {
    if (!existsSync(target) && existsSync(old)) await rename(old, target);
    throw error;
  } finally {
    await rm(staging, { recursive: true, force: true });
    await rm(old, { recursive: true, force: true });
  }
  return count;
}

/**
 * Runs `task` over `items`, pulled lazily, with at most `limit` in flight:
 * thousands of files must neither exhaust file descriptors nor all sit in memory.
 */
async function inBatches<T>(items: Iterable<T>, task: (item: T) => Promise<unknown>, limit = 32): Promise<void> {
  const iterator = items[Symbol.iterator]();
  let failure: { error: unknown } | undefined;
  const worker = async () => {
    for (let next = iterator.next(); !next.done && !failure; next = iterator.next()) {
      try {
        await task(next.value);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  // Every worker finishes its current file before the first error is thrown.
  await Promise.all(Array.from({ length: limit }, worker));
  if (failure) throw failure.error;
}

export interface Drift {
  /** Produced by the definitions but missing on disk. */
  readonly missing: string[];
  /** On disk but not produced by the definitions (a hand-added or stale file). */
  readonly extra: string[];
  /** On disk with different content. */
  readonly changed: string[];
}

/** Compares `files` with what is on disk, without writing. */
export async function compareGenerated(root: string, files: Iterable<GeneratedFile>): Promise<Drift & { count: number }> {
  const onDisk = new Set(await listFiles(root, GENERATED_DIR));
  for (const owned of OWNED_FILES) if (existsSync(path.join(root, owned))) onDisk.add(owned);
  const drift = { missing: [] as string[], extra: [] as string[], changed: [] as string[], count: 0 };
  const expected = new Set<string>();
  await inBatches(files, async (f) => {
    expected.add(f.path);
    drift.count++;
    if (!onDisk.has(f.path)) return void drift.missing.push(f.path);
    const content = await readFile(path.join(root, f.path), 'utf8');
    if (content !== f.content) drift.changed.push(f.path);
  });
  for (const p of onDisk) if (!expected.has(p)) drift.extra.push(p);
  drift.missing.sort();
  drift.extra.sort();
  drift.changed.sort();
  return drift;
}

export function hasDrift(d: Drift): boolean {
  return d.missing.length + d.extra.length + d.changed.length > 0;
}

async function listFiles(root: string, dir: string): Promise<string[]> {
  const base = path.join(root, dir);
  if (!existsSync(base)) return [];
  const entries = await readdir(base, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => path.relative(root, path.join(e.parentPath ?? (e as unknown as { path: string }).path, e.name)).split(path.sep).join('/'))
    .sort();
}
