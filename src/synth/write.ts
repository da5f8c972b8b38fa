import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import type { Stats } from 'node:fs';
import { lstat, mkdir, readdir, readFile, rename, rm, rmdir, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { GeneratedFile } from './render.js';

export const GENERATED_DIR = 'generated';

/** Files that `synth` owns outside generated/. */
const OWNED_FILES = ['.github/CODEOWNERS'];

/** Every scratch folder and the swap journal share this prefix; git ignores it (`.gitignore`). */
export const SCRATCH_PREFIX = '.modelplane-';
const JOURNAL = `${SCRATCH_PREFIX}swap.json`;

interface Journal {
  /** The staging folder (a sibling of generated/) that holds the complete new tree. */
  readonly staging: string;
  /** Every path of the new tree, relative to the root. */
  readonly files: readonly string[];
}

/**
 * Replaces generated/ (and .github/CODEOWNERS) with exactly `files`.
 *
 * The new tree is first written completely into a staging folder. Writing the
 * journal is the commit point: before it the old tree is untouched; after it
 * the swap moves each staged file over its target with a rename (atomic per
 * file) and then deletes files that no longer have a source. generated/ itself
 * is never renamed, so it exists at every instant and no file in it is ever
 * half-written. A run killed after the commit point is finished by the next
 * `synth` (or any command that calls {@link recoverInterruptedSwap}) from the
 * journal; a run killed before it leaves only a staging folder that is swept.
 */
export async function writeGenerated(root: string, files: Iterable<GeneratedFile>): Promise<number> {
  await recoverInterruptedSwap(root);
  const stagingName = `${SCRATCH_PREFIX}stage-${process.pid}-${randomBytes(4).toString('hex')}`;
  const staging = path.join(root, stagingName);
  await mkdir(path.join(staging, GENERATED_DIR), { recursive: true });
  const dirs = new Map<string, Promise<unknown>>();
  const written: string[] = [];
  try {
    await inBatches(files, async (f) => {
      assertOwnedPath(f.path);
      const dir = path.dirname(path.join(staging, f.path));
      if (!dirs.has(dir)) dirs.set(dir, mkdir(dir, { recursive: true }));
      await dirs.get(dir);
      await writeFile(path.join(staging, f.path), f.content);
      written.push(f.path);
    });
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
  written.sort();
  try {
    await assertRealPathsInside(root, written);
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
  const journal: Journal = { staging: stagingName, files: written };
  const journalTmp = path.join(root, `${JOURNAL}.${process.pid}`);
  await writeFile(journalTmp, JSON.stringify(journal));
  await rename(journalTmp, path.join(root, JOURNAL)); // the commit point
  await withSignalsDeferred(() => applySwap(root, journal));
  return written.length;
}

/**
 * Finishes a swap that a killed run left behind (journal present: roll forward)
 * and removes staging folders of runs killed before their commit point.
 */
export async function recoverInterruptedSwap(root: string): Promise<void> {
  const journalPath = path.join(root, JOURNAL);
  let journal: Journal | undefined;
  try {
    journal = JSON.parse(await readFile(journalPath, 'utf8')) as Journal;
  } catch {
    journal = undefined;
  }
  if (journal && isScratchName(journal.staging) && existsSync(path.join(root, journal.staging))) {
    await applySwap(root, journal);
  } else if (existsSync(journalPath)) {
    await unlink(journalPath);
  }
  const entries = await readdir(root).catch(() => [] as string[]);
  for (const name of entries) {
    if (!isScratchName(name) || name === JOURNAL) continue;
    if (/^\.modelplane-(stage|tmp|old)-/.test(name) || name.startsWith(`${JOURNAL}.`)) {
      await rm(path.join(root, name), { recursive: true, force: true });
    }
  }
}

function isScratchName(name: string): boolean {
  return name.startsWith(SCRATCH_PREFIX) && !name.includes('/') && !name.includes('\\') && name !== '..';
}

/** Paths synth may write: inside generated/, or one of the owned files. Anything else is a compiler bug. */
export function assertOwnedPath(relative: string): void {
  const normal = path.posix.normalize(relative);
  const inside = normal.startsWith(`${GENERATED_DIR}/`) && !normal.split('/').includes('..');
  if (normal !== relative || path.isAbsolute(relative) || !(inside || OWNED_FILES.includes(relative))) {
    throw new Error(`internal error: refusing to write '${relative}' outside ${GENERATED_DIR}/`);
  }
}

/**
 * The lexical check is not enough when a folder on the way is a symbolic link
 * (`generated/prod -> /etc`, `.github -> ../policies`): every existing folder
 * between the root and each file must be a real folder, so that each path
 * resolves inside generated/ (or .github/).
 */
export async function assertRealPathsInside(root: string, files: readonly string[]): Promise<void> {
  for (const file of files) assertOwnedPath(file);
  // Every folder on the way, looked at once (in parallel: thousands of folders), then judged in order.
  const folders = new Set<string>();
  for (const file of files) {
    const parts = file.split('/').slice(0, -1);
    for (let i = 1; i <= parts.length; i++) folders.add(parts.slice(0, i).join('/'));
  }
  const stats = new Map<string, Stats | undefined>();
  await inBatches(folders, async (dir) => stats.set(dir, await lstat(path.join(root, dir)).catch(() => undefined)));
  for (const file of files) {
    const parts = file.split('/').slice(0, -1);
    for (let i = 1; i <= parts.length; i++) {
      const dir = parts.slice(0, i).join('/');
      const stat = stats.get(dir);
      if (!stat) break; // made by synth, as a real folder
      if (stat.isSymbolicLink() || !stat.isDirectory()) {
        throw new Error(`refusing to write '${file}': '${dir}' is ${stat.isSymbolicLink() ? 'a symbolic link' : 'not a folder'}, so the path could resolve outside ${GENERATED_DIR}/; remove it and run synth again`);
      }
    }
  }
}

/**
 * Idempotent: may be run again from the journal after any interruption. Each
 * file is moved with its own rename, several in flight (the order does not
 * matter: every instant shows complete old or new files), then stale files and
 * the folders they leave empty are removed.
 */
async function applySwap(root: string, journal: Journal): Promise<void> {
  const staging = path.join(root, journal.staging);
  const keep = new Set(journal.files);
  await assertRealPathsInside(root, journal.files);
  const made = new Map<string, Promise<unknown>>();
  await inBatches(journal.files, async (file) => {
    assertOwnedPath(file);
    const from = path.join(staging, file);
    const to = path.join(root, file);
    const dir = path.dirname(to);
    if (!made.has(dir)) made.set(dir, mkdir(dir, { recursive: true }));
    await made.get(dir);
    try {
      await rename(from, to);
    } catch (error) {
      // Moved by an earlier, interrupted attempt.
      if ((error as NodeJS.ErrnoException).code === 'ENOENT' && !existsSync(from)) return;
      throw error;
    }
  });
  const { files: present, folders } = await listTree(root, GENERATED_DIR);
  await inBatches(
    present.filter((f) => !keep.has(f)),
    (stale) => unlink(path.join(root, stale)),
  );
  for (const owned of OWNED_FILES) {
    if (!keep.has(owned) && existsSync(path.join(root, owned))) await unlink(path.join(root, owned));
  }
  await removeEmptyFolders(root, folders, journal.files);
  await unlink(path.join(root, JOURNAL)).catch(() => undefined);
  await rm(staging, { recursive: true, force: true });
}

/**
 * Removes the folders under generated/ (not generated/ itself) that are empty
 * once stale files are gone, deepest first. A folder on the path of a kept file
 * is not empty and is not looked at; one that still holds something stays.
 */
async function removeEmptyFolders(root: string, folders: readonly string[], kept: readonly string[]): Promise<void> {
  const used = new Set<string>();
  for (const file of kept) {
    for (let dir = path.posix.dirname(file); dir !== '.' && !used.has(dir); dir = path.posix.dirname(dir)) used.add(dir);
  }
  const candidates = folders.filter((d) => !used.has(d) && d !== GENERATED_DIR).sort((a, b) => b.split('/').length - a.split('/').length || (a < b ? -1 : 1));
  for (const dir of candidates) {
    await rmdir(path.join(root, dir)).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOTEMPTY' && error.code !== 'EEXIST' && error.code !== 'ENOENT') throw error;
    });
  }
}

/** SIGINT/SIGTERM during the short rename phase wait for it to end, then exit as they would have. */
async function withSignalsDeferred<T>(task: () => Promise<T>): Promise<T> {
  const pending: NodeJS.Signals[] = [];
  const hold = (signal: NodeJS.Signals) => pending.push(signal);
  process.on('SIGINT', hold);
  process.on('SIGTERM', hold);
  try {
    return await task();
  } finally {
    process.off('SIGINT', hold);
    process.off('SIGTERM', hold);
    if (pending.length > 0) process.kill(process.pid, pending[0]);
  }
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
  return (await listTree(root, dir)).files;
}

/** The regular files and the folders under `dir` (relative to the root, sorted), in one walk. */
async function listTree(root: string, dir: string): Promise<{ files: string[]; folders: string[] }> {
  const base = path.join(root, dir);
  if (!existsSync(base)) return { files: [], folders: [] };
  const entries = await readdir(base, { recursive: true, withFileTypes: true });
  const files: string[] = [];
  const folders: string[] = [];
  for (const e of entries) {
    const relative = path.relative(root, path.join(e.parentPath ?? (e as unknown as { path: string }).path, e.name)).split(path.sep).join('/');
    if (e.isFile()) files.push(relative);
    else if (e.isDirectory()) folders.push(relative);
  }
  return { files: files.sort(), folders: folders.sort() };
}
