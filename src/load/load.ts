import type { Dirent } from 'node:fs';
import { mkdtemp, readdir, realpath, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { DefinitionKind } from '../definitions/index.js';
import { diagnostic, type Diagnostic } from '../diagnostics/index.js';
import type { Definitions, Loaded } from './definitions.js';
import { bundleDefinitions, type BundleFailure } from './sandbox/bundle.js';
import { deepFreeze } from './sandbox/freeze.js';
import { BundleQueue, runSandbox, type ChildResult, type SandboxEvent } from './sandbox/run.js';
import { BundleMaps, type Position } from './sandbox/source-map.js';
import { Codeowners, groupByOwner } from './owners.js';

export interface LoadResult {
  readonly definitions: Definitions;
  readonly diagnostics: readonly Diagnostic[];
}

export interface LoadOptions {
  /** Deadline for one file to import and be read. @default 30 s, or MODELPLANE_IMPORT_TIMEOUT_MS */
  readonly timeoutMs?: number;
  /** Files bundled at a time (the sandbox imports each chunk while the next is bundled). @default BUNDLE_CHUNK */
  readonly bundleChunk?: number;
}

const EXPECTED: Record<DefinitionKind, string> = {
  platform: 'definePlatform',
  model: 'defineModel',
  'rollout-policy': 'defineRolloutPolicy',
};

/**
 * Loads `policies/*.ts` and `models/*.ts` under `root`. Files whose name starts
 * with `_` are helpers and are not loaded as definitions. Definitions are
 * untrusted code: each file is bundled here (see sandbox/bundle.ts) and
 * evaluated in a sandboxed child process (sandbox/run.ts), one per owner group
 * (owners.ts: CODEOWNERS owners, policies/ apart; with no CODEOWNERS file all
 * models share one), one file at a time in sorted order within its group; only
 * plain data comes back, deep-frozen, merged in the global sorted order. A file that fails
 * to import, hangs, ends the process or exports the wrong thing becomes a
 * diagnostic naming it; the others still load.
 */
export async function loadDefinitions(root: string, options: LoadOptions = {}): Promise<LoadResult> {
  const diagnostics: Diagnostic[] = [];
  const [policyFiles, modelFiles] = await Promise.all([listDefinitionFiles(root, 'policies'), listDefinitionFiles(root, 'models')]);
  diagnostics.push(...(await unloadedFiles(root, 'policies', policyFiles)), ...(await unloadedFiles(root, 'models', modelFiles)));
  const platformFile = policyFiles.find((f) => f === 'policies/platform.ts');
  const files: { file: string; kind: DefinitionKind }[] = [
    ...policyFiles.map((file) => ({ file, kind: file === platformFile ? ('platform' as const) : ('rollout-policy' as const) })),
    ...modelFiles.map((file) => ({ file, kind: 'model' as const })),
  ];
  if (!platformFile) {
    diagnostics.push(diagnostic('MP1003', { file: 'policies/platform.ts' }, { file: 'policies/platform.ts' }));
  }

  const loaded = new Map<string, Loaded<never>>();
  if (files.length > 0) {
    const realRoot = await realpath(root);
    const outdir = await realpath(await mkdtemp(path.join(os.tmpdir(), 'modelplane-load-')));
    try {
      const readable = [outdir, ...(await Promise.all(['models', 'policies'].map((d) => realpath(path.join(realRoot, d)).catch(() => undefined))))].filter(
        (d): d is string => d !== undefined,
      );
      // One sandbox process per owner group (CODEOWNERS): a file can reach only files of its own owner.
      const codeowners = await Codeowners.read(realRoot);
      const groupOf = new Map<string, number>();
      groupByOwner(
        files.map((f) => f.file),
        codeowners,
      ).forEach((group, g) => group.forEach((file) => groupOf.set(file, g)));
      const groupCount = Math.max(0, ...groupOf.values()) + 1;
      // Bundling and importing overlap: each chunk the bundler finishes is imported while the next is bundled.
      const kinds = new Map(files.map((f) => [f.file, f]));
      /** Every file sent to a sandbox, in the global sorted order. */
      const toRun: { file: string; kind: DefinitionKind }[] = [];
      /** Per group: the index in toRun of each of its files, in order. */
      const members: number[][] = Array.from({ length: groupCount }, () => []);
      const queues = members.map(() => new BundleQueue());
      const sandboxes = queues.map((queue) => runSandbox(queue, { readable, timeoutMs: options.timeoutMs }));
      const allSandboxes = Promise.all(sandboxes);
      let bundled: Awaited<ReturnType<typeof bundleDefinitions>> | undefined;
      try {
        bundled = await bundleDefinitions(
          realRoot,
          files.map((f) => f.file),
          outdir,
          {
            chunk: options.bundleChunk,
            onChunk: (chunk) => {
              const ready = chunk.entries.filter((e) => chunk.bundles.has(e) && kinds.has(e));
              const pushed = new Map<number, string[]>();
              for (const e of ready) {
                const g = groupOf.get(e)!;
                members[g].push(toRun.length);
                toRun.push(kinds.get(e)!);
                const list = pushed.get(g);
                if (list) list.push(chunk.bundles.get(e)!);
                else pushed.set(g, [chunk.bundles.get(e)!]);
              }
              for (const [g, list] of pushed) queues[g].push(list);
            },
          },
        );
      } finally {
        queues.forEach((queue) => queue.end());
        if (!bundled) await allSandboxes; // the bundler failed: let the sandboxes finish before their files are removed
      }
      const { bundles, failures } = bundled;
      diagnostics.push(...bundleDiagnostics(failures));
      // A file that gave neither a bundle nor a failure must not vanish silently (its model's objects would be deleted).
      for (const f of files.filter((f) => !bundles.has(f.file) && !failures.has(f.file))) {
        diagnostics.push(diagnostic('MP1001', { file: f.file }, { messageId: 'outside', file: f.file, folder: f.file.split('/')[0] }));
      }
      const runs = await allSandboxes;
      const maps = new BundleMaps(realRoot, outdir);
      const blamed = new Set<number>();
      // A stack frame may name only a file of the group it came from: a forged stack cannot blame another owner's file.
      const foreign = (g: number) => (file: string) => groupOf.has(file) && groupOf.get(file) !== g;
      const results: (ChildResult | undefined)[] = new Array(toRun.length);
      const groupOfIndex: number[] = new Array(toRun.length);
      const events: GroupEvent[] = [];
      runs.forEach((run, g) => {
        const global = (i: number) => (i >= 0 && i < members[g].length ? members[g][i] : i < 0 ? -1 : members[g][members[g].length - 1] ?? -1);
        members[g].forEach((gi, i) => {
          results[gi] = run.results[i];
          groupOfIndex[gi] = g;
        });
        for (const e of run.events) events.push({ ...e, index: global(e.index), previous: e.previous === undefined ? undefined : global(e.previous), group: g });
      });
      if (groupCount > 1) {
        // In the order of the files they concern, as one process would have reported them.
        const key = (e: GroupEvent) => (e.index < 0 ? Number.POSITIVE_INFINITY : e.index);
        events.sort((a, b) => key(a) - key(b));
      }
      const last = (g: number) => (members[g].length > 0 ? toRun[members[g][members[g].length - 1]].file : undefined);
      diagnostics.push(...eventDiagnostics(events, toRun, maps, blamed, foreign, last));
      const thrown = new Map<string, { first: Thrown; files: string[] }>();
      toRun.forEach((f, i) => {
        const result = results[i];
        if (!result || blamed.has(i)) return;
        const outcome = fromResult(f.file, f.kind, result, maps, foreign(groupOfIndex[i]));
        if ('loaded' in outcome) loaded.set(f.file, outcome.loaded);
        else if ('thrown' in outcome) {
          // A helper that throws is reported once, at the helper, however many files import it.
          const key = `${outcome.thrown.file}:${outcome.thrown.line}:${outcome.thrown.column}:${outcome.thrown.message}`;
          const seen = thrown.get(key);
          if (seen) seen.files.push(f.file);
          else thrown.set(key, { first: outcome.thrown, files: [f.file] });
        } else diagnostics.push(...outcome.diagnostics);
      });
      for (const { first, files: importers } of thrown.values()) {
        const others = importers.filter((f) => f !== first.file);
        const importedBy = others.length === 0 || first.file === importers[0] ? undefined : others;
        diagnostics.push(diagnostic('MP1001', { file: first.file, line: first.line, column: first.column }, { file: first.file, reason: first.message, importedBy }));
      }
    } finally {
      await rm(outdir, { recursive: true, force: true });
    }
  }

  const get = (file: string) => loaded.get(file);
  return {
    definitions: deepFreeze({
      platform: platformFile ? get(platformFile) : undefined,
      policies: policyFiles.filter((f) => f !== platformFile).map(get).filter((p) => p !== undefined),
      models: modelFiles.map(get).filter((m) => m !== undefined),
    }) as Definitions,
    diagnostics,
  };
}

async function listDefinitionFiles(root: string, dir: string): Promise<string[]> {
  let entries: string[];
  try {
    entries = await readdir(path.join(root, dir));
  } catch {
    return [];
  }
  return entries
    .filter((name) => /\.(m?ts)$/.test(name) && !name.endsWith('.d.ts') && !name.startsWith('_') && !/\.test\.m?ts$/.test(name))
    .sort()
    .map((name) => `${dir}/${name}`);
}

/**
 * Files under `dir` (at any depth) that are not loaded as definitions, each an
 * error (MP1010) naming it and what would load it: a model that is not loaded
 * is a model whose objects the next `synth` deletes. Not reported: helpers
 * (any path segment starting with `_`), dotfiles, `*.d.ts`, `*.test.ts` and
 * Markdown notes.
 */
async function unloadedFiles(root: string, dir: string, loaded: readonly string[]): Promise<Diagnostic[]> {
  let entries: Dirent[];
  try {
    entries = await readdir(path.join(root, dir), { recursive: true, withFileTypes: true });
  } catch {
    return [];
  }
  const known = new Set(loaded);
  const out: Diagnostic[] = [];
  const files = entries
    .filter((e) => !e.isDirectory())
    .map((e) => path.relative(root, path.join(e.parentPath, e.name)).split(path.sep).join('/'))
    .sort();
  for (const file of files) {
    const segments = file.split('/').slice(1);
    const name = segments[segments.length - 1];
    if (known.has(file) || segments.some((s) => s.startsWith('_') || s.startsWith('.') || s === 'node_modules')) continue;
    if (/\.d\.m?ts$|\.test\.m?ts$|\.md$/.test(name)) continue;
    const messageId = segments.length > 1 ? 'subfolder' : /\.(c?js|mjs|jsx|tsx|cts)$/.test(name) ? 'script' : 'default';
    out.push(diagnostic('MP1010', { file }, { messageId, file, dir, name }));
  }
  return out;
}

/** Bundling errors (syntax errors, refused imports), each reported once at the file it is in. */
function bundleDiagnostics(failures: ReadonlyMap<string, readonly BundleFailure[]>): Diagnostic[] {
  const byKey = new Map<string, { failure: BundleFailure; entries: string[] }>();
  for (const [entry, list] of [...failures.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
    for (const failure of list) {
      const key = `${failure.file}:${failure.line}:${failure.column}:${failure.text}`;
      const seen = byKey.get(key);
      if (seen) seen.entries.push(entry);
      else byKey.set(key, { failure, entries: [entry] });
    }
  }
  return [...byKey.values()].map(({ failure, entries }) => {
    const others = entries.filter((e) => e !== failure.file);
    const importedBy = others.length > 0 && !entries.includes(failure.file) ? others : undefined;
    return diagnostic('MP1001', { file: failure.file, line: failure.line, column: failure.column }, { file: failure.file, reason: failure.text, syntax: failure.syntax, importedBy });
  });
}

/** A definition file that threw while it was imported: where, and the first line of the error. */
interface Thrown {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly message: string;
}

type Outcome = { loaded: Loaded<never> } | { thrown: Thrown } | { diagnostics: Diagnostic[] };

function fromResult(file: string, kind: DefinitionKind, result: ChildResult, maps: BundleMaps, foreign: (file: string) => boolean): Outcome {
  if (result.error) {
    const first = maps.frames(result.error.stack)[0];
    const where = first && foreign(first.file) ? undefined : first;
    const reason = maps.clean(firstLine(result.error.message));
    if (result.error.exit) return { diagnostics: [exitDiagnostic(file, where, reason)] };
    const at = where && where.file.startsWith('src/') ? undefined : where;
    const target = at ?? { file, line: 1, column: 1 };
    return { thrown: { file: target.file, line: target.line, column: target.column, message: reason } };
  }
  if (result.problems && result.problems.length > 0) {
    return {
      diagnostics: result.problems.map((p) =>
        p.code === 'MP1007'
          ? diagnostic('MP1007', { file, path: [...p.path] }, { path: p.path, found: p.message })
          : diagnostic('MP1008', { file, path: [...p.path] }, { file, path: p.path, problem: p.message }),
      ),
    };
  }
  if (result.shape === 'undefined' || result.kind !== kind) {
    const exported = result.shape !== 'undefined' && result.kind ? { definition: result.kind } : { shape: String(result.shape) };
    return { diagnostics: [diagnostic('MP1002', { file, line: 1, column: 1 }, { file, exported, expected: EXPECTED[kind] })] };
  }
  const site = result.site ? maps.position(result.site.file, result.site.line, result.site.column) : undefined;
  return { loaded: { value: result.value as never, file, site: site && { line: site.line, column: site.column, file } } };
}

const firstLine = (text: string) => text.split('\n').map((l) => l.trim()).find(Boolean) ?? 'unknown error';

function exitDiagnostic(file: string, where: Position | undefined, how: string): Diagnostic {
  const at = where && !where.file.startsWith('src/') ? where : { file, line: 1, column: 1 };
  return diagnostic('MP1009', { file: at.file, line: at.line, column: at.column }, { file: at.file, how });
}

/** A sandbox event, its indices into the global file list, and the owner group whose process reported it. */
type GroupEvent = Omit<SandboxEvent, 'previous'> & { readonly previous: number | undefined; readonly group: number };

/** Exits, hangs, crashes, late throws and forged messages, attributed by stack when it names a file. */
function eventDiagnostics(
  events: readonly GroupEvent[],
  files: readonly { file: string }[],
  maps: BundleMaps,
  blamed: Set<number>,
  foreignTo: (group: number) => (file: string) => boolean,
  lastOf: (group: number) => string | undefined,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  const seen = new Set<string>();
  for (const event of events) {
    const foreign = foreignTo(event.group);
    const frame = maps.frames(event.stack).find((p) => !p.file.startsWith('src/') && !foreign(p.file));
    const fallback = event.index >= 0 && event.index < files.length ? files[event.index].file : lastOf(event.group);
    // The stack names the culprit when it can (a timer of an earlier file firing while another loads).
    const culprit = frame ? files.findIndex((f) => f.file === frame.file) : -1;
    if (culprit >= 0) blamed.add(culprit);
    else if (event.index >= 0) blamed.add(event.index);
    let d: Diagnostic;
    if (event.previous !== undefined && event.previous >= 0) {
      const previous = files[event.previous].file;
      const file = files[event.index].file;
      blamed.add(event.previous);
      d = diagnostic('MP1009', { file: previous, line: 1, column: 1 }, { messageId: 'previous', file: previous, loading: file, ended: event.message.replace(/^ended the loading process /, 'ended ') });
    } else if (event.kind === 'exit') {
      d = exitDiagnostic(fallback ?? 'models', frame, event.message.replace(/^called /, ''));
    } else {
      const at = frame ?? { file: fallback ?? 'models', line: 1, column: 1 };
      d = diagnostic(event.kind === 'uncaught' ? 'MP1001' : 'MP1009', { file: at.file, line: at.line, column: at.column }, { messageId: 'event', file: at.file, event: maps.clean(firstLine(event.message)) });
    }
    const key = `${d.file}:${d.line}:${d.column}:${d.code}:${d.message}`;
    if (!seen.has(key)) out.push(d);
    seen.add(key);
  }
  return out;
}
