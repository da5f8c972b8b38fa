import type { Diagnostic } from '../diagnostics/index.js';
import { formatPath } from '../diagnostics/index.js';
import type { ResolvedModel, ResolvedPlatform } from '../resolve/index.js';
import { tierBudgets, type TierBudget } from '../metrics/index.js';
import { monthlyCost } from './cost.js';

/** What one model looks like in one environment, for comparison. */
export interface ModelState {
  readonly stable: string;
  readonly canary?: { readonly version: string; readonly step: number; readonly weight: number };
  readonly previous?: string;
  readonly tenants: Readonly<Record<string, string>>;
  /** Traffic share by version, in percent, of the default route. */
  readonly weights: Readonly<Record<string, number>>;
  readonly replicas: { readonly min: number; readonly max: number };
  readonly pool: string;
  readonly gpus: number;
  readonly costPerMonthUsd: number;
  readonly versions: readonly string[];
  /** Present when the deployment is retired: its `since` date, or '' for `retired: true`. */
  readonly retired?: string;
}

export interface ModelChange {
  readonly model: string;
  /** `retired`: the deployment is retired by this change (no route, InferenceServices kept). */
  readonly kind: 'added' | 'removed' | 'changed' | 'retired';
  readonly before?: ModelState;
  readonly after?: ModelState;
}

export interface EnvironmentPlan {
  readonly env: string;
  readonly changes: readonly ModelChange[];
  /** GPUs of warm pools by pool, before and after. */
  readonly gpusByPool: Readonly<Record<string, { readonly before: number; readonly after: number }>>;
  readonly costBefore: number;
  readonly costAfter: number;
}

export interface Plan {
  readonly base: string;
  readonly environments: readonly EnvironmentPlan[];
  readonly newWarnings: readonly Diagnostic[];
  readonly clearedWarnings: readonly Diagnostic[];
  /** True when nothing that serves traffic changes. */
  readonly empty: boolean;
  /** Each tier's worst case from a regression's start to traffic on stable, under each policy in use (head). */
  readonly rollbackBudgets: readonly TierBudget[];
}

export function modelState(model: ResolvedModel): ModelState {
  const weights: Record<string, number> = {};
  for (const s of model.servers) if (s.weight > 0) weights[s.version] = s.weight;
  return {
    stable: model.stable,
    canary: model.canary && { version: model.canary.version, step: model.canary.step, weight: model.canary.weight },
    previous: model.previous?.version,
    tenants: Object.fromEntries(model.tenants.map((t) => [t.tenant, t.version])),
    weights,
    replicas: model.servers.reduce((sum, s) => ({ min: sum.min + s.replicas.min, max: sum.max + s.replicas.max }), { min: 0, max: 0 }),
    pool: model.pool.name,
    gpus: model.servers.reduce((sum, s) => sum + s.replicas.min * s.resources.gpus, 0),
    costPerMonthUsd: Math.round(monthlyCost(model) * 100) / 100,
    versions: model.servers.map((s) => s.version),
    ...(model.retired ? { retired: model.retired.since } : {}),
  };
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

function changeKind(before: ModelState | undefined, after: ModelState | undefined): ModelChange['kind'] {
  if (!before) return 'added';
  if (!after) return 'removed';
  return after.retired !== undefined && before.retired === undefined ? 'retired' : 'changed';
}

/** Compares two resolved platforms (base, head), not their YAML. Pure. */
export function diffPlatforms(
  baseRef: string,
  before: ResolvedPlatform | undefined,
  after: ResolvedPlatform,
  warnings: { before: readonly Diagnostic[]; after: readonly Diagnostic[] },
): Plan {
  const envNames = [...new Set([...(before?.environments ?? []).map((e) => e.name), ...after.environments.map((e) => e.name)])].sort();
  const environments = envNames.map((env): EnvironmentPlan => {
    const b = new Map((before?.environments.find((e) => e.name === env)?.models ?? []).map((m) => [m.id, m]));
    const a = new Map((after.environments.find((e) => e.name === env)?.models ?? []).map((m) => [m.id, m]));
    const ids = [...new Set([...b.keys(), ...a.keys()])].sort();
    const changes: ModelChange[] = [];
    for (const id of ids) {
      const sb = b.has(id) ? modelState(b.get(id)!) : undefined;
      const sa = a.has(id) ? modelState(a.get(id)!) : undefined;
      if (sb && sa && same(sb, sa)) continue;
      changes.push({ model: id, kind: changeKind(sb, sa), before: sb, after: sa });
    }
    const gpusByPool: Record<string, { before: number; after: number }> = {};
    const addGpus = (models: Map<string, ResolvedModel>, side: 'before' | 'after') => {
      for (const m of models.values()) {
        if (m.pool.kind !== 'gpu') continue;
        gpusByPool[m.pool.name] ??= { before: 0, after: 0 };
        gpusByPool[m.pool.name][side] += modelState(m).gpus;
      }
    };
    addGpus(b, 'before');
    addGpus(a, 'after');
    const cost = (models: Map<string, ResolvedModel>) => Math.round([...models.values()].reduce((s, m) => s + monthlyCost(m), 0) * 100) / 100;
    return { env, changes, gpusByPool, costBefore: cost(b), costAfter: cost(a) };
  });
  const key = (d: Diagnostic) => `${d.code}|${d.file}|${formatPath(d.path)}|${d.message}`;
  const beforeKeys = new Set(warnings.before.map(key));
  const afterKeys = new Set(warnings.after.map(key));
  const newWarnings = warnings.after.filter((d) => !beforeKeys.has(key(d)));
  const clearedWarnings = warnings.before.filter((d) => !afterKeys.has(key(d)));
  return {
    base: baseRef,
    environments,
    newWarnings,
    clearedWarnings,
    empty: environments.every((e) => e.changes.length === 0) && newWarnings.length === 0 && clearedWarnings.length === 0,
    rollbackBudgets: tierBudgets(after),
  };
}
