import { fork } from 'node:child_process';
import { realpathSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The tool's own src/: the authoring API a definition may import lives here. */
const TOOL_SRC = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const BUNDLER = fileURLToPath(new URL('./bundler.mjs', import.meta.url));

export interface BundleFailure {
  /** Repository-relative path of the file the error is in (a definition or a helper it imports). */
  readonly file: string;
  readonly line: number;
  /** 1-based. */
  readonly column: number;
  readonly text: string;
  readonly syntax: boolean;
}

export interface BundleResult {
  /** Entry (repository-relative) → absolute path of its bundle, for entries that bundled. */
  readonly bundles: ReadonlyMap<string, string>;
  /** Entry → the errors that stopped it from bundling. */
  readonly failures: ReadonlyMap<string, readonly BundleFailure[]>;
}

/**
 * Bundles each definition file, in a trusted process of its own
 * (bundler.mjs, esbuild), into one plain ES module under `outdir`
 * (`models/x.ts` → `<outdir>/models/x.mjs`, with a source map beside it). Each
 * bundle inlines its helpers and the authoring API, so no two definitions share
 * module state. Imports are limited to files under models/ and policies/, the
 * authoring API (src/index.ts, src/definitions/) and Node builtins: a
 * definition cannot pull in a file the sandbox could not read (a kubeconfig,
 * .git/, the tool's own loader). Entries are bundled `options.chunk` at a
 * time, in order; `options.onChunk` hears each chunk as soon as it is written,
 * so the sandbox can import it while the next one is bundled.
 */
/** Entries the bundler takes at a time (see bundler.mjs). */
export const BUNDLE_CHUNK = 100;

/** What one chunk of entries gave, in the order of `entries`. */
export interface BundleChunk extends BundleResult {
  /** The entries of this chunk, in order. */
  readonly entries: readonly string[];
}

export async function bundleDefinitions(
  realRoot: string,
  entries: readonly string[],
  outdir: string,
  options: { readonly chunk?: number; readonly onChunk?: (chunk: BundleChunk) => void } = {},
): Promise<BundleResult> {
  const apiDirs = [...new Set([TOOL_SRC, realOrSelf(path.join(realRoot, 'src'))])];
  const input = {
    root: realRoot,
    entries,
    outdir,
    allowedFiles: apiDirs.map((d) => path.join(d, 'index.ts')),
    allowedDirs: [...['models', 'policies'].map((d) => realOrSelf(path.join(realRoot, d))), ...apiDirs.map((d) => path.join(d, 'definitions'))],
    chunk: options.chunk ?? BUNDLE_CHUNK,
  };
  const outputOf = (entry: string) => path.join(outdir, entry.replace(/\.m?ts$/, '.mjs'));
  const bundles = new Map<string, string>();
  const failures = new Map<string, readonly BundleFailure[]>();
  await new Promise<void>((resolve, reject) => {
    const child = fork(BUNDLER, [], {
      // esbuild needs no secret; GOTRACEBACK keeps a crash of its compiler to one line.
      env: { PATH: process.env.PATH ?? '', GOTRACEBACK: 'none' },
      execArgv: [],
      cwd: realRoot,
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => {
      if (stderr.length < 4000) stderr += chunk.toString('utf8');
    });
    let done = false;
    let failed: unknown;
    child.on('message', (raw) => {
      const message = raw as { done?: boolean; entries?: string[]; bundles?: string[]; failures?: [string, BundleFailure[]][] };
      if (message.done) return void (done = true);
      const chunk: BundleChunk = {
        entries: message.entries ?? [],
        bundles: new Map((message.bundles ?? []).map((e) => [e, outputOf(e)])),
        failures: new Map(message.failures ?? []),
      };
      for (const [e, b] of chunk.bundles) bundles.set(e, b);
      for (const [e, f] of chunk.failures) failures.set(e, f);
      try {
        options.onChunk?.(chunk);
      } catch (error) {
        failed ??= error;
      }
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (failed) reject(failed);
      else if (done) resolve();
      else reject(new Error(`the bundler process ended (exit code ${code}) without an answer: ${stderr.trim()}`));
    });
    child.send(input);
  });
  return { bundles, failures };
}

function realOrSelf(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return p;
  }
}
