import { realpathSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BuildOptions, Message, Plugin } from 'esbuild';

/** The tool's own src/: the authoring API a definition may import lives here. */
const TOOL_SRC = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

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
 * Bundles each definition file, in the trusted parent, into one plain ES module
 * under `outdir` (`models/x.ts` → `<outdir>/models/x.mjs`, with a source map
 * beside it). Each bundle inlines its helpers and the authoring API, so no two
 * definitions share module state. Imports are limited to files under models/
 * and policies/, the authoring API (src/index.ts, src/definitions/) and Node
 * builtins: a definition cannot pull in a file it could not read in the sandbox
 * (a kubeconfig, .git/, the tool's own loader).
 */
export async function bundleDefinitions(root: string, entries: readonly string[], outdir: string): Promise<BundleResult> {
  const esbuild = await import('esbuild');
  const realRoot = realpathSync(root);
  const allowedDirs = ['models', 'policies'].map((d) => realOrSelf(path.join(realRoot, d)));
  const apiDirs = [...new Set([TOOL_SRC, realOrSelf(path.join(realRoot, 'src'))])];
  const allowedFiles = new Set(apiDirs.map((d) => path.join(d, 'index.ts')));
  const allowedApiDirs = apiDirs.map((d) => path.join(d, 'definitions'));
  const inside = (file: string, dir: string) => file.startsWith(`${dir}${path.sep}`);
  const allowed = (file: string) => allowedFiles.has(file) || [...allowedDirs, ...allowedApiDirs].some((d) => inside(file, d));

  const guard: Plugin = {
    name: 'modelplane-imports',
    setup(build) {
      build.onResolve({ filter: /.*/ }, async (args) => {
        if (args.pluginData === GUARD) return undefined;
        const resolved = await build.resolve(args.path, { kind: args.kind, importer: args.importer, resolveDir: args.resolveDir, pluginData: GUARD });
        if (resolved.errors.length > 0) return { errors: resolved.errors };
        if (resolved.external) {
          if (/^node:/.test(resolved.path) || isBuiltin(resolved.path)) return { path: resolved.path, external: true };
          return { errors: [{ text: refusal(args.path) }] };
        }
        const real = realOrSelf(resolved.path);
        if (!allowed(real)) return { errors: [{ text: refusal(args.path) }] };
        return { path: real };
      });
    },
  };

  const options: BuildOptions = {
    absWorkingDir: realRoot,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    outdir,
    outbase: realRoot,
    outExtension: { '.js': '.mjs' },
    entryNames: '[dir]/[name]',
    sourcemap: 'external',
    sourcesContent: false,
    tsconfigRaw: '{}',
    logLevel: 'silent',
    plugins: [guard],
    write: true,
  };
  const outputOf = (entry: string) => path.join(outdir, entry.replace(/\.m?ts$/, '.mjs'));

  const bundles = new Map<string, string>();
  const failures = new Map<string, BundleFailure[]>();
  const all = await esbuild.build({ ...options, entryPoints: [...entries] }).then(
    () => undefined,
    (error: { errors?: Message[] }) => error.errors ?? [{ text: String(error) } as Message],
  );
  if (!all) {
    for (const entry of entries) bundles.set(entry, outputOf(entry));
    return { bundles, failures };
  }
  // Some file does not bundle: bundle each entry on its own to know which ones it stops.
  await Promise.all(
    entries.map(async (entry) => {
      const errors = await esbuild.build({ ...options, entryPoints: [entry] }).then(
        () => undefined,
        (error: { errors?: Message[] }) => error.errors ?? [{ text: String(error) } as Message],
      );
      if (errors) failures.set(entry, errors.map((e) => failureOf(realRoot, entry, e)));
      else bundles.set(entry, outputOf(entry));
    }),
  );
  return { bundles, failures };
}

const GUARD = Symbol('resolved by the guard');

function refusal(specifier: string): string {
  return `imports '${specifier}', which is outside models/, policies/ and the authoring API: a definition may import only files under models/ and policies/, '../src/index.js' and Node builtins`;
}

function failureOf(realRoot: string, entry: string, message: Message): BundleFailure {
  const location = message.location;
  const file = location ? path.relative(realRoot, path.resolve(realRoot, location.file)).split(path.sep).join('/') : entry;
  const syntax = !message.pluginName && !/^Could not resolve/.test(message.text) && location !== null && location !== undefined;
  return { file, line: location?.line ?? 1, column: (location?.column ?? 0) + 1, text: message.text, syntax };
}

function realOrSelf(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return p;
  }
}
