/**
 * The reference platform's definitions and the tests' fixture platform
 * (test/fixtures/platform), imported directly from models/ and policies/ (not
 * through src/load), and helpers to mutate copies of them and to
 * write definitions back out as files with a known layout.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ModelDefinition, PlatformDefinition, RolloutPolicyDefinition } from '../../src/definitions/index.js';
import type { Definitions, Loaded } from '../../src/load/index.js';
import { FIXTURE_ROOT, REPO_ROOT } from './repo.js';

/** Plain, mutable deep copy of a definition type. */
export type Mutable<T> = T extends readonly (infer U)[] ? Mutable<U>[] : T extends object ? { -readonly [K in keyof T]: Mutable<T[K]> } : T;

export interface MutableDefinitions {
  platform: { value: Mutable<PlatformDefinition>; file: string };
  policies: { value: Mutable<RolloutPolicyDefinition>; file: string }[];
  models: { value: Mutable<ModelDefinition>; file: string }[];
}

async function importDefault(root: string, relPath: string): Promise<unknown> {
  const module = (await import(pathToFileURL(path.join(root, relPath)).href)) as { default: unknown };
  return module.default;
}

const definitionFiles = (root: string, dir: string) =>
  readdirSync(path.join(root, dir))
    .filter((f) => f.endsWith('.ts') && !f.startsWith('_'))
    .sort()
    .map((f) => `${dir}/${f}`);

async function importPlatform(root: string): Promise<Definitions> {
  const platform = { value: (await importDefault(root, 'policies/platform.ts')) as PlatformDefinition, file: 'policies/platform.ts' };
  const policies: Loaded<RolloutPolicyDefinition>[] = [];
  for (const file of definitionFiles(root, 'policies').filter((f) => f !== 'policies/platform.ts')) policies.push({ value: (await importDefault(root, file)) as RolloutPolicyDefinition, file });
  const models: Loaded<ModelDefinition>[] = [];
  for (const file of definitionFiles(root, 'models')) models.push({ value: (await importDefault(root, file)) as ModelDefinition, file });
  return { platform, policies, models };
}

let cache: Definitions | undefined;
let fixtureCache: Definitions | undefined;

/** The reference definitions as imported (shared; never mutate: use `cloneReference`). */
export async function referenceDefinitions(): Promise<Definitions> {
  cache ??= await importPlatform(REPO_ROOT);
  return cache;
}

/** The fixture platform's definitions as imported (shared; never mutate). See FIXTURE_ROOT. */
export async function fixtureDefinitions(): Promise<Definitions> {
  fixtureCache ??= await importPlatform(FIXTURE_ROOT);
  return fixtureCache;
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
