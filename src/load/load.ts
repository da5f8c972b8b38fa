import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { kindOf, sourceOf, type DefinitionKind } from '../definitions/index.js';
import type { Diagnostic } from '../diagnostics/index.js';
import type { Definitions, Loaded } from './definitions.js';

const run = promisify(execFile);

export interface LoadResult {
  readonly definitions: Definitions;
  readonly diagnostics: readonly Diagnostic[];
}

const EXPECTED: Record<DefinitionKind, string> = {
  platform: 'definePlatform',
  model: 'defineModel',
  'rollout-policy': 'defineRolloutPolicy',
};

/**
 * Imports `policies/*.ts` and `models/*.ts` under `root`. Files whose name starts
 * with `_` are helpers and are not loaded as definitions. A file that fails to
 * import, or exports the wrong thing, becomes a diagnostic; the others still load.
 */
export async function loadDefinitions(root: string): Promise<LoadResult> {
  const diagnostics: Diagnostic[] = [];
  const [policyFiles, modelFiles] = await Promise.all([listDefinitionFiles(root, 'policies'), listDefinitionFiles(root, 'models')]);

  const load = async (file: string, kind: DefinitionKind): Promise<Loaded<never> | undefined> => {
    const result = await importDefinition(root, file, kind);
    if ('diagnostic' in result) {
      diagnostics.push(result.diagnostic);
      return undefined;
    }
    return result.loaded;
  };

  const platformFile = policyFiles.find((f) => f === 'policies/platform.ts');
  const [platform, policies, models] = await Promise.all([
    platformFile ? load(platformFile, 'platform') : undefined,
    Promise.all(policyFiles.filter((f) => f !== platformFile).map((f) => load(f, 'rollout-policy'))),
    Promise.all(modelFiles.map((f) => load(f, 'model'))),
  ]);
  if (!platformFile) {
    diagnostics.push({
      code: 'MP1003',
      severity: 'error',
      file: 'policies/platform.ts',
      message: 'policies/platform.ts is missing: declare environments, node pools, teams, tiers and runtimes there with definePlatform({...})',
    });
  }
  return {
    definitions: {
      platform,
      policies: policies.filter((p) => p !== undefined),
      models: models.filter((m) => m !== undefined),
    },
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

type ImportResult = { loaded: Loaded<never> } | { diagnostic: Diagnostic };

async function importDefinition(root: string, file: string, kind: DefinitionKind): Promise<ImportResult> {
  const absolute = path.join(root, file);
  let module: Record<string, unknown>;
  try {
    // The content hash in the URL makes a re-import after an edit load the new
    // text (promote edits a model, then compiles again in the same process).
    const digest = createHash('sha256').update(await readFile(absolute)).digest('hex').slice(0, 16);
    module = (await import(`${pathToFileURL(absolute).href}?v=${digest}`)) as Record<string, unknown>;
  } catch (error) {
    return { diagnostic: importFailure(file, absolute, await withMappedStack(error, absolute)) };
  }
  const value = module.default;
  const found = kindOf(value);
  if (value === undefined || found !== kind) {
    const what = value === undefined ? 'has no default export' : found ? `exports a ${found} definition` : `exports ${describe(value)}`;
    return {
      diagnostic: {
        code: 'MP1002',
        severity: 'error',
        file,
        line: 1,
        column: 1,
        message: `${file} ${what}: expected \`export default ${EXPECTED[kind]}({...})\``,
      },
    };
  }
  const site = sourceOf(value);
  return { loaded: { value: value as never, file, site: site && { ...site, file } } };
}

/**
 * The CLI runs without source-mapped stack traces (Node keeps every module's
 * map: with thousands of model files they cost a third of synth's time and
 * hundreds of MiB). When a definition file throws while it is imported, it is
 * imported once more in a child process with source maps on, so the
 * diagnostic points at the TypeScript line. Syntax errors carry their own position.
 */
async function withMappedStack(error: unknown, absolute: string): Promise<unknown> {
  if (process.sourceMapsEnabled || /^Transform failed/.test((error as Error)?.message ?? '')) return error;
  const script = `import(${JSON.stringify(pathToFileURL(absolute).href)}).then(() => {}, (e) => process.stdout.write(JSON.stringify({ message: String(e?.message ?? e), stack: String(e?.stack ?? '') })));`;
  try {
    const { stdout } = await run(process.execPath, ['--enable-source-maps', '--import', import.meta.resolve('tsx'), '--input-type=module', '-e', script], {
      cwd: path.dirname(absolute),
      timeout: 30_000,
    });
    const mapped = JSON.parse(stdout) as { message: string; stack: string };
    return Object.assign(new Error(mapped.message), { stack: mapped.stack });
  } catch {
    return error;
  }
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return `an object not made by a define* function`;
  return `a ${typeof value}`;
}

/** Turns an import error into a diagnostic, with the position when the error carries one for this file. */
function importFailure(file: string, absolute: string, error: unknown): Diagnostic {
  const err = error instanceof Error ? error : new Error(String(error));
  const lines = (err.message || String(error)).split('\n').map((l) => l.trim()).filter(Boolean);
  const text = `${err.message}\n${err.stack ?? ''}`;
  const escaped = absolute.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const position = new RegExp(`${escaped}(?:\\?[^:\\s]*)?:(\\d+):(\\d+)`).exec(text);
  // esbuild ("Transform failed with 1 error:\n<file>:7:2: ERROR: ...") counts columns from 0.
  const transform = /^Transform failed/.test(lines[0] ?? '');
  const reason = transform ? (lines.find((l) => /ERROR:/.test(l))?.replace(/^.*?ERROR:\s*/, '') ?? lines[0]) : (lines[0] ?? 'unknown error');
  const cleaned = reason.replace(new RegExp(`${escaped}(\\?[^:\\s]*)?`, 'g'), file);
  return {
    code: 'MP1001',
    severity: 'error',
    file,
    line: position ? Number(position[1]) : 1,
    column: position ? Number(position[2]) + (transform ? 1 : 0) : 1,
    message: `${file} failed to import: ${transform ? 'syntax error: ' : ''}${cleaned}`,
  };
}
