// Bundles definition files with esbuild, in a trusted process of its own (run
// by bundle.ts with an environment that holds no secret): esbuild's compiler
// can crash on hostile input (200,000 nested brackets overflow its stack), and
// it must take down neither the CLI nor the diagnostics of the other files.
//
// Input (IPC): { root, entries, outdir, allowedFiles, allowedDirs }.
// Output: { bundles: [entry], failures: [[entry, [BundleFailure]]] }.
import { realpathSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import path from 'node:path';
import * as esbuild from 'esbuild';

const GUARD = { guard: true };

process.once('message', async (input) => {
  const result = await bundleAll(input);
  process.send(result, () => process.exit(0));
});

function realOrSelf(p) {
  try {
    return realpathSync(p);
  } catch {
    return p;
  }
}

function refusal(specifier) {
  return `imports '${specifier}', which is outside models/, policies/ and the authoring API: a definition may import only files under models/ and policies/, '../src/index.js' and Node builtins`;
}

async function bundleAll({ root, entries, outdir, allowedFiles, allowedDirs }) {
  const files = new Set(allowedFiles);
  const allowed = (file) => files.has(file) || allowedDirs.some((d) => file.startsWith(`${d}${path.sep}`));
  const guard = {
    name: 'modelplane-imports',
    setup(build) {
      build.onResolve({ filter: /.*/ }, async (args) => {
        if (args.pluginData === GUARD) return undefined;
        const resolved = await build.resolve(args.path, { kind: args.kind, importer: args.importer, resolveDir: args.resolveDir, pluginData: GUARD });
        if (resolved.errors.length > 0) return { errors: resolved.errors };
        if (resolved.external) {
          if (resolved.path.startsWith('node:') || isBuiltin(resolved.path)) return { path: resolved.path, external: true };
          return { errors: [{ text: refusal(args.path) }] };
        }
        const real = realOrSelf(resolved.path);
        if (!allowed(real)) return { errors: [{ text: refusal(args.path) }] };
        return { path: real };
      });
    },
  };
  const options = {
    absWorkingDir: root,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    outdir,
    outbase: root,
    outExtension: { '.js': '.mjs' },
    entryNames: '[dir]/[name]',
    sourcemap: 'external',
    sourcesContent: false,
    tsconfigRaw: '{}',
    logLevel: 'silent',
    plugins: [guard],
    write: true,
  };
  const build = (entryPoints) =>
    esbuild.build({ ...options, entryPoints }).then(
      () => undefined,
      (error) => (Array.isArray(error?.errors) && error.errors.length > 0 ? error.errors : [{ text: String(error?.message ?? error) }]),
    );
  const crashed = (errors) => errors.some((e) => /service (is no longer running|was stopped)/.test(e.text));

  const all = await build(entries);
  if (!all) return { bundles: entries, failures: [] };
  // Some file does not bundle: bundle each on its own to know which entries it stops.
  // After a crash of esbuild, one at a time, so the file that crashes it is known.
  const bundles = [];
  const failures = [];
  const one = async (entry) => {
    let errors = await build([entry]);
    if (errors && crashed(errors)) {
      await esbuild.stop();
      errors = [{ text: 'the TypeScript compiler (esbuild) crashed on this file: it is nested too deeply or too large to compile', location: { file: entry, line: 1, column: 0 }, crash: true }];
      await esbuild.stop();
    }
    if (errors) failures.push([entry, errors.map((e) => failureOf(root, entry, e))]);
    else bundles.push(entry);
  };
  if (crashed(all)) {
    await esbuild.stop();
    for (const entry of entries) await one(entry);
  } else {
    await Promise.all(entries.map(one));
  }
  return { bundles, failures };
}

function failureOf(root, entry, message) {
  const location = message.location;
  const file = location ? path.relative(root, path.resolve(root, location.file)).split(path.sep).join('/') : entry;
  const syntax = !message.crash && !message.pluginName && !/^Could not resolve/.test(message.text) && Boolean(location);
  return { file, line: location?.line ?? 1, column: (location?.column ?? 0) + 1, text: message.text, syntax };
}
