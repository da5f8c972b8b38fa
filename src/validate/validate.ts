import type { ModelDefinition, RolloutPolicyDefinition } from '../definitions/index.js';
import { diagnostic, type Diagnostic } from '../diagnostics/index.js';
import type { Definitions, Loaded } from '../load/index.js';
import { resolvePlatform, type ResolvedPlatform } from '../resolve/index.js';
import { checkGates } from './gates.js';
import { checkModelNames, checkPlatformNames } from './names.js';
import { checkPromqlSyntax } from './promql-syntax.js';
import { checkModelReferences, checkPlatformReferences, checkPolicyReferences } from './references.js';
import { checkRuntimes } from './runtimes.js';
import { checkSchema } from './schema-check.js';

export interface Checked {
  readonly diagnostics: Diagnostic[];
  /**
   * The platform resolved from the definitions that passed the structural
   * checks; undefined when the platform itself did not. When `diagnostics`
   * has no error, this is the whole platform.
   */
  readonly resolved?: ResolvedPlatform;
}

/**
 * Every check, in order: structural checks → resolve (once) → gates over the
 * resolved platform. Pure for a given `now`: returns diagnostics, never throws
 * on bad input. The gates judge only definitions that passed the structural checks.
 */
export function checkDefinitions(definitions: Definitions, now: Date): Checked {
  const diagnostics = checkStructure(definitions);
  const valid = withoutErrors(definitions, diagnostics);
  if (!valid.platform) return { diagnostics };
  const resolved = resolvePlatform(valid);
  diagnostics.push(...checkGates(resolved, valid, now));
  return { diagnostics, resolved };
}

/** The diagnostics of `checkDefinitions`. */
export function validateDefinitions(definitions: Definitions, now: Date): Diagnostic[] {
  return checkDefinitions(definitions, now).diagnostics;
}

/**
 * The definitions the gates may judge, given what the structural checks found:
 * without the platform if it has an error (then nothing is judged), without
 * every policy and model that has one, and without models whose canary policy
 * was left out.
 */
export function withoutErrors(definitions: Definitions, found: readonly Diagnostic[]): Definitions {
  const failed = new Set(found.filter((d) => d.severity === 'error' && d.file !== undefined).map((d) => d.file));
  const ok = <T>(loaded: Loaded<T> | undefined): loaded is Loaded<T> => loaded !== undefined && !failed.has(loaded.file);
  const platform = ok(definitions.platform) ? definitions.platform : undefined;
  const policies = platform ? definitions.policies.filter(ok) : [];
  const names = new Set(policies.map((p) => p.value.name));
  const models = platform
    ? definitions.models.filter(ok).filter((m) => Object.values(m.value.deploy).every((d) => !d.canary || names.has(d.canary.policy)))
    : [];
  return { platform, policies, models };
}

/**
 * Schemas, duplicates, names and cross-references. Cross-reference checks run
 * only on definitions whose schema check passed, so they can trust the shape.
 */
export function checkStructure(definitions: Definitions): Diagnostic[] {
  const out: Diagnostic[] = [];
  const platform = definitions.platform;
  const platformOk = platform ? schemaOk(out, 'platform', platform) : false;
  const policies = definitions.policies.filter((p) => schemaOk(out, 'rollout-policy', p));
  const models = definitions.models.filter((m) => schemaOk(out, 'model', m));

  out.push(...duplicates(definitions.policies, (p) => (p as Loaded<RolloutPolicyDefinition>).value?.name, 'MP1005', ['name']));
  out.push(...duplicates(definitions.models, (m) => (m as Loaded<ModelDefinition>).value?.id, 'MP1004', ['id']));
  for (const m of models) {
    const expected = `models/${m.value.id}.ts`;
    if (m.file !== expected)
      out.push(diagnostic('MP1006', { file: m.file, path: ['id'] }, { id: m.value.id, file: m.file, expected }));
  }

  if (!platform || !platformOk) return out;
  // Every policy that has a name counts as existing, even one with schema errors
  // (reported above): its name is not what is wrong.
  const policyByName = new Map(
    definitions.policies.filter((p) => typeof p.value?.name === 'string').map((p) => [p.value.name, p.value] as const),
  );
  out.push(...checkPlatformReferences(platform, policyByName), ...checkPlatformNames(platform), ...checkRuntimes(platform), ...checkPromqlSyntax(platform, policies, models));
  const policyNames = new Set(policyByName.keys());
  for (const p of policies) out.push(...checkPolicyReferences(p, platform.value, policyNames));
  for (const m of models) out.push(...checkModelReferences(m, platform.value, policyByName), ...checkModelNames(m));
  return out;
}

function schemaOk(out: Diagnostic[], kind: 'platform' | 'model' | 'rollout-policy', loaded: Loaded<unknown>): boolean {
  const found = checkSchema(kind, loaded.value, loaded.file);
  out.push(...found);
  return found.length === 0;
}

function duplicates<T extends Loaded<unknown>>(items: readonly T[], key: (item: T) => unknown, code: 'MP1004' | 'MP1005', path: string[]): Diagnostic[] {
  const seen = new Map<string, T>();
  const out: Diagnostic[] = [];
  for (const item of items) {
    const k = key(item);
    if (typeof k !== 'string') continue;
    const first = seen.get(k);
    if (first) out.push(diagnostic(code, { file: item.file, path }, { name: k, first: first.file, second: item.file }));
    else seen.set(k, item);
  }
  return out;
}
