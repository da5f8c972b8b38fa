/**
 * The reference platform's definitions, imported directly from models/ and
 * policies/ (not through src/load), and helpers to mutate copies of them and to
 * write definitions back out as files with a known layout.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ModelDefinition, PlatformDefinition, RolloutPolicyDefinition } from '../../src/definitions/index.js';
import type { Definitions, Loaded } from '../../src/load/index.js';
import { REPO_ROOT } from './repo.js';

/** Plain, mutable deep copy of a definition type. */
export type Mutable<T> = T extends readonly (infer U)[] ? Mutable<U>[] : T extends object ? { -readonly [K in keyof T]: Mutable<T[K]> } : T;

export interface MutableDefinitions {
  platform: { value: Mutable<PlatformDefinition>; file: string };
  policies: { value: Mutable<RolloutPolicyDefinition>; file: string }[];
  models: { value: Mutable<ModelDefinition>; file: string }[];
}

async function importDefault(relPath: string): Promise<unknown> {
  const module = (await import(pathToFileURL(path.join(REPO_ROOT, relPath)).href)) as { default: unknown };
  return module.default;
}

const definitionFiles = (dir: string) =>
  readdirSync(path.join(REPO_ROOT, dir))
    .filter((f) => f.endsWith('.ts') && !f.startsWith('_'))
    .sort()
    .map((f) => `${dir}/${f}`);

let cache: Definitions | undefined;

/** The reference definitions as imported (shared; never mutate: use `cloneReference`). */
export async function referenceDefinitions(): Promise<Definitions> {
  if (!cache) {
    const policyFiles = definitionFiles('policies');
    const platform = { value: (await importDefault('policies/platform.ts')) as PlatformDefinition, file: 'policies/platform.ts' };
    const policies: Loaded<RolloutPolicyDefinition>[] = [];
    for (const file of policyFiles.filter((f) => f !== 'policies/platform.ts')) policies.push({ value: (await importDefault(file)) as RolloutPolicyDefinition, file });
    const models: Loaded<ModelDefinition>[] = [];
    for (const file of definitionFiles('models')) models.push({ value: (await importDefault(file)) as ModelDefinition, file });
    cache = { platform, policies, models };
  }
  return cache;
}

/** A deep, mutable copy of the reference definitions. */
export async function cloneReference(): Promise<MutableDefinitions> {
  const d = await referenceDefinitions();
  return {
    platform: { value: structuredClone(d.platform!.value) as Mutable<PlatformDefinition>, file: d.platform!.file },
    policies: d.policies.map((p) => ({ value: structuredClone(p.value) as Mutable<RolloutPolicyDefinition>, file: p.file })),
    models: d.models.map((m) => ({ value: structuredClone(m.value) as Mutable<ModelDefinition>, file: m.file })),
  };
}

/** The mutable definitions as the read-only type the compiler takes. */
export function asDefinitions(d: MutableDefinitions): Definitions {
  return d as unknown as Definitions;
}

export function modelOf(d: MutableDefinitions, id: string): Mutable<ModelDefinition> {
  const found = d.models.find((m) => m.value.id === id);
  if (!found) throw new Error(`test setup: no model '${id}' in the reference platform`);
  return found.value;
}

export function policyOf(d: MutableDefinitions, name: string): Mutable<RolloutPolicyDefinition> {
  const found = d.policies.find((p) => p.value.name === name);
  if (!found) throw new Error(`test setup: no policy '${name}' in the reference platform`);
  return found.value;
}

/** TypeScript source of a model file: `export default defineModel(<JSON, 2-space indent>)`. */
export function modelSource(definition: unknown): string {
  return `import { defineModel } from '../src/index.js';\n\nexport default defineModel(${JSON.stringify(definition, null, 2)});\n`;
}

/** 1-based line and column of the `occurrence`-th (0-based) appearance of `needle` in `text`. */
export function positionOf(text: string, needle: string, occurrence = 0): { line: number; column: number } {
  let at = -1;
  for (let i = 0; i <= occurrence; i++) {
    at = text.indexOf(needle, at + 1);
    if (at < 0) throw new Error(`test setup: ${JSON.stringify(needle)} occurs fewer than ${occurrence + 1} times`);
  }
  const before = text.slice(0, at).split('\n');
  return { line: before.length, column: before[before.length - 1].length + 1 };
}
