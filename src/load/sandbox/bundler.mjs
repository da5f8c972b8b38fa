// Bundles definition files with esbuild, in a trusted process of its own (run
// by bundle.ts with an environment that holds no secret): esbuild's compiler
// can crash on hostile input (200,000 nested brackets overflow its stack), and
// it must take down neither the CLI nor the diagnostics of the other files.
//
// Input (IPC): { root, entries, outdir, allowedFiles, allowedDirs, chunk }.
// Output: entries are bundled `chunk` at a time, in order, so the sandbox can
// import the first ones while the rest are bundled (and esbuild holds one
// chunk's output, not all of it). After each chunk:
// { entries: [entry], bundles: [entry], failures: [[entry, [BundleFailure]]] };
// at the end: { done: true }.
import { readFileSync, realpathSync } from 'node:fs';
import { unlink } from 'node:fs/promises';
import path from 'node:path';
import * as esbuild from 'esbuild';

process.once('message', async (input) => {
  const size = Number.isInteger(input.chunk) && input.chunk > 0 ? input.chunk : input.entries.length;
  for (let i = 0; i < input.entries.length; i += size) {
    const entries = input.entries.slice(i, i + size);
    const result = await bundleAll({ ...input, entries });
    await new Promise((resolve) => process.send({ entries, ...result }, resolve));
  }
  process.send({ done: true }, () => process.exit(0));
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
  const real = new Map();
  const allowed = (input) => {
    const absolute = path.resolve(root, input);
    if (!real.has(absolute)) real.set(absolute, realOrSelf(absolute));
    const file = real.get(absolute);
    return files.has(file) || allowedDirs.some((d) => file.startsWith(`${d}${path.sep}`));
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
    metafile: true,
    write: true,
  };
  const build = (entryPoints) =>
    esbuild.build({ ...options, entryPoints }).then(
      (result) => ({ metafile: result.metafile }),
      (error) => ({ errors: Array.isArray(error?.errors) && error.errors.length > 0 ? error.errors : [{ text: String(error?.message ?? error) }] }),
    );
  const crashed = (errors) => errors.some((e) => /service (is no longer running|was stopped)/.test(e.text));

  const bundles = [];
  const failures = [];
  // Imports are checked after the build (a plugin would cost a round trip per
  // import): an entry that bundled a file outside what a definition may import
  // is refused, and its output is deleted before the sandbox (which can read
  // every bundle) starts.
  const accept = async (metafile, only) => {
    for (const [out, output] of Object.entries(metafile.outputs)) {
      if (!output.entryPoint) continue;
      const entry = path.relative(root, path.resolve(root, output.entryPoint)).split(path.sep).join('/');
      if (only && entry !== only) continue;
      const refused = Object.keys(output.inputs).filter((input) => !allowed(input));
      if (refused.length === 0) {
        bundles.push(entry);
        continue;
      }
      await Promise.all([out, `${out}.map`].map((f) => unlink(path.resolve(root, f)).catch(() => undefined)));
      failures.push([entry, refused.map((input) => refusalAt(root, metafile, input, entry))]);
    }
  };

  const all = await build(entries);
  if (all.metafile) {
    await accept(all.metafile);
    return { bundles, failures };
  }
  // Some file does not bundle: bundle each on its own to know which entries it stops.
  // After a crash of esbuild, one at a time, so the file that crashes it is known.
  const one = async (entry) => {
    const result = await build([entry]);
    if (result.metafile) return accept(result.metafile, entry);
    let errors = result.errors;
    if (crashed(errors)) {
      await esbuild.stop();
      errors = [{ text: 'the TypeScript compiler (esbuild) crashed on this file: it is nested too deeply or too large to compile', location: { file: entry, line: 1, column: 0 }, crash: true }];
    }
    failures.push([entry, errors.map((e) => failureOf(root, entry, e))]);
  };
  if (crashed(all.errors)) {
    await esbuild.stop();
    for (const entry of entries) await one(entry);
  } else {
    await Promise.all(entries.map(one));
  }
  return { bundles, failures };
}

/** The refused import as a failure at the import statement that brought it in. */
function refusalAt(root, metafile, input, entry) {
  for (const [importer, info] of Object.entries(metafile.inputs)) {
    const found = (info.imports ?? []).find((i) => i.path === input);
    if (!found) continue;
    const file = path.relative(root, path.resolve(root, importer)).split(path.sep).join('/');
    const specifier = found.original ?? input;
    let line = 1;
    let column = 1;
    try {
      const lines = readFileSync(path.resolve(root, importer), 'utf8').split('\n');
      const at = lines.findIndex((l) => l.includes(`'${specifier}'`) || l.includes(`"${specifier}"`));
      if (at >= 0) {
        line = at + 1;
        column = Math.max(lines[at].indexOf(`'${specifier}'`), lines[at].indexOf(`"${specifier}"`)) + 1;
      }
    } catch {}
    return { file, line, column, text: refusal(specifier), syntax: false };
  }
  return { file: entry, line: 1, column: 1, text: refusal(input), syntax: false };
}

function failureOf(root, entry, message) {
  const location = message.location;
  const file = location ? path.relative(root, path.resolve(root, location.file)).split(path.sep).join('/') : entry;
  const syntax = !message.crash && !message.pluginName && !/^Could not resolve/.test(message.text) && Boolean(location);
  return { file, line: location?.line ?? 1, column: (location?.column ?? 0) + 1, text: message.text, syntax };
}
